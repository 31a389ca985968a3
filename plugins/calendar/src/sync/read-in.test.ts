// Our appointments moved or deleted in Google or Outlook come back here (and are not written
// back); a move onto another booking keeps ours and says so; stale remote times never undo a
// change made here that is still being written out.
import { eventRecorder, eventually, expectJson, queueSettled, signedInUser, type TestClient } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { appointmentsOn } from '../testing/appointments.ts';
import { startSyncServer } from '../testing/sync-server.ts';

const recorder = eventRecorder(['calendar.appointment_rescheduled', 'calendar.appointment_cancelled']);
const server = await startSyncServer({ plugins: [recorder.plugin] });
const { soshogle, google, graph } = server;
const { calendarWritingTo, book, synced, hour, tomorrow } = appointmentsOn(server);

async function syncNow(user: TestClient, externalCalendarId: string) {
  await expectJson(await user.request('POST', `/api/calendar/external-calendars/${externalCalendarId}/sync`), 204);
  await queueSettled(soshogle);
}
const row = (id: string) => soshogle.db.appointment.findUniqueOrThrow({ where: { id } });
const eventsOf = (appointmentId: string) => recorder.heard.filter((e) => e.payload.appointmentId === appointmentId);

describe('read-in from Google', () => {
  it('moves and then cancels the appointment with changedBy external, writing nothing back', async () => {
    const user = await signedInUser(soshogle);
    const cal = await calendarWritingTo(user, 'google', google.primaryId);
    const appointment = await book(user.userId, cal.id, tomorrow);
    const written = await synced(appointment.id);
    const target = written.externalCalendarId!;

    google.externalMove(google.primaryId, written.externalEventId!, new Date(tomorrow + 3 * hour), new Date(tomorrow + 4 * hour));
    google.reset();
    await syncNow(user, target);
    expect(await row(appointment.id)).toMatchObject({ startTime: new Date(tomorrow + 3 * hour), endTime: new Date(tomorrow + 4 * hour), blockEnd: new Date(tomorrow + 4 * hour), status: 'SCHEDULED' });
    expect(google.requests.filter((r) => r.method !== 'GET')).toEqual([]); // no write-back
    const [moved] = await eventually(async () => (eventsOf(appointment.id).length ? eventsOf(appointment.id) : null));
    expect(moved?.payload).toMatchObject({ changedBy: 'external', previousStartTime: new Date(tomorrow).toISOString() });

    google.externalDelete(google.primaryId, written.externalEventId!);
    await syncNow(user, target);
    expect(await row(appointment.id)).toMatchObject({ status: 'CANCELLED', externalEventId: null });
    expect((await eventually(async () => (eventsOf(appointment.id).length === 2 ? eventsOf(appointment.id) : null))).map((e) => e.type)).toEqual(['calendar.appointment_rescheduled', 'calendar.appointment_cancelled']);
  });

  it('keeps an appointment whose remote move lands on another booking, and records the clash', async () => {
    const user = await signedInUser(soshogle);
    const cal = await calendarWritingTo(user, 'google', google.primaryId);
    const first = await book(user.userId, cal.id, tomorrow + 6 * hour);
    const second = await book(user.userId, cal.id, tomorrow + 8 * hour);
    const written = await synced(first.id);
    await synced(second.id);
    google.externalMove(google.primaryId, written.externalEventId!, new Date(tomorrow + 8 * hour), new Date(tomorrow + 8.5 * hour));
    await syncNow(user, written.externalCalendarId!);
    expect((await row(first.id)).startTime).toEqual(new Date(tomorrow + 6 * hour));
    expect((await soshogle.db.externalCalendar.findUniqueOrThrow({ where: { id: written.externalCalendarId! } })).syncError).toContain('overlaps another booking');
    expect(await soshogle.db.notification.findMany({ where: { userId: user.userId } })).toEqual([expect.objectContaining({ title: 'A calendar move clashes with a booking' })]);
  });
});

describe('read-in from Microsoft', () => {
  it('follows a move and a delete through the delta', async () => {
    const user = await signedInUser(soshogle);
    const cal = await calendarWritingTo(user, 'microsoft', graph.defaultCalendarId);
    const appointment = await book(user.userId, cal.id, tomorrow + 10 * hour);
    const written = await synced(appointment.id);
    await eventually(async () => (await soshogle.db.externalCalendar.findUniqueOrThrow({ where: { id: written.externalCalendarId! } })).syncToken);
    graph.externalMove(written.externalEventId!, new Date(tomorrow + 11 * hour), new Date(tomorrow + 12 * hour));
    await syncNow(user, written.externalCalendarId!);
    expect((await row(appointment.id)).startTime).toEqual(new Date(tomorrow + 11 * hour));
    graph.externalDelete(written.externalEventId!);
    await syncNow(user, written.externalCalendarId!);
    expect((await row(appointment.id)).status).toBe('CANCELLED');
  });
});
