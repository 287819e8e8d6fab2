-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "lessonId" TEXT;

-- CreateTable
CREATE TABLE "SavedFile" (
    "visitorId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "etag" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SavedFile_pkey" PRIMARY KEY ("visitorId","lessonId","path")
);

-- CreateTable
CREATE TABLE "StepProgress" (
    "visitorId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "passedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StepProgress_pkey" PRIMARY KEY ("visitorId","lessonId","stepId")
);

-- CreateIndex
CREATE INDEX "Session_visitorId_lessonId_idx" ON "Session"("visitorId", "lessonId");
