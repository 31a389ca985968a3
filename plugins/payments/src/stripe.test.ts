// Stripe end to end: the stripe SDK against a local fake of Stripe's API, the payer's side
// played on the fake, and webhooks signed Stripe's way into a real server and database.
// Payments are made with createPaymentRequest as a tenant with a Stripe connection; the
// provider's service is called directly (pay-core's routes and jobs call the same).
import { importPlugins } from '@soshogle/core';
import { applied, eventRecorder, eventually, expectJson, queueSettled, shuffled, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { PaymentProviderFailure, PaymentRef } from './capabilities.ts';
import payments from './index.ts';
import { isPaymentProviderError } from './providers/errors.ts';
import { stripeClient, stripeFailure } from './providers/stripe.ts';
import { createPaymentRequest, type PaymentRequestInput } from './requests.ts';
import { applyPaymentUpdates } from './state.ts';
import { startStripeFake, stripeErrors, stripeSignature, type FakeEvent, type StripeFake } from './testing/stripe-fake.ts';
import { toMinor } from './money.ts';

const secretKey = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
const otherKey = 'sk_test_otherTenant0000000000000';
const webhookSecret = 'whsec_testsecret0123456789abcdef';
const fake: StripeFake = await startStripeFake({ apiKeys: [secretKey, otherKey] });
afterAll(() => fake.close());

const recorder = eventRecorder(['payments.payment_succeeded', 'payments.payment_failed', 'payments.payment_refunded']);
const soshogle = await startTestSoshogle([...(await importPlugins(['@soshogle/plugin-crm'])), payments, recorder.plugin], { PAYMENTS_STRIPE_API_URL: fake.url });
const { db } = soshogle;

/** A tenant with a Stripe connection, its provider service, and its webhook URL as the fake's endpoint. */
async function tenant(credentials = { secretKey, webhookSecret }) {
  const user = await signedInUser(soshogle);
  await expectJson(await user.request('PUT', '/api/connections/payments/stripe', { credentials }), 200);
  const ctx = soshogle.tenantContext('payments', user.userId);
  const connected = await ctx.providers.get('payments.checkout');
  if (!connected) throw new Error('stripe is not connected');
  const webhookUrl = `${soshogle.url}/webhooks/payments/${user.userId}/stripe`;
  fake.endpoint(webhookUrl, credentials.webhookSecret);
  return { user, ctx, stripe: connected.service, webhookUrl };
}
type Tenant = Awaited<ReturnType<typeof tenant>>;

/** A payment request and its Checkout Session, recorded on the payment as the pay page does. */
async function checkout(t: Tenant, input: Partial<PaymentRequestInput> = {}) {
  const { payment, invoice } = await t.ctx.db.$transaction((tx) => createPaymentRequest(t.ctx, tx, { source: 'API', currency: 'USD', amount: '100.00', description: 'Deposit', ...input }));
  const lines = invoice
    ? invoice.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitAmountMinor: toMinor(l.unitAmount, payment.currency) }))
    : [{ description: payment.description ?? 'Payment', quantity: 1, unitAmountMinor: toMinor(payment.amount, payment.currency) }];
  const request = {
    paymentId: payment.id, idempotencyKey: `pay_${payment.id}`, amountMinor: toMinor(payment.amount, payment.currency), currency: payment.currency,
    description: payment.description ?? 'Payment', lines, customer: { email: 'ada@example.test', name: 'Ada', phone: null },
    returnUrl: `${soshogle.url}/pay/${payment.payToken}?return=1`, cancelUrl: `${soshogle.url}/pay/${payment.payToken}?cancel=1`, expiresAt: payment.expiresAt,
  };
  const made = await t.stripe.createCheckout(request);
  await t.ctx.db.payment.update({ where: { id: payment.id }, data: { checkoutId: made.checkoutId, checkoutUrl: made.url } });
  return { payment, request, checkout: made };
}

const paymentOf = (id: string) => db.payment.findUniqueOrThrow({ where: { id }, include: { refunds: { orderBy: { amount: 'asc' } } } });
const refOf = async (id: string): Promise<PaymentRef> => {
  const p = await paymentOf(id);
  return { id: p.id, amountMinor: toMinor(p.amount, p.currency), currency: p.currency, checkoutId: p.checkoutId, ids: { stripePaymentIntentId: p.stripePaymentIntentId }, providerData: p.providerData as Record<string, unknown> };
};

