// Push: Google watch channels and Graph subscriptions tell us a calendar changed, so a
// read-in starts at once instead of at the next poll (which stays as the backup).
// Notifications are unsigned: the token we chose (Google's channel token, Graph's
// clientState), an HMAC under CALENDAR_WEBHOOK_SECRET, proves one is ours. Channels cannot be
// extended: a new one opens before the old one expires (Google 12 h, Graph 24 h), then the
// old one is stopped.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { defineJob, defineWebhook, type TenantContext } from '@soshogle/core';
import { z } from 'zod';
import { calendarConfig, type CalendarConfig } from '../config.ts';
import { withProvider } from '../providers/index.ts';
import { ConnectionBroken, ProviderCallError } from '../providers/types.ts';

/** Google's longest channel life for events is about a week; Outlook subscriptions about 7 days (we ask 3). */
const channels = {
  google: { path: '/webhooks/calendar/google', ttlSeconds: 7 * 86_400, renewAheadMs: 12 * 3_600_000 },
  microsoft: { path: '/webhooks/calendar/microsoft', ttlSeconds: 3 * 86_400, renewAheadMs: 24 * 3_600_000 },
} as const;
export const googlePushPath = channels.google.path;
export const microsoftPushPath = channels.microsoft.path;

/**
 * Graph's clientState (at most 128 chars): the calendar's id and an HMAC of it, so `verify`,
 * which has no database, can recompute it from the notification alone.
 */
export function clientStateOf(secret: string, externalCalendarId: string): string {
  return `${externalCalendarId}.${createHmac('sha256', secret).update(`graph-subscription:${externalCalendarId}`).digest('base64url')}`;
}

