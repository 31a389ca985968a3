// Appointments through a real server, worker and database: booking (the engine's check, the
// database's exclusion constraint and the 409 with fresh slots), reschedule, cancel, status
// transitions, and the events each raises in its own transaction.
import { eventRecorder, expectJson, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import crm from '@soshogle/plugin-crm';
import messaging from '@soshogle/plugin-messaging';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import calendarPlugin from '../index.ts';

const recorder = eventRecorder([
  'core.appointment_scheduled',
  'calendar.appointment_rescheduled',
  'calendar.appointment_cancelled',
  'calendar.appointment_completed',
  'calendar.appointment_no_show',
]);
const soshogle = await startTestSoshogle([crm, messaging, calendarPlugin, recorder.plugin]);
const owner = await signedInUser(soshogle);
const stranger = await signedInUser(soshogle);
const zone = 'America/New_York';

type Appointment = { id: string; status: string; startTime: string; endTime: string; blockStart: string; blockEnd: string; version: number; source: string } & Record<string, unknown>;
type Problem = { status: number; detail: string; errors?: { field: string; message: string }[]; slots?: { start: string; time: string; date: string }[] };
const api = (method: string, path: string, body?: unknown, client: TestClient = owner, headers?: Record<string, string>) =>
  client.request(method, `/api/calendar${path}`, body, headers);

// A Monday at least 3 days ahead, so notice and "in the past" never matter.
const monday = (() => {
  let d = DateTime.now().setZone(zone).startOf('day').plus({ days: 3 });
  while (d.weekday !== 1) d = d.plus({ days: 1 });
  return d;
})();
const at = (time: string, day = monday) => DateTime.fromISO(`${day.toISODate()}T${time}`, { zone }).toUTC().toISO()!;

/** A calendar open 09:00–12:00 on weekdays with a 30-minute type (buffers 0/15). */
async function setup(client: TestClient = owner) {
  const calendar = await expectJson<{ id: string }>(await api('POST', '/calendars', { name: 'Chair', timeZone: zone }, client), 201);
  const hours = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 720 }));
  await expectJson(await api('PUT', `/calendars/${calendar.id}/hours`, { hours }, client), 200);
  const type = await expectJson<{ id: string }>(await api('POST', `/calendars/${calendar.id}/types`, { name: 'Cleaning', durationMin: 30, bufferAfterMin: 15 }, client), 201);
  const contact = await soshogle.db.contact.create({ data: { userId: client.userId, firstName: 'Ann', email: `ann-${Math.random()}@example.test` } });
  return { calendarId: calendar.id, typeId: type.id, contactId: contact.id };
}

const book = (s: Awaited<ReturnType<typeof setup>>, start: string, extra: Record<string, unknown> = {}) =>
  api('POST', '/appointments', { calendarId: s.calendarId, appointmentTypeId: s.typeId, contactId: s.contactId, start, ...extra });

