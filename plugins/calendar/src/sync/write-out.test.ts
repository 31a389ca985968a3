// Appointments written out to Google and Microsoft through the fakes: created once despite a
// lost answer, moved, removed on cancel, and Google's 409 for an id used before.
import { queueSettled, signedInUser } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { googleEventId } from '../providers/google.ts';
import { appointmentsOn } from '../testing/appointments.ts';
import { startSyncServer } from '../testing/sync-server.ts';

const server = await startSyncServer();
const { soshogle, google, graph } = server;
const { calendarWritingTo, book, move, cancel, synced, hour, tomorrow } = appointmentsOn(server);

describe('write-out to Google', () => {
  it('creates the event once although the first answer was lost, then moves and removes it', async () => {
    const user = await signedInUser(soshogle);
    const cal = await calendarWritingTo(user, 'google', google.primaryId);
    google.fail({ method: 'POST', path: '/calendar/v3/calendars/:calendarId/events' }, { drop: true });
    const appointment = await book(user.userId, cal.id, tomorrow);
    const written = await synced(appointment.id);
    expect(written).toMatchObject({ externalEventId: googleEventId(appointment.id), calendarProvider: 'google' });
    const remote = google.calendars.get(google.primaryId)!.events;
    expect([...remote.values()].filter((e) => e.extendedProperties?.private?.soshogleAppointmentId === appointment.id)).toHaveLength(1);

    await move(user.userId, appointment.id, tomorrow + 2 * hour);
    await synced(appointment.id);
    expect(remote.get(written.externalEventId!)).toMatchObject({ status: 'confirmed', start: { dateTime: new Date(tomorrow + 2 * hour).toISOString() } });

    await cancel(user.userId, appointment.id);
    await synced(appointment.id);
    expect(remote.get(written.externalEventId!)?.status).toBe('cancelled');
  });

  it('writes nothing for a calendar without a write target', async () => {
    const user = await signedInUser(soshogle);
    const cal = await soshogle.db.calendar.create({ data: { userId: user.userId, name: 'Solo', timeZone: 'UTC', publicSlug: `solo-${user.userId}` } });
    google.reset();
    const appointment = await book(user.userId, cal.id, tomorrow + 5 * hour);
    await queueSettled(soshogle);
    expect(google.requests).toHaveLength(0);
    expect((await soshogle.db.appointment.findUniqueOrThrow({ where: { id: appointment.id } })).externalEventId).toBeNull();
  });
});

describe('write-out to Microsoft', () => {
  it('dedupes a retried create by transactionId, then moves and deletes the event', async () => {
    const user = await signedInUser(soshogle);
    const cal = await calendarWritingTo(user, 'microsoft', graph.defaultCalendarId);
    graph.fail({ method: 'POST', path: '/v1.0/me/calendars/:id/events' }, { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'try later' } } });
    const appointment = await book(user.userId, cal.id, tomorrow + 8 * hour);
    const written = await synced(appointment.id);
    const remote = graph.calendars.get(graph.defaultCalendarId)!.events;
    expect([...remote.values()].filter((e) => e.transactionId === appointment.id)).toHaveLength(1);
    await move(user.userId, appointment.id, tomorrow + 9 * hour);
    await synced(appointment.id);
    expect(remote.get(written.externalEventId!)?.start.dateTime).toBe(new Date(tomorrow + 9 * hour).toISOString().slice(0, 19));
    await cancel(user.userId, appointment.id);
    await synced(appointment.id);
    expect(remote.get(written.externalEventId!)?.deleted).toBe(true);
  });
});