async function failure(work: () => Promise<unknown>): Promise<PaymentProviderFailure> {
  try {
    await work();
  } catch (error) {
    if (isPaymentProviderError(error)) return error;
    throw new Error(`expected a PaymentProviderError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a failure');
}

const heard = (type: string, paymentId: string) => recorder.heard.filter((e) => e.type === type && (e.payload as { paymentId: string }).paymentId === paymentId);

describe('the checkout', () => {
  it('makes one Checkout Session per payment with its lines, our ids and return URLs, whatever the retries', async () => {
    const t = await tenant();
    const expiresAt = new Date(Date.now() + 2 * 3600_000);
    const { payment, request, checkout: made } = await checkout(t, {
      amount: null, expiresAt,
      lines: [{ description: 'Consultation', quantity: 3, unitAmount: '33.33' }, { description: 'Travel', quantity: 1, unitAmount: '0.01' }],
    });
    expect(made.url).toBe(`${fake.url}/c/pay/${made.checkoutId}`);
    const session = fake.sessions.get(made.checkoutId)!;
    expect(session).toMatchObject({
      mode: 'payment', amount_total: 10_000, currency: 'usd', client_reference_id: payment.id, metadata: { payment_id: payment.id },
      intent_metadata: { payment_id: payment.id }, success_url: request.returnUrl, cancel_url: request.cancelUrl, customer_email: 'ada@example.test',
      expires_at: Math.floor(expiresAt.getTime() / 1000),
    });
    expect(session.line_items_input).toEqual([{ quantity: 3, name: 'Consultation', unit_amount: 3333, currency: 'usd' }, { quantity: 1, name: 'Travel', unit_amount: 1, currency: 'usd' }]);
    const post = fake.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(post.headers['idempotency-key']).toBe(`pay_${payment.id}`);

    // A retried job: the same key answers the same session.
    expect(await t.stripe.createCheckout(request)).toEqual(made);
    expect([...fake.sessions.values()].filter((s) => s.client_reference_id === payment.id)).toHaveLength(1);
    // The same key with other parameters is refused for good.
    const reused = await failure(() => t.stripe.createCheckout({ ...request, amountMinor: 1, lines: [{ description: 'x', quantity: 1, unitAmountMinor: 1 }] }));
    expect(reused).toMatchObject({ provider: 'STRIPE', status: 400, code: 'idempotency_error', retryable: false, outcomeUnknown: false });
  });

  it('leaves expires_at to Stripe when the link lasts beyond its 24 h limit', async () => {
    const t = await tenant();
    const { checkout: made } = await checkout(t, { expiresAt: new Date(Date.now() + 3 * 86_400_000) });
    const form = fake.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!.raw.toString();
    expect(form).not.toContain('expires_at');
    expect(fake.sessions.get(made.checkoutId)!.status).toBe('open');
  });

  it('records a paid checkout from its webhooks once, duplicated and out of order', async () => {
    const t = await tenant();
    const { payment, checkout: made } = await checkout(t);
    await fake.pay(made.checkoutId, { duplicate: 2, order: 'reverse' });
    const paid = await paymentOf(payment.id);
    const intent = fake.intents.get(fake.sessions.get(made.checkoutId)!.payment_intent!)!;
    expect(paid).toMatchObject({ status: 'SUCCEEDED', stripePaymentIntentId: intent.id });
    expect(paid.paidAt).not.toBeNull();
    expect(fake.deliveries.every((d) => d.status === 200)).toBe(true);
    expect(fake.deliveries.filter((d) => d.answer.includes('duplicate'))).toHaveLength(4);
    await queueSettled(soshogle);
    await eventually(async () => heard('payments.payment_succeeded', payment.id).length === 1);
    expect(heard('payments.payment_succeeded', payment.id)).toHaveLength(1);
  });

  it('lets a declined card be followed by a successful one, and fails an abandoned checkout as expired', async () => {
    const t = await tenant();
    const { payment, checkout: made } = await checkout(t);
    await fake.decline(made.checkoutId);
    expect(await paymentOf(payment.id)).toMatchObject({ status: 'FAILED', failureReason: 'insufficient_funds' });
    await fake.pay(made.checkoutId);
    expect((await paymentOf(payment.id)).status).toBe('SUCCEEDED');

    const other = await checkout(t);
    await fake.abandon(other.checkout.checkoutId);
    expect(await paymentOf(other.payment.id)).toMatchObject({ status: 'FAILED', failureReason: 'expired' });
  });

  it('makes a new Checkout Session for a payer who comes back after one expired, and a late expiry of the old one fails nothing', async () => {
    const t = await tenant();
    const { payment } = await t.ctx.db.$transaction((tx) => createPaymentRequest(t.ctx, tx, { source: 'API', currency: 'USD', amount: '100.00', description: 'Deposit' }));
    const pay = async () => {
      const { url } = await expectJson<{ url: string }>(await fetch(`${soshogle.url}/api/payments/public/pay/${payment.payToken}/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 200);
      return url.split('/').at(-1)!;
    };
    const keys = () => fake.requests.filter((r) => r.path === '/v1/checkout/sessions' && r.raw.toString().includes(payment.id)).map((r) => r.headers['idempotency-key']);

    // The payer leaves: the session expires (Stripe says so), and a return makes a new one.
    const first = await pay();
    expect(await pay()).toBe(first);
    await fake.abandon(first);
    expect(await paymentOf(payment.id)).toMatchObject({ status: 'FAILED', failureReason: 'expired' });
    const second = await pay();
    expect(second).not.toBe(first);
    expect(fake.sessions.get(second)!.status).toBe('open');

    // A day passes without a word from Stripe: past the session's end, the page makes another;
    // the old one's expiry, heard late, fails nothing.
    const current = await paymentOf(payment.id);
    await db.payment.update({ where: { id: payment.id }, data: { providerData: { ...(current.providerData as object), checkoutExpiresAt: new Date(Date.now() - 1000).toISOString() } } });
    const third = await pay();
    expect(new Set([first, second, third]).size).toBe(3);
    expect(keys()).toEqual([`pay_${payment.id}`, `pay_${payment.id}_2`, `pay_${payment.id}_3`]);
    await fake.abandon(second);
    expect(await pay()).toBe(third);
    await fake.pay(third);
    expect(await paymentOf(payment.id)).toMatchObject({ status: 'SUCCEEDED', checkoutId: third });
  });

  it('follows a bank debit: PROCESSING until it clears, or FAILED when it does not', async () => {
    const t = await tenant();
    const clears = await checkout(t);
    await fake.pay(clears.checkout.checkoutId, { async: true });
    expect((await paymentOf(clears.payment.id)).status).toBe('PROCESSING');
    await fake.settle(clears.checkout.checkoutId, 'succeeded');
    expect((await paymentOf(clears.payment.id)).status).toBe('SUCCEEDED');

    const bounces = await checkout(t);
    await fake.pay(bounces.checkout.checkoutId, { async: true });
    await fake.settle(bounces.checkout.checkoutId, 'failed', { order: 'reverse' });
    expect(await paymentOf(bounces.payment.id)).toMatchObject({ status: 'FAILED', failureReason: 'async_payment_failed' });
  });
});

