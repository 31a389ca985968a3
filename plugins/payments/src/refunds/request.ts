// Asking for a refund: under the payment's lock, what is left to refund is the amount less
// every refund that succeeded or is still on its way (so two requests at once cannot
// refund more than was paid); the refund row and its job commit together. A sandbox
// payment has no provider to ask: its refund succeeds at once through the state machine.
import { conflict, invalid, notFound, type PluginContext, type TenantTx } from '@soshogle/core';
import type { PaymentRefund } from '@soshogle/db';
import { fromMinor, MoneyError, toMinor } from '../money.ts';
import { applyPaymentUpdates, lockPaymentBy } from '../state.ts';
import { refundJob } from './job.ts';

type Ctx = Pick<PluginContext, 'events' | 'log' | 'jobs'> & { tenantId: string };

export interface RefundAsked {
  paymentId: string;
  /** Decimal string; default everything left. */
  amount?: string | null;
  reason?: string | null;
  /** A user id, or "workflow". */
  requestedBy: string;
  fieldPrefix?: string;
}

export async function requestRefund(ctx: Ctx, tx: TenantTx, asked: RefundAsked): Promise<PaymentRefund> {
  const prefix = asked.fieldPrefix ?? '';
  const payment = await lockPaymentBy(tx, ctx.tenantId, { id: asked.paymentId });
  if (!payment) throw notFound('Payment');
  if (payment.status !== 'SUCCEEDED' && payment.status !== 'REFUNDED') throw conflict('Only a paid payment can be refunded', 'status');
  const open = await tx.paymentRefund.findMany({ where: { paymentId: payment.id, status: { in: ['PENDING', 'SUCCEEDED'] } }, select: { amount: true } });
  const paidMinor = toMinor(payment.amount, payment.currency);
  const leftMinor = paidMinor - open.reduce((sum, r) => sum + toMinor(r.amount, payment.currency), 0);
  if (leftMinor <= 0) throw conflict('Nothing is left to refund', 'amountRefunded');
  let amountMinor = leftMinor;
  if (asked.amount) {
    try {
      amountMinor = toMinor(asked.amount, payment.currency);
    } catch (error) {
      if (error instanceof MoneyError) throw invalid(`${prefix}amount`, error.message);
      throw error;
    }
    if (amountMinor > leftMinor) throw invalid(`${prefix}amount`, `At most ${fromMinor(leftMinor, payment.currency)} ${payment.currency} is left to refund`);
  }
  const refund = await tx.paymentRefund.create({
    data: { userId: payment.userId, paymentId: payment.id, amount: fromMinor(amountMinor, payment.currency), reason: asked.reason ?? null, requestedBy: asked.requestedBy },
  });
  if (payment.sandbox) {
    await applyPaymentUpdates(ctx, tx, [{ kind: 'refund', payment: { id: payment.id }, refundId: refund.id, providerRefundId: `sandbox_${refund.id}`, amountMinor, status: 'SUCCEEDED', at: new Date() }]);
    return tx.paymentRefund.findUniqueOrThrow({ where: { id: refund.id } });
  }
  await ctx.jobs.enqueue(tx, `payments.${refundJob.name}`, { refundId: refund.id }, { tenantId: ctx.tenantId });
  return refund;
}
