// The live busy check at booking: the synced busy blocks are as old as the last read-in (a poll
// or a push away), so before a booking commits, the connected calendars that block the calendar
// are asked for the booked time through freeBusy. A provider that fails or has not answered
// within 1.5 s is logged and the booking goes on with the synced data: a provider outage must
// never stop bookings (fail open). Busy time found this way also queues a read-in, so the
// synced blocks, and the slots shown next, catch up.
import type { TenantContext } from '@soshogle/core';
import type { CalendarConfig } from '../config.ts';
import { withProvider } from '../providers/index.ts';
import type { Interval } from '../providers/types.ts';
import { within } from './within.ts';

export const liveCheckMs = 1_500;

export interface LiveBusy extends Interval {
  externalCalendarId: string;
}

/** What the connected calendars blocking `calendarId` report busy in `range` now ([] when nothing answered in time). */
export async function liveBusy(ctx: TenantContext<CalendarConfig>, calendarId: string, range: Interval): Promise<LiveBusy[]> {
  if (!ctx.config.liveBusyCheck) return [];
  const cals = await ctx.db.externalCalendar.findMany({
    where: { blocksCalendarId: calendarId, connection: { status: 'ACTIVE', syncEnabled: true } },
    include: { connection: true },
  });
  // One freeBusy call per connection (Node 20 has no Map.groupBy).
  const byConnection = new Map<string, typeof cals>();
  for (const c of cals) byConnection.set(c.connectionId, [...(byConnection.get(c.connectionId) ?? []), c]);
  const answers = await Promise.all(
    [...byConnection.values()].map(async (group) => {
      const connection = group[0]!.connection;
      try {
        const busy = await within(liveCheckMs, withProvider(ctx, connection, (provider) => provider.freeBusy(group.map((c) => ({ remoteId: c.remoteId })), range)));
        return group.flatMap((c) =>
          (busy.get(c.remoteId) ?? []).filter((b) => b.start < range.end && b.end > range.start).map((b) => ({ externalCalendarId: c.id, start: b.start, end: b.end })),
        );
      } catch (error) {
        ctx.log.warn({ calendarId, connectionId: connection.id, err: (error as Error).message }, 'live busy check got no answer; booking on the synced busy time');
        return [];
      }
    }),
  );
  const found = answers.flat();
  for (const externalCalendarId of new Set(found.map((b) => b.externalCalendarId))) {
    await ctx.jobs.enqueue(ctx.db, 'calendar.sync_external', { externalCalendarId }, { tenantId: ctx.tenantId });
  }
  return found;
}