describe('refunds', () => {
  it('refunds part and then the rest with our refund ids, once per idempotency key, and the webhooks settle them', async () => {
    const t = await tenant();
    const { payment, checkout: made } = await checkout(t);
    await fake.pay(made.checkoutId);
    const first = await db.paymentRefund.create({ data: { userId: t.user.userId, paymentId: payment.id, amount: '30.00', requestedBy: 'test' } });
    const request = { payment: await refOf(payment.id), refundId: first.id, idempotencyKey: first.id, amountMinor: 3000, reason: 'Changed plans' };
    const answer = await t.stripe.refund(request);
    expect(answer).toMatchObject({ status: 'SUCCEEDED' });
    expect(fake.refunds.get(answer.providerRefundId)).toMatchObject({ amount: 3000, metadata: { refund_id: first.id, payment_id: payment.id, reason: 'Changed plans' } });
    // A retried job gets the same refund back.
    expect(await t.stripe.refund(request)).toEqual(answer);
    expect([...fake.refunds.values()].filter((r) => r.metadata.refund_id === first.id)).toHaveLength(1);

    const refundEvents = (id: string) => fake.events.filter((e) => (e.data.object as { id: string }).id === id || (e.type === 'charge.refunded' && fake.refunds.get(id)?.charge === (e.data.object as { id: string }).id));
    await fake.deliverEvents(refundEvents(answer.providerRefundId), { duplicate: 1 });
    let p = await paymentOf(payment.id);
    expect(p).toMatchObject({ status: 'SUCCEEDED' });
    expect(p.amountRefunded.toString()).toBe('30');
    expect(p.refunds).toEqual([expect.objectContaining({ id: first.id, providerRefundId: answer.providerRefundId, status: 'SUCCEEDED' })]);

    // Pending at first (as bank refunds are), then settled by refund.updated.
    fake.nextRefundStatus = 'pending';
    const second = await db.paymentRefund.create({ data: { userId: t.user.userId, paymentId: payment.id, amount: '70.00', requestedBy: 'test' } });
    const rest = await t.stripe.refund({ ...request, refundId: second.id, idempotencyKey: second.id, amountMinor: 7000 });
    fake.nextRefundStatus = null;
    expect(rest.status).toBe('PENDING');
    const settled = await fake.settleRefund(rest.providerRefundId, 'succeeded', { deliver: false });
    await fake.deliverEvents([...settled, ...refundEvents(rest.providerRefundId).filter((e) => !settled.includes(e))], { order: 'reverse' });
    p = await paymentOf(payment.id);
    expect(p).toMatchObject({ status: 'REFUNDED' });
    expect(p.amountRefunded.toString()).toBe('100');

    // Nothing is left to refund: Stripe says so and it is final.
    const third = await failure(() => t.stripe.refund({ ...request, refundId: 'again', idempotencyKey: 'again', amountMinor: 100 }));
    expect(third).toMatchObject({ status: 400, retryable: false, code: 'charge_already_refunded' });
  });

  it('refuses to refund a payment that was never paid', async () => {
    const t = await tenant();
    const { payment } = await checkout(t);
    expect(await failure(async () => t.stripe.refund({ payment: await refOf(payment.id), refundId: 'r', idempotencyKey: 'r', amountMinor: 100, reason: null })))
      .toMatchObject({ code: 'not_paid', retryable: false });
  });
});

