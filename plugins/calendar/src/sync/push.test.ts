// Google push through the fake: a channel opens on connect, a notification starts a read-in
// at once (the "sync" one does not), a wrong token is refused, duplicates read once, and a
// renewal opens a new channel before stopping the old one. A disconnect stops the channels;
// a broken connection stops renewing them.
import { eventually, expectJson, queueSettled, signedInUser } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { startSyncServer } from '../testing/sync-server.ts';
import { googlePushPath, microsoftPushPath } from './push.ts';
import { markBroken } from './tokens.ts';

const { soshogle, google, graph, connect } = await startSyncServer();
const hour = 3_600_000;
const tomorrow = Math.ceil(Date.now() / hour) * hour + 24 * hour;

/** The calendar's row once its channel is open and its first read is in. */
const watched = (externalCalendarId: string) =>
  eventually(async () => {
    const row = await soshogle.db.externalCalendar.findUniqueOrThrow({ where: { id: externalCalendarId } });
    return row.channelId && row.syncToken ? row : null;
  });

describe('google push', () => {
  it('reads in on a notification, refuses a wrong token, reads duplicates once, and renews the channel', async () => {
    const user = await signedInUser(soshogle);
    const connection = await connect(user, 'google');
    const primary = connection.externalCalendars.find((c) => c.remoteId === google.primaryId)!;
    const watched = await eventually(async () => {
      const row = await soshogle.db.externalCalendar.findUniqueOrThrow({ where: { id: primary.id } });
      return row.channelId && row.syncToken ? row : null;
    });
    const channel = google.channels.get(watched.channelId!)!;
    expect(channel.address).toBe(`${soshogle.url}${googlePushPath}`);
    await queueSettled(soshogle);

    const hello = await google.deliver(channel.address, google.notification(channel.id, 'sync'));
    expect(hello.status).toBe(200);
    const forged = await google.deliver(channel.address, google.notification(channel.id, 'exists', { token: 'not-ours' }));
    expect(forged.status).toBe(401);

    const busy = google.addBusy(google.primaryId, { start: new Date(tomorrow), end: new Date(tomorrow + hour) });
    google.reset();
    const notified = google.notification(channel.id, 'exists');
    await google.deliver(notified.url, { ...notified, duplicate: 2 });
    await eventually(async () => soshogle.db.externalBusyBlock.findFirst({ where: { externalCalendarId: primary.id, remoteEventId: busy.id } }));
    await queueSettled(soshogle);
    expect(google.deliveries.slice(-3).map((d) => d.status)).toEqual([200, 200, 200]);
    expect(google.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/events'))).toHaveLength(1);

    // Renewal (run now rather than 12 h before expiry): a new channel, the old one stopped.
    await soshogle.tenantContext('calendar', user.userId).jobs.enqueue(soshogle.db, 'calendar.watch_external', { externalCalendarId: primary.id, channelId: channel.id }, { tenantId: user.userId });
    const renewed = await eventually(async () => {
      const row = await soshogle.db.externalCalendar.findUniqueOrThrow({ where: { id: primary.id } });
      return row.channelId !== channel.id ? row : null;
    });
    await eventually(async () => !google.channels.has(channel.id));
    expect(google.channels.get(renewed.channelId!)).toBeDefined();
  });
});

describe('microsoft push', () => {
  it('subscribes through the validation handshake, reads in on a change, refuses a wrong clientState, and resubscribes on a lifecycle event', async () => {
    const user = await signedInUser(soshogle);
    const connection = await connect(user, 'microsoft');
    const cal = connection.externalCalendars[0]!;
    const subscribed = await eventually(async () => {
      const row = await soshogle.db.externalCalendar.findUniqueOrThrow({ where: { id: cal.id } });
      return row.channelId && row.syncToken ? row : null;
    });
    const subscription = graph.subscriptions.get(subscribed.channelId!)!;
    expect(subscription.notificationUrl).toBe(`${soshogle.url}${microsoftPushPath}`);
    await queueSettled(soshogle);

    const forged = await graph.deliver(subscription.notificationUrl, graph.changeNotification(subscription.id, 'created', 'x', { clientState: `${cal.id}.forged` }));
    expect(forged.status).toBe(401);
    const busy = graph.addBusy(graph.defaultCalendarId, { start: new Date(tomorrow), end: new Date(tomorrow + hour) });
    const notified = await graph.deliver(subscription.notificationUrl, { ...graph.changeNotification(subscription.id, 'created', busy.id), duplicate: 1 });
    expect(notified.status).toBe(202);
    await eventually(async () => soshogle.db.externalBusyBlock.findFirst({ where: { externalCalendarId: cal.id, remoteEventId: busy.id } }));

    await graph.deliver(subscription.lifecycleNotificationUrl!, graph.lifecycle(subscription.id, 'reauthorizationRequired'));
    const renewed = await eventually(async () => {
      const row = await soshogle.db.externalCalendar.findUniqueOrThrow({ where: { id: cal.id } });
      return row.channelId !== subscription.id ? row : null;
    });
    await eventually(async () => !graph.subscriptions.has(subscription.id));
    expect(graph.subscriptions.get(renewed.channelId!)).toBeDefined();
  });
});

describe('disconnect', () => {
  it('stops the Google channel and the Graph subscription, and a late push for them is acknowledged without a read', async () => {
    const user = await signedInUser(soshogle);
    const viaGoogle = await connect(user, 'google');
    const viaGraph = await connect(user, 'microsoft');
    const googleCal = await watched(viaGoogle.externalCalendars.find((c) => c.remoteId === google.primaryId)!.id);
    const graphCal = await watched(viaGraph.externalCalendars[0]!.id);
    await queueSettled(soshogle);
    const lateGoogle = google.notification(googleCal.channelId!, 'exists');
    const lateGraph = graph.changeNotification(graphCal.channelId!, 'created', 'late');

    await expectJson(await user.request('DELETE', `/api/calendar/connections/${viaGoogle.id}`), 204);
    await expectJson(await user.request('DELETE', `/api/calendar/connections/${viaGraph.id}`), 204);
    expect(google.channels.has(googleCal.channelId!)).toBe(false);
    expect(graph.subscriptions.has(graphCal.channelId!)).toBe(false);
    expect(await soshogle.db.externalCalendar.count({ where: { id: { in: [googleCal.id, graphCal.id] } } })).toBe(0);

    google.reset();
    graph.reset();
    const googleAnswer = await google.deliver(lateGoogle.url, lateGoogle);
    expect(googleAnswer.status).toBe(200);
    expect(await googleAnswer.json()).toMatchObject({ ignored: true });
    expect((await graph.deliver(lateGraph.url, lateGraph)).status).toBe(202);
    await queueSettled(soshogle);
    expect(google.requests).toEqual([]);
    expect(graph.requests).toEqual([]);
  });

  it('goes on when the provider refuses to stop the channel', async () => {
    const user = await signedInUser(soshogle);
    const viaGoogle = await connect(user, 'google');
    const cal = await watched(viaGoogle.externalCalendars[0]!.id);
    await queueSettled(soshogle);
    google.fail({ method: 'POST', path: '/calendar/v3/channels/stop' }, { status: 503, body: { error: { code: 503, message: 'Backend Error' } } });
    await expectJson(await user.request('DELETE', `/api/calendar/connections/${viaGoogle.id}`), 204);
    expect(google.requests.filter((r) => r.path === '/calendar/v3/channels/stop').map((r) => r.status)).toEqual([503]);
    expect(google.channels.has(cal.channelId!)).toBe(true); // it expires on its own
    expect(await soshogle.db.calendarConnection.count({ where: { id: viaGoogle.id } })).toBe(0);
    await expectJson(await user.request('DELETE', `/api/calendar/connections/${viaGoogle.id}`), 404);
  });

  it('stops renewing the channel of a broken connection', async () => {
    const user = await signedInUser(soshogle);
    const viaGoogle = await connect(user, 'google');
    const cal = await watched(viaGoogle.externalCalendars[0]!.id);
    await queueSettled(soshogle);
    const ctx = soshogle.tenantContext('calendar', user.userId);
    await markBroken(ctx as Parameters<typeof markBroken>[0], viaGoogle.id, 'Token has been expired or revoked.');
    google.reset();
    await ctx.jobs.enqueue(soshogle.db, 'calendar.watch_external', { externalCalendarId: cal.id, channelId: cal.channelId! }, { tenantId: user.userId });
    await queueSettled(soshogle);
    expect(google.requests.filter((r) => r.path.endsWith('/events/watch'))).toEqual([]);
    expect((await soshogle.db.externalCalendar.findUniqueOrThrow({ where: { id: cal.id } })).channelId).toBe(cal.channelId);
  });
});
