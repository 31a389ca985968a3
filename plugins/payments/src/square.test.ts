// Square end to end: the square SDK against a local fake of Square's API, its webhooks
// signed Square's way and delivered to the real server (duplicated, reordered, forged), the
// real database. Payments are made with createPaymentRequest as a tenant that connected
// Square, then the provider is called as the pay page and the refund job call it.
import { applied, eventRecorder, expectJson, queueSettled, shuffled, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { importPlugins } from '@soshogle/core';
import type { Payment } from '@soshogle/db';
import { WebhooksHelper } from 'square';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckoutRequest, PaymentProviderFailure, PaymentRef, ProviderIds } from './capabilities.ts';
import payments from './index.ts';
import { toMinor } from './money.ts';
import { paymentsConfig } from './config.ts';
import { squareClient, squareKey } from './providers/square.ts';
import { createPaymentRequest } from './requests.ts';
import { applyPaymentUpdates } from './state.ts';
import { squareFakeSignature, startSquareFake, type SquareFakeAccount } from './testing/square-fake.ts';
import { squareSignature } from './webhooks/square.ts';

const accountA: SquareFakeAccount = { accessToken: 'EAAAl-square-token-of-account-a-0123456789', locationId: 'LOCATIONA123' };
const accountB: SquareFakeAccount = { accessToken: 'EAAAl-square-token-of-account-b-0123456789', locationId: 'LOCATIONB456' };
const fake = await startSquareFake({ accounts: [accountA, accountB] });
afterAll(() => fake.close());

const recorder = eventRecorder(['payments.payment_succeeded', 'payments.payment_failed', 'payments.payment_refunded']);
const soshogle = await startTestSoshogle([...(await importPlugins(['@soshogle/plugin-crm'])), payments, recorder.plugin], { PAYMENTS_SQUARE_API_URL: fake.url });

/** A signed-in tenant that connected Square (as Settings does) and subscribed its webhook URL at the fake. */
async function tenant(account = accountA, signatureKey = `sig-key-${crypto.randomUUID()}`) {
  const user = await signedInUser(soshogle);
  await expectJson(await user.request('PUT', '/api/connections/payments/square', { credentials: { accessToken: account.accessToken, locationId: account.locationId, signatureKey } }), 200);
  const webhookUrl = `${soshogle.url}/webhooks/payments/${user.userId}/square`;
  fake.subscribe(account.accessToken, { notificationUrl: webhookUrl, signatureKey });
  const ctx = soshogle.tenantContext('payments', user.userId);
  const connected = await ctx.providers.get('payments.checkout');
  if (!connected) throw new Error('Square is not connected');
  return { user, ctx, square: connected.service, webhookUrl, signatureKey };
}
type Tenant = Awaited<ReturnType<typeof tenant>>;

const refOf = (p: Payment): PaymentRef => ({
  id: p.id, amountMinor: toMinor(p.amount, p.currency), currency: p.currency, checkoutId: p.checkoutId,
  ids: { squarePaymentId: p.squarePaymentId } as ProviderIds, providerData: (p.providerData ?? {}) as Record<string, unknown>,
});

function checkoutRequest(p: Payment, lines?: CheckoutRequest['lines']): CheckoutRequest {
  const amountMinor = toMinor(p.amount, p.currency);
  return {
    paymentId: p.id, idempotencyKey: `pay_${p.id}`, amountMinor, currency: p.currency, description: p.description ?? 'Payment',
    lines: lines ?? [{ description: p.description ?? 'Payment', quantity: 1, unitAmountMinor: amountMinor }],
    customer: { email: 'ada@example.com', name: 'Ada', phone: null },
    returnUrl: soshogle.tenantContext('payments', p.userId).publicUrl(`/pay/${p.payToken}?back=1`),
    cancelUrl: soshogle.tenantContext('payments', p.userId).publicUrl(`/pay/${p.payToken}`), expiresAt: null,
  };
}