describe('reconciliation', () => {
  it('reads the session, payment intent and refunds when every webhook was missed', async () => {
    const t = await tenant();
    const { payment, checkout: made } = await checkout(t);
    await fake.pay(made.checkoutId, { deliver: false });
    const intent = fake.sessions.get(made.checkoutId)!.payment_intent!;
    await fake.decline((await checkout(t)).checkout.checkoutId, { deliver: false });
    const updates = await t.stripe.retrieve(await refOf(payment.id));
    await t.ctx.db.$transaction((tx) => applyPaymentUpdates(t.ctx, tx, updates));
    expect(await paymentOf(payment.id)).toMatchObject({ status: 'SUCCEEDED', stripePaymentIntentId: intent });

    const refund = await t.stripe.refund({ payment: await refOf(payment.id), refundId: 'ours-1', idempotencyKey: 'ours-1', amountMinor: 10_000, reason: null });
    const again = await t.stripe.retrieve(await refOf(payment.id));
    await t.ctx.db.$transaction((tx) => applyPaymentUpdates(t.ctx, tx, again));
    const p = await paymentOf(payment.id);
    expect(p).toMatchObject({ status: 'REFUNDED' });
    expect(p.refunds).toEqual([expect.objectContaining({ providerRefundId: refund.providerRefundId, status: 'SUCCEEDED', requestedBy: 'provider' })]);

    const expired = await checkout(t);
    await fake.abandon(expired.checkout.checkoutId, { deliver: false });
    expect(await t.stripe.retrieve(await refOf(expired.payment.id))).toEqual([expect.objectContaining({ kind: 'payment', status: 'FAILED', failureReason: 'expired' })]);
  });
});

