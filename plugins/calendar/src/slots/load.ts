// The slot engine's input for one calendar and appointment type, read from the database
// (design §2.1): the calendar and type, its hours and overrides, this type's bookings per local
// date, and the time that is taken. Everyone asking for slots (the admin API, the booking page,
// the 409 answer, the workflow action, the booking check) reads it here, so they all see the same
// slots.
//
// One statement, and the database does the merging: a busy month is about 1,600 appointments and
// busy blocks, but only a few dozen stretches of taken time, so PostgreSQL unions them
// (range_agg over tsrange, half-open like the exclusion constraint: touching ranges join) and
// counts the bookings per local date, and the row that comes back is small.
import { notFound, tenantSql, type TenantTx } from '@soshogle/core';
import { Prisma } from '@soshogle/db';
import { freeSlots, type SlotInput } from './engine.ts';
import type { Interval } from './intervals.ts';

/** What blocks a calendar: appointments in these statuses (the exclusion constraint's). */
export const activeStatuses = ['SCHEDULED', 'CONFIRMED'] as const;

const minuteMs = 60_000;
const dayMs = 86_400_000;
// Other types' buffers are already in their appointments' blockStart/blockEnd; widening the
// read by the longest buffer a type may have (240 min) and a day keeps every appointment or
// busy block that can touch a slot of the range, and daily counts of its dates.
const margin = dayMs + 240 * minuteMs;
// Written out as literals (constants, not input) so the planner matches the exclusion
// constraint's partial index (status IN ('SCHEDULED', 'CONFIRMED')) and reads only this range.
const active = Prisma.raw(activeStatuses.map((s) => `'${s}'`).join(', '));

export interface SlotRange {
  from: Date | number;
  to: Date | number;
}

export interface LoadOptions {
  /** The appointment being rescheduled: its own time is free for it. */
  excludeAppointmentId?: string;
  /** Default: the clock. */
  now?: Date | number;
  /** The admin screen offers slots inside the minimum notice. */
  ignoreNotice?: boolean;
}

interface Row {
  typeId: string;
  calendarId: string;
  durationMin: number;
  slotIntervalMin: number | null;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  minNoticeMin: number;
  maxAdvanceDays: number;
  dailyLimit: number | null;
  zone: string;
  open: boolean;
  rules: [weekday: number, startMinute: number, endMinute: number][];
  overrides: [date: string, startMinute: number | null, endMinute: number | null][];
  dayCounts: Record<string, number>;
  taken: [start: number, end: number][];
}

/**
 * The engine's input for `typeId` on `calendarId` over `range`; 404 for another tenant's or a
 * missing calendar or type. `blocked` is the taken time already merged (appointments and busy
 * blocks together), `busy` is empty: the engine merges the two lists anyway.
 */
export async function loadSlotInput(db: TenantTx, tenantId: string, calendarId: string, typeId: string, range: SlotRange, options: LoadOptions = {}): Promise<SlotInput> {
  const found = await load(db, tenantId, { calendar: Prisma.sql`${calendarId}`, type: Prisma.sql`ty.id = ${typeId}` }, range, options);
  if (!found) throw notFound('Appointment type');
  return found.input;
}

/**
 * The same for the type `typeSlug` an open booking page `slug` offers (public and active), found
 * in the same statement: a page's slot read is then this statement, not a lookup and this one.
 * Null when the page or the type is not there.
 */
export async function loadPageSlotInput(db: TenantTx, tenantId: string, page: { slug: string; typeSlug: string }, range: SlotRange, options: LoadOptions = {}): Promise<{ calendarId: string; input: SlotInput } | null> {
  const t = tenantSql(tenantId);
  // A scalar subquery on the unique slug: PostgreSQL runs it once, before the range scans it feeds.
  const calendar = Prisma.sql`(select p.id from "Calendar" p where ${t.owns('p')} and p."publicSlug" = ${page.slug} and p."bookingEnabled" and p."archivedAt" is null)`;
  return load(db, tenantId, { calendar, type: Prisma.sql`ty.slug = ${page.typeSlug} and ty."isPublic" and ty.active` }, range, options);
}