/** A payment request with a Square checkout, recorded on the payment as the pay page does. */
async function paymentWithLink(t: Tenant, amount = '25.00', currency = 'USD') {
  const { payment } = await t.ctx.db.$transaction((tx) => createPaymentRequest(t.ctx, tx, { source: 'API', amount, currency, description: 'Deposit' }));
  const checkout = await t.square.createCheckout(checkoutRequest(payment));
  const saved = await t.ctx.db.payment.update({ where: { id: payment.id }, data: { checkoutId: checkout.checkoutId, checkoutUrl: checkout.url, providerData: checkout.providerData as object } });
  const linkId = String(checkout.providerData!.squarePaymentLinkId);
  return { payment: saved, checkout, linkId };
}

const paymentOf = (t: Tenant, id: string) => t.ctx.db.payment.findUniqueOrThrow({ where: { id }, include: { refunds: { orderBy: { createdAt: 'asc' } } } });
const failureOf = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a PaymentProviderError'); }, (e: PaymentProviderFailure) => e);
const heardFor = (id: string, type: string) => recorder.heard.filter((e) => e.type === type && (e.payload as { paymentId: string }).paymentId === id);

describe('Square checkout', () => {
  it('makes one payment link per payment through the SDK: Bearer auth, Square-Version, exact money, our key and reference', async () => {
    const t = await tenant();
    const { payment, checkout, linkId } = await paymentWithLink(t, '25.10');
    expect(payment).toMatchObject({ provider: 'SQUARE', sandbox: false });
    const link = fake.links.get(linkId)!;
    expect(checkout).toEqual({ checkoutId: link.orderId, url: link.url, providerData: { squarePaymentLinkId: linkId, squareLocationId: accountA.locationId } });
    const call = fake.requests.find((r) => r.path === '/v2/online-checkout/payment-links' && (r.body as { order?: { reference_id?: string } })?.order?.reference_id === payment.id)!;
    expect(call.headers.authorization).toBe(`Bearer ${accountA.accessToken}`);
    expect(call.headers['square-version']).toBe('2026-09-16');
    // Amounts go as JSON integers in minor units (the SDK's BigInt), never a float.
    expect(call.raw.toString()).toContain('"amount":2510');
    expect(call.body).toMatchObject({
      idempotency_key: `pay_${payment.id}`,
      order: { location_id: accountA.locationId, reference_id: payment.id, line_items: [{ name: 'Deposit', quantity: '1', base_price_money: { amount: 2510, currency: 'USD' } }] },
      checkout_options: { redirect_url: checkoutRequest(payment).returnUrl },
      pre_populated_data: { buyer_email: 'ada@example.com' },
    });
    expect(fake.orders.get(link.orderId)!.totalMoney).toEqual({ amount: 2510, currency: 'USD' });
  });

  it('gives back the same link when asked again for the same payment (a retry after a crash), and refuses the key with other content', async () => {
    const t = await tenant();
    const { payment, checkout } = await paymentWithLink(t, '12.00');
    const links = fake.links.size;
    expect(await t.square.createCheckout(checkoutRequest(payment))).toEqual(checkout);
    expect(fake.links.size).toBe(links);
    const reused = await failureOf(t.square.createCheckout({ ...checkoutRequest(payment), lines: [{ description: 'Other', quantity: 2, unitAmountMinor: 600 }] }));
    expect(reused).toMatchObject({ name: 'PaymentProviderError', provider: 'SQUARE', status: 400, code: 'IDEMPOTENCY_KEY_REUSED', retryable: false, outcomeUnknown: false });
  });

  it('keeps idempotency keys within Square’s 45 characters, the same on every retry', () => {
    const long = `pay_${'x'.repeat(60)}`;
    expect(squareKey(long)).toHaveLength(43);
    expect(squareKey(long)).toBe(squareKey(long));
    expect(squareKey('pay_cm1234567890abcdefghijk')).toBe('pay_cm1234567890abcdefghijk');
  });

  it('calls the sandbox host for a sandbox connection and the configured host otherwise, never the SDK’s default', async () => {
    const config = paymentsConfig.parse({ squareApiUrl: 'http://127.0.0.1:9', squareSandboxApiUrl: fake.url });
    const account = { accessToken: accountA.accessToken, locationId: accountA.locationId, signatureKey: 'k'.repeat(10) };
    const sandbox = squareClient(config, { ...account, environment: 'sandbox' });
    await expect(sandbox.orders.get({ orderId: 'NOPE' })).rejects.toMatchObject({ statusCode: 404 });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v2/orders/NOPE' });
    const production = squareClient(config, { ...account, environment: 'production' });
    await expect(production.orders.get({ orderId: 'NOPE' }, { maxRetries: 0 })).rejects.not.toHaveProperty('statusCode', 404);
  });

  it('sends an invoice’s lines as the order’s line items', async () => {
    const t = await tenant();
    const { payment } = await t.ctx.db.$transaction((tx) => createPaymentRequest(t.ctx, tx, {
      source: 'API', currency: 'JPY', lines: [{ description: 'Haircut', quantity: 2, unitAmount: '3000' }, { description: 'Wash', quantity: 1, unitAmount: '500' }],
    }));
    const checkout = await t.square.createCheckout(checkoutRequest(payment, [{ description: 'Haircut', quantity: 2, unitAmountMinor: 3000 }, { description: 'Wash', quantity: 1, unitAmountMinor: 500 }]));
    expect(fake.orders.get(checkout.checkoutId)!.totalMoney).toEqual({ amount: 6500, currency: 'JPY' });
  });

  it('says what Square refused, and whether trying again can help', async () => {
    const t = await tenant();
    const { payment } = await t.ctx.db.$transaction((tx) => createPaymentRequest(t.ctx, tx, { source: 'API', amount: '5', currency: 'USD' }));
    await expectJson(await t.user.request('PUT', '/api/connections/payments/square', { credentials: { accessToken: 'EAAAl-a-token-square-does-not-know', locationId: accountA.locationId, signatureKey: t.signatureKey } }), 200);
    const unauthorised = await failureOf((await t.ctx.providers.get('payments.checkout'))!.service.createCheckout(checkoutRequest(payment)));
    expect(unauthorised).toMatchObject({ status: 401, code: 'UNAUTHORIZED', retryable: false, outcomeUnknown: false });
  });

  it('retries a 503 inside the SDK with the same key and makes one link', async () => {
    const t = await tenant();
    const { payment } = await t.ctx.db.$transaction((tx) => createPaymentRequest(t.ctx, tx, { source: 'API', amount: '7', currency: 'USD' }));
    fake.failNext(1, { status: 503 });
    const checkout = await t.square.createCheckout(checkoutRequest(payment));
    const calls = fake.requests.filter((r) => (r.body as { order?: { reference_id?: string } })?.order?.reference_id === payment.id);
    expect(calls.map((c) => c.status)).toEqual([503, 200]);
    expect(new Set(calls.map((c) => (c.body as { idempotency_key: string }).idempotency_key)).size).toBe(1);
    expect([...fake.links.values()].filter((l) => l.orderId === checkout.checkoutId)).toHaveLength(1);
  });

  it('reports an unknown outcome when the connection drops without an answer', async () => {
    const t = await tenant();
    const { payment } = await t.ctx.db.$transaction((tx) => createPaymentRequest(t.ctx, tx, { source: 'API', amount: '8', currency: 'USD' }));
    fake.fail({ path: '/v2/online-checkout/payment-links' }, { drop: true });
    const dropped = await failureOf(t.square.createCheckout(checkoutRequest(payment)));
    expect(dropped).toMatchObject({ name: 'PaymentProviderError', status: null, retryable: false, outcomeUnknown: true });
    // The SDK does not retry without an answer: the job's own retry, with the same key, decides.
    expect(fake.requests.filter((r) => (r.body as { order?: { reference_id?: string } })?.order?.reference_id === payment.id)).toHaveLength(1);
  });
});

