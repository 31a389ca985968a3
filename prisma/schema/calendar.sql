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

-- The slots' version (plugins/calendar/src/slots/cache.ts): a transaction that changes what a
-- calendar's free slots are made of (its appointments, the busy time that blocks it, its
-- hours, overrides, types, zone) bumps Calendar."slotsVersion" as it commits, so a process
-- that kept the slot engine's input knows with one small read whether it is still current.
-- At commit (deferred constraint triggers), not at the write: a booking holds the calendar's
-- row only while it commits, so bookings of one calendar do not queue behind each other. Once
-- per calendar per transaction (a sync writes hundreds of busy blocks): the calendars already
-- bumped are noted in a setting that ends with the transaction.
CREATE FUNCTION calendar_slots_bump(calendar_id text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  bumped text := coalesce(current_setting('soshogle.slots_bumped', true), '');
BEGIN
  IF calendar_id IS NULL OR position(' ' || calendar_id || ' ' IN bumped) > 0 THEN
    RETURN;
  END IF;
  PERFORM set_config('soshogle.slots_bumped', coalesce(nullif(bumped, ''), ' ') || calendar_id || ' ', true);
  UPDATE "Calendar" SET "slotsVersion" = ("slotsVersion" + 1) % 2147483647 WHERE id = calendar_id;
END $$;

-- A row naming its calendar in the column TG_ARGV[0]: the calendar it names before and after.
CREATE FUNCTION calendar_slots_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM calendar_slots_bump(to_jsonb(OLD) ->> TG_ARGV[0]);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM calendar_slots_bump(to_jsonb(NEW) ->> TG_ARGV[0]);
  END IF;
  RETURN NULL;
END $$;

-- A busy block: the calendar its external calendar blocks.
CREATE FUNCTION calendar_slots_busy_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM calendar_slots_bump(x."blocksCalendarId") FROM "ExternalCalendar" x
  WHERE x.id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD."externalCalendarId" END, CASE WHEN TG_OP <> 'DELETE' THEN NEW."externalCalendarId" END);
  RETURN NULL;
END $$;

-- Only the columns the slot loader reads: reminders and notes written on an appointment, or a
-- sync token on an external calendar, leave the slots as they were.
CREATE CONSTRAINT TRIGGER "Appointment_slots" AFTER INSERT OR DELETE OR UPDATE OF "calendarId", status, "blockStart", "blockEnd", "startTime", "appointmentTypeId" ON "Appointment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_slots_row_changed('calendarId');
CREATE CONSTRAINT TRIGGER "AppointmentType_slots" AFTER INSERT OR UPDATE OR DELETE ON "AppointmentType"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_slots_row_changed('calendarId');
CREATE CONSTRAINT TRIGGER "AvailabilityRule_slots" AFTER INSERT OR UPDATE OR DELETE ON "AvailabilityRule"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_slots_row_changed('calendarId');
CREATE CONSTRAINT TRIGGER "AvailabilityOverride_slots" AFTER INSERT OR UPDATE OR DELETE ON "AvailabilityOverride"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_slots_row_changed('calendarId');
CREATE CONSTRAINT TRIGGER "ExternalCalendar_slots" AFTER INSERT OR DELETE OR UPDATE OF "blocksCalendarId", "allDayBlocks" ON "ExternalCalendar"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_slots_row_changed('blocksCalendarId');
CREATE CONSTRAINT TRIGGER "ExternalBusyBlock_slots" AFTER INSERT OR UPDATE OR DELETE ON "ExternalBusyBlock"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_slots_busy_changed();

-- The calendar's own zone and archiving: bumped in the same update (the row is locked by it anyway).
CREATE FUNCTION calendar_slots_calendar_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."slotsVersion" = OLD."slotsVersion" AND (NEW."timeZone", NEW."archivedAt") IS DISTINCT FROM (OLD."timeZone", OLD."archivedAt") THEN
    NEW."slotsVersion" := (OLD."slotsVersion" + 1) % 2147483647;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Calendar_slots" BEFORE UPDATE OF "timeZone", "archivedAt" ON "Calendar"
  FOR EACH ROW EXECUTE FUNCTION calendar_slots_calendar_changed();
