// The public page's rate limits (CALENDAR_* settings): bookings per IP and per calendar per
// hour, slot and manage-link reads per IP per minute. Checked before anything else (a refused
// request still counts), so a flood costs one small write per request.
import { Problem, type PluginContext } from '@soshogle/core';
import type { CalendarConfig } from '../config.ts';

type Ctx = Pick<PluginContext<CalendarConfig>, 'rateLimit' | 'config'>;

async function hit(ctx: Ctx, key: string, limit: number, windowSeconds: number, what: string): Promise<void> {
  const { allowed, retryAfter } = await ctx.rateLimit(key, limit, windowSeconds);
  if (!allowed) throw new Problem(429, 'Too Many Requests', `Too many ${what}: try again in ${retryAfter} s`, { retryAfter });
}

/** Slot reads and manage-link requests from one address. */
export const limitReads = (ctx: Ctx, ip: string) => hit(ctx, `reads:ip:${ip}`, ctx.config.slotReadsPerIpMinute, 60, 'requests');

/** Bookings from one address, and on one calendar. */
export async function limitBookings(ctx: Ctx, ip: string, calendarId: string): Promise<void> {
  await hit(ctx, `bookings:ip:${ip}`, ctx.config.bookingsPerIpHour, 3600, 'bookings from this address');
  await hit(ctx, `bookings:calendar:${calendarId}`, ctx.config.bookingsPerCalendarHour, 3600, 'bookings on this calendar');
}