describe('failures', () => {
  it('maps Stripe’s answers to retry, give up or check', async () => {
    const t = await tenant();
    const { request } = await checkout(t);
    const again = (n: number) => ({ ...request, paymentId: `${request.paymentId}-${n}`, idempotencyKey: `${request.idempotencyKey}-${n}` });

    fake.fail({ path: '/v1/checkout/sessions' }, stripeErrors.cardDeclined);
    expect(await failure(() => t.stripe.createCheckout(again(1)))).toMatchObject({ status: 402, code: 'generic_decline', retryable: false, outcomeUnknown: false });
    // A rate limit comes back to the caller (the job waits); 5xx the SDK retries itself, with our key.
    fake.fail({ path: '/v1/checkout/sessions' }, stripeErrors.rateLimited);
    expect(await failure(() => t.stripe.createCheckout(again(2)))).toMatchObject({ status: 429, retryable: true, outcomeUnknown: false });
    fake.fail({ path: '/v1/checkout/sessions' }, { ...stripeErrors.apiError, times: 3 });
    expect(await failure(() => t.stripe.createCheckout(again(3)))).toMatchObject({ status: 500, retryable: true, outcomeUnknown: false });
    const keys = fake.requests.filter((r) => r.headers['idempotency-key'] === again(3).idempotencyKey);
    expect(keys).toHaveLength(3);
    // Sent, and no answer: Stripe may have made it; a person checks.
    fake.fail({ path: '/v1/checkout/sessions' }, { drop: true, times: 3 });
    expect(await failure(() => t.stripe.createCheckout(again(4)))).toMatchObject({ status: null, outcomeUnknown: true, retryable: false });
    // A revoked key.
    fake.apiKeys.delete(otherKey);
    const revoked = stripeFailure(await stripeClient(fake.url, otherKey).checkout.sessions.retrieve('cs_x').catch((e: unknown) => e));
    fake.apiKeys.add(otherKey);
    expect(revoked).toMatchObject({ status: 401, retryable: false });
  });

  it('calls a refused connection retryable: nothing was sent', async () => {
    const closed = await startStripeFake({ apiKeys: [secretKey] });
    await closed.close();
    const client = stripeClient(closed.url, secretKey);
    const error = stripeFailure(await client.checkout.sessions.retrieve('cs_x', {}, { maxNetworkRetries: 0 }).catch((e: unknown) => e));
    expect(error).toMatchObject({ name: 'PaymentProviderError', status: null, code: 'ECONNREFUSED', retryable: true, outcomeUnknown: false });
  });

  it('answers a card error on a PaymentIntent with 402 card_error', async () => {
    const client = stripeClient(fake.url, secretKey);
    const error = stripeFailure(await client.paymentIntents.create({ amount: 500, currency: 'usd', confirm: true, payment_method: 'pm_card_chargeDeclined' }).catch((e: unknown) => e));
    expect(error).toMatchObject({ status: 402, code: 'generic_decline', retryable: false });
  });
});

