// What a read-in changes here: the busy time of a remote calendar, one ExternalBusyBlock per
// event instance, which the slot loader subtracts from the calendar it blocks. Events marked
// free, cancelled or deleted stop blocking; all-day ones only when the calendar says so.
import type { TenantTx } from '@soshogle/core';
import type { ChangePage, RemoteEvent } from '../providers/types.ts';

export interface BusyTarget {
  id: string;
  allDayBlocks: boolean;
}

function blocks(target: BusyTarget, event: RemoteEvent): boolean {
  return !event.cancelled && !event.transparent && event.end > event.start && (target.allDayBlocks || !event.allDay);
}

/** Applies one page of remote changes to the calendar's busy blocks. */
export async function applyChangePage(tx: TenantTx, tenantId: string, target: BusyTarget, page: ChangePage): Promise<void> {
  if (page.replaced?.length) {
    await tx.externalBusyBlock.deleteMany({
      where: { externalCalendarId: target.id, OR: page.replaced.flatMap((id) => [{ remoteEventId: id }, { remoteEventId: { startsWith: `${id}#` } }]) },
    });
  }
  const gone = [...page.deletions, ...page.upserts.filter((e) => !blocks(target, e)).map((e) => e.id)];
  if (gone.length > 0) await tx.externalBusyBlock.deleteMany({ where: { externalCalendarId: target.id, remoteEventId: { in: gone } } });
  for (const event of page.upserts.filter((e) => blocks(target, e))) {
    const fields = { start: event.start, end: event.end, allDay: event.allDay, appointmentId: event.ourAppointmentId ?? null };
    await tx.externalBusyBlock.upsert({
      where: { externalCalendarId_remoteEventId: { externalCalendarId: target.id, remoteEventId: event.id } },
      create: { userId: tenantId, externalCalendarId: target.id, remoteEventId: event.id, ...fields },
      update: fields,
    });
  }
}

/** A full read starts over: every block it does not see again was deleted remotely. */
export async function clearBusy(tx: TenantTx, externalCalendarId: string): Promise<void> {
  await tx.externalBusyBlock.deleteMany({ where: { externalCalendarId } });
}
