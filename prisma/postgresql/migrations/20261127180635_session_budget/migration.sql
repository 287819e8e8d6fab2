-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "activeAt" TIMESTAMP(3),
ADD COLUMN     "expiresAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Session_state_idx" ON "Session"("state");