/** The token a channel carries: recomputable from the channel id alone, so verify needs no database. */
export function channelToken(secret: string, channelId: string): string {
  return createHmac('sha256', secret).update(`google-channel:${channelId}`).digest('base64url');
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const googlePushWebhook = defineWebhook({
  config: calendarConfig,
  summary: "Google Calendar push notifications for the watched calendars (body-less; X-Goog-* headers)",
  path: '/google',
  verify(request, ctx) {
    const channelId = header(request.headers, 'x-goog-channel-id');
    const secret = ctx.config.webhookSecret;
    return Boolean(secret && channelId) && sameText(header(request.headers, 'x-goog-channel-token'), channelToken(secret!, channelId));
  },
  deliveryId: (request) => `${header(request.headers, 'x-goog-channel-id')}:${header(request.headers, 'x-goog-message-number')}`,
  async tenant(request, lookup) {
    const cal = await lookup.externalCalendar.findUnique({ where: { channelId: header(request.headers, 'x-goog-channel-id') }, select: { userId: true } });
    return cal?.userId ?? null;
  },
  async handle(request, ctx) {
    // "sync" only says the channel is open.
    if (header(request.headers, 'x-goog-resource-state') === 'sync') return;
    const cal = await ctx.tx.externalCalendar.findUnique({ where: { channelId: header(request.headers, 'x-goog-channel-id') }, select: { id: true } });
    if (cal) await ctx.jobs.enqueue(ctx.tx, 'calendar.sync_external', { externalCalendarId: cal.id }, { tenantId: ctx.tenantId });
  },
});

interface GraphNotification {
  subscriptionId?: string;
  clientState?: string;
  changeType?: string;
  lifecycleEvent?: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
}

function graphItems(raw: Buffer): GraphNotification[] {
  try {
    const body = JSON.parse(raw.toString('utf8')) as { value?: unknown };
    return Array.isArray(body.value) ? (body.value as GraphNotification[]) : [];
  } catch {
    return [];
  }
}

export const microsoftPushWebhook = defineWebhook({
  config: calendarConfig,
  summary: 'Microsoft Graph change and lifecycle notifications for the subscribed calendars (and their validationToken handshake)',
  path: '/microsoft',
  // Graph proves the URL first: it POSTs ?validationToken=... and wants it back as text within 10 s.
  challenge(request) {
    const token = request.query.get('validationToken');
    return token && token.length <= 1024 ? token : null;
  },
  verify(request, ctx) {
    const secret = ctx.config.webhookSecret;
    const items = graphItems(request.rawBody);
    if (!secret || items.length === 0) return false;
    return items.every((item) => {
      const calendarId = (item.clientState ?? '').split('.')[0] ?? '';
      return Boolean(calendarId) && sameText(item.clientState ?? '', clientStateOf(secret, calendarId));
    });
  },
  deliveryId: (request) => createHash('sha256').update(request.rawBody).digest('base64url'),
  async tenant(request, lookup) {
    const first = graphItems(request.rawBody)[0];
    const cal = first?.subscriptionId ? await lookup.externalCalendar.findUnique({ where: { channelId: first.subscriptionId }, select: { userId: true } }) : null;
    return cal?.userId ?? null;
  },
  async handle(request, ctx) {
    for (const item of graphItems(request.rawBody)) {
      const cal = await ctx.tx.externalCalendar.findUnique({ where: { channelId: item.subscriptionId ?? '' }, select: { id: true, channelId: true } });
      if (!cal) continue;
      // Reauthorization and removal: a new subscription (it replaces this one); anything else: read in.
      if (item.lifecycleEvent === 'reauthorizationRequired' || item.lifecycleEvent === 'subscriptionRemoved') {
        await ctx.jobs.enqueue(ctx.tx, 'calendar.watch_external', { externalCalendarId: cal.id, channelId: cal.channelId ?? undefined }, { tenantId: ctx.tenantId });
      } else {
        await ctx.jobs.enqueue(ctx.tx, 'calendar.sync_external', { externalCalendarId: cal.id }, { tenantId: ctx.tenantId });
      }
    }
  },
  // Graph wants a fast 202; slow endpoints are throttled, then dropped.
  reply: { status: 202 },
});

export type WatchResult = 'opened' | 'unsupported';

/** Opens a new channel for the calendar (replacing its current one) and plans its renewal. */
export async function watchExternalCalendar(ctx: TenantContext<CalendarConfig>, externalCalendarId: string): Promise<WatchResult> {
  const cal = await ctx.db.externalCalendar.findUnique({ where: { id: externalCalendarId }, include: { connection: true } });
  const secret = ctx.config.webhookSecret;
  if (!cal || !secret || cal.connection.status !== 'ACTIVE' || (cal.connection.provider !== 'google' && cal.connection.provider !== 'microsoft')) return 'unsupported';
  const kind = channels[cal.connection.provider];
  const channelId = randomUUID();
  const token = cal.connection.provider === 'google' ? channelToken(secret, channelId) : clientStateOf(secret, cal.id);
  let opened;
  try {
    opened = await withProvider(ctx, cal.connection, (provider) =>
      provider.watch ? provider.watch({ remoteId: cal.remoteId }, ctx.publicUrl(kind.path), channelId, token, kind.ttlSeconds) : Promise.resolve(null),
    );
  } catch (error) {
    // Google only pushes to https addresses (Graph's handshake may fail too): polling alone then keeps the calendar current.
    if (error instanceof ConnectionBroken || (error instanceof ProviderCallError && error.status === 400)) {
      ctx.log.info({ externalCalendarId, error: (error as Error).message }, 'calendar push not available; polling only');
      return 'unsupported';
    }
    throw error;
  }
  if (!opened) return 'unsupported';
  const previous = cal.channelId && cal.channelResourceId ? { id: cal.channelId, resourceId: cal.channelResourceId } : null;
  await ctx.db.$transaction(async (tx) => {
    await tx.externalCalendar.update({ where: { id: cal.id }, data: { channelId: opened.channelId, channelResourceId: opened.resourceId, channelExpiresAt: opened.expiresAt } });
    await ctx.jobs.enqueue(tx, 'calendar.watch_external', { externalCalendarId: cal.id, channelId: opened.channelId }, {
      tenantId: ctx.tenantId,
      runAt: new Date(Math.max(Date.now(), opened.expiresAt.getTime() - kind.renewAheadMs)),
    });
  });
  // The new channel is in place: the old one can go (a failure here only means duplicate notifications until it expires).
  if (previous) await withProvider(ctx, cal.connection, (provider) => provider.unwatch?.(previous) ?? Promise.resolve()).catch(() => undefined);
  return 'opened';
}

export const watchExternalJob = defineJob({
  name: 'watch_external',
  config: calendarConfig,
  payload: z.object({
    externalCalendarId: z.string().min(1),
    /** A renewal names the channel it renews: when that is no longer the calendar's, the run is stale. */
    channelId: z.string().optional(),
  }),
  maxAttempts: 5,
  async run(ctx, job) {
    if (job.channelId) {
      const cal = await ctx.db.externalCalendar.findUnique({ where: { id: job.externalCalendarId }, select: { channelId: true } });
      if (cal?.channelId !== job.channelId) return;
    }
    await watchExternalCalendar(ctx, job.externalCalendarId);
  },
});
