-- AlterTable
ALTER TABLE "Call" ADD COLUMN     "dialAt" TIMESTAMP(3);
