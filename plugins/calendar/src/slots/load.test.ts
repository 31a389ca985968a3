// The slot loader against a real database: what blocks a calendar's time (its active
// appointments, busy time of the external calendars that block it) and what does not (cancelled
// ones, other calendars, our own appointments written out, all-day events when turned off, the
// appointment being rescheduled). The engine's own cases are in engine.test.ts.
import { scopeToTenant } from '@soshogle/core';
import { startTestSoshogle } from '@soshogle/core/testing';
import crm from '@soshogle/plugin-crm';
import messaging from '@soshogle/plugin-messaging';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import calendarPlugin from '../index.ts';
import { freeSlots, type SlotInput } from './engine.ts';
import { mergeIntervals } from './intervals.ts';
import { activeStatuses, loadFreeSlots, loadSlotInput, type LoadOptions } from './load.ts';
import { localDate } from './windows.ts';

const soshogle = await startTestSoshogle([crm, messaging, calendarPlugin]);
const db = soshogle.db;
const zone = 'America/New_York';
// Tuesday 1 December 2026, 07:00 in New York: the week below is inside the 60 days ahead.
const now = Date.parse('2026-12-01T12:00:00Z');
const at = (local: string) => DateTime.fromISO(local, { zone }).toJSDate();
const times = (slots: { start: number }[]) => slots.map((s) => DateTime.fromMillis(s.start, { zone }).toFormat('ccc HH:mm'));

async function tenant() {
  const user = await db.user.create({ data: { email: `load-${Math.random().toString(36).slice(2)}@example.test`, password: 'x' } });
  const userId = user.id;
  const calendar = await db.calendar.create({ data: { userId, name: 'Chair', timeZone: zone, publicSlug: `chair-${userId}` } });
  const other = await db.calendar.create({ data: { userId, name: 'Other', timeZone: zone, publicSlug: `other-${userId}` } });
  await db.availabilityRule.createMany({ data: [1, 2, 3, 4, 5].map((weekday) => ({ userId, calendarId: calendar.id, weekday, startMinute: 540, endMinute: 720 })) });
  const type = await db.appointmentType.create({ data: { userId, calendarId: calendar.id, name: 'Visit', slug: 'visit', durationMin: 60 } });
  const book = (calendarId: string, start: string, status: 'SCHEDULED' | 'CANCELLED' | 'COMPLETED' = 'SCHEDULED', typeId: string | null = type.id) => {
    const startTime = at(start);
    const endTime = new Date(+startTime + 3_600_000);
    return db.appointment.create({
      data: { userId, calendarId, appointmentTypeId: typeId, title: 'Booked', startTime, endTime, blockStart: startTime, blockEnd: endTime, status },
    });
  };
  return { userId, calendar, other, type, book, scoped: scopeToTenant(db, userId) };
}

const week = { from: at('2026-12-07T00:00'), to: at('2026-12-12T00:00') };

