-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "btree_gist";

-- CreateEnum
CREATE TYPE "CalendarKind" AS ENUM ('PERSON', 'RESOURCE');

-- CreateEnum
CREATE TYPE "ConnectionStatus" AS ENUM ('PENDING', 'ACTIVE', 'BROKEN', 'SANDBOX');

-- AlterTable
ALTER TABLE "Appointment" ADD COLUMN     "answers" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "appointmentTypeId" TEXT,
ADD COLUMN     "blockEnd" TIMESTAMP(3),
ADD COLUMN     "blockStart" TIMESTAMP(3),
ADD COLUMN     "calendarId" TEXT,
ADD COLUMN     "cancelReason" TEXT,
ADD COLUMN     "cancelledAt" TIMESTAMP(3),
ADD COLUMN     "consent" JSONB,
ADD COLUMN     "externalCalendarId" TEXT,
ADD COLUMN     "externalEtag" TEXT,
ADD COLUMN     "key" TEXT,
ADD COLUMN     "manageTokenHash" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'ADMIN',
ADD COLUMN     "syncedVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- Backfill (hand-written): rows older than the calendar plugin have no buffers, so they
-- block exactly their own time. Then the columns become required, as the schema says.
UPDATE "Appointment" SET "blockStart" = "startTime", "blockEnd" = "endTime";
ALTER TABLE "Appointment" ALTER COLUMN "blockStart" SET NOT NULL,
ALTER COLUMN "blockEnd" SET NOT NULL;

-- AlterTable
ALTER TABLE "CalendarConnection" ADD COLUMN     "accountEmail" TEXT,
ADD COLUMN     "appPassword" TEXT,
ADD COLUMN     "brokenAt" TIMESTAMP(3),
ADD COLUMN     "brokenReason" TEXT,
ADD COLUMN     "oauthExpiresAt" TIMESTAMP(3),
ADD COLUMN     "oauthStateHash" TEXT,
ADD COLUMN     "pkceVerifier" TEXT,
ADD COLUMN     "scopes" TEXT,
ADD COLUMN     "serverUrl" TEXT,
ADD COLUMN     "status" "ConnectionStatus" NOT NULL DEFAULT 'PENDING';

-- CreateTable
CREATE TABLE "Calendar" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "CalendarKind" NOT NULL DEFAULT 'PERSON',
    "timeZone" TEXT NOT NULL,
    "color" TEXT,
    "publicSlug" TEXT NOT NULL,
    "bookingEnabled" BOOLEAN NOT NULL DEFAULT true,
    "pageTitle" TEXT,
    "pageIntro" TEXT,
    "consentText" TEXT,
    "writeTargetId" TEXT,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Calendar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppointmentType" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "calendarId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT,
    "durationMin" INTEGER NOT NULL,
    "slotIntervalMin" INTEGER,
    "bufferBeforeMin" INTEGER NOT NULL DEFAULT 0,
    "bufferAfterMin" INTEGER NOT NULL DEFAULT 0,
    "minNoticeMin" INTEGER NOT NULL DEFAULT 120,
    "maxAdvanceDays" INTEGER NOT NULL DEFAULT 60,
    "dailyLimit" INTEGER,
    "locationKind" TEXT NOT NULL DEFAULT 'IN_PERSON',
    "location" TEXT,
    "questions" JSONB NOT NULL DEFAULT '[]',
    "reminders" JSONB NOT NULL DEFAULT '[]',
    "isPublic" BOOLEAN NOT NULL DEFAULT true,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AppointmentType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AvailabilityRule" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "calendarId" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL,
    "startMinute" INTEGER NOT NULL,
    "endMinute" INTEGER NOT NULL,

    CONSTRAINT "AvailabilityRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AvailabilityOverride" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "calendarId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "startMinute" INTEGER,
    "endMinute" INTEGER,
    "note" TEXT,

    CONSTRAINT "AvailabilityOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppointmentReminder" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "appointmentId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "offsetMin" INTEGER NOT NULL,
    "forStart" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "reason" TEXT,
    "messageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AppointmentReminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExternalCalendar" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "remoteId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "remoteTimeZone" TEXT,
    "blocksCalendarId" TEXT,
    "allDayBlocks" BOOLEAN NOT NULL DEFAULT true,
    "syncToken" TEXT,
    "ctag" TEXT,
    "windowStart" TIMESTAMP(3),
    "windowEnd" TIMESTAMP(3),
    "lastFullSyncAt" TIMESTAMP(3),
    "lastSyncedAt" TIMESTAMP(3),
    "nextPollAt" TIMESTAMP(3),
    "pollGeneration" INTEGER NOT NULL DEFAULT 0,
    "syncError" TEXT,
    "channelId" TEXT,
    "channelResourceId" TEXT,
    "channelExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExternalCalendar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExternalBusyBlock" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "externalCalendarId" TEXT NOT NULL,
    "remoteEventId" TEXT NOT NULL,
    "start" TIMESTAMP(3) NOT NULL,
    "end" TIMESTAMP(3) NOT NULL,
    "allDay" BOOLEAN NOT NULL,
    "appointmentId" TEXT,

    CONSTRAINT "ExternalBusyBlock_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Calendar_publicSlug_key" ON "Calendar"("publicSlug");

