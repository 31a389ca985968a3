-- Owner: the calendar plugin (calendar.prisma). What Prisma cannot describe, so its
-- migrations never write it: every statement here is copied into the migration that
-- introduced it, and prisma/src/drift.test.ts checks both that it is there and that the
-- database the schema describes plus this file is the database the migrations build.

-- An appointment ends after it starts, and its blocked time covers it.
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_times_check"
  CHECK ("startTime" < "endTime" AND "blockStart" <= "startTime" AND "blockEnd" >= "endTime");

-- No double booking: two active appointments of one calendar never overlap in their
-- blocked time (half-open, so back to back is allowed). tsrange, not tstzrange: the
-- columns are timestamp(3) without time zone (UTC), and casting them to timestamptz
-- depends on the TimeZone setting, which an index expression may not.
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_no_overlap"
  EXCLUDE USING gist ("calendarId" WITH =, tsrange("blockStart", "blockEnd", '[)') WITH &&)
  WHERE (status IN ('SCHEDULED', 'CONFIRMED') AND "calendarId" IS NOT NULL);
