// Payments through a connected provider, shipped as its own plugin ("acme_pay", declared
// here as a separate package would declare it) serving the payments.checkout capability
// through the real contract: the pay page makes its checkout once, the payer's return
// completes it, the refund job handles each kind of provider answer, and reconciliation
// settles a payment whose webhook never came.
import { definePlugin, defineProvider, importPlugins } from '@soshogle/core';
import { eventually, expectJson, queueSettled, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CheckoutRequest, PaymentRef, PaymentUpdate, RefundRequest } from '../capabilities.ts';
import payments from '../index.ts';

const checkouts: CheckoutRequest[] = [];
const refunds: RefundRequest[] = [];
/** What retrieve answers, by payment id (a function: it may throw). */
const retrieved = new Map<string, (payment: PaymentRef) => PaymentUpdate[]>();

function providerError(message: string, options: { status: number | null; code: string; retryable: boolean; outcomeUnknown: boolean }) {
  return Object.assign(new Error(message), { name: 'PaymentProviderError', provider: 'STRIPE', ...options });
}

const acme = definePlugin({
  name: 'acme_pay',
  displayName: 'Acme Pay',
  description: 'Payments through Acme',
  providers: [
    defineProvider({
      provider: 'acme',
      displayName: 'Acme',
      description: 'Payments through your Acme account',
      credentials: z.object({ apiKey: z.string().min(8) }),
      serves: {
        'payments.checkout': () => ({
          provider: 'STRIPE',
          async createCheckout(request) {
            checkouts.push(request);
            // Slow enough that two clicks at once both reach the provider.
            await new Promise((r) => setTimeout(r, 50));
            return { checkoutId: `cs_${request.paymentId}`, url: `https://acme.example.test/c/${request.idempotencyKey}`, ids: { stripePaymentIntentId: `pi_${request.paymentId}` }, providerData: { session: 1 } };
          },
          async completeCheckout(payment, query) {
            return query.get('paid') === 'yes' ? [{ kind: 'payment', payment: { checkoutId: payment.checkoutId }, status: 'SUCCEEDED', at: new Date() }] : [];
          },
          // The refund's reason scripts the answer.
          async refund(request) {
            refunds.push(request);
            const tries = refunds.filter((r) => r.refundId === request.refundId).length;
            if (request.reason === 'unknown') throw providerError('socket hang up', { status: null, code: 'timeout', retryable: true, outcomeUnknown: true });
            if (request.reason === 'declined') throw providerError('charge already disputed', { status: 400, code: 'charge_disputed', retryable: false, outcomeUnknown: false });
            if (request.reason === 'flaky' && tries === 1) throw providerError('rate limited', { status: 429, code: 'rate_limit', retryable: true, outcomeUnknown: false });
            return { providerRefundId: `re_${request.refundId}`, status: 'SUCCEEDED' };
          },
          async retrieve(payment) {
            const answer = retrieved.get(payment.id);
            return answer ? answer(payment) : [];
          },
        }),
      },
    }),
  ],
});

const soshogle = await startTestSoshogle([...(await importPlugins(['@soshogle/plugin-crm'])), payments, acme], { PAYMENTS_CHECKOUTS_PER_IP_HOUR: '12' });

type Payment = { id: string; status: string; payUrl: string; sandbox: boolean; provider: string; amountRefunded: string };
type Refund = { id: string; status: string; needsReview: boolean; failureReason: string | null; providerRefundId: string | null };

const { userId: tenantId, request } = await signedInUser(soshogle);
await expectJson(await request('PUT', '/api/connections/acme_pay/acme', { credentials: { apiKey: 'acme-key-123' } }), 200);
const ctx = soshogle.tenantContext('payments', tenantId);

const tokenOf = (p: Payment) => p.payUrl.split('/pay/')[1]!;
const pay = (p: Payment, path: string, body: unknown = {}) =>
  fetch(`${soshogle.url}/api/payments/public/pay/${tokenOf(p)}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const newPayment = async (amount = '100.00') => expectJson<Payment>(await request('POST', '/api/payments/payments', { amount, description: 'Whitening' }), 201);
const row = (id: string) => soshogle.db.payment.findUniqueOrThrow({ where: { id } });

async function paid(): Promise<Payment> {
  const payment = await newPayment();
  await expectJson(await pay(payment, '/checkout'), 200);
  expect(await expectJson(await pay(payment, '/return', { query: { paid: 'yes' } }), 200)).toEqual({ status: 'SUCCEEDED' });
  return payment;
}

async function plannedChecks(paymentId: string) {
  return soshogle.db.$queryRaw<{ run_at: Date; round: number }[]>`
    select run_at, (payload->'payload'->>'round')::int as round from graphile_worker._private_jobs
    where payload->>'key' = 'payments.reconcile_payment' and payload->'payload'->>'paymentId' = ${paymentId} order by run_at`;
}

describe('the pay page with a connected provider', () => {
  it('makes the checkout once however many clicks, stores what the provider answered, and plans a reconciliation check', async () => {
    const payment = await newPayment();
    expect(payment).toMatchObject({ provider: 'STRIPE', sandbox: false });
    const answers = await Promise.all([1, 2, 3].map(async () => expectJson<{ url: string }>(await pay(payment, '/checkout'), 200)));
    expect(new Set(answers.map((a) => a.url))).toEqual(new Set([`https://acme.example.test/c/pay_${payment.id}`]));
    const asked = checkouts.filter((c) => c.paymentId === payment.id);
    expect(asked.every((c) => c.idempotencyKey === `pay_${payment.id}` && c.amountMinor === 10_000 && c.currency === 'USD')).toBe(true);
    expect(asked[0]!.lines).toEqual([{ description: 'Whitening', quantity: 1, unitAmountMinor: 10_000 }]);
    expect(asked[0]!.returnUrl).toContain(`/pay/${tokenOf(payment)}`);
    expect(await row(payment.id)).toMatchObject({ checkoutId: `cs_${payment.id}`, stripePaymentIntentId: `pi_${payment.id}`, providerData: { session: 1 }, status: 'PENDING' });
    const planned = await plannedChecks(payment.id);
    expect(planned.length).toBeGreaterThanOrEqual(1);
    expect(planned[0]!.round).toBe(0);
    expect(+planned[0]!.run_at - Date.now()).toBeGreaterThan(25 * 60_000);

    // Sandbox moves are refused for a real provider's payment.
    expect((await pay(payment, '/sandbox', { outcome: 'succeed' })).status).toBe(409);
    expect(await expectJson(await pay(payment, '/return', { query: {} }), 200)).toEqual({ status: 'PENDING' });
    expect(await expectJson(await pay(payment, '/return', { query: { paid: 'yes' } }), 200)).toEqual({ status: 'SUCCEEDED' });
  });
});

