// Our appointments moved or deleted in the external calendar come back: the appointment moves
// or is cancelled with changedBy "external" (reminders and waits follow its events), and is
// marked written (the remote already says so: nothing is written back, no ping-pong).
// A move onto another booking's time keeps ours as it was, records the clash and tells the team.
// Both go through the appointments service, the one path for every transition: its events,
// reminders and workflow waits follow an external move like any other.
import { isExclusionViolation, type TenantContext, type TenantTx } from '@soshogle/core';
import { cancelAppointment, lockAppointment, rescheduleAppointment } from '../appointments/service.ts';
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
      const a = await tx.appointment.findUnique({ where: { id: change.appointmentId }, select: { id: true } });
      if (!a) return 'unchanged';
      const current = await lockAppointment(tx, ctx.tenantId, a.id);
      if (!(active as readonly string[]).includes(current.status) || current.externalCalendarId !== externalCalendarId) return 'unchanged';
      // A change made here and not yet written out wins: the write-out will overwrite the remote.
      if (current.version !== current.syncedVersion) return 'unchanged';
      if (!change.moved) {
        const cancelled = await cancelAppointment(tx, ctx, a.id, { by: 'external', reason: 'Deleted in the connected calendar' });
        // The remote already says so: marked written, so nothing is written back.
        await tx.appointment.update({ where: { id: a.id }, data: { syncedVersion: cancelled.version, externalEventId: null, externalEtag: null } });
        return 'cancelled';
      }
      const { start, end } = change.moved;
      if (start.getTime() === current.startTime.getTime() && end.getTime() === current.endTime.getTime()) return 'unchanged';
      // Whoever moved it in their calendar meant that time: hours and notice do not apply; overlaps still do.
      const moved = await rescheduleAppointment(tx, ctx, a.id, {
        start, durationMin: Math.max(1, Math.round((end.getTime() - start.getTime()) / 60_000)), by: 'external', outsideHours: true, ignoreNotice: true,
      });
      await tx.appointment.update({ where: { id: a.id }, data: { syncedVersion: moved.version, externalEtag: change.moved.etag ?? current.externalEtag } });
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
