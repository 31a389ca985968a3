import { z } from 'zod';

/**
 * CALENDAR_* settings of the installation. Every key is optional: without OAuth clients the
 * sync runs in sandbox mode, and the limits have defaults a small business never meets.
 */
export const calendarConfig = z.object({
  /** Signs Google watch-channel tokens and Graph clientState values. */
  webhookSecret: z.string().min(16).optional(),
  googleClientId: z.string().min(1).optional(),
  googleClientSecret: z.string().min(1).optional(),
  /** Where Google's OAuth and Calendar APIs are; tests point them at local fakes. */
  googleOauthUrl: z.url().default('https://oauth2.googleapis.com'),
  googleApiUrl: z.url().default('https://www.googleapis.com/'),
  microsoftClientId: z.string().min(1).optional(),
  microsoftClientSecret: z.string().min(1).optional(),
  microsoftAuthorityUrl: z.url().default('https://login.microsoftonline.com/common'),
  microsoftGraphUrl: z.url().default('https://graph.microsoft.com/v1.0'),
  /** Whether users may connect a CalDAV server on a private network or over http (a LAN Nextcloud; tests). */
  caldavPrivateServers: z.stringbool().default(false),
  /** How often connections without push notifications are polled. */
  pollMinutes: z.coerce.number().int().min(1).max(1440).default(10),
  /** Public booking page limits (per IP per hour, slot reads per IP per minute, per calendar per hour). */
  bookingsPerIpHour: z.coerce.number().int().min(1).default(10),
  slotReadsPerIpMinute: z.coerce.number().int().min(1).default(120),
  bookingsPerCalendarHour: z.coerce.number().int().min(1).default(60),
  /** Ask the connected calendars for busy time at booking (fail open after 1.5 s): sync/live-busy.ts. */
  liveBusyCheck: z.stringbool().default(true),
});

export type CalendarConfig = z.output<typeof calendarConfig>;
