-- CreateTable
CREATE TABLE "WorkflowStart" (
    "id" BIGSERIAL NOT NULL,
    "workflowId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "event" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "dueAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "error" TEXT,

    CONSTRAINT "WorkflowStart_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WorkflowStart_workflowId_id_idx" ON "WorkflowStart"("workflowId", "id");

-- AddForeignKey
ALTER TABLE "WorkflowStart" ADD CONSTRAINT "WorkflowStart_workflowId_userId_fkey" FOREIGN KEY ("workflowId", "userId") REFERENCES "Workflow"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;
