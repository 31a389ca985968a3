-- CreateEnum
CREATE TYPE "FormStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "FormSubmissionStatus" AS ENUM ('RECEIVED', 'PROCESSED', 'SPAM', 'FAILED');

-- AlterTable
ALTER TABLE "ConsentChange" ADD COLUMN     "evidence" JSONB,
ADD COLUMN     "wording" TEXT;

-- CreateTable
CREATE TABLE "Form" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "FormStatus" NOT NULL DEFAULT 'DRAFT',
    "draft" JSONB NOT NULL,
    "publishedVersionId" TEXT,
    "updateExistingContacts" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Form_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FormVersion" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "formId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FormVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FormSubmission" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "formId" TEXT NOT NULL,
    "formVersionId" TEXT NOT NULL,
    "status" "FormSubmissionStatus" NOT NULL DEFAULT 'RECEIVED',
    "contactId" TEXT,
    "answers" JSONB NOT NULL,
    "consent" BOOLEAN NOT NULL DEFAULT false,
    "sourceUrl" TEXT,
    "utm" JSONB NOT NULL DEFAULT '{}',
    "ipPrefix" TEXT,
    "userAgent" TEXT,
    "spamReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "FormSubmission_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Form_userId_updatedAt_id_idx" ON "Form"("userId", "updatedAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Form_id_userId_key" ON "Form"("id", "userId");

-- CreateIndex
CREATE INDEX "FormVersion_userId_idx" ON "FormVersion"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "FormVersion_id_userId_key" ON "FormVersion"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "FormVersion_formId_version_key" ON "FormVersion"("formId", "version");

-- CreateIndex
CREATE INDEX "FormSubmission_userId_formId_createdAt_idx" ON "FormSubmission"("userId", "formId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "FormSubmission_formId_status_createdAt_idx" ON "FormSubmission"("formId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "FormSubmission_contactId_idx" ON "FormSubmission"("contactId");

-- AddForeignKey
ALTER TABLE "Form" ADD CONSTRAINT "Form_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FormVersion" ADD CONSTRAINT "FormVersion_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FormVersion" ADD CONSTRAINT "FormVersion_formId_userId_fkey" FOREIGN KEY ("formId", "userId") REFERENCES "Form"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FormSubmission" ADD CONSTRAINT "FormSubmission_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FormSubmission" ADD CONSTRAINT "FormSubmission_formId_userId_fkey" FOREIGN KEY ("formId", "userId") REFERENCES "Form"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FormSubmission" ADD CONSTRAINT "FormSubmission_formVersionId_userId_fkey" FOREIGN KEY ("formVersionId", "userId") REFERENCES "FormVersion"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (prisma/schema/forms.sql)
ALTER TABLE "FormSubmission" ADD CONSTRAINT "FormSubmission_contactId_fkey"
  FOREIGN KEY ("contactId", "userId") REFERENCES "Contact"("id", "userId")
  ON DELETE CASCADE ON UPDATE CASCADE;
