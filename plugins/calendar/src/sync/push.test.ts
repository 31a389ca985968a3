// Google push through the fake: a channel opens on connect, a notification starts a read-in
// at once (the "sync" one does not), a wrong token is refused, duplicates read once, and a
// renewal opens a new channel before stopping the old one.
import { eventually, queueSettled, signedInUser } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { startSyncServer } from '../testing/sync-server.ts';
import { googlePushPath, microsoftPushPath } from './push.ts';

const { soshogle, google, graph, connect } = await startSyncServer();
const hour = 3_600_000;
const tomorrow = Math.ceil(Date.now() / hour) * hour + 24 * hour;

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
