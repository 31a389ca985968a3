// Sends one refund to the provider, keyed by the refund's id (a retry or a second worker
// makes one refund at the provider, never two). What comes back goes through the state
// machine like any provider report. A call whose outcome is unknown (no answer after
// sending) is never repeated: the refund is marked for review and a person checks at the
// provider. A retryable failure is retried with the queue's backoff; any other failure,
// or the last attempt, fails the refund with the provider's reason.
import { defineJob, type JobContext } from '@soshogle/core';
import { z } from 'zod';
import { toMinor } from '../money.ts';
import { paymentRef, providerFailure, providerOf } from '../provider.ts';
import { applyPaymentUpdates } from '../state.ts';

export const refundJob = defineJob({
  name: 'refund',
  payload: z.object({ refundId: z.string().min(1) }),
  maxAttempts: 8,
  run: (ctx, { refundId }) => sendRefund(ctx, refundId),
});

async function sendRefund(ctx: JobContext, refundId: string): Promise<void> {
  const refund = await ctx.db.paymentRefund.findUnique({ where: { id: refundId }, include: { payment: true } });
  // Settled already (a webhook got here first), sent before, or waiting for a person.
  if (!refund || refund.status !== 'PENDING' || refund.providerRefundId || refund.needsReview) return;
  const { payment } = refund;
  const fail = (reason: string) => ctx.db.paymentRefund.updateMany({ where: { id: refundId, status: 'PENDING' }, data: { status: 'FAILED', failureReason: reason, processedAt: new Date() } });
  const provider = await providerOf(ctx, payment);
  if (!provider) return void (await fail(`${payment.provider.toLowerCase()} is not connected`));
  const amountMinor = toMinor(refund.amount, payment.currency);
  let result;
  try {
    result = await provider.refund({ payment: paymentRef(payment), refundId, idempotencyKey: refundId, amountMinor, reason: refund.reason });
  } catch (error) {
    const failure = providerFailure(error);
    if (!failure) throw error;
    if (failure.outcomeUnknown) {
      ctx.log.warn({ refundId, code: failure.code }, 'refund outcome unknown: marked for review, not repeated');
      return void (await ctx.db.paymentRefund.updateMany({ where: { id: refundId, status: 'PENDING' }, data: { needsReview: true, failureReason: failure.message } }));
    }
    if (failure.retryable && ctx.attempt < ctx.maxAttempts) throw error;
    return void (await fail(failure.code ? `${failure.code}: ${failure.message}` : failure.message));
  }
  await ctx.db.$transaction((tx) =>
    applyPaymentUpdates(ctx, tx, [
      { kind: 'refund', payment: { id: payment.id }, refundId, providerRefundId: result.providerRefundId, amountMinor, status: result.status, at: new Date(), failureReason: result.failureReason ?? null },
    ]),
  );
}
