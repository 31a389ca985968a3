-- AlterTable
ALTER TABLE "SendThrottle" ADD COLUMN     "heldUntil" TIMESTAMP(3);
