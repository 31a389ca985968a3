// The slot engine's input for one calendar and appointment type, read from the database
// (design §2.1): the calendar and type, its hours and overrides, the appointments that block
// time near the range, and the external busy time that blocks this calendar. Everyone asking for
// slots (the admin API, the booking page, the 409 answer, the workflow action) reads it here, so
// they all see the same slots.
import { notFound, type TenantTx } from '@soshogle/core';
import { freeSlots, type SlotInput } from './engine.ts';
import type { Interval } from './intervals.ts';
import { localDate } from './windows.ts';

/** What blocks a calendar: appointments in these statuses (the exclusion constraint's). */
export const activeStatuses = ['SCHEDULED', 'CONFIRMED'] as const;

const minuteMs = 60_000;
const dayMs = 86_400_000;
// Other types' buffers are already in their appointments' blockStart/blockEnd; widening the
// read by the longest buffer a type may have (240 min) and a day keeps every appointment or
// busy block that can touch a slot of the range, and daily counts of its dates.
const margin = dayMs + 240 * minuteMs;

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

/** The engine's input for `typeId` on `calendarId` over `range`; 404 for another tenant's or a missing calendar or type. */
export async function loadSlotInput(db: TenantTx, calendarId: string, typeId: string, range: SlotRange, options: LoadOptions = {}): Promise<SlotInput> {
  const from = +range.from;
  const to = +range.to;
  const type = await db.appointmentType.findFirst({ where: { id: typeId, calendarId }, include: { calendar: true } });
  if (!type) throw notFound('Appointment type');
  const zone = type.calendar.timeZone;
  const lower = new Date(from - margin);
  const upper = new Date(to + margin);
  const notThis = options.excludeAppointmentId ? { id: { not: options.excludeAppointmentId } } : {};

  const [rules, overrides, appointments, busy] = await Promise.all([
    db.availabilityRule.findMany({ where: { calendarId }, select: { weekday: true, startMinute: true, endMinute: true } }),
    db.availabilityOverride.findMany({
      where: { calendarId, date: { gte: new Date(+localDate(+lower, zone)), lte: new Date(+localDate(+upper, zone)) } },
      select: { date: true, startMinute: true, endMinute: true },
    }),
    db.appointment.findMany({
      where: { calendarId, status: { in: [...activeStatuses] }, blockStart: { lt: upper }, blockEnd: { gt: lower }, ...notThis },
      select: { blockStart: true, blockEnd: true, startTime: true, appointmentTypeId: true },
    }),
    db.externalBusyBlock.findMany({
      // Our own appointments written out come back as busy blocks: they are counted once, as appointments.
      where: { externalCalendar: { blocksCalendarId: calendarId }, appointmentId: null, start: { lt: upper }, end: { gt: lower } },
      select: { start: true, end: true, allDay: true, externalCalendar: { select: { allDayBlocks: true } } },
    }),
  ]);

  const open = !type.calendar.archivedAt;
  const dayCounts = new Map<string, number>();
  for (const a of appointments) {
    if (a.appointmentTypeId !== typeId) continue;
    const date = localDate(+a.startTime, zone).toISODate()!;
    dayCounts.set(date, (dayCounts.get(date) ?? 0) + 1);
  }
  const interval = (start: Date, end: Date): Interval => ({ start: +start, end: +end });
  return {
    zone,
    type: {
      id: type.id,
      durationMin: type.durationMin,
      slotIntervalMin: type.slotIntervalMin,
      bufferBeforeMin: type.bufferBeforeMin,
      bufferAfterMin: type.bufferAfterMin,
      minNoticeMin: type.minNoticeMin,
      maxAdvanceDays: type.maxAdvanceDays,
      dailyLimit: type.dailyLimit,
    },
    // An archived calendar takes no bookings: it has no hours.
    rules: open ? rules : [],
    overrides: (open ? overrides : []).map((o) => ({ date: o.date.toISOString().slice(0, 10), startMinute: o.startMinute, endMinute: o.endMinute })),
    blocked: appointments.map((a) => interval(a.blockStart, a.blockEnd)),
    busy: busy.filter((b) => !b.allDay || b.externalCalendar.allDayBlocks).map((b) => interval(b.start, b.end)),
    dayCounts,
    from,
    to,
    now: +(options.now ?? Date.now()),
    ignoreNotice: options.ignoreNotice ?? false,
  };
}

/** The free slots of `typeId` on `calendarId` in `range`, as the engine computes them from the database. */
export async function loadFreeSlots(db: TenantTx, calendarId: string, typeId: string, range: SlotRange, options: LoadOptions = {}): Promise<Interval[]> {
  return freeSlots(await loadSlotInput(db, calendarId, typeId, range, options));
}
