// The payment state machine against the real database: the same set of provider reports,
// in any order, repeated or not, concurrently or not, ends in the same state, and each
// event is raised once.
import { eventRecorder, eventually, queueSettled, shuffled, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { importPlugins } from '@soshogle/core';
import { describe, expect, it } from 'vitest';
import type { PaymentUpdate } from './capabilities.ts';
import payments from './index.ts';
import { applyPaymentUpdates } from './state.ts';

const recorder = eventRecorder(['payments.payment_succeeded', 'payments.payment_failed', 'payments.payment_refunded']);
const plugins = await importPlugins(['@soshogle/plugin-crm']);
const soshogle = await startTestSoshogle([...plugins, payments, recorder.plugin]);
const { userId: tenantId } = await signedInUser(soshogle);
const ctx = soshogle.tenantContext('payments', tenantId);

const t = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));

async function newPayment(amount = '100.00') {
  return ctx.db.payment.create({ data: { userId: tenantId, amount, currency: 'USD', provider: 'STRIPE', checkoutId: `cs_${crypto.randomUUID()}` } });
}

/** Everything a provider may say about one payment: a declined card, a retry that succeeds, two partial refunds. */
function reports(checkoutId: string): PaymentUpdate[] {
  const payment = { checkoutId };
  return [
    { kind: 'payment', payment, status: 'PROCESSING', at: t(1) },
    { kind: 'payment', payment, status: 'FAILED', at: t(2), failureReason: 'card_declined' },
    { kind: 'payment', payment, status: 'SUCCEEDED', at: t(3), ids: { stripePaymentIntentId: `pi_${checkoutId}` } },
    { kind: 'refund', payment, providerRefundId: `re_1_${checkoutId}`, amountMinor: 3000, status: 'PENDING', at: t(4) },
    { kind: 'refund', payment, providerRefundId: `re_1_${checkoutId}`, amountMinor: 3000, status: 'SUCCEEDED', at: t(5) },
    { kind: 'refund', payment, providerRefundId: `re_2_${checkoutId}`, amountMinor: 7000, status: 'SUCCEEDED', at: t(6) },
  ];
}


async function finalState(id: string) {
  const p = await ctx.db.payment.findUniqueOrThrow({ where: { id }, include: { refunds: { orderBy: { providerRefundId: 'asc' } } } });
  return {
    status: p.status, amountRefunded: p.amountRefunded.toString(), paidAt: p.paidAt, refundedAt: p.refundedAt,
    failedAt: p.failedAt, failureReason: p.failureReason, stripePaymentIntentId: p.stripePaymentIntentId?.replace(p.checkoutId!, ''),
    refunds: p.refunds.map((r) => ({ amount: r.amount.toString(), status: r.status, processedAt: r.processedAt, id: r.providerRefundId?.replace(p.checkoutId!, '') })),
  };
}

const apply = (updates: PaymentUpdate[]) => ctx.db.$transaction((tx) => applyPaymentUpdates(ctx, tx, updates));

describe('a payment’s state from its provider’s reports', () => {
  it('is the same for every order of the same reports, with repeats', async () => {
    const expected = {
      status: 'REFUNDED', amountRefunded: '100', paidAt: t(3), refundedAt: t(6), failedAt: t(2), failureReason: 'card_declined',
      stripePaymentIntentId: 'pi_',
      refunds: [{ amount: '30', status: 'SUCCEEDED', processedAt: t(5), id: 're_1_' }, { amount: '70', status: 'SUCCEEDED', processedAt: t(6), id: 're_2_' }],
    };
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const payment = await newPayment();
      const all = reports(payment.checkoutId!);
      // Each report delivered one to three times, in a shuffled order, one delivery per transaction.
      const deliveries = shuffled(all.flatMap((u, i) => Array.from({ length: 1 + ((i + seed) % 3) }, () => u)), seed);
      for (const update of deliveries) await apply([update]);
      expect(await finalState(payment.id), `order seed ${seed}`).toEqual(expected);
    }
  });

  it('ends the same when two deliveries race', async () => {
    const payment = await newPayment();
    const all = reports(payment.checkoutId!);
    await Promise.all([apply(shuffled(all, 11)), apply(shuffled(all, 12)), apply(all)]);
    expect((await finalState(payment.id)).status).toBe('REFUNDED');
    await queueSettled(soshogle);
    await eventually(async () => recorder.heard.some((e) => e.type === 'payments.payment_refunded' && e.payload.paymentId === payment.id && e.payload.full));
    const of = (type: string) => recorder.heard.filter((e) => e.type === type && e.payload.paymentId === payment.id);
    expect(of('payments.payment_succeeded')).toHaveLength(1);
    expect(of('payments.payment_refunded').map((e) => e.payload.amount).sort()).toEqual(['30', '70']);
  });

  it('counts a partial refund and keeps the payment succeeded; a refund heard before the success implies it', async () => {
    const payment = await newPayment('50.00');
    const match = { id: payment.id };
    await apply([{ kind: 'refund', payment: match, providerRefundId: `re_${payment.id}`, amountMinor: 1250, status: 'SUCCEEDED', at: t(9) }]);
    let p = await ctx.db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(p).toMatchObject({ status: 'SUCCEEDED', paidAt: t(9) });
    expect(p.amountRefunded.toString()).toBe('12.5');
    await apply([{ kind: 'payment', payment: match, status: 'SUCCEEDED', at: t(8) }, { kind: 'payment', payment: match, status: 'PROCESSING', at: t(7) }]);
    p = await ctx.db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(p).toMatchObject({ status: 'SUCCEEDED', paidAt: t(8) });
  });

  it('claims our pending refund when the provider’s report races the refund call’s answer', async () => {
    const payment = await newPayment('20.00');
    const ours = await ctx.db.paymentRefund.create({ data: { userId: tenantId, paymentId: payment.id, amount: '5.00', requestedBy: 'user' } });
    await apply([{ kind: 'refund', payment: { id: payment.id }, providerRefundId: `re_${ours.id}`, amountMinor: 500, status: 'SUCCEEDED', at: t(1) }]);
    const refunds = await ctx.db.paymentRefund.findMany({ where: { paymentId: payment.id } });
    expect(refunds).toEqual([expect.objectContaining({ id: ours.id, providerRefundId: `re_${ours.id}`, status: 'SUCCEEDED' })]);
  });

  it('ignores reports about payments it does not have, and another tenant’s', async () => {
    const { userId: other } = await signedInUser(soshogle);
    const theirs = await soshogle.tenantContext('payments', other).db.payment.create({ data: { userId: other, amount: '9.00', provider: 'STRIPE', checkoutId: `cs_${crypto.randomUUID()}` } });
    await apply([{ kind: 'payment', payment: { checkoutId: theirs.checkoutId }, status: 'SUCCEEDED', at: t(1) }, { kind: 'payment', payment: { checkoutId: 'cs_nothing' }, status: 'SUCCEEDED', at: t(1) }]);
    expect((await soshogle.db.payment.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe('PENDING');
  });
});