async function heard(type: string, appointmentId: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = recorder.heard.filter((e) => e.type === type && e.payload.appointmentId === appointmentId);
    if (found.length) return found;
    if (Date.now() > deadline) throw new Error(`${type} never heard for ${appointmentId}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('booking', () => {
  it('books a free slot with its buffers and raises core.appointment_scheduled with the calendar, type and source', async () => {
    const s = await setup();
    const booked = await expectJson<Appointment>(await book(s, at('09:00')), 201);
    expect(booked).toMatchObject({
      status: 'SCHEDULED',
      title: 'Cleaning',
      startTime: at('09:00'),
      endTime: at('09:30'),
      blockStart: at('09:00'),
      blockEnd: at('09:45'),
      source: 'ADMIN',
      timezone: zone,
      contact: { id: s.contactId, firstName: 'Ann' },
    });
    const [event] = await heard('core.appointment_scheduled', booked.id);
    expect(event).toMatchObject({
      tenantId: owner.userId,
      payload: { appointmentId: booked.id, contactId: s.contactId, calendarId: s.calendarId, appointmentTypeId: s.typeId, source: 'ADMIN', startTime: booked.startTime },
    });
  });

  it('answers 409 with the fresh slots of that date and the next for a taken time, and 422 for a time the type never offers', async () => {
    const s = await setup();
    await expectJson(await book(s, at('10:00')), 201);
    const taken = await expectJson<Problem>(await book(s, at('10:00')), 409);
    expect(taken.detail).toBe('That time was just booked');
    expect(taken.errors).toEqual([{ field: 'start', message: 'That time was just booked' }]);
    // The fresh slots of that date and the next, in the calendar's zone: 10:00 is gone, and with
    // it 09:30 and 10:30 (the 15-minute buffers after would overlap).
    const offered = (taken.slots ?? []).filter((slot) => slot.date === monday.toISODate()).map((slot) => slot.time);
    expect(offered).toEqual(['09:00', '11:00', '11:30']);
    expect((taken.slots ?? []).filter((slot) => slot.date === monday.plus({ days: 1 }).toISODate())).toHaveLength(6);
    // Inside the buffer of the 10:00 booking (it blocks until 10:45): the engine sees it taken too.
    await expectJson(await book(s, at('10:30')), 409);
    // Booked outside the engine (outsideHours), the database's exclusion constraint still refuses the overlap.
    await expectJson(await book(s, at('10:20'), { outsideHours: true }), 409);

    const offGrid = await expectJson<Problem>(await book(s, at('09:10')), 422);
    expect(offGrid.errors?.map((e) => e.field)).toEqual(['body.start']);
    await expectJson(await book(s, at('13:00')), 422);
    // Outside the hours on purpose: allowed, as long as nothing overlaps.
    await expectJson(await book(s, at('13:00'), { outsideHours: true }), 201);
    const noType = await expectJson<Problem>(await api('POST', '/appointments', { calendarId: s.calendarId, start: at('14:00') }), 422);
    expect(noType.errors?.map((e) => e.field)).toEqual(['body.durationMin']);
    await expectJson(await api('POST', '/appointments', { calendarId: s.calendarId, start: at('14:00'), durationMin: 45, title: 'Block' }), 201);
  });

  it('lets exactly one of many concurrent bookings of one time commit', async () => {
    const s = await setup();
    const answers = await Promise.all(Array.from({ length: 12 }, () => book(s, at('11:00'))));
    expect(answers.map((r) => r.status).sort()).toEqual([201, ...Array<number>(11).fill(409)]);
    const rows = await soshogle.db.appointment.findMany({ where: { calendarId: s.calendarId } });
    expect(rows).toHaveLength(1);
  });

  it('books once per Idempotency-Key', async () => {
    const s = await setup();
    const first = await expectJson<Appointment>(await api('POST', '/appointments', { calendarId: s.calendarId, appointmentTypeId: s.typeId, start: at('09:00') }, owner, { 'idempotency-key': 'k-1' }), 201);
    const again = await expectJson<Appointment>(await api('POST', '/appointments', { calendarId: s.calendarId, appointmentTypeId: s.typeId, start: at('09:00') }, owner, { 'idempotency-key': 'k-1' }), 201);
    expect(again.id).toBe(first.id);
  });

  it("refuses another tenant's calendar, type or contact", async () => {
    const mine = await setup();
    const theirs = await setup(stranger);
    expect((await expectJson<Problem>(await book({ ...mine, calendarId: theirs.calendarId, typeId: theirs.typeId, contactId: mine.contactId }, at('09:00')), 422)).errors?.[0]?.field).toBe('body.calendarId');
    expect((await expectJson<Problem>(await book({ ...mine, typeId: theirs.typeId }, at('09:00')), 422)).errors?.[0]?.field).toBe('body.appointmentTypeId');
    const contact = await expectJson<Problem>(await book({ ...mine, contactId: theirs.contactId }, at('09:00')), 404);
    expect(contact.detail).toMatch(/contactId/);
    expect(await soshogle.db.appointment.count({ where: { calendarId: mine.calendarId } })).toBe(0);
  });
});

describe('changing an appointment', () => {
  it('reschedules to a free time (its own time counts as free), raising the event with the previous start', async () => {
    const s = await setup();
    const booked = await expectJson<Appointment>(await book(s, at('09:30')), 201);
    const other = await expectJson<Appointment>(await book(s, at('11:00')), 201);
    // 10:00 overlaps the appointment's own buffer (until 10:15), and nothing else.
    const moved = await expectJson<Appointment>(await api('POST', `/appointments/${booked.id}/reschedule`, { start: at('10:00') }), 200);
    expect(moved).toMatchObject({ startTime: at('10:00'), blockEnd: at('10:45'), version: 1 });
    const [event] = await heard('calendar.appointment_rescheduled', booked.id);
    expect(event?.payload).toMatchObject({ previousStartTime: booked.startTime, startTime: moved.startTime, changedBy: 'user' });

    const taken = await expectJson<Problem>(await api('POST', `/appointments/${other.id}/reschedule`, { start: at('10:00') }), 409);
    expect(taken.errors?.[0]?.field).toBe('start');
    // Offered in its place: the times it could move to, its own 11:00 among them.
    expect(taken.slots?.filter((slot) => slot.date === monday.toISODate()).map((slot) => slot.time)).toEqual(['09:00', '11:00', '11:30']);
    // Its old time is free again.
    await expectJson(await book(s, at('09:00')), 201);
  });

  it('cancels once (again changes nothing), frees the time, and refuses to move a cancelled one', async () => {
    const s = await setup();
    const booked = await expectJson<Appointment>(await book(s, at('10:00')), 201);
    const cancelled = await expectJson<Appointment>(await api('POST', `/appointments/${booked.id}/cancel`, { reason: 'Sick' }), 200);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelReason: 'Sick', version: 1, cancelledAt: expect.any(String) });
    expect((await expectJson<Appointment>(await api('POST', `/appointments/${booked.id}/cancel`, {}), 200)).version).toBe(1);
    const [event] = await heard('calendar.appointment_cancelled', booked.id);
    expect(event?.payload).toMatchObject({ cancelledBy: 'user', reason: 'Sick', calendarId: s.calendarId });

    const refused = await expectJson<Problem>(await api('POST', `/appointments/${booked.id}/reschedule`, { start: at('11:00') }), 409);
    expect(refused.detail).toBe('A CANCELLED appointment cannot be rescheduled');
    await expectJson(await book(s, at('10:00')), 201);
  });

  it('moves through the statuses the transitions allow, raising completed and no-show', async () => {
    const s = await setup();
    const booked = await expectJson<Appointment>(await book(s, at('09:00')), 201);
    const status = (value: string) => api('POST', `/appointments/${booked.id}/status`, { status: value });
    expect((await expectJson<Appointment>(await status('CONFIRMED'), 200)).status).toBe('CONFIRMED');
    expect((await expectJson<Appointment>(await status('COMPLETED'), 200)).status).toBe('COMPLETED');
    await heard('calendar.appointment_completed', booked.id);
    expect((await expectJson<Appointment>(await status('NO_SHOW'), 200)).status).toBe('NO_SHOW');
    await heard('calendar.appointment_no_show', booked.id);
    expect((await expectJson<Problem>(await status('CONFIRMED'), 409)).detail).toBe('A NO_SHOW appointment cannot be marked CONFIRMED');
    expect((await expectJson<Problem>(await api('POST', `/appointments/${booked.id}/cancel`, {}), 409)).detail).toBe('A NO_SHOW appointment cannot be cancelled');
    // Completed and no-show appointments do not hold their time.
    await expectJson(await book(s, at('09:00')), 201);
  });

  it('changes the title and contact; lists by time, calendar and status; keeps other tenants out', async () => {
    const s = await setup();
    const booked = await expectJson<Appointment>(await book(s, at('09:00')), 201);
    const tuesday = await expectJson<Appointment>(await book(s, at('09:00', monday.plus({ days: 1 }))), 201);
    const patched = await expectJson<Appointment>(await api('PATCH', `/appointments/${booked.id}`, { title: 'Deep clean', contactId: null }), 200);
    expect(patched).toMatchObject({ title: 'Deep clean', contactId: null, contact: null, version: 1 });
    const theirs = await setup(stranger);
    expect((await api('PATCH', `/appointments/${booked.id}`, { contactId: theirs.contactId })).status).toBe(404);

    const range = `from=${encodeURIComponent(at('00:00'))}&to=${encodeURIComponent(at('00:00', monday.plus({ days: 2 })))}`;
    const all = await expectJson<{ items: Appointment[]; nextCursor: string | null }>(await api('GET', `/appointments?${range}&calendarId=${s.calendarId}&limit=1`), 200);
    expect(all.items.map((a) => a.id)).toEqual([booked.id]);
    const next = await expectJson<{ items: Appointment[]; nextCursor: string | null }>(
      await api('GET', `/appointments?${range}&calendarId=${s.calendarId}&limit=1&cursor=${all.nextCursor}`),
      200,
    );
    expect(next).toMatchObject({ items: [{ id: tuesday.id }], nextCursor: null });
    const cancelledOnly = await expectJson<{ items: Appointment[] }>(await api('GET', `/appointments?${range}&calendarId=${s.calendarId}&status=CANCELLED`), 200);
    expect(cancelledOnly.items).toEqual([]);
    expect((await api('GET', `/appointments/${booked.id}`, undefined, stranger)).status).toBe(404);
    expect((await api('POST', `/appointments/${booked.id}/cancel`, {}, stranger)).status).toBe(404);
    expect((await expectJson<Problem>(await api('GET', `/appointments?from=${encodeURIComponent(at('00:00'))}&to=${encodeURIComponent(at('00:00', monday.plus({ days: 63 })))}`), 422)).errors?.[0]?.field).toBe('query.to');
  });
});

describe('a deleted contact', () => {
  it("cancels the contact's live appointments through the service (event, reminders) and keeps them, cancelled, without the contact", async () => {
    const s = await setup();
    const reminded = await expectJson<{ id: string }>(
      await api('POST', `/calendars/${s.calendarId}/types`, { name: 'Check-up', slug: 'check-up', durationMin: 30, reminders: [{ offsetMin: 60, channel: 'EMAIL' }] }),
      201,
    );
    const booked = await expectJson<Appointment>(await book({ ...s, typeId: reminded.id }, at('10:00')), 201);
    const pending = await soshogle.db.appointmentReminder.findMany({ where: { appointmentId: booked.id } });
    expect(pending.map((r) => r.status)).toEqual(['PENDING']);

    expect((await owner.request('DELETE', `/api/crm/contacts/${s.contactId}`)).status).toBe(204);
    expect(await soshogle.db.contact.findUnique({ where: { id: s.contactId } })).toBeNull();
    expect(await soshogle.db.appointment.findUniqueOrThrow({ where: { id: booked.id } })).toMatchObject({ status: 'CANCELLED', contactId: null, version: 1 });
    expect((await soshogle.db.appointmentReminder.findMany({ where: { appointmentId: booked.id } })).map((r) => r.status)).toEqual(['CANCELLED']);
    const [event] = await heard('calendar.appointment_cancelled', booked.id);
    expect(event?.payload).toMatchObject({ contactId: s.contactId, cancelledBy: 'user', reason: 'The contact was deleted' });
    expect((await owner.request('DELETE', `/api/crm/contacts/${s.contactId}`)).status).toBe(404);
  });
});
