-- AlterTable
ALTER TABLE "Session" ADD COLUMN "lessonId" TEXT;

-- CreateTable
CREATE TABLE "StepProgress" (
    "visitorId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "passedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("visitorId", "lessonId", "stepId")
);

-- CreateTable
CREATE TABLE "SavedFile" (
    "visitorId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "etag" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("visitorId", "lessonId", "path")
);

-- CreateIndex
CREATE INDEX "Session_visitorId_lessonId_idx" ON "Session"("visitorId", "lessonId");
