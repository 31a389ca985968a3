-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "provider" TEXT,
ADD COLUMN     "providerMessageId" TEXT;

-- CreateIndex
CREATE INDEX "Message_provider_providerMessageId_idx" ON "Message"("provider", "providerMessageId");

-- Messages sent before: their provider is the one whose id they carry.
UPDATE "Message" SET "provider" = CASE
    WHEN "twilioSid" IS NOT NULL THEN 'twilio'
    WHEN "sendgridId" IS NOT NULL THEN 'sendgrid'
    ELSE 'meta'
  END
WHERE "direction" = 'OUTBOUND' AND ("twilioSid" IS NOT NULL OR "sendgridId" IS NOT NULL OR "metaMid" IS NOT NULL);