describe('loading slots', () => {
  it('removes the times of active appointments of this calendar only', async () => {
    const t = await tenant();
    const kept = await t.book(t.calendar.id, '2026-12-07T10:00');
    await t.book(t.calendar.id, '2026-12-08T10:00', 'CANCELLED');
    await t.book(t.calendar.id, '2026-12-09T10:00', 'COMPLETED');
    await t.book(t.other.id, '2026-12-10T10:00');
    const slots = times(await loadFreeSlots(t.scoped, t.userId, t.calendar.id, t.type.id, week, { now }));
    expect(slots.filter((s) => s.startsWith('Mon'))).toEqual(['Mon 09:00', 'Mon 11:00']);
    for (const day of ['Tue', 'Wed', 'Thu', 'Fri']) expect(slots.filter((s) => s.startsWith(day))).toEqual([`${day} 09:00`, `${day} 10:00`, `${day} 11:00`]);

    // Rescheduling it: its own time is free for it.
    const moving = times(await loadFreeSlots(t.scoped, t.userId, t.calendar.id, t.type.id, week, { now, excludeAppointmentId: kept.id }));
    expect(moving.filter((s) => s.startsWith('Mon'))).toEqual(['Mon 09:00', 'Mon 10:00', 'Mon 11:00']);
  });

  it('removes external busy time, but not our own appointments written out, nor all-day events where they do not block', async () => {
    const t = await tenant();
    const connection = await db.calendarConnection.create({ data: { userId: t.userId, provider: 'google' } });
    const work = await db.externalCalendar.create({ data: { userId: t.userId, connectionId: connection.id, remoteId: 'work', name: 'Work', blocksCalendarId: t.calendar.id } });
    const home = await db.externalCalendar.create({
      data: { userId: t.userId, connectionId: connection.id, remoteId: 'home', name: 'Home', blocksCalendarId: t.calendar.id, allDayBlocks: false },
    });
    const elsewhere = await db.externalCalendar.create({ data: { userId: t.userId, connectionId: connection.id, remoteId: 'x', name: 'X', blocksCalendarId: t.other.id } });
    const block = (externalCalendarId: string, id: string, start: Date, end: Date, extra: { allDay?: boolean; appointmentId?: string } = {}) =>
      db.externalBusyBlock.create({ data: { userId: t.userId, externalCalendarId, remoteEventId: id, start, end, allDay: false, ...extra } });
    await block(work.id, 'dentist', at('2026-12-07T10:05'), at('2026-12-07T10:20'));
    await block(work.id, 'holiday', at('2026-12-08T00:00'), at('2026-12-09T00:00'), { allDay: true });
    await block(home.id, 'birthday', at('2026-12-09T00:00'), at('2026-12-10T00:00'), { allDay: true });
    const ours = await t.book(t.other.id, '2026-12-10T09:00');
    await block(work.id, 'ours', at('2026-12-10T09:00'), at('2026-12-10T12:00'), { appointmentId: ours.id });
    await block(elsewhere.id, 'not-this-calendar', at('2026-12-11T09:00'), at('2026-12-11T12:00'));

    const slots = times(await loadFreeSlots(t.scoped, t.userId, t.calendar.id, t.type.id, week, { now }));
    expect(slots).toEqual(['Mon 09:00', 'Mon 11:00', 'Wed 09:00', 'Wed 10:00', 'Wed 11:00', 'Thu 09:00', 'Thu 10:00', 'Thu 11:00', 'Fri 09:00', 'Fri 10:00', 'Fri 11:00']);
  });

  it('counts bookings of the type per local date for its daily limit', async () => {
    const t = await tenant();
    await db.appointmentType.update({ where: { id: t.type.id }, data: { dailyLimit: 1 } });
    await t.book(t.calendar.id, '2026-12-07T11:00');
    await t.book(t.calendar.id, '2026-12-08T11:00', 'SCHEDULED', null);
    const input = await loadSlotInput(t.scoped, t.userId, t.calendar.id, t.type.id, week, { now });
    expect(Object.fromEntries(input.dayCounts)).toEqual({ '2026-12-07': 1 });
    const slots = times(await loadFreeSlots(t.scoped, t.userId, t.calendar.id, t.type.id, week, { now }));
    expect(slots.filter((s) => s.startsWith('Mon'))).toEqual([]);
    expect(slots.filter((s) => s.startsWith('Tue'))).toEqual(['Tue 09:00', 'Tue 10:00']);
  });

  it('reads overrides by local date, and an archived calendar has no hours', async () => {
    const t = await tenant();
    await db.availabilityOverride.create({ data: { userId: t.userId, calendarId: t.calendar.id, date: new Date('2026-12-07') } });
    await db.availabilityOverride.create({ data: { userId: t.userId, calendarId: t.calendar.id, date: new Date('2026-12-12'), startMinute: 600, endMinute: 720 } });
    const slots = times(await loadFreeSlots(t.scoped, t.userId, t.calendar.id, t.type.id, { from: week.from, to: at('2026-12-13T00:00') }, { now }));
    expect(slots.filter((s) => s.startsWith('Mon'))).toEqual([]);
    expect(slots.filter((s) => s.startsWith('Sat'))).toEqual(['Sat 10:00', 'Sat 11:00']);

    await db.calendar.update({ where: { id: t.calendar.id }, data: { archivedAt: new Date() } });
    expect(await loadFreeSlots(t.scoped, t.userId, t.calendar.id, t.type.id, week, { now })).toEqual([]);
  });

  it("answers 404 for another tenant's calendar or type", async () => {
    const mine = await tenant();
    const theirs = await tenant();
    await expect(loadSlotInput(mine.scoped, mine.userId, theirs.calendar.id, theirs.type.id, week, { now })).rejects.toMatchObject({ status: 404 });
    await expect(loadSlotInput(mine.scoped, mine.userId, mine.other.id, mine.type.id, week, { now })).rejects.toMatchObject({ status: 404 });
  });
});

