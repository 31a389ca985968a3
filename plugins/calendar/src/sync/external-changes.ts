// Our appointments moved or deleted in the external calendar come back: the appointment moves
// or is cancelled with changedBy "external" (reminders and waits follow its events), and is
// marked written (the remote already says so: nothing is written back, no ping-pong).
// A move onto another booking's time keeps ours as it was, records the clash and tells the team.
//
// TODO(cal-appts merge): route these two transitions through the appointments service's
// reschedule/cancel (the one path for every transition) once it exists on this branch.
import { isExclusionViolation, type TenantContext, type TenantTx } from '@soshogle/core';
import type { ChangePage } from '../providers/types.ts';

export interface ExternalChange {
  appointmentId: string;
  /** Null: deleted remotely. */
  moved: { start: Date; end: Date; etag?: string | undefined } | null;
}

const active = ['SCHEDULED', 'CONFIRMED'] as const;

/** The changes in `pages` that touch our appointments written to this external calendar. */
export async function externalChangesOf(db: TenantTx, externalCalendarId: string, pages: ChangePage[]): Promise<ExternalChange[]> {
  const moved = pages.flatMap((p) => p.upserts).filter((e) => e.ourAppointmentId);
  const deleted = pages.flatMap((p) => [...p.deletions, ...p.upserts.filter((e) => e.cancelled).map((e) => e.id)]);
  const gone = deleted.length === 0 ? [] : await db.appointment.findMany({
    where: { externalCalendarId, externalEventId: { in: deleted }, status: { in: [...active] } },
    select: { id: true },
  });
  return [
    ...moved.map((e) => ({ appointmentId: e.ourAppointmentId!, moved: { start: e.start, end: e.end, etag: e.etag } })),
    ...gone.map((a) => ({ appointmentId: a.id, moved: null })),
  ];
}

/** Applies one external change in its own transaction (an overlap aborts only this one). */
export async function followExternalChange(ctx: TenantContext, externalCalendarId: string, change: ExternalChange): Promise<'moved' | 'cancelled' | 'unchanged' | 'clash'> {
  try {
    return await ctx.db.$transaction(async (tx) => {
      const a = await tx.appointment.findUnique({ where: { id: change.appointmentId } });
      if (!a || !(active as readonly string[]).includes(a.status) || a.externalCalendarId !== externalCalendarId) return 'unchanged';
      // A change made here and not yet written out wins: the write-out will overwrite the remote.
      if (a.version !== a.syncedVersion) return 'unchanged';
      const version = a.version + 1;
      if (!change.moved) {
        await tx.appointment.update({
          where: { id: a.id },
          data: { status: 'CANCELLED', cancelledAt: new Date(), cancelReason: 'Deleted in the connected calendar', version, syncedVersion: version, externalEventId: null, externalEtag: null },
        });
        await ctx.events.raise(tx, 'calendar.appointment_cancelled', {
          appointmentId: a.id, contactId: a.contactId, calendarId: a.calendarId, appointmentTypeId: a.appointmentTypeId,
          startTime: a.startTime.toISOString(), source: a.source, cancelledBy: 'external', reason: 'Deleted in the connected calendar',
        }, { tenantId: ctx.tenantId });
        return 'cancelled';
      }
      const { start, end } = change.moved;
      if (start.getTime() === a.startTime.getTime() && end.getTime() === a.endTime.getTime()) return 'unchanged';
      // The buffers around it stay as they were.
      const before = a.startTime.getTime() - a.blockStart.getTime();
      const after = a.blockEnd.getTime() - a.endTime.getTime();
      await tx.appointment.update({
        where: { id: a.id },
        data: {
          startTime: start, endTime: end, blockStart: new Date(start.getTime() - before), blockEnd: new Date(end.getTime() + after),
          version, syncedVersion: version, externalEtag: change.moved.etag ?? a.externalEtag,
        },
      });
      await ctx.events.raise(tx, 'calendar.appointment_rescheduled', {
        appointmentId: a.id, contactId: a.contactId, calendarId: a.calendarId, appointmentTypeId: a.appointmentTypeId,
        startTime: start.toISOString(), previousStartTime: a.startTime.toISOString(), source: a.source, changedBy: 'external',
      }, { tenantId: ctx.tenantId });
      return 'moved';
    });
  } catch (error) {
    if (!isExclusionViolation(error)) throw error;
    const detail = `An appointment moved in the connected calendar overlaps another booking; it keeps its time here (${change.appointmentId})`;
    await ctx.db.$transaction(async (tx) => {
      await tx.externalCalendar.update({ where: { id: externalCalendarId }, data: { syncError: detail } });
      await ctx.actions.run(tx, 'core.notify', { title: 'A calendar move clashes with a booking', body: detail, link: '/calendar' }, {
        tenantId: ctx.tenantId,
        idempotencyKey: `calendar-clash:${change.appointmentId}:${change.moved?.start.toISOString()}`,
      });
    });
    return 'clash';
  }
}
