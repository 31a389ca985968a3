-- AlterTable
ALTER TABLE "User" ADD COLUMN     "executionLogRetentionDays" INTEGER NOT NULL DEFAULT 90;

-- AlterTable
ALTER TABLE "RateLimit" ADD COLUMN     "windowSeconds" INTEGER NOT NULL DEFAULT 86400;

-- CreateTable
CREATE TABLE "LifecycleRun" (
    "job" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "leaseUntil" TIMESTAMP(3),
    "lastPruned" INTEGER NOT NULL DEFAULT 0,
    "totalPruned" BIGINT NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "LifecycleRun_pkey" PRIMARY KEY ("job")
);

-- CreateIndex
CREATE INDEX "Session_expires_idx" ON "Session"("expires");

-- CreateIndex
CREATE INDEX "VerificationToken_expires_idx" ON "VerificationToken"("expires");

-- CreateIndex
CREATE INDEX "CrmJob_finishedAt_idx" ON "CrmJob"("finishedAt");

-- CreateIndex
CREATE INDEX "CsvUpload_createdAt_idx" ON "CsvUpload"("createdAt");

-- From prisma/schema/core.sql: finished runs by when they finished, for the executions lifecycle job.
CREATE INDEX "WorkflowExecution_finished_idx" ON "WorkflowExecution" ("userId", "completedAt") WHERE "status" IN ('COMPLETED', 'FAILED');

-- From prisma/schema/core.sql: a tenant's run retention stays within a day and ten years.
ALTER TABLE "User" ADD CONSTRAINT "User_executionLogRetentionDays_check" CHECK ("executionLogRetentionDays" BETWEEN 1 AND 3650);
