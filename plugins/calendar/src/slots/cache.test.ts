// The kept slot input against a real database: a read while nothing changed is kept; every
// kind of change to what the slots are made of, written by any code (here straight to the
// tables, as another process would), is seen by the next read; a rolled-back change and a
// change to something the slots do not read leave the version alone.
import { scopeToTenant } from '@soshogle/core';
import { startTestSoshogle } from '@soshogle/core/testing';
import crm from '@soshogle/plugin-crm';
import messaging from '@soshogle/plugin-messaging';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import calendarPlugin from '../index.ts';
import { pageSlotInput } from './cache.ts';
import { freeSlots } from './engine.ts';

const soshogle = await startTestSoshogle([crm, messaging, calendarPlugin]);
const db = soshogle.db;
const zone = 'America/New_York';
// Next week's Monday to Saturday, whenever the test runs.
const monday = DateTime.now().setZone(zone).startOf('week').plus({ weeks: 1 });
const week = { from: monday.toJSDate(), to: monday.plus({ days: 5 }).toJSDate() };
const at = (day: number, hour: number) => monday.plus({ days: day, hours: hour }).toJSDate();

async function page() {
  const user = await db.user.create({ data: { email: `cache-${Math.random().toString(36).slice(2)}@example.test`, password: 'x' } });
  const userId = user.id;
  const calendar = await db.calendar.create({ data: { userId, name: 'Chair', timeZone: zone, publicSlug: `chair-${userId}` } });
  await db.availabilityRule.createMany({ data: [1, 2, 3, 4, 5].map((weekday) => ({ userId, calendarId: calendar.id, weekday, startMinute: 540, endMinute: 720 })) });
  const type = await db.appointmentType.create({ data: { userId, calendarId: calendar.id, name: 'Visit', slug: 'visit', durationMin: 60 } });
  const scoped = scopeToTenant(db, userId);
  const read = async () => {
    const found = (await pageSlotInput(scoped, userId, { slug: calendar.publicSlug, typeSlug: 'visit' }, week))!;
    return { kept: found.kept, version: found.version, slots: freeSlots(found.input).length };
  };
  const version = async () => (await db.calendar.findUniqueOrThrow({ where: { id: calendar.id } })).slotsVersion;
  return { userId, calendar, type, read, version };
}

describe('kept slot input', () => {
  it('is kept while the calendar is unchanged, and reloaded when it changes', async () => {
    const p = await page();
    expect(await p.read()).toMatchObject({ kept: false, slots: 15 });
    expect(await p.read()).toMatchObject({ kept: true, slots: 15 });

    const appointment = await db.appointment.create({
      data: { userId: p.userId, calendarId: p.calendar.id, appointmentTypeId: p.type.id, title: 'Booked', startTime: at(0, 9), endTime: at(0, 10), blockStart: at(0, 9), blockEnd: at(0, 10) },
    });
    expect(await p.read()).toMatchObject({ kept: false, slots: 14 });
    await db.appointment.update({ where: { id: appointment.id }, data: { status: 'CANCELLED' } });
    expect(await p.read()).toMatchObject({ kept: false, slots: 15 });

    await db.availabilityOverride.create({ data: { userId: p.userId, calendarId: p.calendar.id, date: new Date(`${monday.plus({ days: 1 }).toISODate()}T00:00:00Z`), startMinute: null, endMinute: null } });
    expect(await p.read()).toMatchObject({ kept: false, slots: 12 });
    await db.availabilityRule.updateMany({ where: { calendarId: p.calendar.id, weekday: 5 }, data: { endMinute: 600 } });
    expect(await p.read()).toMatchObject({ kept: false, slots: 10 });
    await db.appointmentType.update({ where: { id: p.type.id }, data: { durationMin: 90, slotIntervalMin: 60 } });
    expect(await p.read()).toMatchObject({ kept: false, slots: 6 });
    await db.calendar.update({ where: { id: p.calendar.id }, data: { timeZone: 'Europe/Paris' } });
    expect((await p.read()).kept).toBe(false);
    expect((await p.read()).kept).toBe(true);
  });

  it('sees busy time of the external calendars that block it, and their settings', async () => {
    const p = await page();
    const connection = await db.calendarConnection.create({ data: { userId: p.userId, provider: 'google' } });
    const work = await db.externalCalendar.create({ data: { userId: p.userId, connectionId: connection.id, remoteId: 'work', name: 'Work', blocksCalendarId: p.calendar.id, allDayBlocks: false } });
    expect(await p.read()).toMatchObject({ kept: false, slots: 15 });
    // A sync writes many blocks in one transaction: one bump.
    const before = await p.version();
    await db.externalBusyBlock.createMany({
      data: [0, 1, 2].map((day) => ({ userId: p.userId, externalCalendarId: work.id, remoteEventId: `e${day}`, start: at(day, 0), end: at(day + 1, 0), allDay: true })),
    });
    expect(await p.version()).toBe(before + 1);
    expect(await p.read()).toMatchObject({ kept: false, slots: 15 }); // all-day events do not block this one
    await db.externalCalendar.update({ where: { id: work.id }, data: { allDayBlocks: true } });
    expect(await p.read()).toMatchObject({ kept: false, slots: 6 });
    // A sync token written on the external calendar is not a change to the slots.
    await db.externalCalendar.update({ where: { id: work.id }, data: { syncToken: 'next' } });
    expect(await p.read()).toMatchObject({ kept: true, slots: 6 });
    await db.externalBusyBlock.deleteMany({ where: { externalCalendarId: work.id, remoteEventId: 'e0' } });
    expect(await p.read()).toMatchObject({ kept: false, slots: 9 });
  });

  it('keeps the version of a rolled-back change and of a change the slots do not read', async () => {
    const p = await page();
    await p.read();
    const before = await p.version();
    await expect(
      db.$transaction(async (tx) => {
        await tx.appointment.create({
          data: { userId: p.userId, calendarId: p.calendar.id, appointmentTypeId: p.type.id, title: 'Booked', startTime: at(0, 9), endTime: at(0, 10), blockStart: at(0, 9), blockEnd: at(0, 10) },
        });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await p.version()).toBe(before);
    const appointment = await db.appointment.create({
      data: { userId: p.userId, calendarId: p.calendar.id, appointmentTypeId: p.type.id, title: 'Booked', startTime: at(0, 9), endTime: at(0, 10), blockStart: at(0, 9), blockEnd: at(0, 10) },
    });
    expect(await p.version()).toBe(before + 1);
    await db.appointment.update({ where: { id: appointment.id }, data: { title: 'Renamed', description: 'bring the forms' } });
    await db.calendar.update({ where: { id: p.calendar.id }, data: { pageIntro: 'Welcome' } });
    expect(await p.version()).toBe(before + 1);
    expect(await p.read()).toMatchObject({ kept: false, slots: 14 });
    expect(await p.read()).toMatchObject({ kept: true, slots: 14 });
  });

  it('answers null for a page or type that is not open', async () => {
    const p = await page();
    const scoped = scopeToTenant(db, p.userId);
    expect(await pageSlotInput(scoped, p.userId, { slug: p.calendar.publicSlug, typeSlug: 'nope' }, week)).toBeNull();
    await db.calendar.update({ where: { id: p.calendar.id }, data: { bookingEnabled: false } });
    expect(await pageSlotInput(scoped, p.userId, { slug: p.calendar.publicSlug, typeSlug: 'visit' }, week)).toBeNull();
  });
});
