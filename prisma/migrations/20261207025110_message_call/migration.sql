-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "call" JSONB;
