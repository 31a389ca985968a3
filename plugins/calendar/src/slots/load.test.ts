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
import { loadFreeSlots, loadSlotInput } from './load.ts';

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
    const slots = times(await loadFreeSlots(t.scoped, t.calendar.id, t.type.id, week, { now }));
    expect(slots.filter((s) => s.startsWith('Mon'))).toEqual(['Mon 09:00', 'Mon 11:00']);
    for (const day of ['Tue', 'Wed', 'Thu', 'Fri']) expect(slots.filter((s) => s.startsWith(day))).toEqual([`${day} 09:00`, `${day} 10:00`, `${day} 11:00`]);

    // Rescheduling it: its own time is free for it.
    const moving = times(await loadFreeSlots(t.scoped, t.calendar.id, t.type.id, week, { now, excludeAppointmentId: kept.id }));
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

    const slots = times(await loadFreeSlots(t.scoped, t.calendar.id, t.type.id, week, { now }));
    expect(slots).toEqual(['Mon 09:00', 'Mon 11:00', 'Wed 09:00', 'Wed 10:00', 'Wed 11:00', 'Thu 09:00', 'Thu 10:00', 'Thu 11:00', 'Fri 09:00', 'Fri 10:00', 'Fri 11:00']);
  });

  it('counts bookings of the type per local date for its daily limit', async () => {
    const t = await tenant();
    await db.appointmentType.update({ where: { id: t.type.id }, data: { dailyLimit: 1 } });
    await t.book(t.calendar.id, '2026-12-07T11:00');
    await t.book(t.calendar.id, '2026-12-08T11:00', 'SCHEDULED', null);
    const input = await loadSlotInput(t.scoped, t.calendar.id, t.type.id, week, { now });
    expect(Object.fromEntries(input.dayCounts)).toEqual({ '2026-12-07': 1 });
    const slots = times(await loadFreeSlots(t.scoped, t.calendar.id, t.type.id, week, { now }));
    expect(slots.filter((s) => s.startsWith('Mon'))).toEqual([]);
    expect(slots.filter((s) => s.startsWith('Tue'))).toEqual(['Tue 09:00', 'Tue 10:00']);
  });

  it('reads overrides by local date, and an archived calendar has no hours', async () => {
    const t = await tenant();
    await db.availabilityOverride.create({ data: { userId: t.userId, calendarId: t.calendar.id, date: new Date('2026-12-07') } });
    await db.availabilityOverride.create({ data: { userId: t.userId, calendarId: t.calendar.id, date: new Date('2026-12-12'), startMinute: 600, endMinute: 720 } });
    const slots = times(await loadFreeSlots(t.scoped, t.calendar.id, t.type.id, { from: week.from, to: at('2026-12-13T00:00') }, { now }));
    expect(slots.filter((s) => s.startsWith('Mon'))).toEqual([]);
    expect(slots.filter((s) => s.startsWith('Sat'))).toEqual(['Sat 10:00', 'Sat 11:00']);

    await db.calendar.update({ where: { id: t.calendar.id }, data: { archivedAt: new Date() } });
    expect(await loadFreeSlots(t.scoped, t.calendar.id, t.type.id, week, { now })).toEqual([]);
  });

  it("answers 404 for another tenant's calendar or type", async () => {
    const mine = await tenant();
    const theirs = await tenant();
    await expect(loadSlotInput(mine.scoped, theirs.calendar.id, theirs.type.id, week, { now })).rejects.toMatchObject({ status: 404 });
    await expect(loadSlotInput(mine.scoped, mine.other.id, mine.type.id, week, { now })).rejects.toMatchObject({ status: 404 });
  });
});
