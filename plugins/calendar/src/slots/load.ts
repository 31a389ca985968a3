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

/**
 * The stretch of time read for `range`: widened by the margin, then out to whole UTC days, so
 * that the reads of one day's ranges are the same read (slots/cache.ts keeps one per stretch).
 */
export function readStretch(range: SlotRange): { lower: number; upper: number } {
  return { lower: Math.floor((+range.from - margin) / dayMs) * dayMs, upper: Math.ceil((+range.to + margin) / dayMs) * dayMs };
}
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
  version: string;
}

/** What a load found: the engine's input, its calendar, and the calendar's slotsVersion it was read at. */
export interface LoadedSlotInput {
  calendarId: string;
  input: SlotInput;
  version: string;
}

/**
 * The engine's input for `typeId` on `calendarId` over `range`; 404 for another tenant's or a
 * missing calendar or type. `blocked` is the taken time already merged (appointments and busy
 * blocks together), `busy` is empty: the engine merges the two lists anyway.
 */
export async function loadSlotInput(db: TenantTx, tenantId: string, calendarId: string, typeId: string, range: SlotRange, options: LoadOptions = {}): Promise<SlotInput> {
  const found = await loadTypeSlotInput(db, tenantId, calendarId, typeId, range, options);
  if (!found) throw notFound('Appointment type');
  return found.input;
}

/** The same, null when the calendar or type is not there, with the version it was read at. */
export function loadTypeSlotInput(db: TenantTx, tenantId: string, calendarId: string, typeId: string, range: SlotRange, options: LoadOptions = {}): Promise<LoadedSlotInput | null> {
  return load(db, tenantId, { calendar: Prisma.sql`${calendarId}`, type: Prisma.sql`ty.id = ${typeId}` }, range, options);
}

/** One statement: `target.calendar` is the calendar's id, `target.type` picks its type `ty`. */
async function load(db: TenantTx, tenantId: string, target: { calendar: Prisma.Sql; type: Prisma.Sql }, range: SlotRange, options: LoadOptions): Promise<LoadedSlotInput | null> {
  const from = +range.from;
  const to = +range.to;
  const stretch = readStretch(range);
  // As text cast to timestamp: the UTC wall clock, whatever the session's TimeZone.
  const lower = Prisma.sql`${new Date(stretch.lower).toISOString()}::timestamp`;
  const upper = Prisma.sql`${new Date(stretch.upper).toISOString()}::timestamp`;
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
      ty."maxAdvanceDays", ty."dailyLimit", c."timeZone" as zone, c."archivedAt" is null as open, c."slotsVersion"::text as version,
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
    version: row.version,
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
