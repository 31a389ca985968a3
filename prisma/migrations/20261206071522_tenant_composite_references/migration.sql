-- DropForeignKey
ALTER TABLE "Appointment" DROP CONSTRAINT "Appointment_contactId_fkey";

-- DropForeignKey
ALTER TABLE "CampaignRecipient" DROP CONSTRAINT "CampaignRecipient_campaignId_fkey";

-- DropForeignKey
ALTER TABLE "DealContact" DROP CONSTRAINT "DealContact_dealId_fkey";

-- DropForeignKey
ALTER TABLE "DealContact" DROP CONSTRAINT "DealContact_contactId_fkey";

-- DropForeignKey
ALTER TABLE "Note" DROP CONSTRAINT "Note_contactId_fkey";

-- DropForeignKey
ALTER TABLE "Note" DROP CONSTRAINT "Note_dealId_fkey";

-- DropForeignKey
ALTER TABLE "Note" DROP CONSTRAINT "Note_leadId_fkey";

-- DropForeignKey
ALTER TABLE "ContactMerge" DROP CONSTRAINT "ContactMerge_keptContactId_fkey";

-- DropForeignKey
ALTER TABLE "CrmJobError" DROP CONSTRAINT "CrmJobError_jobId_fkey";

-- DropForeignKey
ALTER TABLE "Message" DROP CONSTRAINT "Message_contactId_fkey";

-- DropForeignKey
ALTER TABLE "Message" DROP CONSTRAINT "Message_conversationId_fkey";

-- DropForeignKey
ALTER TABLE "Conversation" DROP CONSTRAINT "Conversation_contactId_fkey";

-- DropForeignKey
ALTER TABLE "MessageEvent" DROP CONSTRAINT "MessageEvent_messageId_fkey";

-- DropForeignKey
ALTER TABLE "ConsentChange" DROP CONSTRAINT "ConsentChange_contactId_fkey";

-- DropForeignKey
ALTER TABLE "Call" DROP CONSTRAINT "Call_voiceAgentId_fkey";

-- DropForeignKey
ALTER TABLE "WorkflowVersion" DROP CONSTRAINT "WorkflowVersion_workflowId_fkey";

-- DropForeignKey
ALTER TABLE "WorkflowExecution" DROP CONSTRAINT "WorkflowExecution_workflowId_fkey";

-- DropForeignKey
ALTER TABLE "WorkflowExecution" DROP CONSTRAINT "WorkflowExecution_versionId_fkey";

-- DropForeignKey
ALTER TABLE "WorkflowStepRun" DROP CONSTRAINT "WorkflowStepRun_executionId_fkey";

-- DropForeignKey
ALTER TABLE "WorkflowWait" DROP CONSTRAINT "WorkflowWait_executionId_fkey";

-- AlterTable (hand-edited: existing links take their deal's tenant before the column becomes NOT NULL)
ALTER TABLE "DealContact" ADD COLUMN     "userId" TEXT;
UPDATE "DealContact" dc SET "userId" = d."userId" FROM "Deal" d WHERE d."id" = dc."dealId";
ALTER TABLE "DealContact" ALTER COLUMN "userId" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_id_userId_key" ON "Campaign"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_id_userId_key" ON "Contact"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Lead_id_userId_key" ON "Lead"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Deal_id_userId_key" ON "Deal"("id", "userId");

-- CreateIndex
CREATE INDEX "DealContact_userId_idx" ON "DealContact"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "CrmJob_id_userId_key" ON "CrmJob"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Message_id_userId_key" ON "Message"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_id_userId_key" ON "Conversation"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "VoiceAgent_id_userId_key" ON "VoiceAgent"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Workflow_id_userId_key" ON "Workflow"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowVersion_id_userId_key" ON "WorkflowVersion"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowExecution_id_userId_key" ON "WorkflowExecution"("id", "userId");

-- AddForeignKey
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_contactId_userId_fkey" FOREIGN KEY ("contactId", "userId") REFERENCES "Contact"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignRecipient" ADD CONSTRAINT "CampaignRecipient_campaignId_userId_fkey" FOREIGN KEY ("campaignId", "userId") REFERENCES "Campaign"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealContact" ADD CONSTRAINT "DealContact_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealContact" ADD CONSTRAINT "DealContact_dealId_userId_fkey" FOREIGN KEY ("dealId", "userId") REFERENCES "Deal"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealContact" ADD CONSTRAINT "DealContact_contactId_userId_fkey" FOREIGN KEY ("contactId", "userId") REFERENCES "Contact"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_contactId_userId_fkey" FOREIGN KEY ("contactId", "userId") REFERENCES "Contact"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_dealId_userId_fkey" FOREIGN KEY ("dealId", "userId") REFERENCES "Deal"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_leadId_userId_fkey" FOREIGN KEY ("leadId", "userId") REFERENCES "Lead"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactMerge" ADD CONSTRAINT "ContactMerge_keptContactId_userId_fkey" FOREIGN KEY ("keptContactId", "userId") REFERENCES "Contact"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CrmJobError" ADD CONSTRAINT "CrmJobError_jobId_userId_fkey" FOREIGN KEY ("jobId", "userId") REFERENCES "CrmJob"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_contactId_userId_fkey" FOREIGN KEY ("contactId", "userId") REFERENCES "Contact"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_conversationId_userId_fkey" FOREIGN KEY ("conversationId", "userId") REFERENCES "Conversation"("id", "userId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_contactId_userId_fkey" FOREIGN KEY ("contactId", "userId") REFERENCES "Contact"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageEvent" ADD CONSTRAINT "MessageEvent_messageId_userId_fkey" FOREIGN KEY ("messageId", "userId") REFERENCES "Message"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentChange" ADD CONSTRAINT "ConsentChange_contactId_userId_fkey" FOREIGN KEY ("contactId", "userId") REFERENCES "Contact"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Call" ADD CONSTRAINT "Call_voiceAgentId_userId_fkey" FOREIGN KEY ("voiceAgentId", "userId") REFERENCES "VoiceAgent"("id", "userId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowVersion" ADD CONSTRAINT "WorkflowVersion_workflowId_userId_fkey" FOREIGN KEY ("workflowId", "userId") REFERENCES "Workflow"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowExecution" ADD CONSTRAINT "WorkflowExecution_workflowId_userId_fkey" FOREIGN KEY ("workflowId", "userId") REFERENCES "Workflow"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowExecution" ADD CONSTRAINT "WorkflowExecution_versionId_userId_fkey" FOREIGN KEY ("versionId", "userId") REFERENCES "WorkflowVersion"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowStepRun" ADD CONSTRAINT "WorkflowStepRun_executionId_userId_fkey" FOREIGN KEY ("executionId", "userId") REFERENCES "WorkflowExecution"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowWait" ADD CONSTRAINT "WorkflowWait_executionId_userId_fkey" FOREIGN KEY ("executionId", "userId") REFERENCES "WorkflowExecution"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;
