-- CreateTable
CREATE TABLE "CheckAttempt" (
    "id" SERIAL NOT NULL,
    "seatId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "output" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CheckAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommandMark" (
    "id" SERIAL NOT NULL,
    "seatId" TEXT NOT NULL,
    "exitCode" INTEGER NOT NULL,
    "command" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommandMark_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HelpRequest" (
    "id" TEXT NOT NULL,
    "seatId" TEXT NOT NULL,
    "raisedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "HelpRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Instructor" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Instructor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstructorSession" (
    "tokenHash" TEXT NOT NULL,
    "instructorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InstructorSession_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL,
    "seatId" TEXT NOT NULL,
    "header" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL DEFAULT 0,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Recording_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecordingChunk" (
    "recordingId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "events" TEXT NOT NULL,

    CONSTRAINT "RecordingChunk_pkey" PRIMARY KEY ("recordingId","seq")
);

-- CreateTable
CREATE TABLE "Seat" (
    "id" TEXT NOT NULL,
    "workshopId" TEXT NOT NULL,
    "visitorId" TEXT NOT NULL,
    "rejoinCode" TEXT NOT NULL,
    "name" TEXT,
    "joinedAt" TIMESTAMP(3),
    "extraMinutes" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Seat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SeatStep" (
    "seatId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "enteredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "passedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SeatStep_pkey" PRIMARY KEY ("seatId","lessonId","stepId")
);

-- CreateTable
CREATE TABLE "Takeover" (
    "id" TEXT NOT NULL,
    "seatId" TEXT NOT NULL,
    "instructorId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Takeover_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Workshop" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "lessonIds" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "capacity" INTEGER NOT NULL,
    "seatMemoryMib" INTEGER,
    "seatCpus" DOUBLE PRECISION,
    "preparedSeats" INTEGER NOT NULL DEFAULT 0,
    "recordTerminals" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL,
    "pausedAt" TIMESTAMP(3),
    "presenterVisitorId" TEXT,
    "presenting" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Workshop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkshopInstructor" (
    "workshopId" TEXT NOT NULL,
    "instructorId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkshopInstructor_pkey" PRIMARY KEY ("workshopId","instructorId")
);

-- CreateTable
CREATE TABLE "WorkshopMessage" (
    "id" SERIAL NOT NULL,
    "workshopId" TEXT NOT NULL,
    "seatId" TEXT,
    "text" TEXT NOT NULL,
    "fromName" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkshopMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CheckAttempt_seatId_at_idx" ON "CheckAttempt"("seatId", "at");

-- CreateIndex
CREATE INDEX "CommandMark_seatId_at_idx" ON "CommandMark"("seatId", "at");

-- CreateIndex
CREATE INDEX "HelpRequest_seatId_idx" ON "HelpRequest"("seatId");

-- CreateIndex
CREATE UNIQUE INDEX "Instructor_email_key" ON "Instructor"("email");

-- CreateIndex
CREATE INDEX "InstructorSession_instructorId_idx" ON "InstructorSession"("instructorId");

-- CreateIndex
CREATE INDEX "Recording_seatId_idx" ON "Recording"("seatId");

-- CreateIndex
CREATE UNIQUE INDEX "Seat_visitorId_key" ON "Seat"("visitorId");

-- CreateIndex
CREATE UNIQUE INDEX "Seat_rejoinCode_key" ON "Seat"("rejoinCode");

-- CreateIndex
CREATE INDEX "Seat_workshopId_idx" ON "Seat"("workshopId");

-- CreateIndex
CREATE INDEX "Takeover_seatId_idx" ON "Takeover"("seatId");

-- CreateIndex
CREATE UNIQUE INDEX "Workshop_code_key" ON "Workshop"("code");

-- CreateIndex
CREATE INDEX "WorkshopInstructor_instructorId_idx" ON "WorkshopInstructor"("instructorId");

-- CreateIndex
CREATE INDEX "WorkshopMessage_workshopId_at_idx" ON "WorkshopMessage"("workshopId", "at");

-- AddForeignKey
ALTER TABLE "CheckAttempt" ADD CONSTRAINT "CheckAttempt_seatId_fkey" FOREIGN KEY ("seatId") REFERENCES "Seat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommandMark" ADD CONSTRAINT "CommandMark_seatId_fkey" FOREIGN KEY ("seatId") REFERENCES "Seat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HelpRequest" ADD CONSTRAINT "HelpRequest_seatId_fkey" FOREIGN KEY ("seatId") REFERENCES "Seat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstructorSession" ADD CONSTRAINT "InstructorSession_instructorId_fkey" FOREIGN KEY ("instructorId") REFERENCES "Instructor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recording" ADD CONSTRAINT "Recording_seatId_fkey" FOREIGN KEY ("seatId") REFERENCES "Seat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordingChunk" ADD CONSTRAINT "RecordingChunk_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Seat" ADD CONSTRAINT "Seat_workshopId_fkey" FOREIGN KEY ("workshopId") REFERENCES "Workshop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SeatStep" ADD CONSTRAINT "SeatStep_seatId_fkey" FOREIGN KEY ("seatId") REFERENCES "Seat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Takeover" ADD CONSTRAINT "Takeover_seatId_fkey" FOREIGN KEY ("seatId") REFERENCES "Seat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkshopInstructor" ADD CONSTRAINT "WorkshopInstructor_instructorId_fkey" FOREIGN KEY ("instructorId") REFERENCES "Instructor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkshopInstructor" ADD CONSTRAINT "WorkshopInstructor_workshopId_fkey" FOREIGN KEY ("workshopId") REFERENCES "Workshop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkshopMessage" ADD CONSTRAINT "WorkshopMessage_workshopId_fkey" FOREIGN KEY ("workshopId") REFERENCES "Workshop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
