// The public page's rate limits (CALENDAR_* settings): bookings per IP and per calendar per
// hour, slot and manage-link reads per IP per minute. Checked before anything else (a refused
// request still counts), so a flood costs one small write per request.
import { limitHits, type PluginContext } from '@soshogle/core';
import type { CalendarConfig } from '../config.ts';

type Ctx = Pick<PluginContext<CalendarConfig>, 'rateLimits' | 'config'>;

/** Slot reads and manage-link requests from one address. */
export const limitReads = (ctx: Ctx, ip: string) => limitHits(ctx, `reads:ip:${ip}`, ctx.config.slotReadsPerIpMinute, 60, 'requests');

/** Bookings from one address, and on one calendar. */
export async function limitBookings(ctx: Ctx, ip: string, calendarId: string): Promise<void> {
  await limitHits(ctx, `bookings:ip:${ip}`, ctx.config.bookingsPerIpHour, 3600, 'bookings from this address');
  await limitHits(ctx, `bookings:calendar:${calendarId}`, ctx.config.bookingsPerCalendarHour, 3600, 'bookings on this calendar');
}
