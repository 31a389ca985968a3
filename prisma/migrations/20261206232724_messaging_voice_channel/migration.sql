-- AlterEnum
ALTER TYPE "MessageChannel" ADD VALUE 'VOICE';
