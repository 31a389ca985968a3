-- Owner: the forms plugin (forms.prisma). What Prisma cannot describe, so its
-- migrations never write it: every statement here is copied into the migration that
-- introduced it, and prisma/src/drift.test.ts checks both that it is there and that the
-- database the schema describes plus this file is the database the migrations build.

-- A submission belongs to its contact's tenant, and goes with the contact: the answers are
-- the person's data (a merge moves them first: plugins/forms/src/contacts.ts).
ALTER TABLE "FormSubmission" ADD CONSTRAINT "FormSubmission_contactId_fkey"
  FOREIGN KEY ("contactId", "userId") REFERENCES "Contact"("id", "userId")
  ON DELETE CASCADE ON UPDATE CASCADE;
