// The hold of an unpaid booking ends: a job queued at its end (request.ts) cancels the
// appointment if it is still AWAITING payment, through the appointments service, so the time
// is freed and calendar.appointment_cancelled is raised (cancelledBy "system", reason
// "unpaid") as for any cancel: reminders stop, the external calendar hears it. A payment that
// arrived first (paid.ts, under the same row lock) leaves nothing to do. The payment link
// expires at the same time, so a late payer cannot pay for a freed time.
import { defineJob, type TenantContext, type TenantTx } from '@soshogle/core';
import { z } from 'zod';
import { cancelAppointment, lockAppointmentOrNull } from '../appointments/service.ts';
import { isActive } from '../appointments/transitions.ts';

export const unpaidReason = 'unpaid';

/** Cancels the appointment if its hold has ended (by `now`) unpaid; true when it did. */
export async function releaseUnpaid(tx: TenantTx, ctx: Pick<TenantContext, 'tenantId' | 'events' | 'workflows'>, appointmentId: string, now = new Date()): Promise<boolean> {
  const current = await lockAppointmentOrNull(tx, ctx.tenantId, appointmentId);
  if (!current || current.paymentStatus !== 'AWAITING' || !current.paymentDueAt || current.paymentDueAt > now) return false;
  const expired = { paymentStatus: 'EXPIRED' as const };
  if (isActive(current.status)) await cancelAppointment(tx, ctx, appointmentId, { by: 'system', reason: unpaidReason, also: expired });
  else await tx.appointment.update({ where: { id: appointmentId }, data: expired });
  return true;
}

export const releaseUnpaidBooking = defineJob({
  name: 'release_unpaid_booking',
  payload: z.object({ appointmentId: z.string().min(1) }),
  async run(ctx, { appointmentId }) {
    await ctx.db.$transaction((tx) => releaseUnpaid(tx, ctx, appointmentId));
  },
});
