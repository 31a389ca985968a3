// A booking's payment succeeded (payments.payment_succeeded naming the appointment by its
// reference): the appointment is marked PAID and confirmed, in the transaction that moved
// the payment, under the appointment's row lock, so it and the hold's end (release.ts) never
// both win. A payment that lands after the hold freed the time leaves the appointment
// cancelled but marked PAID, for a person to refund; it never throws, so a payment's state
// never rolls back for a calendar reason. A failed payment changes nothing: the payer may try
// again until the hold ends.
import { defineSubscriber, type TenantTx } from '@soshogle/core';
import { lockAppointmentOrNull, setAppointmentStatus } from '../appointments/service.ts';
import { referencedAppointment } from './request.ts';

export const confirmPaidBooking = defineSubscriber({
  name: 'confirm_paid_booking',
  event: 'payments.payment_succeeded',
  transactional: true,
  // The calendar runs without payments; then no type can take a price.
  optional: true,
  async run(ctx, event) {
    const appointmentId = referencedAppointment(event.payload.reference);
    if (!appointmentId) return;
    // The subscriber's `db` is the raising transaction.
    const tx = ctx.db as unknown as TenantTx;
    const current = await lockAppointmentOrNull(tx, ctx.tenantId, appointmentId);
    if (!current || current.paymentId !== event.payload.paymentId || current.paymentStatus === 'PAID') return;
    if (current.status === 'SCHEDULED') return void (await setAppointmentStatus(tx, ctx, appointmentId, 'CONFIRMED', { paymentStatus: 'PAID' }));
    await tx.appointment.update({ where: { id: appointmentId }, data: { paymentStatus: 'PAID' } });
    ctx.log.warn({ appointmentId, paymentId: event.payload.paymentId, status: current.status }, 'a booking was paid after it was cancelled: refund it');
  },
});