// The engine's input as it was read before the database merged it: every row as it is stored,
// filtered in JavaScript. The SQL loader must give the engine the same answer from its merged form.
async function rawRows(scoped: ReturnType<typeof scopeToTenant>, calendarId: string, typeId: string, range: { from: Date; to: Date }, options: LoadOptions): Promise<SlotInput> {
  const margin = 86_400_000 + 240 * 60_000;
  const lower = new Date(+range.from - margin);
  const upper = new Date(+range.to + margin);
  const type = await scoped.appointmentType.findFirstOrThrow({ where: { id: typeId, calendarId }, include: { calendar: true } });
  const tz = type.calendar.timeZone;
  const rules = await scoped.availabilityRule.findMany({ where: { calendarId }, select: { weekday: true, startMinute: true, endMinute: true } });
  const overrides = await scoped.availabilityOverride.findMany({ where: { calendarId }, select: { date: true, startMinute: true, endMinute: true } });
  const appointments = await scoped.appointment.findMany({
    where: { calendarId, status: { in: [...activeStatuses] }, blockStart: { lt: upper }, blockEnd: { gt: lower }, ...(options.excludeAppointmentId ? { id: { not: options.excludeAppointmentId } } : {}) },
  });
  const busy = await scoped.externalBusyBlock.findMany({
    where: { externalCalendar: { blocksCalendarId: calendarId }, appointmentId: null, start: { lt: upper }, end: { gt: lower } },
    include: { externalCalendar: true },
  });
  const dayCounts = new Map<string, number>();
  for (const a of appointments.filter((a) => a.appointmentTypeId === typeId)) {
    const date = localDate(+a.startTime, tz).toISODate()!;
    dayCounts.set(date, (dayCounts.get(date) ?? 0) + 1);
  }
  return {
    zone: tz,
    type,
    rules,
    overrides: overrides.map((o) => ({ date: o.date.toISOString().slice(0, 10), startMinute: o.startMinute, endMinute: o.endMinute })),
    blocked: appointments.map((a) => ({ start: +a.blockStart, end: +a.blockEnd })),
    busy: busy.filter((b) => !b.allDay || b.externalCalendar.allDayBlocks).map((b) => ({ start: +b.start, end: +b.end })),
    dayCounts,
    from: +range.from,
    to: +range.to,
    now: +(options.now ?? Date.now()),
    ignoreNotice: options.ignoreNotice ?? false,
  };
}

