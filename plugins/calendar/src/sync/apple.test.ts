// An Apple (CalDAV) account through the fake: connected with an app-specific password, busy
// time read in and followed by sync token (403 valid-sync-token → full read), appointments
// written out as <id>@soshogle.ics and moves read back, recurring events read as their instances.
import { eventually, expectJson, queueSettled, signedInUser } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { appointmentsOn } from '../testing/appointments.ts';
import { startCaldavFake } from '../testing/caldav-fake.ts';
import { startSyncServer, type ShownConnection } from '../testing/sync-server.ts';

const server = await startSyncServer({ microsoft: false });
const { soshogle } = server;
const { book, synced, hour, tomorrow } = appointmentsOn(server);
const caldav = await startCaldavFake({ username: 'owner@icloud.test', password: 'abcd-efgh-ijkl-mnop' });
afterAll(() => caldav.close());

describe('apple connection', () => {
  it('refuses a wrong password, then reads busy time in by sync token, writes appointments out and follows their moves', async () => {
    const user = await signedInUser(soshogle);
    const account = { username: 'owner@icloud.test', appPassword: 'abcd-efgh-ijkl-mnop', serverUrl: caldav.url };
    const refused = await expectJson<{ errors: { field: string }[] }>(await user.request('POST', '/api/calendar/connections/apple', { ...account, appPassword: 'my-apple-id-password' }), 422);
    expect(refused.errors[0]!.field).toBe('body.appPassword');

    caldav.addBusy('work', { uid: 'dentist', start: new Date(tomorrow), end: new Date(tomorrow + hour) });
    const connection = await expectJson<ShownConnection>(await user.request('POST', '/api/calendar/connections/apple', account), 201);
    expect(connection).toMatchObject({ status: 'ACTIVE', accountEmail: 'owner@icloud.test' });
    const work = connection.externalCalendars[0]!;
    expect((await soshogle.db.calendarConnection.findUniqueOrThrow({ where: { id: connection.id } })).appPassword).toMatch(/^v1\./);
    const blocks = () => soshogle.db.externalBusyBlock.findMany({ where: { externalCalendarId: work.id } });
    await eventually(async () => (await blocks()).length === 1 && (await soshogle.db.externalCalendar.findUniqueOrThrow({ where: { id: work.id } })).syncToken);

    caldav.addBusy('work', { uid: 'gym', start: new Date(tomorrow + 2 * hour), end: new Date(tomorrow + 3 * hour) });
    caldav.externalDelete('work', 'dentist');
    await expectJson(await user.request('POST', `/api/calendar/external-calendars/${work.id}/sync`), 204);
    await eventually(async () => {
      const now = await blocks();
      return now.length === 1 && now[0]!.remoteEventId.endsWith('/gym.ics');
    });

    caldav.expireSyncTokens('work');
    caldav.reset();
    await expectJson(await user.request('POST', `/api/calendar/external-calendars/${work.id}/sync`), 204);
    await queueSettled(soshogle);
    expect(caldav.requests.some((r) => r.method === 'REPORT' && r.status === 403)).toBe(true);
    expect((await blocks()).map((b) => b.remoteEventId.split('/').pop())).toEqual(['gym.ics']);

    const cal = await soshogle.db.calendar.create({ data: { userId: user.userId, name: 'Chair', timeZone: 'UTC', publicSlug: `chair-apple-${user.userId}` } });
    await expectJson(await user.request('PUT', `/api/calendar/calendars/${cal.id}/write-target`, { externalCalendarId: work.id }), 200);
    const appointment = await book(user.userId, cal.id, tomorrow + 5 * hour);
    const written = await synced(appointment.id);
    expect(written.externalEventId).toBe(`${caldav.url}${caldav.home}work/${encodeURIComponent(`${appointment.id}@soshogle`)}.ics`);
    expect(caldav.collections.get('work')!.objects.get(`${appointment.id}@soshogle`)?.ics).toContain(`UID:${appointment.id}@soshogle`);

    caldav.externalMove('work', `${appointment.id}@soshogle`, new Date(tomorrow + 7 * hour), new Date(tomorrow + 7.5 * hour));
    await expectJson(await user.request('POST', `/api/calendar/external-calendars/${work.id}/sync`), 204);
    await eventually(async () => (await soshogle.db.appointment.findUniqueOrThrow({ where: { id: appointment.id } })).startTime.getTime() === tomorrow + 7 * hour);
  });

  it('reads a weekly event as a block for each week’s instance, none for an excluded one, and follows a new exclusion', async () => {
    const user = await signedInUser(soshogle);
    const week = 7 * 24 * hour;
    const first = tomorrow + 9 * hour;
    const weeks = (n: number[]) => n.map((i) => new Date(first + i * week));
    caldav.addBusy('work', { uid: 'standup', start: new Date(first), end: new Date(first + hour / 2), rrule: 'FREQ=WEEKLY;COUNT=6', exdates: weeks([2]) });
    const connection = await expectJson<ShownConnection>(await user.request('POST', '/api/calendar/connections/apple', { username: 'owner@icloud.test', appPassword: 'abcd-efgh-ijkl-mnop', serverUrl: caldav.url }), 201);
    const work = connection.externalCalendars[0]!;
    const standups = async () =>
      (await soshogle.db.externalBusyBlock.findMany({ where: { externalCalendarId: work.id, remoteEventId: { contains: '/standup.ics' } }, orderBy: { start: 'asc' } })).map((b) => [b.start, b.end.getTime() - b.start.getTime()]);
    await eventually(async () => (await soshogle.db.externalCalendar.findUniqueOrThrow({ where: { id: work.id } })).syncToken);
    expect(await standups()).toEqual(weeks([0, 1, 3, 4, 5]).map((at) => [at, hour / 2]));
    expect(caldav.requests.some((r) => r.method === 'REPORT' && /<(\w+:)?expand /.test(r.raw.toString('utf8')))).toBe(true);

    // Week 4 deleted on the phone: the incremental read replaces the series' blocks.
    caldav.externalDeleteInstance('work', 'standup', weeks([4])[0]!);
    await expectJson(await user.request('POST', `/api/calendar/external-calendars/${work.id}/sync`), 204);
    await eventually(async () => (await standups()).length === 4);
    expect(await standups()).toEqual(weeks([0, 1, 3, 5]).map((at) => [at, hour / 2]));
    caldav.externalDelete('work', 'standup');
    await expectJson(await user.request('POST', `/api/calendar/external-calendars/${work.id}/sync`), 204);
    await eventually(async () => (await standups()).length === 0);
  });
});
