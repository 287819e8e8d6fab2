-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "agentId" TEXT;

-- CreateTable
CREATE TABLE "Agent" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "credentialHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "publicUrl" TEXT,
    "labels" TEXT NOT NULL DEFAULT '{}',
    "state" TEXT NOT NULL DEFAULT 'down',
    "lastHeartbeatAt" TIMESTAMP(3),
    "freeMemoryBytes" BIGINT NOT NULL DEFAULT 0,
    "cpus" INTEGER NOT NULL DEFAULT 0,
    "load" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "sandboxes" INTEGER NOT NULL DEFAULT 0,
    "readySeats" INTEGER NOT NULL DEFAULT 0,
    "maxSandboxes" INTEGER NOT NULL DEFAULT 0,
    "placed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Agent_name_key" ON "Agent"("name");

-- CreateIndex
CREATE INDEX "Agent_state_idx" ON "Agent"("state");

-- CreateIndex
CREATE INDEX "Session_agentId_state_idx" ON "Session"("agentId", "state");
