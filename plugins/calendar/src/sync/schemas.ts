// What the sync API answers: connections (never their tokens) and their remote calendars.
import { isoDate } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import { z } from 'zod';

type CalendarConnection = Prisma.CalendarConnectionGetPayload<object>;
type ExternalCalendar = Prisma.ExternalCalendarGetPayload<object>;

export const externalCalendarResponse = z
  .object({
    id: z.string(),
    connectionId: z.string(),
    remoteId: z.string(),
    name: z.string(),
    remoteTimeZone: z.string().nullable(),
    /** Our calendar whose free slots its busy time removes (null: it blocks nothing). */
    blocksCalendarId: z.string().nullable(),
    allDayBlocks: z.boolean(),
    lastSyncedAt: isoDate.nullable(),
    syncError: z.string().nullable(),
    /** A push channel is open (else it is polled). */
    pushUntil: isoDate.nullable(),
  })
  .meta({ id: 'ExternalCalendar', description: 'A calendar of a connected Google, Microsoft or Apple account' });

export const connectionResponse = z
  .object({
    id: z.string(),
    provider: z.string(),
    /** PENDING (consent under way), ACTIVE, BROKEN (reconnect), SANDBOX (simulated: no OAuth client configured). */
    status: z.enum(['PENDING', 'ACTIVE', 'BROKEN', 'SANDBOX']),
    accountEmail: z.string().nullable(),
    syncEnabled: z.boolean(),
    lastSyncedAt: isoDate.nullable(),
    brokenAt: isoDate.nullable(),
    brokenReason: z.string().nullable(),
    createdAt: isoDate,
    externalCalendars: z.array(externalCalendarResponse),
  })
  .meta({ id: 'CalendarConnection', description: 'A connected calendar account and its calendars' });

export const connectionStarted = z
  .object({
    /** Where to send the browser for consent; null in sandbox mode (the connection is ready). */
    authorizeUrl: z.string().nullable(),
    connection: connectionResponse,
  })
  .meta({ id: 'CalendarConnectionStart', description: 'A connection under way: the consent page to open' });

export function shownExternalCalendar(cal: ExternalCalendar): z.output<typeof externalCalendarResponse> {
  return {
    id: cal.id,
    connectionId: cal.connectionId,
    remoteId: cal.remoteId,
    name: cal.name,
    remoteTimeZone: cal.remoteTimeZone,
    blocksCalendarId: cal.blocksCalendarId,
    allDayBlocks: cal.allDayBlocks,
    lastSyncedAt: cal.lastSyncedAt,
    syncError: cal.syncError,
    pushUntil: cal.channelExpiresAt,
  };
}

export function shownConnection(connection: CalendarConnection & { externalCalendars: ExternalCalendar[] }): z.output<typeof connectionResponse> {
  return {
    id: connection.id,
    provider: connection.provider,
    status: connection.status,
    accountEmail: connection.accountEmail,
    syncEnabled: connection.syncEnabled,
    lastSyncedAt: connection.lastSyncedAt,
    brokenAt: connection.brokenAt,
    brokenReason: connection.brokenReason,
    createdAt: connection.createdAt,
    externalCalendars: connection.externalCalendars.map(shownExternalCalendar),
  };
}
