-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "workshopId" TEXT;

-- CreateIndex
CREATE INDEX "Session_workshopId_idx" ON "Session"("workshopId");