-- CreateIndex
CREATE INDEX "Calendar_userId_createdAt_idx" ON "Calendar"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Calendar_id_userId_key" ON "Calendar"("id", "userId");

-- CreateIndex
CREATE INDEX "AppointmentType_userId_calendarId_position_idx" ON "AppointmentType"("userId", "calendarId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "AppointmentType_id_userId_key" ON "AppointmentType"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "AppointmentType_userId_calendarId_slug_key" ON "AppointmentType"("userId", "calendarId", "slug");

-- CreateIndex
CREATE INDEX "AvailabilityRule_userId_calendarId_weekday_idx" ON "AvailabilityRule"("userId", "calendarId", "weekday");

-- CreateIndex
CREATE INDEX "AvailabilityOverride_userId_calendarId_date_idx" ON "AvailabilityOverride"("userId", "calendarId", "date");

-- CreateIndex
CREATE INDEX "AppointmentReminder_userId_appointmentId_idx" ON "AppointmentReminder"("userId", "appointmentId");

-- CreateIndex
CREATE UNIQUE INDEX "AppointmentReminder_appointmentId_channel_offsetMin_forStar_key" ON "AppointmentReminder"("appointmentId", "channel", "offsetMin", "forStart");

-- CreateIndex
CREATE UNIQUE INDEX "ExternalCalendar_channelId_key" ON "ExternalCalendar"("channelId");

-- CreateIndex
CREATE INDEX "ExternalCalendar_userId_blocksCalendarId_idx" ON "ExternalCalendar"("userId", "blocksCalendarId");

-- CreateIndex
CREATE UNIQUE INDEX "ExternalCalendar_id_userId_key" ON "ExternalCalendar"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "ExternalCalendar_connectionId_remoteId_key" ON "ExternalCalendar"("connectionId", "remoteId");

-- CreateIndex
CREATE INDEX "ExternalBusyBlock_userId_externalCalendarId_start_idx" ON "ExternalBusyBlock"("userId", "externalCalendarId", "start");

-- CreateIndex
CREATE UNIQUE INDEX "ExternalBusyBlock_externalCalendarId_remoteEventId_key" ON "ExternalBusyBlock"("externalCalendarId", "remoteEventId");

-- CreateIndex
CREATE UNIQUE INDEX "Appointment_manageTokenHash_key" ON "Appointment"("manageTokenHash");

-- CreateIndex
CREATE INDEX "Appointment_userId_calendarId_startTime_idx" ON "Appointment"("userId", "calendarId", "startTime");

-- CreateIndex
CREATE INDEX "Appointment_userId_contactId_startTime_idx" ON "Appointment"("userId", "contactId", "startTime");

-- CreateIndex
CREATE UNIQUE INDEX "Appointment_id_userId_key" ON "Appointment"("id", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Appointment_userId_key_key" ON "Appointment"("userId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarConnection_oauthStateHash_key" ON "CalendarConnection"("oauthStateHash");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarConnection_id_userId_key" ON "CalendarConnection"("id", "userId");

-- AddForeignKey
ALTER TABLE "Calendar" ADD CONSTRAINT "Calendar_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppointmentType" ADD CONSTRAINT "AppointmentType_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppointmentType" ADD CONSTRAINT "AppointmentType_calendarId_userId_fkey" FOREIGN KEY ("calendarId", "userId") REFERENCES "Calendar"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AvailabilityRule" ADD CONSTRAINT "AvailabilityRule_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AvailabilityRule" ADD CONSTRAINT "AvailabilityRule_calendarId_userId_fkey" FOREIGN KEY ("calendarId", "userId") REFERENCES "Calendar"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AvailabilityOverride" ADD CONSTRAINT "AvailabilityOverride_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AvailabilityOverride" ADD CONSTRAINT "AvailabilityOverride_calendarId_userId_fkey" FOREIGN KEY ("calendarId", "userId") REFERENCES "Calendar"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_calendarId_userId_fkey" FOREIGN KEY ("calendarId", "userId") REFERENCES "Calendar"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppointmentReminder" ADD CONSTRAINT "AppointmentReminder_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppointmentReminder" ADD CONSTRAINT "AppointmentReminder_appointmentId_userId_fkey" FOREIGN KEY ("appointmentId", "userId") REFERENCES "Appointment"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExternalCalendar" ADD CONSTRAINT "ExternalCalendar_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExternalCalendar" ADD CONSTRAINT "ExternalCalendar_connectionId_userId_fkey" FOREIGN KEY ("connectionId", "userId") REFERENCES "CalendarConnection"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExternalBusyBlock" ADD CONSTRAINT "ExternalBusyBlock_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExternalBusyBlock" ADD CONSTRAINT "ExternalBusyBlock_externalCalendarId_userId_fkey" FOREIGN KEY ("externalCalendarId", "userId") REFERENCES "ExternalCalendar"("id", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (prisma/schema/calendar.sql): constraints Prisma cannot describe.
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
