// Push: Google watch channels tell us a calendar changed, so a read-in starts at once instead
// of at the next poll (which stays as the backup). Notifications are unsigned: the channel
// token we chose, an HMAC of the channel id, proves one is ours. Channels cannot be extended:
// a new one opens 12 hours before the old one expires, then the old one is stopped.
// Graph subscriptions follow once the core's webhook `challenge` (their validationToken
// handshake) is on this branch.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { defineJob, defineWebhook, type TenantContext } from '@soshogle/core';
import { z } from 'zod';
import { calendarConfig, type CalendarConfig } from '../config.ts';
import { withProvider } from '../providers/index.ts';
import { ConnectionBroken, ProviderCallError } from '../providers/types.ts';

const renewAheadMs = 12 * 3_600_000;
/** Google's longest channel life for events is about a week; we ask for that and renew early. */
const channelTtlSeconds = 7 * 86_400;
export const googlePushPath = '/webhooks/calendar/google';

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

export type WatchResult = 'opened' | 'unsupported';

/** Opens a new channel for the calendar (replacing its current one) and plans its renewal. */
export async function watchExternalCalendar(ctx: TenantContext<CalendarConfig>, externalCalendarId: string): Promise<WatchResult> {
  const cal = await ctx.db.externalCalendar.findUnique({ where: { id: externalCalendarId }, include: { connection: true } });
  const secret = ctx.config.webhookSecret;
  if (!cal || !secret || cal.connection.status !== 'ACTIVE' || cal.connection.provider !== 'google') return 'unsupported';
  const channelId = randomUUID();
  let opened;
  try {
    opened = await withProvider(ctx, cal.connection, (provider) =>
      provider.watch ? provider.watch({ remoteId: cal.remoteId }, ctx.publicUrl(googlePushPath), channelId, channelToken(secret, channelId), channelTtlSeconds) : Promise.resolve(null),
    );
  } catch (error) {
    // Google only pushes to https addresses: without one, polling alone keeps the calendar current.
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
      runAt: new Date(Math.max(Date.now(), opened.expiresAt.getTime() - renewAheadMs)),
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
