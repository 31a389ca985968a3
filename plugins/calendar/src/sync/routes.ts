// The sync API the settings screen needs: connect (start / complete), list, reconnect,
// disconnect, choose which of our calendars a remote calendar blocks, and the sandbox's
// simulated external events.
import { defineRoute, invalid, noContent, notFound, refuse } from '@soshogle/core';
import { z } from 'zod';
import { calendarConfig } from '../config.ts';
import { applyChangePage } from './busy.ts';
import { completeConnection, connectApple, startConnection } from './connections.ts';
import { disconnectConnection } from './disconnect.ts';
import { connectionResponse, connectionStarted, externalCalendarResponse, shownConnection, shownExternalCalendar } from './schemas.ts';

const oauthProvider = z.object({ provider: z.enum(['google', 'microsoft']) });
const id = z.object({ id: z.string().min(1).max(64) });
const withCalendars = { externalCalendars: { orderBy: { name: 'asc' as const } } };

export const syncRoutes = [
  defineRoute({
    method: 'POST',
    path: '/connections/:provider/start',
    summary: 'Start connecting a Google or Microsoft calendar account (or reconnect a broken one): the consent page to open',
    config: calendarConfig,
    params: oauthProvider,
    body: z.object({ connectionId: z.string().min(1).max(64).optional().describe('Reconnect this connection instead of making a new one') }),
    status: 201,
    response: connectionStarted,
    async handler(ctx) {
      const { authorizeUrl, connection } = await startConnection(ctx, ctx.params.provider, ctx.body.connectionId);
      return { authorizeUrl, connection: shownConnection(connection) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/connections/:provider/complete',
    summary: 'Finish connecting with the code and state the provider sent back to the admin UI',
    config: calendarConfig,
    params: oauthProvider,
    body: z.object({ code: z.string().min(1).max(4096), state: z.string().min(1).max(256) }),
    response: connectionResponse,
    async handler(ctx) {
      return shownConnection(await completeConnection(ctx, ctx.params.provider, ctx.body));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/connections/apple',
    summary: 'Connect an Apple iCloud (or other CalDAV) calendar account with an app-specific password',
    config: calendarConfig,
    body: z.object({
      username: z.string().trim().min(3).max(254).describe('The Apple ID'),
      appPassword: z.string().trim().min(8).max(128).describe('An app-specific password (appleid.apple.com), not the Apple ID password'),
      serverUrl: z.url({ protocol: /^https?$/ }).max(500).optional().describe('Another CalDAV server than iCloud'),
    }),
    status: 201,
    response: connectionResponse,
    async handler(ctx) {
      return shownConnection(await connectApple(ctx, ctx.body));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/connections',
    summary: "The account's calendar connections with their calendars",
    response: z.object({ items: z.array(connectionResponse) }),
    async handler({ db }) {
      const rows = await db.calendarConnection.findMany({ where: { status: { not: 'PENDING' } }, include: withCalendars, orderBy: { createdAt: 'asc' } });
      return { items: rows.map(shownConnection) };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/connections/:id',
    summary: 'Disconnect a calendar account: its calendars and their busy time go with it',
    config: calendarConfig,
    params: id,
    response: noContent,
    async handler(ctx) {
      await disconnectConnection(ctx, ctx.params.id);
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/external-calendars/:id',
    summary: "Choose which of our calendars a connected calendar's busy time blocks, and whether all-day events count",
    params: id,
    body: z.object({
      blocksCalendarId: z.string().min(1).max(64).nullable().optional(),
      allDayBlocks: z.boolean().optional(),
    }),
    response: externalCalendarResponse,
    async handler({ db, params, body }) {
      const cal = await db.externalCalendar.findUnique({ where: { id: params.id } });
      if (!cal) throw notFound('External calendar');
      if (body.blocksCalendarId && !(await db.calendar.findUnique({ where: { id: body.blocksCalendarId }, select: { id: true } }))) {
        throw invalid('body.blocksCalendarId', 'No calendar with this id');
      }
      return shownExternalCalendar(await db.externalCalendar.update({ where: { id: cal.id }, data: body }));
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/calendars/:id/write-target',
    summary: "Choose the connected calendar this calendar's appointments are written to (null: none)",
    params: id,
    body: z.object({ externalCalendarId: z.string().min(1).max(64).nullable() }),
    response: z.object({ calendarId: z.string(), writeTargetId: z.string().nullable() }).meta({ id: 'CalendarWriteTarget', description: 'Where a calendar writes its appointments' }),
    async handler({ db, params, body }) {
      if (!(await db.calendar.findUnique({ where: { id: params.id }, select: { id: true } }))) throw notFound('Calendar');
      if (body.externalCalendarId && !(await db.externalCalendar.findUnique({ where: { id: body.externalCalendarId }, select: { id: true } }))) {
        throw invalid('body.externalCalendarId', 'No connected calendar with this id');
      }
      const saved = await db.calendar.update({ where: { id: params.id }, data: { writeTargetId: body.externalCalendarId }, select: { id: true, writeTargetId: true } });
      return { calendarId: saved.id, writeTargetId: saved.writeTargetId };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/external-calendars/:id/sync',
    summary: 'Read a connected calendar in now, without waiting for its next poll',
    params: id,
    response: noContent,
    async handler({ db, params, jobs, tenantId }) {
      if (!(await db.externalCalendar.findUnique({ where: { id: params.id }, select: { id: true } }))) throw notFound('External calendar');
      await jobs.enqueue(db, 'calendar.sync_external', { externalCalendarId: params.id }, { tenantId });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/sandbox/events',
    summary: 'Simulate an event made, moved or deleted in a sandbox connection’s calendar, through the same path as a real read-in',
    body: z.object({
      externalCalendarId: z.string().min(1).max(64),
      eventId: z.string().trim().min(1).max(200),
      start: z.iso.datetime({ offset: true }).optional(),
      end: z.iso.datetime({ offset: true }).optional(),
      allDay: z.boolean().default(false),
      /** Marked free: it does not block. */
      transparent: z.boolean().default(false),
      deleted: z.boolean().default(false),
    }),
    response: noContent,
    async handler({ db, body, tenantId }) {
      const cal = await db.externalCalendar.findUnique({ where: { id: body.externalCalendarId }, include: { connection: { select: { status: true } } } });
      if (!cal) throw invalid('body.externalCalendarId', 'No external calendar with this id');
      if (cal.connection.status !== 'SANDBOX') throw refuse(409, 'This calendar is connected to a real account: its events come from there', [{ field: 'body.externalCalendarId', message: 'Not a sandbox calendar' }]);
      if (!body.deleted && (!body.start || !body.end)) throw invalid(body.start ? 'body.end' : 'body.start', 'Required unless deleted');
      if (body.start && body.end && Date.parse(body.end) <= Date.parse(body.start)) throw invalid('body.end', 'Must be after start');
      const page = body.deleted
        ? { upserts: [], deletions: [body.eventId] }
        : { upserts: [{ id: body.eventId, start: new Date(body.start!), end: new Date(body.end!), allDay: body.allDay, transparent: body.transparent, cancelled: false }], deletions: [] };
      await db.$transaction((tx) => applyChangePage(tx, tenantId, cal, page));
    },
  }),
];