/** One statement for both: `target.calendar` is the calendar's id (a value or a subquery), `target.type` picks its type `ty`. */
async function load(db: TenantTx, tenantId: string, target: { calendar: Prisma.Sql; type: Prisma.Sql }, range: SlotRange, options: LoadOptions): Promise<{ calendarId: string; input: SlotInput } | null> {
  const from = +range.from;
  const to = +range.to;
  // As text cast to timestamp: the UTC wall clock, whatever the session's TimeZone.
  const lower = Prisma.sql`${new Date(from - margin).toISOString()}::timestamp`;
  const upper = Prisma.sql`${new Date(to + margin).toISOString()}::timestamp`;
  const t = tenantSql(tenantId);
  const calendarId = target.calendar;
  const notThis = options.excludeAppointmentId ? Prisma.sql`and a.id <> ${options.excludeAppointmentId}` : Prisma.empty;
  // timestamp(3) columns hold UTC: "at time zone 'UTC'" reads them as such, then as the calendar's wall clock.
  const localDate = (instant: Prisma.Sql) => Prisma.sql`to_char((${instant} at time zone 'UTC') at time zone c."timeZone", 'YYYY-MM-DD')`;
  const ms = (instant: Prisma.Sql) => Prisma.sql`(extract(epoch from ${instant}) * 1000)::bigint`;
  const [row] = await db.$queryRaw<Row[]>(t`
    with booked as (
      select a."blockStart", a."blockEnd", a."startTime", a."appointmentTypeId" from "Appointment" a
      where ${t.owns('a')} and a."calendarId" = ${calendarId} and a.status in (${active})
        and tsrange(a."blockStart", a."blockEnd", '[)') && tsrange(${lower}, ${upper}, '[)') ${notThis}
    ), busy as (
      -- Our own appointments written out come back as busy blocks: they are counted once, as appointments.
      select b.start, b."end" from "ExternalBusyBlock" b
      join "ExternalCalendar" x on x.id = b."externalCalendarId" and ${t.owns('x')}
      where ${t.owns('b')} and x."blocksCalendarId" = ${calendarId} and b."appointmentId" is null
        and b.start < ${upper} and b."end" > ${lower} and (not b."allDay" or x."allDayBlocks")
    ), taken as (
      select unnest(range_agg(tsrange(s, e, '[)'))) as r from (
        select "blockStart" as s, "blockEnd" as e from booked union all select start, "end" from busy
      ) u where s < e
    )
    select ty.id as "typeId", c.id as "calendarId", ty."durationMin", ty."slotIntervalMin", ty."bufferBeforeMin", ty."bufferAfterMin", ty."minNoticeMin",
      ty."maxAdvanceDays", ty."dailyLimit", c."timeZone" as zone, c."archivedAt" is null as open,
      (select coalesce(json_agg(json_build_array(r.weekday, r."startMinute", r."endMinute")), '[]')
        from "AvailabilityRule" r where ${t.owns('r')} and r."calendarId" = c.id) as rules,
      (select coalesce(json_agg(json_build_array(to_char(o.date, 'YYYY-MM-DD'), o."startMinute", o."endMinute")), '[]')
        from "AvailabilityOverride" o where ${t.owns('o')} and o."calendarId" = c.id
          and o.date between ${localDate(lower)}::date and ${localDate(upper)}::date) as overrides,
      -- Only a daily limit needs them (a month is a thousand local dates to work out otherwise).
      case when ty."dailyLimit" is null then '{}' else (select coalesce(json_object_agg(d.date, d.n), '{}') from (
        select ${localDate(Prisma.sql`k."startTime"`)} as date, count(*) as n from booked k where k."appointmentTypeId" = ty.id group by 1
      ) d) end as "dayCounts",
      (select coalesce(json_agg(json_build_array(${ms(Prisma.sql`lower(k.r)`)}, ${ms(Prisma.sql`upper(k.r)`)}) order by lower(k.r)), '[]') from taken k) as taken
    from "AppointmentType" ty
    join "Calendar" c on c.id = ty."calendarId" and ${t.owns('c')}
    where ${t.owns('ty')} and ty."calendarId" = ${calendarId} and ${target.type}`);
  if (!row) return null;

  return {
    calendarId: row.calendarId,
    input: {
      zone: row.zone,
      type: {
        id: row.typeId,
        durationMin: row.durationMin,
        slotIntervalMin: row.slotIntervalMin,
        bufferBeforeMin: row.bufferBeforeMin,
        bufferAfterMin: row.bufferAfterMin,
        minNoticeMin: row.minNoticeMin,
        maxAdvanceDays: row.maxAdvanceDays,
        dailyLimit: row.dailyLimit,
      },
      // An archived calendar takes no bookings: it has no hours.
      rules: row.open ? row.rules.map(([weekday, startMinute, endMinute]) => ({ weekday, startMinute, endMinute })) : [],
      overrides: row.open ? row.overrides.map(([date, startMinute, endMinute]) => ({ date, startMinute, endMinute })) : [],
      blocked: row.taken.map(([start, end]): Interval => ({ start, end })),
      busy: [],
      dayCounts: new Map(Object.entries(row.dayCounts)),
      from,
      to,
      now: +(options.now ?? Date.now()),
      ignoreNotice: options.ignoreNotice ?? false,
    },
  };
}

/** The free slots of `typeId` on `calendarId` in `range`, as the engine computes them from the database. */
export async function loadFreeSlots(db: TenantTx, tenantId: string, calendarId: string, typeId: string, range: SlotRange, options: LoadOptions = {}): Promise<Interval[]> {
  return freeSlots(await loadSlotInput(db, tenantId, calendarId, typeId, range, options));
}
