-- AlterTable
ALTER TABLE "VoiceAgent" ADD COLUMN     "toolSecret" TEXT;
