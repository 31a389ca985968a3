-- AlterEnum
ALTER TYPE "WaitKind" ADD VALUE 'TIME';

-- AlterTable
ALTER TABLE "WorkflowWait" ADD COLUMN     "dueAt" TIMESTAMP(3),
ADD COLUMN     "subject" TEXT,
ADD COLUMN     "subjectId" TEXT,
ALTER COLUMN "eventType" DROP NOT NULL,
ALTER COLUMN "contactId" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "WorkflowWait_userId_subject_subjectId_idx" ON "WorkflowWait"("userId", "subject", "subjectId");
