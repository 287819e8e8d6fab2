-- AlterTable
ALTER TABLE "Session" ADD COLUMN "activeAt" DATETIME;
ALTER TABLE "Session" ADD COLUMN "expiresAt" DATETIME;

-- CreateIndex
CREATE INDEX "Session_state_idx" ON "Session"("state");