describe('the webhook', () => {
  /** The event as the fake would post it, with a signature we choose. */
  async function post(url: string, event: FakeEvent, signature: (body: string) => string | null, body = JSON.stringify(event, null, 2)) {
    const sig = signature(body);
    return applied(soshogle, fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(sig === null ? {} : { 'stripe-signature': sig }) }, body }));
  }
  const now = () => Math.floor(Date.now() / 1000);

  it('takes only deliveries signed with the tenant’s secret, fresh, untampered and first seen', async () => {
    const t = await tenant();
    const { payment, checkout: made } = await checkout(t);
    const [event] = await fake.abandon(made.checkoutId, { deliver: false });
    const expired = event!;
    const status = async (sig: (body: string) => string | null, body?: string) => (await post(t.webhookUrl, expired, sig, body)).status;

    expect(await status(() => null)).toBe(401);
    expect(await status(() => 'garbage')).toBe(401);
    expect(await status((b) => stripeSignature(b, ['whsec_forged0000']))).toBe(401);
    // Signed, then changed on the way.
    const signed = JSON.stringify(expired, null, 2);
    expect(await status(() => stripeSignature(signed, [webhookSecret]), signed.replace('"expired"', '"complete"'))).toBe(401);
    // Re-serialised: the same event, other bytes than the ones signed.
    expect(await status(() => stripeSignature(JSON.stringify(expired), [webhookSecret]))).toBe(401);
    expect(await status((b) => stripeSignature(b, [webhookSecret], now() - 301))).toBe(401);
    // The SDK accepts any future time; we do not.
    expect(await status((b) => stripeSignature(b, [webhookSecret], now() + 301))).toBe(401);
    expect(await status((b) => stripeSignature(b, [webhookSecret], now() + 3600))).toBe(401);
    expect((await paymentOf(payment.id)).status).toBe('PENDING');

    // While a secret is rolled Stripe signs with both: either v1 may be the tenant's.
    const ok = await post(t.webhookUrl, expired, (b) => stripeSignature(b, ['whsec_theoldone000', webhookSecret], now() + 30));
    expect(ok.status).toBe(200);
    expect((await paymentOf(payment.id)).status).toBe('FAILED');
    const replayed = await post(t.webhookUrl, expired, (b) => stripeSignature(b, [webhookSecret]));
    expect(await replayed.json()).toEqual({ received: true, duplicate: true });
  });

  it('does not let one tenant’s secret move another tenant’s payment', async () => {
    const a = await tenant();
    const { payment, checkout: made } = await checkout(a);
    const b = await tenant({ secretKey: otherKey, webhookSecret: 'whsec_tenantB000000000' });
    fake.endpoint(b.webhookUrl, 'whsec_tenantB000000000');
    await fake.pay(made.checkoutId);
    expect(fake.deliveries.at(-1)!.status).toBe(200);
    expect((await paymentOf(payment.id)).status).toBe('PENDING');
    fake.endpoint(a.webhookUrl, 'whsec_tenantB000000000');
    const answers = await fake.deliverEvents(fake.events.slice(-2));
    expect(answers.map((r) => r.status)).toEqual([401, 401]);
    expect((await paymentOf(payment.id)).status).toBe('PENDING');
  });

  it('acknowledges events it does not act on and malformed bodies get 400', async () => {
    const t = await tenant();
    const odd = { id: 'evt_test_odd', object: 'event', api_version: '2026-11-18.endive', created: now(), type: 'customer.created', data: { object: { id: 'cus_1' } }, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null } } as FakeEvent;
    expect((await post(t.webhookUrl, odd, (b) => stripeSignature(b, [webhookSecret]))).status).toBe(200);
    expect((await post(t.webhookUrl, odd, (b) => stripeSignature(b, [webhookSecret]), '{"not":"an event"}')).status).toBe(400);
  });

  it('ends every payment in the same state whatever the order and repeats of its deliveries', async () => {
    const t = await tenant();
    for (const seed of [1, 2, 3, 4, 5]) {
      const { payment, checkout: made } = await checkout(t);
      const events: FakeEvent[] = [];
      events.push(...(await fake.decline(made.checkoutId, { deliver: false })));
      events.push(...(await fake.pay(made.checkoutId, { deliver: false })));
      const ref = { ...(await refOf(payment.id)), ids: { stripePaymentIntentId: fake.sessions.get(made.checkoutId)!.payment_intent } };
      const ours = await db.paymentRefund.create({ data: { userId: t.user.userId, paymentId: payment.id, amount: '25.00', requestedBy: 'test' } });
      fake.nextRefundStatus = 'pending';
      const pending = await t.stripe.refund({ payment: ref, refundId: ours.id, idempotencyKey: ours.id, amountMinor: 2500, reason: null });
      fake.nextRefundStatus = null;
      const full = await t.stripe.refund({ payment: ref, refundId: 'dashboard', idempotencyKey: `dash-${seed}`, amountMinor: 7500, reason: null });
      await fake.settleRefund(pending.providerRefundId, 'succeeded', { deliver: false });
      const refundIds = new Set([pending.providerRefundId, full.providerRefundId]);
      const charge = fake.refunds.get(full.providerRefundId)!.charge;
      events.push(...fake.events.filter((e) => refundIds.has((e.data.object as { id: string }).id) || (e.type === 'charge.refunded' && (e.data.object as { id: string }).id === charge)));

      const order = shuffled(events.map((_, i) => i), seed);
      await fake.deliverEvents(events, { order, duplicate: seed % 3 });
      expect(fake.deliveries.slice(-events.length * (1 + (seed % 3))).every((d) => d.status === 200), `seed ${seed}`).toBe(true);

      const p = await paymentOf(payment.id);
      const succeededAt = Math.min(...events.filter((e) => e.type === 'payment_intent.succeeded' || e.type === 'checkout.session.completed').map((e) => e.created));
      expect({ status: p.status, refunded: p.amountRefunded.toString(), failureReason: p.failureReason, paidAt: p.paidAt, pi: p.stripePaymentIntentId }, `seed ${seed}`).toEqual({
        status: 'REFUNDED', refunded: '100', failureReason: 'insufficient_funds', paidAt: new Date(succeededAt * 1000), pi: ref.ids.stripePaymentIntentId,
      });
      expect(p.refunds.map((r) => [r.id === ours.id, r.amount.toString(), r.status, r.providerRefundId]), `seed ${seed}`).toEqual([
        [true, '25', 'SUCCEEDED', pending.providerRefundId],
        [false, '75', 'SUCCEEDED', full.providerRefundId],
      ]);
      await queueSettled(soshogle);
      await eventually(async () => heard('payments.payment_refunded', payment.id).length === 2);
      expect(heard('payments.payment_succeeded', payment.id)).toHaveLength(1);
      // payment_failed is raised only when the decline is heard before the success.
      expect(heard('payments.payment_failed', payment.id).length).toBeLessThanOrEqual(1);
    }
  });
});

