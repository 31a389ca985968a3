-- CreateIndex
CREATE INDEX "Message_contactId_createdAt_id_idx" ON "Message"("contactId", "createdAt", "id");
