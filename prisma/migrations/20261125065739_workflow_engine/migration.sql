-- CreateEnum
CREATE TYPE "StepRunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED', 'WAITING', 'NEEDS_REVIEW');

-- CreateEnum
CREATE TYPE "WaitKind" AS ENUM ('EVENT', 'GOAL');

-- AlterEnum
ALTER TYPE "WorkflowTrigger" ADD VALUE 'CUSTOM';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ExecutionStatus" ADD VALUE 'WAITING' BEFORE 'COMPLETED';
ALTER TYPE "ExecutionStatus" ADD VALUE 'NEEDS_REVIEW';

-- DropIndex
DROP INDEX "WorkflowExecution_userId_idx";

-- AlterTable
ALTER TABLE "Workflow" ADD COLUMN     "allowReentry" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "publishedVersion" INTEGER,
ADD COLUMN     "triggerFilter" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "triggerKey" TEXT;

-- Workflows saved before trigger keys existed start on their spec trigger's core event
UPDATE "Workflow" SET "triggerKey" = 'core.' || lower("trigger"::text);
ALTER TABLE "Workflow" ALTER COLUMN "triggerKey" SET NOT NULL;

-- AlterTable
ALTER TABLE "WorkflowExecution" ADD COLUMN     "contactId" TEXT,
ADD COLUMN     "dedupeKey" TEXT NOT NULL,
ADD COLUMN     "depth" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "eventId" TEXT NOT NULL,
ADD COLUMN     "position" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "versionId" TEXT NOT NULL;

-- CreateTable
CREATE TABLE "WorkflowVersion" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "triggerKey" TEXT NOT NULL,
    "triggerFilter" JSONB NOT NULL,
    "conditions" JSONB,
    "actions" JSONB NOT NULL,
    "allowReentry" BOOLEAN NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkflowVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkflowStepRun" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "actionKey" TEXT,
    "status" "StepRunStatus" NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "input" JSONB,
    "output" JSONB,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "WorkflowStepRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkflowWait" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "kind" "WaitKind" NOT NULL,
    "eventType" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "filter" JSONB NOT NULL DEFAULT '{}',
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkflowWait_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT,
    "link" TEXT,
    "source" TEXT,
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookSecret" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookSecret_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkerHeartbeat" (
    "workerId" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkerHeartbeat_pkey" PRIMARY KEY ("workerId")
);

-- CreateIndex
CREATE INDEX "WorkflowVersion_userId_idx" ON "WorkflowVersion"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowVersion_workflowId_version_key" ON "WorkflowVersion"("workflowId", "version");

-- CreateIndex
CREATE INDEX "WorkflowStepRun_userId_idx" ON "WorkflowStepRun"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowStepRun_executionId_stepId_key" ON "WorkflowStepRun"("executionId", "stepId");

-- CreateIndex
CREATE INDEX "WorkflowWait_userId_eventType_contactId_idx" ON "WorkflowWait"("userId", "eventType", "contactId");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowWait_executionId_stepId_key" ON "WorkflowWait"("executionId", "stepId");

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookSecret_userId_key" ON "WebhookSecret"("userId");

-- CreateIndex
CREATE INDEX "WorkerHeartbeat_lastSeenAt_idx" ON "WorkerHeartbeat"("lastSeenAt");

-- CreateIndex
CREATE INDEX "Workflow_userId_triggerKey_idx" ON "Workflow"("userId", "triggerKey");

-- CreateIndex
CREATE INDEX "WorkflowExecution_userId_startedAt_idx" ON "WorkflowExecution"("userId", "startedAt");

-- CreateIndex
CREATE INDEX "WorkflowExecution_contactId_idx" ON "WorkflowExecution"("contactId");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowExecution_workflowId_dedupeKey_key" ON "WorkflowExecution"("workflowId", "dedupeKey");

-- AddForeignKey
ALTER TABLE "WorkflowVersion" ADD CONSTRAINT "WorkflowVersion_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowVersion" ADD CONSTRAINT "WorkflowVersion_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowExecution" ADD CONSTRAINT "WorkflowExecution_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "WorkflowVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowStepRun" ADD CONSTRAINT "WorkflowStepRun_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowStepRun" ADD CONSTRAINT "WorkflowStepRun_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "WorkflowExecution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowWait" ADD CONSTRAINT "WorkflowWait_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowWait" ADD CONSTRAINT "WorkflowWait_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "WorkflowExecution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookSecret" ADD CONSTRAINT "WebhookSecret_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
