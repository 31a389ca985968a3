// A booking of a type with a price: in the booking's transaction, the appointment (already
// holding its time) is marked AWAITING payment until the hold ends, the payments plugin is
// asked for the payment request through its action (keyed by the appointment, so a retried
// booking makes one payment), and a job is queued at the hold's end to free the time if it
// is still unpaid (release.ts). The payment events name the appointment by `reference`
// (paid.ts): the two plugins never read each other's rows.
import type { Jobs, TenantContext, TenantTx } from '@soshogle/core';
import type { Appointment } from '../appointments/service.ts';
import { whenText } from '../reminders/templates.ts';

/** How long a booking waits for its payment when the type does not say. */
export const defaultHoldMinutes = 30;

/** What a payment asked for a booking names, in the payment events. */
export const appointmentReference = (appointmentId: string) => `calendar.appointment:${appointmentId}`;

/** The appointment a payment's reference names, or null when it names something else. */
export function referencedAppointment(reference: string | null | undefined): string | null {
  const prefix = appointmentReference('');
  return reference?.startsWith(prefix) ? reference.slice(prefix.length) || null : null;
}

/** What a type asks: a price (Prisma Decimal or a string) in its currency, and how long to wait for it. */
export interface PriceOf {
  name: string;
  price: { toString(): string } | null;
  currency: string | null;
  paymentHoldMinutes: number | null;
}

/** Whether the payments plugin is on to ask for a price (the calendar runs without it). */
export const takesPayments = (ctx: Pick<TenantContext, 'actions'>): boolean => ctx.actions.offers('payments.create_payment_request');

/** Whether a booking of the type is paid: a price with its currency. */
export const isPriced = <T extends Pick<PriceOf, 'price' | 'currency'>>(type: T): type is T & { price: NonNullable<T['price']>; currency: string } =>
  type.price !== null && !!type.currency;

/** How long a booking of the type waits for its payment. */
export const holdMinutes = (type: Pick<PriceOf, 'paymentHoldMinutes'>): number => type.paymentHoldMinutes ?? defaultHoldMinutes;

/** When the hold of a booking starting at `start` ends: after the type's hold minutes, and never after the start. */
export const paymentDueAt = (type: Pick<PriceOf, 'paymentHoldMinutes'>, start: Date, now = new Date()): Date =>
  new Date(Math.min(+now + holdMinutes(type) * 60_000, +start));

export interface AskedPayment {
  paymentId: string;
  payUrl: string;
  dueAt: Date;
}

type Ctx = Pick<TenantContext, 'tenantId' | 'actions'> & { jobs: Jobs };

/** Asks for the booking's payment inside `tx`, held until paymentDueAt, or does nothing for a free type. */
export async function askForPayment(tx: TenantTx, ctx: Ctx, appointment: Appointment, type: PriceOf, now = new Date()): Promise<AskedPayment | null> {
  if (!isPriced(type)) return null;
  const dueAt = paymentDueAt(type, appointment.startTime, now);
  const reference = appointmentReference(appointment.id);
  const { paymentId, url } = await ctx.actions.run(
    tx,
    'payments.create_payment_request',
    {
      contactId: appointment.contactId, amount: type.price.toString(), currency: type.currency, description: `${type.name} ${whenText(appointment.startTime, appointment.timezone)}`,
      expiresAt: dueAt.toISOString(), source: 'BOOKING', reference,
    },
    { tenantId: ctx.tenantId, idempotencyKey: reference, contactId: appointment.contactId },
  );
  await tx.appointment.update({ where: { id: appointment.id }, data: { paymentId, paymentStatus: 'AWAITING', paymentDueAt: dueAt } });
  await ctx.jobs.enqueue(tx, 'calendar.release_unpaid_booking', { appointmentId: appointment.id }, { tenantId: ctx.tenantId, runAt: dueAt });
  return { paymentId, payUrl: url, dueAt };
}