describe('the database merging taken time', () => {
  it('gives the engine the same slots as the rows it merged, on a mixed week across the fall-back night', async () => {
    const t = await tenant();
    const { userId } = t;
    const cal = t.calendar.id;
    // New York falls back on Sunday 1 November 2026: 01:00–02:00 is shown twice.
    const fallNow = Date.parse('2026-10-26T12:00:00Z');
    await db.availabilityRule.createMany({ data: [6, 7].map((weekday) => ({ userId, calendarId: cal, weekday, startMinute: 540, endMinute: 720 })) });
    await db.availabilityRule.createMany({ data: [1, 2, 3, 4, 5].map((weekday) => ({ userId, calendarId: cal, weekday, startMinute: 780, endMinute: 1380 })) });
    await db.availabilityOverride.createMany({
      data: [
        { userId, calendarId: cal, date: new Date('2026-11-01'), startMinute: 0, endMinute: 180 },
        { userId, calendarId: cal, date: new Date('2026-11-01'), startMinute: 480, endMinute: 1200 },
      ],
    });
    await db.appointmentType.update({ where: { id: t.type.id }, data: { durationMin: 30, slotIntervalMin: 15, bufferBeforeMin: 10, bufferAfterMin: 5, minNoticeMin: 0, dailyLimit: 3 } });
    const other = await db.appointmentType.create({ data: { userId, calendarId: cal, name: 'Long', slug: 'long', durationMin: 60, bufferBeforeMin: 30, bufferAfterMin: 30 } });
    const book = (local: string, minutes: number, extra: { type?: string | null; before?: number; after?: number; status?: 'SCHEDULED' | 'CONFIRMED' | 'CANCELLED'; calendarId?: string } = {}) => {
      const startTime = local.endsWith('Z') ? new Date(local) : at(local);
      const endTime = new Date(+startTime + minutes * 60_000);
      return db.appointment.create({
        data: {
          userId, calendarId: extra.calendarId ?? cal, appointmentTypeId: extra.type === undefined ? t.type.id : extra.type, title: 'Booked', startTime, endTime,
          blockStart: new Date(+startTime - (extra.before ?? 10) * 60_000), blockEnd: new Date(+endTime + (extra.after ?? 5) * 60_000), status: extra.status ?? 'CONFIRMED',
        },
      });
    };
    // Thursday: two back to back (their blocks touch), another type's with its long buffers.
    await book('2026-10-29T13:10', 30);
    await book('2026-10-29T13:55', 30);
    await book('2026-10-29T16:00', 60, { type: other.id, before: 30, after: 30 });
    // Friday: one without a type, a cancelled one, one on another calendar.
    await book('2026-10-30T14:00', 60, { type: null, before: 0, after: 0 });
    await book('2026-10-30T17:00', 30, { status: 'CANCELLED' });
    await book('2026-10-30T18:00', 30, { calendarId: t.other.id });
    // Saturday: three of this type, the last one 21:00 in New York, already Sunday in UTC: the date is full.
    await book('2026-10-31T09:00', 30);
    await book('2026-10-31T10:00', 30);
    await book('2026-10-31T21:00', 30);
    // Sunday, the fall-back night: 01:30 twice (EDT, then EST), and a cancelled one at night.
    await book('2026-11-01T05:30:00Z', 30);
    await book('2026-11-01T06:30:00Z', 30);
    await book('2026-11-01T23:30', 30, { status: 'CANCELLED' });
    // Monday: two, and the one being rescheduled, which would fill the date.
    await book('2026-11-02T13:00', 30);
    await book('2026-11-02T14:00', 30);
    const moving = await book('2026-11-02T15:00', 30);

    const connection = await db.calendarConnection.create({ data: { userId, provider: 'google' } });
    const work = await db.externalCalendar.create({ data: { userId, connectionId: connection.id, remoteId: 'work', name: 'Work', blocksCalendarId: cal } });
    const home = await db.externalCalendar.create({ data: { userId, connectionId: connection.id, remoteId: 'home', name: 'Home', blocksCalendarId: cal, allDayBlocks: false } });
    const elsewhere = await db.externalCalendar.create({ data: { userId, connectionId: connection.id, remoteId: 'x', name: 'X', blocksCalendarId: t.other.id } });
    const ourOwn = await book('2026-10-30T19:00', 30, { calendarId: t.other.id });
    let n = 0;
    const busy = (externalCalendarId: string, start: Date, end: Date, extra: { allDay?: boolean; appointmentId?: string } = {}) =>
      db.externalBusyBlock.create({ data: { userId, externalCalendarId, remoteEventId: `e${n++}`, start, end, allDay: false, ...extra } });
    // Overlapping the appointments and each other, touching the second one's block.
    await busy(work.id, at('2026-10-29T13:30'), at('2026-10-29T14:00'));
    await busy(work.id, at('2026-10-29T14:30'), at('2026-10-29T15:00'));
    await busy(work.id, at('2026-10-29T14:45'), at('2026-10-29T15:30'));
    await busy(home.id, at('2026-10-30T17:00'), at('2026-10-30T18:00'));
    await busy(work.id, at('2026-10-30T20:00'), at('2026-10-30T20:00'));
    // All-day: blocks where the calendar says so, not where it does not.
    await busy(work.id, at('2026-11-03T00:00'), at('2026-11-04T00:00'), { allDay: true });
    await busy(home.id, at('2026-10-30T00:00'), at('2026-10-31T00:00'), { allDay: true });
    // Our own appointment written out, and another calendar's busy time: neither blocks.
    await busy(work.id, at('2026-10-30T19:00'), at('2026-10-30T19:30'), { appointmentId: ourOwn.id });
    await busy(elsewhere.id, at('2026-10-29T18:00'), at('2026-10-29T19:00'));
    // Across the repeated hour.
    await busy(work.id, new Date('2026-11-01T04:45:00Z'), new Date('2026-11-01T05:10:00Z'));

    const range = { from: at('2026-10-29T00:00'), to: at('2026-11-05T00:00') };
    for (const options of [{ now: fallNow }, { now: fallNow, excludeAppointmentId: moving.id }, { now: Date.parse('2026-10-30T18:00:00Z'), ignoreNotice: true }]) {
      const merged = await loadSlotInput(t.scoped, userId, cal, t.type.id, range, options);
      const raw = await rawRows(t.scoped, cal, t.type.id, range, options);
      expect(merged.blocked).toEqual(mergeIntervals([...raw.blocked, ...raw.busy]));
      expect(merged.blocked.length).toBeLessThan(raw.blocked.length + raw.busy.length);
      expect(Object.fromEntries(merged.dayCounts)).toEqual(Object.fromEntries(raw.dayCounts));
      const slots = freeSlots(merged);
      expect(slots.length).toBeGreaterThan(0);
      expect(slots).toEqual(freeSlots(raw));
    }
    // What the fixture is for: the counts by New York date, the full Saturday, and the rescheduled one freeing Monday.
    const plain = await loadSlotInput(t.scoped, userId, cal, t.type.id, range, { now: fallNow });
    expect(Object.fromEntries(plain.dayCounts)).toEqual({ '2026-10-29': 2, '2026-10-31': 3, '2026-11-01': 2, '2026-11-02': 3 });
    const days = (slots: { start: number }[]) => new Set(slots.map((s) => DateTime.fromMillis(s.start, { zone }).toISODate()));
    expect(days(freeSlots(plain))).not.toContain('2026-10-31');
    expect(days(freeSlots(plain))).not.toContain('2026-11-02');
    expect(days(await loadFreeSlots(t.scoped, userId, cal, t.type.id, range, { now: fallNow, excludeAppointmentId: moving.id }))).toContain('2026-11-02');
  });
});
