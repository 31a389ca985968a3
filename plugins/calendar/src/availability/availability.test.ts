// The availability API through a real server and database: calendars, weekly hours, date
// overrides, appointment types, and the slots they make.
import { expectJson, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import crm from '@soshogle/plugin-crm';
import messaging from '@soshogle/plugin-messaging';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import calendarPlugin from '../index.ts';

const soshogle = await startTestSoshogle([crm, messaging, calendarPlugin]);
const owner = await signedInUser(soshogle);
const stranger = await signedInUser(soshogle);

type Json = Record<string, unknown> & { id: string };
const api = (client: TestClient, method: string, path: string, body?: unknown) => client.request(method, `/api/calendar${path}`, body);
const ok = async (client: TestClient, method: string, path: string, body: unknown, status = 200) => expectJson<Json>(await api(client, method, path, body), status);
const problem = async (res: Response, status: number) => expectJson<{ errors?: { field: string; message: string }[]; detail: string }>(res, status);

const newCalendar = (body: Record<string, unknown> = {}, client = owner) => ok(client, 'POST', '/calendars', { name: 'Dr. Ana Núñez', timeZone: 'America/New_York', ...body }, 201);
const newType = (calendarId: string, body: Record<string, unknown> = {}) => ok(owner, 'POST', `/calendars/${calendarId}/types`, { name: 'First visit', durationMin: 30, ...body }, 201);

// A Monday at least 3 days ahead in New York, so the minimum notice never matters.
const monday = (() => {
  let d = DateTime.now().setZone('America/New_York').startOf('day').plus({ days: 3 });
  while (d.weekday !== 1) d = d.plus({ days: 1 });
  return d;
})();

describe('calendars', () => {
  it('creates one with an unguessable page address that names no tenant, and refuses a zone that is not IANA', async () => {
    const calendar = await newCalendar();
    expect(calendar).toMatchObject({ name: 'Dr. Ana Núñez', timeZone: 'America/New_York', kind: 'PERSON', bookingEnabled: true, archivedAt: null, hours: [] });
    expect(calendar.publicSlug).toMatch(/^dr-ana-nunez-[a-z2-7]{6}$/);
    expect(calendar.publicSlug).not.toContain(owner.userId);

    const bad = await problem(await api(owner, 'POST', '/calendars', { name: 'X', timeZone: 'EST' }), 422);
    expect(bad.errors?.map((e) => e.field)).toEqual(['body.timeZone']);
    expect((await problem(await api(owner, 'POST', '/calendars', { name: 'X', timeZone: 'Mars/Olympus' }), 422)).errors?.[0]?.field).toBe('body.timeZone');
  });

  it('replaces the weekly hours (split shifts) and refuses a window that ends before it starts', async () => {
    const calendar = await newCalendar();
    const hours = [
      { weekday: 2, startMinute: 840, endMinute: 1020 },
      { weekday: 2, startMinute: 540, endMinute: 720 },
      { weekday: 1, startMinute: 1320, endMinute: 1440 },
    ];
    const saved = await ok(owner, 'PUT', `/calendars/${calendar.id}/hours`, { hours });
    expect(saved.hours).toEqual([hours[2], hours[1], hours[0]]);
    const replaced = await ok(owner, 'PUT', `/calendars/${calendar.id}/hours`, { hours: [{ weekday: 5, startMinute: 600, endMinute: 660 }] });
    expect(replaced.hours).toEqual([{ weekday: 5, startMinute: 600, endMinute: 660 }]);

    const bad = await problem(await api(owner, 'PUT', `/calendars/${calendar.id}/hours`, { hours: [{ weekday: 8, startMinute: 600, endMinute: 500 }] }), 422);
    expect(bad.errors?.map((e) => e.field).sort()).toEqual(['body.hours.0.endMinute', 'body.hours.0.weekday']);
  });

  it('archives, renames the page address, and deletes only a calendar without appointments', async () => {
    const calendar = await newCalendar();
    const renamed = await ok(owner, 'PATCH', `/calendars/${calendar.id}`, { name: 'Room 2', regenerateSlug: true, archived: true });
    expect(renamed.publicSlug).toMatch(/^room-2-[a-z2-7]{6}$/);
    expect(renamed.archivedAt).toEqual(expect.any(String));
    const listed = await ok(owner, 'GET', '/calendars', undefined);
    expect((listed.items as Json[]).map((c) => c.id)).not.toContain(calendar.id);
    expect(((await ok(owner, 'GET', '/calendars?archived=true', undefined)).items as Json[]).map((c) => c.id)).toContain(calendar.id);

    const start = monday.set({ hour: 9 }).toJSDate();
    await soshogle.db.appointment.create({
      data: { userId: owner.userId, calendarId: calendar.id, title: 'x', startTime: start, endTime: new Date(+start + 1_800_000), blockStart: start, blockEnd: new Date(+start + 1_800_000) },
    });
    expect((await problem(await api(owner, 'DELETE', `/calendars/${calendar.id}`), 409)).detail).toMatch(/archive/);
    const empty = await newCalendar();
    expect((await api(owner, 'DELETE', `/calendars/${empty.id}`)).status).toBe(204);
    expect((await api(owner, 'GET', `/calendars/${empty.id}`)).status).toBe(404);
  });

  it("keeps another tenant's calendars out of reach", async () => {
    const theirs = await newCalendar({}, stranger);
    expect((await api(owner, 'GET', `/calendars/${theirs.id}`)).status).toBe(404);
    expect((await api(owner, 'PUT', `/calendars/${theirs.id}/hours`, { hours: [] })).status).toBe(404);
    expect((await api(owner, 'POST', `/calendars/${theirs.id}/types`, { name: 'x', durationMin: 30 })).status).toBe(404);
    expect((await api(owner, 'PATCH', `/calendars/${theirs.id}`, { name: 'mine' })).status).toBe(404);
  });
});

describe('overrides', () => {
  it("sets a date's hours or closes it, lists them by date, and clears them", async () => {
    const calendar = await newCalendar();
    const open = await ok(owner, 'PUT', `/calendars/${calendar.id}/overrides/2026-12-26`, { windows: [{ startMinute: 780, endMinute: 900 }, { startMinute: 600, endMinute: 720 }], note: 'Boxing day' });
    expect(open).toEqual({ date: '2026-12-26', windows: [{ startMinute: 600, endMinute: 720 }, { startMinute: 780, endMinute: 900 }], note: 'Boxing day' });
    await ok(owner, 'PUT', `/calendars/${calendar.id}/overrides/2026-12-25`, { windows: [] });
    const listed = await ok(owner, 'GET', `/calendars/${calendar.id}/overrides?from=2026-12-01&to=2026-12-31`, undefined);
    expect(listed.items).toEqual([{ date: '2026-12-25', windows: [], note: null }, open]);

    expect((await api(owner, 'DELETE', `/calendars/${calendar.id}/overrides/2026-12-25`)).status).toBe(204);
    expect(((await ok(owner, 'GET', `/calendars/${calendar.id}/overrides?from=2026-12-01&to=2026-12-31`, undefined)).items as Json[]).length).toBe(1);
    expect((await problem(await api(owner, 'PUT', `/calendars/${calendar.id}/overrides/2026-13-01`, { windows: [] }), 422)).errors?.[0]?.field).toBe('params.date');
  });
});

describe('appointment types', () => {
  it('defaults the slug from the name, keeps slugs unique per calendar, and checks questions and reminders', async () => {
    const calendar = await newCalendar();
    const first = await newType(calendar.id);
    expect(first).toMatchObject({ slug: 'first-visit', durationMin: 30, slotIntervalMin: null, minNoticeMin: 120, maxAdvanceDays: 60, questions: [], reminders: [], isPublic: true, active: true });
    expect((await newType(calendar.id)).slug).toBe('first-visit-2');
    expect((await problem(await api(owner, 'POST', `/calendars/${calendar.id}/types`, { name: 'x', slug: 'first-visit', durationMin: 30 }), 409)).detail).toMatch(/slug/);
    const other = await newCalendar();
    expect((await newType(other.id, { slug: 'first-visit' })).slug).toBe('first-visit');

    const bad = await problem(
      await api(owner, 'POST', `/calendars/${calendar.id}/types`, {
        name: 'x',
        durationMin: 3,
        questions: [{ id: 'why', label: 'Why?', kind: 'select' }],
        reminders: [{ offsetMin: 60, channel: 'SMS' }, { offsetMin: 60, channel: 'SMS' }],
      }),
      422,
    );
    expect(bad.errors?.map((e) => e.field).sort()).toEqual(['body.durationMin', 'body.questions.0.options', 'body.reminders.1.offsetMin']);

    const changed = await ok(owner, 'PATCH', `/types/${first.id}`, {
      bufferBeforeMin: 10,
      reminders: [{ offsetMin: 1440, channel: 'EMAIL' }],
      questions: [{ id: 'why', label: 'Why?', kind: 'text' }],
    });
    expect(changed).toMatchObject({ bufferBeforeMin: 10, reminders: [{ offsetMin: 1440, channel: 'EMAIL' }], questions: [{ id: 'why', label: 'Why?', kind: 'text', required: false }] });
    expect(((await ok(owner, 'GET', `/calendars/${calendar.id}/types`, undefined)).items as Json[]).length).toBe(2);
    expect((await api(owner, 'DELETE', `/types/${first.id}`)).status).toBe(204);
    expect((await api(stranger, 'GET', `/types/${changed.id}`)).status).toBe(404);
  });
});

describe('slots', () => {
  it('refuses a price while the payments plugin is off (the calendar runs without it)', async () => {
    const calendar = await newCalendar();
    const refused = await problem(await api(owner, 'POST', `/calendars/${calendar.id}/types`, { name: 'Paid', durationMin: 30, price: '40.00', currency: 'USD' }), 422);
    expect(refused.errors?.map((e) => e.field)).toEqual(['body.price']);
    const free = await newType(calendar.id);
    expect((await problem(await api(owner, 'PATCH', `/types/${free.id}`, { price: '40.00', currency: 'USD' }), 422)).errors?.[0]?.field).toBe('body.price');
    expect(await ok(owner, 'PATCH', `/types/${free.id}`, { name: 'Still free' }, 200)).toMatchObject({ name: 'Still free', price: null });
  });

  it("answers a type's free times by local date in the zone asked for", async () => {
    const calendar = await newCalendar();
    await ok(owner, 'PUT', `/calendars/${calendar.id}/hours`, { hours: [{ weekday: 1, startMinute: 540, endMinute: 660 }] });
    const type = await newType(calendar.id, { durationMin: 60, slotIntervalMin: 30 });
    const from = monday.toUTC().toISO()!;
    const to = monday.plus({ days: 1 }).toUTC().toISO()!;
    const query = (tz?: string) => `/calendars/${calendar.id}/slots?typeId=${type.id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${tz ? `&tz=${tz}` : ''}`;

    const local = await ok(owner, 'GET', query(), undefined);
    expect(local).toMatchObject({ calendarTimeZone: 'America/New_York', timeZone: 'America/New_York' });
    expect(local.days).toEqual([
      {
        date: monday.toISODate(),
        slots: ['09:00', '09:30', '10:00'].map((time) => {
          const start = DateTime.fromISO(`${monday.toISODate()}T${time}`, { zone: 'America/New_York' });
          return { start: start.toUTC().toISO(), end: start.plus({ hours: 1 }).toUTC().toISO(), time };
        }),
      },
    ]);
    // The same instants on Tokyo's clock: 09:00 and 09:30 in New York are 23:00 and 23:30 there,
    // 10:00 is 00:00 the next date.
    const tokyo = await ok(owner, 'GET', query('Asia/Tokyo'), undefined);
    const inTokyo = (time: string) => DateTime.fromISO(`${monday.toISODate()}T${time}`, { zone: 'America/New_York' }).setZone('Asia/Tokyo');
    expect((tokyo.days as { date: string; slots: { time: string }[] }[]).map((d) => ({ date: d.date, times: d.slots.map((s) => s.time) }))).toEqual([
      { date: inTokyo('09:00').toISODate(), times: [inTokyo('09:00').toFormat('HH:mm'), inTokyo('09:30').toFormat('HH:mm')] },
      { date: inTokyo('10:00').toISODate(), times: ['00:00'] },
    ]);

    const tooLong = await problem(await api(owner, 'GET', `/calendars/${calendar.id}/slots?typeId=${type.id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(monday.plus({ days: 43 }).toUTC().toISO()!)}`), 422);
    expect(tooLong.errors?.map((e) => e.field)).toEqual(['query.to']);
    expect((await api(owner, 'GET', `/calendars/${calendar.id}/slots?typeId=nope&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).status).toBe(404);
  });
});
