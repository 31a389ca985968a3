// Reconciliation: a payment whose webhook never came (misconfigured, lost, the provider's
// retries given up) must not stay "pending" for ever. When the pay page makes a payment's
// checkout it plans a check after PAYMENTS_RECONCILE_AFTER_MINUTES; the check asks the
// provider where the payment stands (retrieve) and applies the answer through the state
// machine like any webhook. While it is still open, the next check comes twice as late,
// a bounded number of times. A failing provider is logged and asked again next round:
// reconciliation never fails a job or blocks anything else.
import { defineJob, type JobContext, type Jobs, type TenantTx } from '@soshogle/core';
import { z } from 'zod';
import type { PaymentsConfig } from '../config.ts';
import { paymentRef, providerFailure, providerOf } from '../provider.ts';
import { applyPaymentUpdates } from '../state.ts';

/** Checks after age × 1, 2, 4 ... 128 (30 min: the last about 5 days after the checkout, 10 days in all). */
const rounds = 8;

const open = ['PENDING', 'PROCESSING'] as const;

export const reconcileJob = defineJob({
  name: 'reconcile_payment',
  payload: z.object({ paymentId: z.string().min(1), round: z.number().int().min(0).max(rounds).default(0) }),
  // A failure is handled by planning the next round; a throw here is a bug, retried a little.
  maxAttempts: 3,
  run: (ctx, payload) => reconcile(ctx as JobContext<PaymentsConfig>, payload.paymentId, payload.round),
});

/** Plans the check of `paymentId`'s round (0: the first, one age after now). */
export function planReconcile(ctx: { jobs: Jobs; config: PaymentsConfig; tenantId: string }, tx: TenantTx, paymentId: string, round = 0): Promise<void> {
  const delayMs = ctx.config.reconcileAfterMinutes * 60_000 * 2 ** round;
  return ctx.jobs.enqueue(tx, `payments.${reconcileJob.name}`, { paymentId, round }, { tenantId: ctx.tenantId, runAt: new Date(Date.now() + delayMs) });
}

async function reconcile(ctx: JobContext<PaymentsConfig>, paymentId: string, round: number): Promise<void> {
  const payment = await ctx.db.payment.findUnique({ where: { id: paymentId } });
  if (!payment || payment.sandbox || !payment.checkoutId || !(open as readonly string[]).includes(payment.status)) return;
  const provider = await providerOf(ctx, payment);
  if (!provider) return void ctx.log.info({ paymentId, provider: payment.provider }, 'reconciliation: the payment’s provider is no longer connected');
  try {
    const updates = await provider.retrieve(paymentRef(payment));
    await ctx.db.$transaction((tx) => applyPaymentUpdates(ctx, tx, updates));
  } catch (error) {
    const failure = providerFailure(error);
    if (!failure) throw error;
    ctx.log.warn({ paymentId, status: failure.status, code: failure.code, err: failure.message }, 'reconciliation: the provider did not answer; asked again next round');
  }
  const now = await ctx.db.payment.findUnique({ where: { id: paymentId }, select: { status: true } });
  if (now && (open as readonly string[]).includes(now.status) && round + 1 < rounds) {
    await ctx.db.$transaction((tx) => planReconcile(ctx, tx, paymentId, round + 1));
  }
}
