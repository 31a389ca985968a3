// Disconnecting a calendar account: its push channels are stopped first (a Google channel or a
// Graph subscription left open keeps pushing for up to a week), then the connection goes with
// its calendars and busy time. Stopping is best effort: a provider that fails or is slow is
// logged and the disconnect goes on (its channels expire on their own, and their late pushes
// name a channel we no longer know, so they are acknowledged and read nothing in).
import { notFound, type TenantContext } from '@soshogle/core';
import type { CalendarConfig } from '../config.ts';
import { withProvider } from '../providers/index.ts';
import { within } from './within.ts';

const stopWithinMs = 5_000;

export async function disconnectConnection(ctx: TenantContext<CalendarConfig>, connectionId: string): Promise<void> {
  const connection = await ctx.db.calendarConnection.findUnique({
    where: { id: connectionId },
    include: { externalCalendars: { where: { channelId: { not: null } }, select: { id: true, channelId: true, channelResourceId: true } } },
  });
  if (!connection) throw notFound('Calendar connection');
  const open = connection.externalCalendars.map((c) => ({ externalCalendarId: c.id, id: c.channelId!, resourceId: c.channelResourceId ?? c.channelId! }));
  if (open.length > 0 && connection.status === 'ACTIVE') {
    try {
      await within(stopWithinMs, withProvider(ctx, connection, async (provider) => {
        for (const channel of open) {
          try {
            await provider.unwatch?.(channel);
          } catch (error) {
            ctx.log.warn({ connectionId, externalCalendarId: channel.externalCalendarId, err: (error as Error).message }, 'calendar push channel not stopped on disconnect; it expires on its own');
          }
        }
      }));
    } catch (error) {
      ctx.log.warn({ connectionId, err: (error as Error).message }, 'calendar push channels not stopped on disconnect; they expire on their own');
    }
  }
  await ctx.db.calendarConnection.deleteMany({ where: { id: connectionId } });
}
