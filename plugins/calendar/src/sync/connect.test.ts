// Connecting a Google account through the fake, reading its busy time in, refreshing and
// losing tokens, and the sandbox without OAuth clients: against the real server and database.
import { eventually, expectJson, queueSettled, signedInUser } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { startSyncServer, type ShownConnection as Connection } from '../testing/sync-server.ts';

// Google configured, Microsoft not: Microsoft connections run in sandbox mode.
const { soshogle, google, consent: consentTo } = await startSyncServer({ microsoft: false });
const consent = (user: Parameters<typeof consentTo>[0], body: Record<string, unknown> = {}) => consentTo(user, 'google', body);

const hour = 3_600_000;
const tomorrow = Math.ceil(Date.now() / hour) * hour + 24 * hour;

describe('google connection', () => {
  it('connects through OAuth with PKCE, keeps tokens sealed, and refuses a state from another tenant', async () => {
    const user = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    const { connection, code, state } = await consent(user);
    expect(connection.status).toBe('PENDING');
    await expectJson(await other.request('POST', '/api/calendar/connections/google/complete', { code, state }), 404);
    const done = await expectJson<Connection>(await user.request('POST', '/api/calendar/connections/google/complete', { code, state }), 200);
    expect(done).toMatchObject({ status: 'ACTIVE', accountEmail: 'owner@example.test' });
    expect(done.externalCalendars.map((c) => c.remoteId)).toContain(google.primaryId);
    const row = await soshogle.db.calendarConnection.findUniqueOrThrow({ where: { id: done.id } });
    expect(row.accessToken).toMatch(/^v1\./);
    expect(row.refreshToken).toMatch(/^v1\./);
    expect(JSON.stringify(done)).not.toContain('ya29.');
    // The state is spent.
    await expectJson(await user.request('POST', '/api/calendar/connections/google/complete', { code, state }), 404);
    await expectJson(await user.request('POST', '/api/calendar/connections/google/complete', { code: 'x' }), 422);
  });

  it('reads busy time in, incrementally and after an expired sync token, for the calendar it blocks', async () => {
    const user = await signedInUser(soshogle);
    const busy = google.addBusy(google.primaryId, { start: new Date(tomorrow), end: new Date(tomorrow + hour), summary: 'Dentist' });
    google.addBusy(google.primaryId, { start: new Date(tomorrow + 2 * hour), end: new Date(tomorrow + 3 * hour), transparent: true });
    const { code, state } = await consent(user);
    const done = await expectJson<Connection>(await user.request('POST', '/api/calendar/connections/google/complete', { code, state }), 200);
    const primary = done.externalCalendars.find((c) => c.remoteId === google.primaryId)!;
    const ours = await soshogle.db.calendar.create({ data: { userId: user.userId, name: 'Chair', timeZone: 'UTC', publicSlug: `chair-${user.userId}` } });
    await expectJson(await user.request('PATCH', `/api/calendar/external-calendars/${primary.id}`, { blocksCalendarId: 'nope' }), 422);
    expect(await expectJson(await user.request('PATCH', `/api/calendar/external-calendars/${primary.id}`, { blocksCalendarId: ours.id }), 200)).toMatchObject({ blocksCalendarId: ours.id });

    const blocks = () => soshogle.db.externalBusyBlock.findMany({ where: { externalCalendarId: primary.id }, orderBy: { start: 'asc' } });
    // The first read runs on its own after connecting; the free event does not block.
    const first = await eventually(async () => ((await blocks()).some((b) => b.remoteEventId === busy.id) ? blocks() : null));
    expect(first.filter((b) => b.start.getTime() >= tomorrow && b.start.getTime() < tomorrow + 4 * hour)).toHaveLength(1);

    google.externalMove(google.primaryId, busy.id, new Date(tomorrow + 5 * hour), new Date(tomorrow + 6 * hour));
    await expectJson(await user.request('POST', `/api/calendar/external-calendars/${primary.id}/sync`), 204);
    await eventually(async () => (await blocks()).find((b) => b.remoteEventId === busy.id && b.start.getTime() === tomorrow + 5 * hour));

    google.externalDelete(google.primaryId, busy.id);
    google.expireSyncTokens();
    google.reset();
    await expectJson(await user.request('POST', `/api/calendar/external-calendars/${primary.id}/sync`), 204);
    await eventually(async () => !(await blocks()).some((b) => b.remoteEventId === busy.id));
    const lists = google.requests.filter((r) => r.path.endsWith('/events') && r.method === 'GET');
    expect(lists.map((r) => [r.status, r.query.syncToken ? 'incremental' : 'full'])).toEqual([[410, 'incremental'], [200, 'full']]);
    expect((await soshogle.db.externalCalendar.findUniqueOrThrow({ where: { id: primary.id } })).lastFullSyncAt).not.toBeNull();
  });

  it('refreshes an expiring token, and on invalid_grant marks the connection broken, tells the team, and reconnects in place', async () => {
    const user = await signedInUser(soshogle);
    const { code, state } = await consent(user);
    const done = await expectJson<Connection>(await user.request('POST', '/api/calendar/connections/google/complete', { code, state }), 200);
    const cal = done.externalCalendars[0]!;
    await queueSettled(soshogle);
    const before = await soshogle.db.calendarConnection.findUniqueOrThrow({ where: { id: done.id } });
    await soshogle.db.calendarConnection.update({ where: { id: done.id }, data: { tokenExpiry: new Date(Date.now() + 60_000) } });
    google.reset();
    await expectJson(await user.request('POST', `/api/calendar/external-calendars/${cal.id}/sync`), 204);
    await eventually(async () => google.requests.find((r) => r.path.endsWith('/events') && r.status === 200));
    expect(google.requests[0]!.body).toMatchObject({ grant_type: 'refresh_token' });
    const after = await soshogle.db.calendarConnection.findUniqueOrThrow({ where: { id: done.id } });
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBe(before.refreshToken); // Google sent none: the old one stays

    google.revoke();
    google.expireAccessTokens();
    await soshogle.db.calendarConnection.update({ where: { id: done.id }, data: { tokenExpiry: new Date(0) } });
    await expectJson(await user.request('POST', `/api/calendar/external-calendars/${cal.id}/sync`), 204);
    const broken = await eventually(async () => {
      const row = await soshogle.db.calendarConnection.findUniqueOrThrow({ where: { id: done.id } });
      return row.status === 'BROKEN' ? row : null;
    });
    expect(broken.brokenReason).toContain('expired or revoked');
    expect(await soshogle.db.notification.findMany({ where: { userId: user.userId } })).toEqual([expect.objectContaining({ title: 'Reconnect your google calendar', link: '/settings/calendar-connections' })]);

    const again = await consent(user, { connectionId: done.id });
    expect(again.connection.id).toBe(done.id);
    const back = await expectJson<Connection>(await user.request('POST', '/api/calendar/connections/google/complete', { code: again.code, state: again.state }), 200);
    expect(back).toMatchObject({ id: done.id, status: 'ACTIVE' });
    expect(back.externalCalendars.map((c) => c.id)).toContain(cal.id);
  });
});

