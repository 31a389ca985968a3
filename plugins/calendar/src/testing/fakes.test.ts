// The calendar fakes driven by our real clients (googleapis' calendar module through
// `rootUrl`, our Graph fetch client), so a fake that drifts from what the clients send fails here.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDAVClient } from 'tsdav';
import { afterAll, describe, expect, it } from 'vitest';
import { googleProvider } from '../providers/google.ts';
import { microsoftProvider } from '../providers/microsoft.ts';
import { oauthClient, randomToken } from '../providers/oauth.ts';
import { ConnectionBroken, SyncTokenExpired, type ChangePage } from '../providers/types.ts';
import { calendarConfig } from '../config.ts';
import { startCaldavFake } from './caldav-fake.ts';
import { startGoogleFake } from './google-fake.ts';
import { startGraphFake } from './graph-fake.ts';

async function pages(iterable: AsyncIterable<ChangePage>): Promise<ChangePage[]> {
  const all: ChangePage[] = [];
  for await (const page of iterable) all.push(page);
  return all;
}

describe('google fake', async () => {
  const google = await startGoogleFake({ clientId: 'client-1', clientSecret: 'secret-1', allowHttpWebhooks: true });
  afterAll(() => google.close());
  const config = calendarConfig.parse({ googleClientId: 'client-1', googleClientSecret: 'secret-1', googleOauthUrl: google.url, googleApiUrl: `${google.url}/` });
  const oauth = oauthClient('google', config)!;

  async function connect() {
    const verifier = randomToken();
    const consent = await fetch(oauth.authorizeUrl({ state: 'st', verifier, redirectUri: 'http://127.0.0.1:9/back' }), { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('st');
    return oauth.exchange({ code: back.searchParams.get('code')!, verifier, redirectUri: 'http://127.0.0.1:9/back' });
  }

  it('runs the code flow with PKCE, refreshes without a new refresh token, and answers invalid_grant once revoked', async () => {
    const tokens = await connect();
    expect(tokens).toMatchObject({ email: 'owner@example.test', refreshToken: expect.stringMatching(/^1\/\//) });
    const refreshed = await oauth.refresh(tokens.refreshToken!);
    expect(refreshed.refreshToken).toBeUndefined();
    google.revoke(tokens.refreshToken);
    await expect(oauth.refresh(tokens.refreshToken!)).rejects.toThrow(ConnectionBroken);
    await expect(oauth.exchange({ code: 'nope', verifier: 'v', redirectUri: 'http://127.0.0.1:9/back' })).rejects.toThrow(ConnectionBroken);
  });

  it('pages events with nextSyncToken only on the last page, gives tombstones incrementally, and 410s a stale token', async () => {
    const { accessToken } = await connect();
    const provider = googleProvider({ accessToken, apiUrl: `${google.url}/` });
    const cal = google.addCalendar('team@example.test', { timeZone: 'Europe/Paris' });
    const day = Date.parse('2030-03-04T09:00:00Z');
    for (let i = 0; i < 260; i++) google.addBusy(cal.id, { start: new Date(day + i * 3_600_000), end: new Date(day + i * 3_600_000 + 1_800_000) });
    const window = { start: new Date(day - 86_400_000), end: new Date(day + 400 * 86_400_000) };
    const full = await pages(provider.changes({ remoteId: cal.id }, null, window));
    expect(full.map((p) => [p.upserts.length, Boolean(p.nextToken)])).toEqual([[250, false], [10, true]]);

    const first = [...cal.events.values()][0]!;
    google.externalDelete(cal.id, first.id);
    const [gone] = await pages(provider.changes({ remoteId: cal.id }, full[1]!.nextToken!, window));
    expect(gone).toMatchObject({ upserts: [], deletions: [first.id], nextToken: expect.any(String) });

    google.expireSyncTokens();
    await expect(pages(provider.changes({ remoteId: cal.id }, gone!.nextToken!, window))).rejects.toThrow(SyncTokenExpired);
    const all = await provider.freeBusy([{ remoteId: cal.id }], { start: new Date(day), end: new Date(day + 3 * 3_600_000) });
    expect(all.get(cal.id)).toHaveLength(2); // the first was deleted
  });

  it('creates one event per appointment even when the create is retried after a lost answer or a delete', async () => {
    const { accessToken } = await connect();
    const provider = googleProvider({ accessToken, apiUrl: `${google.url}/` });
    const event = { appointmentId: 'appt_1', title: 'Consult', description: null, location: null, start: new Date('2030-05-01T14:00:00Z'), end: new Date('2030-05-01T14:30:00Z'), timeZone: 'UTC' };
    google.fail({ method: 'POST', path: '/calendar/v3/calendars/:calendarId/events' }, { drop: true });
    await expect(provider.upsert({ remoteId: google.primaryId }, event, null)).rejects.toThrow();
    const created = await provider.upsert({ remoteId: google.primaryId }, event, null);
    const primary = google.calendars.get(google.primaryId)!;
    expect([...primary.events.values()].filter((e) => e.extendedProperties?.private?.soshogleAppointmentId === 'appt_1')).toHaveLength(1);
    await provider.remove({ remoteId: google.primaryId }, created);
    await provider.remove({ remoteId: google.primaryId }, created); // 410: already gone is done
    const again = await provider.upsert({ remoteId: google.primaryId }, { ...event, start: new Date('2030-05-02T14:00:00Z'), end: new Date('2030-05-02T14:30:00Z') }, null);
    expect(again.id).toBe(created.id);
    expect(primary.events.get(created.id)).toMatchObject({ status: 'confirmed', start: { dateTime: '2030-05-02T14:00:00.000Z' } });
  });

  it('refuses a bad bearer with 401 and opens and stops watch channels', async () => {
    const stale = googleProvider({ accessToken: 'ya29.wrong', apiUrl: `${google.url}/` });
    await expect(stale.listCalendars()).rejects.toThrow(ConnectionBroken);
    const { accessToken } = await connect();
    const provider = googleProvider({ accessToken, apiUrl: `${google.url}/` });
    expect((await provider.listCalendars()).find((c) => c.primary)).toMatchObject({ remoteId: google.primaryId, canWrite: true, timeZone: 'America/New_York' });
    const watched = await provider.watch!({ remoteId: google.primaryId }, 'http://127.0.0.1:9/hook', 'chan-1', 'tok', 3600);
    expect(watched.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(google.notification('chan-1', 'sync').headers).toMatchObject({ 'x-goog-channel-token': 'tok', 'x-goog-resource-state': 'sync', 'x-goog-message-number': '1' });
    await provider.unwatch!({ id: 'chan-1', resourceId: watched.resourceId });
    expect(google.channels.size).toBe(0);
  });
});

describe('graph fake', async () => {
  const graph = await startGraphFake({ clientId: 'ms-client', clientSecret: 'ms-secret' });
  afterAll(() => graph.close());
  const config = calendarConfig.parse({ microsoftClientId: 'ms-client', microsoftClientSecret: 'ms-secret', microsoftAuthorityUrl: `${graph.url}/common`, microsoftGraphUrl: `${graph.url}/v1.0` });
  const oauth = oauthClient('microsoft', config)!;

  async function connect() {
    const verifier = randomToken();
    const consent = await fetch(oauth.authorizeUrl({ state: 'st', verifier, redirectUri: 'http://127.0.0.1:9/back' }), { redirect: 'manual' });
    const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
    return oauth.exchange({ code, verifier, redirectUri: 'http://127.0.0.1:9/back' });
  }

  it('rotates the refresh token on every refresh and refuses a spent one with invalid_grant', async () => {
    const first = await connect();
    expect(first.email).toBe('owner@contoso.test');
    const second = await oauth.refresh(first.refreshToken!);
    expect(second.refreshToken).toBeDefined();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await expect(oauth.refresh(first.refreshToken!)).rejects.toThrow(/AADSTS700082/);
  });

  it('pages a delta to its deltaLink, reports removals, refuses an expired token, and dedupes creates by transactionId', async () => {
    const { accessToken } = await connect();
    const provider = microsoftProvider({ accessToken, graphUrl: `${graph.url}/v1.0` });
    const calId = graph.defaultCalendarId;
    const day = Date.parse('2030-03-04T09:00:00Z');
    const made = Array.from({ length: 150 }, (_, i) => graph.addBusy(calId, { start: new Date(day + i * 3_600_000), end: new Date(day + i * 3_600_000 + 1_800_000) }));
    const window = { start: new Date(day - 86_400_000), end: new Date(day + 60 * 86_400_000) };
    const full = await pages(provider.changes({ remoteId: calId }, null, window));
    expect(full.map((p) => [p.upserts.length, Boolean(p.nextToken)])).toEqual([[100, false], [50, true]]);
    expect(full[0]!.upserts[0]).toMatchObject({ start: new Date(day), end: new Date(day + 1_800_000), allDay: false, transparent: false });

    graph.externalDelete(made[0]!.id);
    graph.externalMove(made[1]!.id, new Date(day + 10 * 86_400_000), new Date(day + 10 * 86_400_000 + 3_600_000));
    const [delta] = await pages(provider.changes({ remoteId: calId }, full[1]!.nextToken!, window));
    expect(delta).toMatchObject({ deletions: [made[0]!.id], upserts: [{ id: made[1]!.id, start: new Date(day + 10 * 86_400_000) }] });

    graph.expireDeltaTokens();
    await expect(pages(provider.changes({ remoteId: calId }, delta!.nextToken!, window))).rejects.toThrow(SyncTokenExpired);

    const event = { appointmentId: 'appt_9', title: 'Consult', description: null, location: 'Room 1', start: new Date('2030-05-01T14:00:00Z'), end: new Date('2030-05-01T14:30:00Z'), timeZone: 'UTC' };
    const a = await provider.upsert({ remoteId: calId }, event, null);
    const b = await provider.upsert({ remoteId: calId }, event, null);
    expect(b.id).toBe(a.id);
    const busy = await provider.freeBusy([{ remoteId: calId }], { start: new Date('2030-05-01T00:00:00Z'), end: new Date('2030-05-02T00:00:00Z') });
    expect(busy.get(calId)).toEqual([{ start: event.start, end: event.end }]);
    await provider.remove({ remoteId: calId }, a);
    await provider.remove({ remoteId: calId }, a); // 404: already gone is done
  });

  it('creates a subscription only when the notification URL echoes the validation token', async () => {
    let echo = true;
    const receiver = createServer((req, res) => {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken') ?? '';
      res.writeHead(200, { 'content-type': 'text/plain' }).end(echo ? token : 'nope');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const { accessToken } = await connect();
    const provider = microsoftProvider({ accessToken, graphUrl: `${graph.url}/v1.0` });
    const watched = await provider.watch!({ remoteId: graph.defaultCalendarId }, hook, 'ignored', 'cal1.sig', 3 * 86_400);
    expect(graph.subscriptions.get(watched.channelId)).toMatchObject({ clientState: 'cal1.sig', notificationUrl: hook });
    expect(graph.changeNotification(watched.channelId, 'updated', 'ev1').body.value[0]).toMatchObject({ clientState: 'cal1.sig', resourceData: { id: 'ev1' } });
    echo = false;
    await expect(provider.watch!({ remoteId: graph.defaultCalendarId }, hook, 'ignored', 'x', 60)).rejects.toThrow(/400/);
    await provider.unwatch!({ id: watched.channelId, resourceId: watched.resourceId });
    expect(graph.subscriptions.size).toBe(0);
  });
});

describe('caldav fake', async () => {
  const caldav = await startCaldavFake({ username: 'owner@icloud.test', password: 'abcd-efgh-ijkl-mnop' });
  afterAll(() => caldav.close());
  const client = (password = 'abcd-efgh-ijkl-mnop') =>
    createDAVClient({ serverUrl: caldav.url, credentials: { username: 'owner@icloud.test', password }, authMethod: 'Basic', defaultAccountType: 'caldav' });

  it('refuses a password that is not an app-specific one', async () => {
    await expect(client('my-apple-id-password')).rejects.toThrow();
  });

  it('discovers the calendars, reads events in a range, syncs changes by token and refuses a stale one', async () => {
    const dav = await client();
    const calendars = await dav.fetchCalendars();
    expect(calendars.map((c) => [c.displayName, c.url])).toEqual([['Work', `${caldav.url}${caldav.home}work/`]]);
    const work = calendars[0]!;
    caldav.addBusy('work', { uid: 'dentist', start: new Date('2030-03-04T09:00:00Z'), end: new Date('2030-03-04T10:00:00Z') });
    caldav.addBusy('work', { uid: 'far', start: new Date('2031-03-04T09:00:00Z'), end: new Date('2031-03-04T10:00:00Z') });
    const objects = await dav.fetchCalendarObjects({ calendar: work, timeRange: { start: '2030-03-01T00:00:00Z', end: '2030-04-01T00:00:00Z' } });
    expect(objects.map((o) => o.url)).toEqual([`${caldav.url}${caldav.home}work/dentist.ics`]);
    expect(String(objects[0]!.data)).toContain('DTSTART:20300304T090000Z');

    const first = await dav.syncCollection({ url: work.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: '' });
    const token = String((await dav.fetchCalendars())[0]!.syncToken ?? '');
    expect(first.filter((r) => r.href?.endsWith('.ics'))).toHaveLength(2);
    caldav.externalDelete('work', 'far');
    const changes = await dav.syncCollection({ url: work.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: token });
    expect(changes.filter((r) => r.href?.endsWith('.ics')).map((r) => [r.href, r.status])).toEqual([[`${caldav.home}work/far.ics`, 404]]);
    caldav.expireSyncTokens('work');
    await dav.syncCollection({ url: work.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: token }).catch(() => null);
    expect(caldav.requests.at(-1)).toMatchObject({ method: 'REPORT', status: 403 });
    expect(String(caldav.requests.at(-1)!.raw)).toContain('sync-collection');
  });

  it('matches a recurring event by any instance, and expands its instances in the range when asked', async () => {
    const dav = await client();
    const [work] = await dav.fetchCalendars();
    caldav.addBusy('work', { uid: 'weekly', start: new Date('2030-01-07T08:00:00Z'), end: new Date('2030-01-07T08:30:00Z'), rrule: 'FREQ=WEEKLY;UNTIL=20300301T000000Z', exdates: [new Date('2030-02-11T08:00:00Z')] });
    const timeRange = { start: '2030-02-01T00:00:00Z', end: '2030-03-01T00:00:00Z' };
    const [series] = (await dav.fetchCalendarObjects({ calendar: work!, timeRange })).filter((o) => o.url.endsWith('/weekly.ics'));
    expect(String(series!.data)).toContain('RRULE:FREQ=WEEKLY');
    const [instances] = (await dav.fetchCalendarObjects({ calendar: work!, timeRange, expand: true })).filter((o) => o.url.endsWith('/weekly.ics'));
    expect([...String(instances!.data).matchAll(/^RECURRENCE-ID:(\S+)/gm)].map((m) => m[1])).toEqual(['20300204T080000Z', '20300218T080000Z', '20300225T080000Z']);
    expect(String(instances!.data)).not.toContain('RRULE');
    const [again] = await dav.fetchCalendarObjects({ calendar: work!, objectUrls: [series!.url], timeRange, expand: true });
    expect(String(again!.data)).toContain('RECURRENCE-ID:20300204T080000Z');
    expect(await dav.fetchCalendarObjects({ calendar: work!, timeRange: { start: '2030-03-01T00:00:00Z', end: '2030-04-01T00:00:00Z' } })).not.toContainEqual(expect.objectContaining({ url: series!.url }));
  });

  it('creates with If-None-Match, and updates and deletes only with the current ETag', async () => {
    const dav = await client();
    const [work] = await dav.fetchCalendars();
    const ics = 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:appt_1@soshogle\r\nDTSTART:20300501T140000Z\r\nDTEND:20300501T143000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    const created = await dav.createCalendarObject({ calendar: work!, iCalString: ics, filename: 'appt_1@soshogle.ics' });
    expect(created.status).toBe(201);
    expect((await dav.createCalendarObject({ calendar: work!, iCalString: ics, filename: 'appt_1@soshogle.ics' })).status).toBe(412);
    const url = `${work!.url}appt_1@soshogle.ics`;
    const etag = created.headers.get('etag')!;
    expect((await dav.updateCalendarObject({ calendarObject: { url, data: ics, etag: '"stale"' } })).status).toBe(412);
    expect((await dav.updateCalendarObject({ calendarObject: { url, data: ics, etag } })).status).toBe(204);
    expect((await dav.deleteCalendarObject({ calendarObject: { url, etag } })).status).toBe(412);
  });
});