describe('the refund job', () => {
  it('settles a refund the provider made, retries a retryable failure, fails a refused one, and never repeats one whose outcome is unknown', async () => {
    const payment = await paid();
    const ask = async (amount: string, reason: string) =>
      expectJson<Refund>(await request('POST', `/api/payments/payments/${payment.id}/refunds`, { amount, reason }), 201);
    const made = { ok: await ask('10', 'ok'), flaky: await ask('10', 'flaky'), unknown: await ask('10', 'unknown'), declined: await ask('10', 'declined') };
    expect(Object.values(made).every((r) => r.status === 'PENDING')).toBe(true);

    const refundRow = (id: string) => soshogle.db.paymentRefund.findUniqueOrThrow({ where: { id } });
    await eventually(async () => (await refundRow(made.flaky.id)).status === 'SUCCEEDED', 30_000);
    await queueSettled(soshogle);
    expect(await refundRow(made.ok.id)).toMatchObject({ status: 'SUCCEEDED', providerRefundId: `re_${made.ok.id}` });
    expect(await refundRow(made.flaky.id)).toMatchObject({ status: 'SUCCEEDED', providerRefundId: `re_${made.flaky.id}` });
    expect(await refundRow(made.unknown.id)).toMatchObject({ status: 'PENDING', needsReview: true, providerRefundId: null });
    expect(await refundRow(made.declined.id)).toMatchObject({ status: 'FAILED', failureReason: 'charge_disputed: charge already disputed' });
    const tries = (id: string) => refunds.filter((r) => r.refundId === id);
    expect(tries(made.flaky.id).length).toBe(2);
    expect(tries(made.unknown.id).length).toBe(1);
    expect(tries(made.declined.id).length).toBe(1);
    expect(refunds.every((r) => r.idempotencyKey === r.refundId)).toBe(true);
    expect(tries(made.ok.id)[0]).toMatchObject({ amountMinor: 1000, payment: { id: payment.id, checkoutId: `cs_${payment.id}` } });
    expect(await row(payment.id)).toMatchObject({ status: 'SUCCEEDED' });
    expect((await row(payment.id)).amountRefunded.toString()).toBe('20');
    // A refund still pending (the unknown one) counts against what is left; a failed one does not.
    const tooMuch = await expectJson<{ detail: string }>(await request('POST', `/api/payments/payments/${payment.id}/refunds`, { amount: '70.01' }), 422);
    expect(tooMuch.detail).toContain('At most 70.00 USD');
  });
});

describe('reconciliation', () => {
  const check = (paymentId: string, round: number) => ctx.db.$transaction((tx) => ctx.jobs.enqueue(tx, 'payments.reconcile_payment', { paymentId, round }, { tenantId }));

  it('settles a payment whose webhook never came from what the provider says, and keeps asking later while it stays open', async () => {
    const settled = await newPayment();
    await expectJson(await pay(settled, '/checkout'), 200);
    retrieved.set(settled.id, (p) => [{ kind: 'payment', payment: { id: p.id }, status: 'SUCCEEDED', at: new Date(), ids: { stripePaymentIntentId: `pi_${p.id}` } }]);
    await check(settled.id, 0);

    const failing = await newPayment();
    await expectJson(await pay(failing, '/checkout'), 200);
    retrieved.set(failing.id, () => {
      throw providerError('bad gateway', { status: 502, code: 'api_error', retryable: true, outcomeUnknown: false });
    });
    await check(failing.id, 2);

    await eventually(async () => (await row(settled.id)).status === 'SUCCEEDED');
    await queueSettled(soshogle);
    expect((await row(failing.id)).status).toBe('PENDING');
    // Not failed: the next round is planned, later than the first check.
    expect((await plannedChecks(failing.id)).map((c) => c.round)).toContain(3);
    expect((await plannedChecks(settled.id)).map((c) => c.round)).not.toContain(1);
  });
});

describe('the pay page’s checkout limit', () => {
  it('refuses checkouts from one address past PAYMENTS_CHECKOUTS_PER_IP_HOUR with 429', async () => {
    const payment = await newPayment();
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await pay(payment, '/checkout')).status);
    expect(statuses).toContain(429);
    expect(statuses.at(-1)).toBe(429);
  });
});
