// The public page's rate limits (CALENDAR_* settings): bookings per IP and per calendar per
// hour, slot and manage-link reads per IP per minute. Checked before anything else (a refused
// request still counts), so a flood costs one small write per request.
import { limitHits, type PluginContext } from '@soshogle/core';
import type { CalendarConfig } from '../config.ts';

type Ctx = Pick<PluginContext<CalendarConfig>, 'rateLimits' | 'config'>;

/** Slot reads and manage-link requests from one address. */
export const limitReads = (ctx: Ctx, ip: string) => limitHits(ctx, [{ key: `reads:ip:${ip}`, limit: ctx.config.slotReadsPerIpMinute, windowSeconds: 60, what: 'requests' }]);

/** Bookings from one address, and on one calendar: two calls, so a booking refused for its
 * address does not count against the calendar (one flooding address cannot close the page). */
export async function limitBookings(ctx: Ctx, ip: string, calendarId: string): Promise<void> {
  await limitHits(ctx, [{ key: `bookings:ip:${ip}`, limit: ctx.config.bookingsPerIpHour, windowSeconds: 3600, what: 'bookings from this address' }]);
  await limitHits(ctx, [{ key: `bookings:calendar:${calendarId}`, limit: ctx.config.bookingsPerCalendarHour, windowSeconds: 3600, what: 'bookings on this calendar' }]);
}
