-- CreateEnum
CREATE TYPE "AgentPushStatus" AS ENUM ('PENDING', 'SYNCED', 'FAILED', 'REVIEW');

-- AlterEnum
ALTER TYPE "CallStatus" ADD VALUE 'VOICEMAIL';

-- DropIndex
DROP INDEX "VoiceAgent_twilioPhoneNumber_key";

-- DropIndex
DROP INDEX "Call_callSid_key";

-- DropIndex
DROP INDEX "Call_userId_idx";

-- AlterTable
ALTER TABLE "VoiceAgent" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "pushCalled" TIMESTAMP(3),
ADD COLUMN     "pushError" TEXT,
ADD COLUMN     "pushStatus" "AgentPushStatus" NOT NULL DEFAULT 'PENDING',
ADD COLUMN     "pushedVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sandbox" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "voiceId" TEXT;

-- AlterTable
ALTER TABLE "Call" ADD COLUMN     "collectedData" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "contactId" TEXT,
ADD COLUMN     "conversationId" TEXT,
ADD COLUMN     "error" TEXT,
ADD COLUMN     "idempotencyKey" TEXT,
ADD COLUMN     "needsReview" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "outcome" TEXT,
ADD COLUMN     "providerCalled" TIMESTAMP(3),
ADD COLUMN     "rawStatus" TEXT,
ADD COLUMN     "sandbox" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "summary" TEXT,
ADD COLUMN     "transcript" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "VoiceAgent_userId_twilioPhoneNumber_key" ON "VoiceAgent"("userId", "twilioPhoneNumber");

-- CreateIndex
CREATE INDEX "Call_conversationId_idx" ON "Call"("conversationId");

-- CreateIndex
CREATE INDEX "Call_userId_createdAt_idx" ON "Call"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Call_userId_contactId_createdAt_idx" ON "Call"("userId", "contactId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Call_id_userId_key" ON "Call"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Call_userId_callSid_key" ON "Call"("userId", "callSid");

-- CreateIndex
CREATE UNIQUE INDEX "Call_userId_conversationId_key" ON "Call"("userId", "conversationId");

-- CreateIndex
CREATE UNIQUE INDEX "Call_userId_idempotencyKey_key" ON "Call"("userId", "idempotencyKey");

-- Hand-written (prisma/schema/voice.sql)
-- Call logs outlive the contact: deleting a contact clears only the contact column
-- (PostgreSQL 15+ SET NULL with a column list keeps userId).
ALTER TABLE "Call" ADD CONSTRAINT "Call_contactId_fkey"
  FOREIGN KEY ("contactId", "userId") REFERENCES "Contact"("id", "userId")
  ON DELETE SET NULL ("contactId") ON UPDATE CASCADE;