describe('sandbox mode', () => {
  it('connects without an OAuth client and takes simulated events through the read-in path', async () => {
    const user = await signedInUser(soshogle);
    const started = await expectJson<{ authorizeUrl: string | null; connection: Connection }>(await user.request('POST', '/api/calendar/connections/microsoft/start', {}), 201);
    expect(started).toMatchObject({ authorizeUrl: null, connection: { status: 'SANDBOX' } });
    const external = started.connection.externalCalendars[0]!;
    const event = { externalCalendarId: external.id, eventId: 'lunch', start: new Date(tomorrow).toISOString(), end: new Date(tomorrow + hour).toISOString() };
    await expectJson(await user.request('POST', '/api/calendar/sandbox/events', event), 204);
    expect(await soshogle.db.externalBusyBlock.count({ where: { externalCalendarId: external.id } })).toBe(1);
    await expectJson(await user.request('POST', '/api/calendar/sandbox/events', { ...event, end: event.start }), 422);
    await expectJson(await user.request('POST', '/api/calendar/sandbox/events', { externalCalendarId: external.id, eventId: 'lunch', deleted: true }), 204);
    expect(await soshogle.db.externalBusyBlock.count({ where: { externalCalendarId: external.id } })).toBe(0);
    const list = await expectJson<{ items: Connection[] }>(await user.request('GET', '/api/calendar/connections'), 200);
    expect(list.items).toHaveLength(1);
  });
});