describe('a payment through the Square checkout', () => {
  it('succeeds once from the hosted checkout’s webhooks, and the payer is sent back to our pay page', async () => {
    const t = await tenant();
    const { payment, checkout, linkId } = await paymentWithLink(t);
    const page = await fetch(checkout.url);
    expect(await page.text()).toContain(`/test/payment-links/${linkId}/pay`);
    const paid = await fetch(`${fake.url}/test/payment-links/${linkId}/pay`, { method: 'POST', body: new URLSearchParams(), redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(checkoutRequest(payment).returnUrl);
    const squarePayment = [...fake.payments.values()].find((p) => p.orderId === checkout.checkoutId)!;
    const done = await paymentOf(t, payment.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', squarePaymentId: squarePayment.id, paidAt: new Date(squarePayment.updatedAt) });
    await queueSettled(soshogle);
    expect(heardFor(payment.id, 'payments.payment_succeeded')).toHaveLength(1);
    expect(heardFor(payment.id, 'payments.payment_succeeded')[0]!.payload).toMatchObject({ provider: 'SQUARE', amount: '25', currency: 'USD', sandbox: false });
  });

  it('fails on a declined card with Square’s reason, then succeeds when the payer tries again; refunds go to the payment that paid', async () => {
    const t = await tenant();
    const { payment, linkId } = await paymentWithLink(t, '40.00');
    const declined = await fake.payLink(linkId, 'decline');
    expect(declined.answers).toEqual([200]);
    expect(await paymentOf(t, payment.id)).toMatchObject({ status: 'FAILED', failureReason: expect.stringContaining('GENERIC_DECLINE'), squarePaymentId: null });
    const paid = await fake.payLink(linkId, 'pay');
    expect(await paymentOf(t, payment.id)).toMatchObject({ status: 'SUCCEEDED', squarePaymentId: paid.payment!.id });
    await queueSettled(soshogle);
    expect(heardFor(payment.id, 'payments.payment_failed')).toHaveLength(1);
    expect(heardFor(payment.id, 'payments.payment_succeeded')).toHaveLength(1);
  });

  it('leaves an abandoned checkout PENDING', async () => {
    const t = await tenant();
    const { payment, linkId } = await paymentWithLink(t);
    expect((await fake.payLink(linkId, 'abandon')).answers).toEqual([]);
    expect((await paymentOf(t, payment.id)).status).toBe('PENDING');
  });
});

describe('Square refunds', () => {
  /** As the refund job does: our PENDING row, the provider call with the refund id as key, its answer applied. */
  async function refund(t: Tenant, paymentId: string, amount: string) {
    const p = await paymentOf(t, paymentId);
    const row = await t.ctx.db.paymentRefund.create({ data: { userId: p.userId, paymentId, amount, status: 'PENDING', requestedBy: t.user.userId } });
    const answer = await t.square.refund({ payment: refOf(p), refundId: row.id, idempotencyKey: row.id, amountMinor: toMinor(amount, p.currency), reason: 'Customer asked' });
    await t.ctx.db.$transaction((tx) => applyPaymentUpdates(t.ctx, tx, [{ kind: 'refund', payment: { id: paymentId }, refundId: row.id, providerRefundId: answer.providerRefundId, amountMinor: toMinor(amount, p.currency), status: answer.status, at: new Date() }]));
    return { row, answer };
  }

  it('refunds in part and then in full, each confirmed by Square’s refund webhooks, with the refund id as the key', async () => {
    const t = await tenant();
    const { payment, linkId } = await paymentWithLink(t, '100.00');
    await fake.payLink(linkId, 'pay');
    const first = await refund(t, payment.id, '30.00');
    expect(first.answer.status).toBe('PENDING');
    const call = fake.requests.find((r) => r.path === '/v2/refunds' && (r.body as { idempotency_key?: string }).idempotency_key === first.row.id)!;
    expect(call.body).toMatchObject({ payment_id: (await paymentOf(t, payment.id)).squarePaymentId, amount_money: { amount: 3000, currency: 'USD' }, reason: 'Customer asked' });
    for (const d of fake.refundEvents(first.answer.providerRefundId, 'COMPLETED')) expect((await fake.deliver(d.url, d)).status).toBe(200);
    expect(await paymentOf(t, payment.id)).toMatchObject({ status: 'SUCCEEDED', refunds: [{ id: first.row.id, status: 'SUCCEEDED', providerRefundId: first.answer.providerRefundId }] });
    expect((await paymentOf(t, payment.id)).amountRefunded.toString()).toBe('30');

    // A refund Square rejects is recorded as failed and moves no money.
    const rejected = await refund(t, payment.id, '70.00');
    await fake.deliverAll(fake.refundEvents(rejected.answer.providerRefundId, 'REJECTED'), { order: 'reverse' });
    expect((await paymentOf(t, payment.id)).refunds[1]).toMatchObject({ id: rejected.row.id, status: 'FAILED' });

    const rest = await refund(t, payment.id, '70.00');
    await fake.deliverAll(fake.refundEvents(rest.answer.providerRefundId, 'COMPLETED'));
    const done = await paymentOf(t, payment.id);
    expect(done.status).toBe('REFUNDED');
    expect(done.amountRefunded.toString()).toBe('100');
    await queueSettled(soshogle);
    expect(heardFor(payment.id, 'payments.payment_refunded').map((e) => (e.payload as { full: boolean }).full)).toEqual([false, true]);
  });

  it('refunds a payment whose webhook has not come yet, found through the order; and repeats nothing on a retried job', async () => {
    const t = await tenant();
    const { payment, linkId } = await paymentWithLink(t, '10.00');
    const { payment: squarePayment } = fake.checkout(linkId, 'pay'); // the webhooks are lost
    const p = await paymentOf(t, payment.id);
    const request = { payment: refOf(p), refundId: 'refund-1', idempotencyKey: `refund-1-${payment.id}`, amountMinor: 500, reason: null };
    const answer = await t.square.refund(request);
    expect(fake.refunds.get(answer.providerRefundId)).toMatchObject({ paymentId: squarePayment!.id, status: 'PENDING' });
    expect(await t.square.refund(request)).toEqual(answer);
    expect([...fake.refunds.values()].filter((r) => r.paymentId === squarePayment!.id)).toHaveLength(1);
    const tooMuch = await failureOf(t.square.refund({ ...request, idempotencyKey: `refund-2-${payment.id}`, amountMinor: 600 }));
    expect(tooMuch).toMatchObject({ status: 400, code: 'REFUND_AMOUNT_INVALID', retryable: false });
  });
});

describe('Square reconciliation', () => {
  it('finds a payment, and its refunds, whose webhooks never came', async () => {
    const t = await tenant();
    const { payment, linkId } = await paymentWithLink(t, '60.00');
    fake.checkout(linkId, 'decline');
    const { payment: paid } = fake.checkout(linkId, 'pay');
    const p = await paymentOf(t, payment.id);
    const answer = await t.square.refund({ payment: { ...refOf(p), ids: { squarePaymentId: paid!.id } }, refundId: 'x', idempotencyKey: `r-${payment.id}`, amountMinor: 1000, reason: null });
    fake.refundEvents(answer.providerRefundId, 'COMPLETED');
    const updates = await t.square.retrieve(refOf(p));
    expect(updates.map((u) => [u.kind, u.status])).toEqual([['payment', 'SUCCEEDED'], ['refund', 'SUCCEEDED']]);
    await t.ctx.db.$transaction((tx) => applyPaymentUpdates(t.ctx, tx, updates));
    const done = await paymentOf(t, payment.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', squarePaymentId: paid!.id, refunds: [{ providerRefundId: answer.providerRefundId, status: 'SUCCEEDED', requestedBy: 'provider' }] });
    expect(done.amountRefunded.toString()).toBe('10');
  });

  it('has nothing to say about an abandoned link', async () => {
    const t = await tenant();
    const { payment } = await paymentWithLink(t);
    expect(await t.square.retrieve(refOf(await paymentOf(t, payment.id)))).toEqual([]);
  });
});

describe('Square webhooks', () => {
  async function paidDeliveries(t: Tenant, amount = '20.00') {
    const made = await paymentWithLink(t, amount);
    const { payment, events } = fake.checkout(made.linkId, 'pay');
    return { ...made, squarePayment: payment!, events };
  }
  const post = (url: string, body: string, headers: Record<string, string>) => applied(soshogle, fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }));

  it('signs the way Square’s own helper checks', async () => {
    const body = JSON.stringify({ event_id: 'e1', type: 'payment.updated' });
    const url = 'https://crm.example.com/webhooks/payments/t1/square';
    const signature = squareFakeSignature('key-123456', url, body);
    expect(signature).toBe(squareSignature('key-123456', url, body));
    expect(await WebhooksHelper.verifySignature({ requestBody: body, signatureHeader: signature, signatureKey: 'key-123456', notificationUrl: url })).toBe(true);
  });

  it('refuses forged, tampered, unsigned and misaddressed deliveries with 401, and changes nothing', async () => {
    const t = await tenant();
    const { payment, events } = await paidDeliveries(t);
    const completed = events[1]!;
    const body = JSON.stringify(completed.body);
    const signed = squareSignature(t.signatureKey, t.webhookUrl, body);
    // Forged: signed with another key.
    expect((await post(t.webhookUrl, body, { 'x-square-hmacsha256-signature': squareSignature('not-the-key', t.webhookUrl, body) })).status).toBe(401);
    // Tampered: the body changed after signing (the amount, one byte).
    expect((await post(t.webhookUrl, body.replace('"COMPLETED"', '"COMPLETEd"'), { 'x-square-hmacsha256-signature': signed })).status).toBe(401);
    // Unsigned, and a signature of another length (the constant-time compare needs equal lengths).
    expect((await post(t.webhookUrl, body, {})).status).toBe(401);
    expect((await post(t.webhookUrl, body, { 'x-square-hmacsha256-signature': 'short' })).status).toBe(401);
    // Signed for another tenant's URL: the URL is part of what Square signs.
    const other = await tenant(accountB, t.signatureKey);
    const misaddressed = await post(other.webhookUrl, body, { 'x-square-hmacsha256-signature': signed });
    expect(misaddressed.status).toBe(401);
    expect((await paymentOf(t, payment.id)).status).toBe('PENDING');
    // The genuine one goes through.
    expect((await post(t.webhookUrl, body, { 'x-square-hmacsha256-signature': signed })).status).toBe(200);
    expect((await paymentOf(t, payment.id)).status).toBe('SUCCEEDED');
  });

  it('acknowledges a replayed event id and ignores it; the same content under a new id only repeats what is applied (no expiry: Square signs no time)', async () => {
    const t = await tenant();
    const { payment, events, squarePayment } = await paidDeliveries(t);
    for (const d of events) expect((await fake.deliver(d.url, d)).status).toBe(200);
    // A replay, however late: Square's signature has no timestamp, so it still verifies; the event id was seen.
    const replay = await fake.deliver(events[1]!.url, events[1]!);
    expect(await replay.json()).toEqual({ received: true, duplicate: true });
    // An old "approved" report under a new event id: verified and applied, but state moves forward only.
    const old = fake.event(accountA.accessToken, 'payment.created', 'payment', { ...fake.paymentJson(squarePayment), status: 'APPROVED' });
    expect(await (await fake.deliver(old.url, old)).json()).toEqual({ received: true });
    expect(await paymentOf(t, payment.id)).toMatchObject({ status: 'SUCCEEDED', squarePaymentId: squarePayment.id });
    await queueSettled(soshogle);
    expect(heardFor(payment.id, 'payments.payment_succeeded')).toHaveLength(1);
  });

  it('ends paid when the completion comes before the creation', async () => {
    const t = await tenant();
    const { payment, events } = await paidDeliveries(t);
    await fake.deliverAll(events, { order: 'reverse' });
    expect((await paymentOf(t, payment.id)).status).toBe('SUCCEEDED');
  });

  it('acknowledges events it does not follow, and answers a signed body it cannot read with 400', async () => {
    const t = await tenant();
    const other = { event_id: crypto.randomUUID(), type: 'customer.created', data: { type: 'customer', id: 'C1', object: {} } };
    const body = JSON.stringify(other);
    expect((await post(t.webhookUrl, body, { 'x-square-hmacsha256-signature': squareSignature(t.signatureKey, t.webhookUrl, body) })).status).toBe(200);
    const signedPost = (raw: string) => post(t.webhookUrl, raw, { 'x-square-hmacsha256-signature': squareSignature(t.signatureKey, t.webhookUrl, raw) });
    expect((await signedPost(JSON.stringify({ type: 'payment.updated' }))).status).toBe(400);
    expect((await signedPost(JSON.stringify({ event_id: 'a\u0000', type: 'payment.updated' }))).status).toBe(400);
    // Signed, but the payment's money is not money: refused, never a 500, and nothing recorded.
    const bad = { event_id: crypto.randomUUID(), type: 'refund.updated', data: { type: 'refund', id: 'R1', object: { refund: { id: 'R1', status: 'COMPLETED', payment_id: 'P1', amount_money: { amount: 'lots', currency: 'USD' } } } } };
    expect((await signedPost(JSON.stringify(bad))).status).toBe(400);
  });

  it('converges: the same deliveries shuffled and repeated give the same final state and one event each', async () => {
    const t = await tenant();
    // Everything Square says about one payment: a declined card, a success, a refund that
    // completes, one that is rejected and one that completes the refund.
    async function story() {
      const made = await paymentWithLink(t, '90.00');
      const deliveries = [...fake.checkout(made.linkId, 'decline').events, ...fake.checkout(made.linkId, 'pay').events];
      const p = await paymentOf(t, made.payment.id);
      const squarePaymentId = [...fake.payments.values()].find((x) => x.orderId === made.checkout.checkoutId && x.status === 'COMPLETED')!.id;
      const ref = { ...refOf(p), ids: { squarePaymentId } };
      for (const [n, minor, outcome] of [[1, 2000, 'COMPLETED'], [2, 7000, 'REJECTED'], [3, 7000, 'COMPLETED']] as const) {
        const answer = await t.square.refund({ payment: ref, refundId: `r${n}`, idempotencyKey: `r${n}-${p.id}`, amountMinor: minor, reason: null });
        deliveries.push(...fake.refundEvents(answer.providerRefundId, outcome));
      }
      return { id: p.id, deliveries };
    }
    const state = async (id: string) => {
      const p = await paymentOf(t, id);
      return {
        status: p.status, amountRefunded: p.amountRefunded.toString(), paid: !!p.paidAt, failureReason: p.failureReason,
        refunds: p.refunds.map((r) => `${r.amount.toString()}:${r.status}`).sort(),
      };
    };
    const inOrder = await story();
    await fake.deliverAll(inOrder.deliveries);
    const expected = await state(inOrder.id);
    expect(expected).toMatchObject({ status: 'REFUNDED', amountRefunded: '90', paid: true, refunds: ['20:SUCCEEDED', '70:FAILED', '70:SUCCEEDED'] });
    const ids = [inOrder.id];
    for (const seed of [1, 2, 3]) {
      const { id, deliveries } = await story();
      ids.push(id);
      const order = shuffled(deliveries.map((_, i) => i), seed);
      await fake.deliverAll(deliveries.map((d, i) => ({ ...d, duplicate: (i + seed) % 3 === 0 ? 2 : 0 })), { order, concurrently: seed === 3 });
      expect(await state(id), `seed ${seed}, order ${order.join(',')}`).toEqual(expected);
    }
    await queueSettled(soshogle);
    for (const id of ids) {
      expect(heardFor(id, 'payments.payment_succeeded')).toHaveLength(1);
      expect(heardFor(id, 'payments.payment_refunded')).toHaveLength(2);
    }
  });
});

