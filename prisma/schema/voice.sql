-- Owner: the voice plugin (voice.prisma). What Prisma cannot describe, so its migrations
-- never write it: every statement here is copied into the migration that introduced it,
-- and prisma/src/drift.test.ts checks both.

-- Call logs outlive the contact: deleting a contact clears only the contact column
-- (PostgreSQL 15+ SET NULL with a column list keeps userId).
ALTER TABLE "Call" ADD CONSTRAINT "Call_contactId_fkey"
  FOREIGN KEY ("contactId", "userId") REFERENCES "Contact"("id", "userId")
  ON DELETE SET NULL ("contactId") ON UPDATE CASCADE;
