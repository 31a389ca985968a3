// PayPal end to end: the @paypal/paypal-server-sdk against a local fake of PayPal's API
// (reached through the SDK's unstable adapter hook), webhooks signed PayPal's way, a real
// server, worker and database.
import { generateKeyPairSync } from 'node:crypto';
import { importPlugins } from '@soshogle/core';
import { applied, eventRecorder, eventually, expectJson, queueSettled, shuffled, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import type { Payment } from '@soshogle/db';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckoutProvider, PaymentRef, PaymentUpdate } from './capabilities.ts';
import payments from './index.ts';
import { toMinor } from './money.ts';
import { captureRequestId } from './providers/paypal.ts';
import { isPaymentProviderError } from './providers/errors.ts';
import { createPaymentRequest, type RequestLine } from './requests.ts';
import { applyPaymentUpdates } from './state.ts';
import { startPaypalFake, type PaypalFakeAccount } from './testing/paypal-fake.ts';
import { transmissionOf, verifiedByPostback } from './webhooks/paypal-signature.ts';

const accountA: PaypalFakeAccount = { clientId: 'client-a-0123456789', clientSecret: 'secret-a-0123456789', webhookId: 'WH-A-0000001' };
const accountB: PaypalFakeAccount = { clientId: 'client-b-0123456789', clientSecret: 'secret-b-0123456789', webhookId: 'WH-B-0000002' };
const fake = await startPaypalFake({ accounts: [accountA, accountB] });
afterAll(() => fake.close());

const recorder = eventRecorder(['payments.payment_succeeded', 'payments.payment_failed', 'payments.payment_refunded']);
const soshogle = await startTestSoshogle([...(await importPlugins(['@soshogle/plugin-crm'])), payments, recorder.plugin], {
  PAYMENTS_PAYPAL_API_URL: fake.url,
  // The fake serves its signing certificate; PayPal's own origins are the default.
  PAYMENTS_PAYPAL_CERT_ORIGINS: fake.url,
});

/** A tenant that connected PayPal the way Settings does, and its payments.checkout service. */
async function tenant(account = accountA) {
  const user = await signedInUser(soshogle);
  await expectJson(await user.request('PUT', '/api/connections/payments/paypal', { credentials: { ...account, environment: 'sandbox' } }), 200);
  const ctx = soshogle.tenantContext('payments', user.userId);
  const connected = await ctx.providers.get('payments.checkout');
  expect(connected?.provider).toBe('paypal');
  const service = connected!.service as CheckoutProvider;
  const apply = (updates: PaymentUpdate[]) => ctx.db.$transaction((tx) => applyPaymentUpdates(ctx, tx, updates));
  return { user, ctx, service, apply, account, webhookUrl: `${soshogle.url}/webhooks/payments/${user.userId}/paypal` };
}
type Tenant = Awaited<ReturnType<typeof tenant>>;

const ref = (p: Payment): PaymentRef => ({
  id: p.id, amountMinor: toMinor(p.amount, p.currency), currency: p.currency, checkoutId: p.checkoutId,
  ids: { paypalOrderId: p.paypalOrderId }, providerData: (p.providerData ?? {}) as Record<string, unknown>,
});

/** A payment request and its PayPal checkout, recorded as the pay page does. */
async function checkout(t: Tenant, input: { amount?: string; lines?: RequestLine[] } = { amount: '25.00' }) {
  const { payment, invoice } = await t.ctx.db.$transaction((tx) => createPaymentRequest(t.ctx, tx, { source: 'API', currency: 'USD', description: 'Consultation', ...input }));
  expect(payment).toMatchObject({ provider: 'PAYPAL', sandbox: false });
  const amountMinor = toMinor(payment.amount, 'USD');
  const lines = invoice
    ? invoice.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitAmountMinor: toMinor(l.unitAmount, 'USD') }))
    : [{ description: 'Consultation', quantity: 1, unitAmountMinor: amountMinor }];
  const request = {
    paymentId: payment.id, idempotencyKey: `pay_${payment.id}`, amountMinor, currency: 'USD', description: payment.description ?? '',
    lines, customer: { email: 'ada@example.test', name: 'Ada', phone: null },
    returnUrl: `${soshogle.url}/pay/${payment.payToken}/return`, cancelUrl: `${soshogle.url}/pay/${payment.payToken}`, expiresAt: null,
  };
  const made = await t.service.createCheckout(request);
  const saved = await t.ctx.db.payment.update({ where: { id: payment.id }, data: { checkoutId: made.checkoutId, checkoutUrl: made.url, ...made.ids } });
  return { payment: saved, made, request };
}

const paymentOf = (t: Tenant, id: string) => t.ctx.db.payment.findUniqueOrThrow({ where: { id }, include: { refunds: { orderBy: { providerRefundId: 'asc' } } } });
const payerReturns = async (t: Tenant, id: string, orderId: string) => t.apply(await t.service.completeCheckout!(ref(await paymentOf(t, id)), new URLSearchParams({ token: orderId, PayerID: 'PAYER1' })));
const failureOf = (run: Promise<unknown>) => run.then(() => null, (e: unknown) => (isPaymentProviderError(e) ? { status: e.status, code: e.code, retryable: e.retryable, outcomeUnknown: e.outcomeUnknown } : e));

describe('checkout through PayPal', () => {
  it('reaches the fake through the SDK’s adapter hook: OAuth token, then the order, once per key', async () => {
    const t = await tenant();
    fake.reset();
    const { payment, made, request } = await checkout(t, { lines: [{ description: 'Session', quantity: 3, unitAmount: '33.33' }, { description: 'Fee', quantity: 1, unitAmount: '0.01' }] });
    const [token, create] = fake.requests;
    expect(token).toMatchObject({ method: 'POST', path: '/v1/oauth2/token' });
    expect(token!.headers.authorization).toBe(`Basic ${Buffer.from(`${accountA.clientId}:${accountA.clientSecret}`).toString('base64')}`);
    expect(create).toMatchObject({ method: 'POST', path: '/v2/checkout/orders', status: 201 });
    expect(fake.requests).toHaveLength(2);
    expect(create!.headers.authorization).toMatch(/^Bearer A21AA/);
    expect(create!.headers['paypal-request-id']).toBe(`pay_${payment.id}`);
    expect(create!.body).toMatchObject({
      intent: 'CAPTURE',
      purchase_units: [{
        reference_id: payment.id, custom_id: payment.id,
        amount: { currency_code: 'USD', value: '100.00', breakdown: { item_total: { currency_code: 'USD', value: '100.00' } } },
        items: [{ name: 'Session', quantity: '3', unit_amount: { currency_code: 'USD', value: '33.33' } }, { name: 'Fee', quantity: '1', unit_amount: { currency_code: 'USD', value: '0.01' } }],
      }],
      payment_source: { paypal: { email_address: 'ada@example.test', experience_context: { return_url: request.returnUrl, cancel_url: request.cancelUrl, user_action: 'PAY_NOW' } } },
    });
    expect(made).toEqual({ checkoutId: payment.paypalOrderId, url: `${fake.url}/checkoutnow?token=${payment.paypalOrderId}`, ids: { paypalOrderId: payment.paypalOrderId } });

    // A retried checkout (a crash before our record) gets the same order back.
    const orders = fake.orders.size;
    expect((await t.service.createCheckout(request)).checkoutId).toBe(made.checkoutId);
    expect(fake.orders.size).toBe(orders);
  });

  it('keeps the access token for the next calls, and gets a new one when PayPal stops taking it', async () => {
    const t = await tenant(accountB);
    await checkout(t);
    fake.reset();
    await checkout(t);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v2/checkout/orders']);
    fake.revokeTokens(accountB.clientId);
    const { payment } = await t.ctx.db.$transaction((tx) => createPaymentRequest(t.ctx, tx, { source: 'API', currency: 'USD', amount: '5.00' }));
    const request = {
      paymentId: payment.id, idempotencyKey: `pay_${payment.id}`, amountMinor: 500, currency: 'USD', description: 'x', lines: [], customer: { email: null, name: null, phone: null },
      returnUrl: `${soshogle.url}/r`, cancelUrl: `${soshogle.url}/c`, expiresAt: null,
    };
    expect(await failureOf(t.service.createCheckout(request))).toMatchObject({ status: 401, code: 'invalid_token', retryable: false });
    // A fresh service (the next job or page view) fetches a new token.
    const again = (await t.ctx.providers.get('payments.checkout'))!.service;
    expect((await again.createCheckout(request)).url).toContain('/checkoutnow?token=');
  });

  it('captures on the payer’s return once approved, and a repeated return never captures twice', async () => {
    const t = await tenant();
    const { payment } = await checkout(t);
    const orderId = payment.paypalOrderId!;
    // Back before approving (cancelled, or a forged return): nothing to capture, still pending.
    await payerReturns(t, payment.id, orderId);
    expect((await paymentOf(t, payment.id)).status).toBe('PENDING');
    // Another order's token is not this payment's.
    expect(await t.service.completeCheckout!(ref(payment), new URLSearchParams({ token: 'OTHER' }))).toEqual([]);

    fake.approve(orderId);
    await payerReturns(t, payment.id, orderId);
    await payerReturns(t, payment.id, orderId);
    const paid = await paymentOf(t, payment.id);
    const capture = fake.orders.get(orderId)!.purchase_units[0]!.payments!.captures;
    expect(capture).toHaveLength(1);
    expect(paid).toMatchObject({ status: 'SUCCEEDED', providerData: { captureId: capture[0]!.id } });
    const captureCalls = fake.requests.filter((r) => r.path === `/v2/checkout/orders/${orderId}/capture`);
    // Asked only once approved (a capture too early would spend its key), and the repeated return reads the order instead.
    expect(captureCalls.map((r) => r.headers['paypal-request-id'])).toEqual([captureRequestId(payment.id)]);
    await queueSettled(soshogle);
    await eventually(async () => recorder.heard.some((e) => e.type === 'payments.payment_succeeded' && e.payload.paymentId === payment.id));
    expect(recorder.heard.filter((e) => e.type === 'payments.payment_succeeded' && e.payload.paymentId === payment.id)).toHaveLength(1);
  });

  it('maps the capture’s outcome: declined fails with the reason, pending is processing until it clears', async () => {
    const t = await tenant();
    const declined = await checkout(t);
    // Through the fake's test-only endpoint, as a browser test of the pay page would.
    expect((await fetch(`${fake.url}/test/orders/${declined.payment.paypalOrderId}/decline`, { method: 'POST' })).status).toBe(200);
    await payerReturns(t, declined.payment.id, declined.payment.paypalOrderId!);
    expect(await paymentOf(t, declined.payment.id)).toMatchObject({ status: 'FAILED', failureReason: 'DECLINED_BY_RISK_FRAUD_FILTERS' });

    const pending = await checkout(t);
    fake.approve(pending.payment.paypalOrderId!, 'PENDING');
    await payerReturns(t, pending.payment.id, pending.payment.paypalOrderId!);
    const processing = await paymentOf(t, pending.payment.id);
    expect(processing.status).toBe('PROCESSING');
    const cleared = fake.settle((processing.providerData as { captureId: string }).captureId, 'COMPLETED');
    expect((await fake.sendEvent(t.webhookUrl, accountA, cleared)).status).toBe(200);
    expect((await paymentOf(t, pending.payment.id)).status).toBe('SUCCEEDED');

    // PayPal refusing the payer's funding source at capture (422 INSTRUMENT_DECLINED): failed, and they may try again.
    const refused = await checkout(t);
    fake.approve(refused.payment.paypalOrderId!);
    fake.fail({ method: 'POST', path: '/v2/checkout/orders/:id/capture' }, { status: 422, body: { name: 'UNPROCESSABLE_ENTITY', message: 'declined', debug_id: 'x', details: [{ issue: 'INSTRUMENT_DECLINED', description: 'The instrument presented was declined.' }] } });
    await payerReturns(t, refused.payment.id, refused.payment.paypalOrderId!);
    expect(await paymentOf(t, refused.payment.id)).toMatchObject({ status: 'FAILED', failureReason: 'PayPal: INSTRUMENT_DECLINED' });
  });

  it('reconciles an approved order whose return got lost by capturing it, and reads refunds back', async () => {
    const t = await tenant();
    const { payment } = await checkout(t, { amount: '40.00' });
    expect(await t.service.retrieve(ref(payment))).toEqual([]);
    fake.approve(payment.paypalOrderId!);
    await t.apply(await t.service.retrieve(ref(await paymentOf(t, payment.id))));
    expect((await paymentOf(t, payment.id)).status).toBe('SUCCEEDED');
    const captureId = ((await paymentOf(t, payment.id)).providerData as { captureId: string }).captureId;
    fake.refundAtPaypal(captureId, '40.00');
    await t.apply(await t.service.retrieve(ref(await paymentOf(t, payment.id))));
    expect(await paymentOf(t, payment.id)).toMatchObject({ status: 'REFUNDED', refunds: [expect.objectContaining({ status: 'SUCCEEDED', requestedBy: 'provider' })] });
  });

  it('says when PayPal cannot be reached, and that repeating is safe (every write is keyed)', async () => {
    const t = await tenant();
    fake.fail({ method: 'POST', path: '/v2/checkout/orders' }, { drop: true });
    const { payment } = await t.ctx.db.$transaction((tx) => createPaymentRequest(t.ctx, tx, { source: 'API', currency: 'USD', amount: '5.00' }));
    const request = {
      paymentId: payment.id, idempotencyKey: `pay_${payment.id}`, amountMinor: 500, currency: 'USD', description: 'x', lines: [], customer: { email: null, name: null, phone: null },
      returnUrl: `${soshogle.url}/r`, cancelUrl: `${soshogle.url}/c`, expiresAt: null,
    };
    expect(await failureOf(t.service.createCheckout(request))).toMatchObject({ status: null, retryable: true, outcomeUnknown: false });
    fake.fail({ method: 'POST', path: '/v2/checkout/orders' }, { status: 400, body: { name: 'INVALID_REQUEST', message: 'bad', debug_id: 'y', details: [{ issue: 'INVALID_PARAMETER_VALUE', description: 'bad' }] } });
    expect(await failureOf(t.service.createCheckout(request))).toEqual({ status: 400, code: 'INVALID_PARAMETER_VALUE', retryable: false, outcomeUnknown: false });
    expect((await t.service.createCheckout(request)).url).toContain('/checkoutnow?token=');
  });
});

describe('refunds through PayPal', () => {
  it('refunds part then the rest with our refund id, once per key, and refuses more than was paid', async () => {
    const t = await tenant();
    const { payment } = await checkout(t, { amount: '30.00' });
    fake.approve(payment.paypalOrderId!);
    await payerReturns(t, payment.id, payment.paypalOrderId!);
    const paid = ref(await paymentOf(t, payment.id));
    const first = await t.ctx.db.paymentRefund.create({ data: { userId: t.user.userId, paymentId: payment.id, amount: '10.00', requestedBy: 'user' } });
    const ask = (refundId: string, amountMinor: number) => t.service.refund({ payment: paid, refundId, idempotencyKey: refundId, amountMinor, reason: 'Changed plans' });
    const answer = await ask(first.id, 1000);
    expect(answer).toMatchObject({ status: 'SUCCEEDED', failureReason: null });
    expect(await ask(first.id, 1000)).toEqual(answer);
    const sent = fake.requests.find((r) => r.path.endsWith('/refund'))!;
    expect(sent.headers['paypal-request-id']).toBe(first.id);
    expect(sent.body).toEqual({ amount: { currency_code: 'USD', value: '10.00' }, custom_id: first.id, invoice_id: first.id, note_to_payer: 'Changed plans' });
    await t.apply([{ kind: 'refund', payment: { id: payment.id }, providerRefundId: answer.providerRefundId, refundId: first.id, amountMinor: 1000, status: answer.status, at: new Date() }]);

    expect(await failureOf(ask('another', 2500))).toEqual({ status: 422, code: 'REFUND_AMOUNT_EXCEEDED', retryable: false, outcomeUnknown: false });
    const rest = await t.ctx.db.paymentRefund.create({ data: { userId: t.user.userId, paymentId: payment.id, amount: '20.00', requestedBy: 'user' } });
    const second = await ask(rest.id, 2000);
    // The webhook for it names our refund (custom_id): the same row, not a second one.
    const event = fake.eventsOf(payment.paypalOrderId!).find((e) => e.resource.id === second.providerRefundId)!;
    expect((await fake.sendEvent(t.webhookUrl, accountA, event)).status).toBe(200);
    expect(await paymentOf(t, payment.id)).toMatchObject({ status: 'REFUNDED', refunds: expect.arrayContaining([expect.objectContaining({ id: rest.id, status: 'SUCCEEDED' })]) });
    expect((await paymentOf(t, payment.id)).refunds).toHaveLength(2);
    expect(await failureOf(ask('again', 100))).toMatchObject({ status: 422, code: 'CAPTURE_FULLY_REFUNDED', retryable: false });
  });
});

describe('PayPal webhooks', () => {
  /** A paid payment and the events PayPal sent about it. */
  async function paidByWebhooks(t: Tenant) {
    const { payment } = await checkout(t);
    fake.approve(payment.paypalOrderId!);
    await t.service.completeCheckout!(ref(payment), new URLSearchParams({ token: payment.paypalOrderId! })); // captured at PayPal, not recorded here
    return { payment, events: fake.eventsOf(payment.paypalOrderId!) };
  }

  it('applies signed events once: approved is processing, the capture pays', async () => {
    const t = await tenant();
    const { payment, events } = await paidByWebhooks(t);
    expect(events.map((e) => e.event_type)).toEqual(['CHECKOUT.ORDER.APPROVED', 'PAYMENT.CAPTURE.COMPLETED']);
    expect(await (await fake.sendEvent(t.webhookUrl, accountA, events[0]!)).json()).toEqual({ received: true });
    expect((await paymentOf(t, payment.id)).status).toBe('PROCESSING');
    const again = await fake.sendEvent(t.webhookUrl, accountA, events[1]!, { duplicate: 2 });
    expect(again.status).toBe(200);
    expect(fake.deliveries.slice(-2).map((d) => JSON.parse(d.answer))).toEqual([{ received: true, duplicate: true }, { received: true, duplicate: true }]);
    expect(await paymentOf(t, payment.id)).toMatchObject({ status: 'SUCCEEDED', paypalOrderId: payment.paypalOrderId });
  });

  it('refuses forged, tampered, stale, foreign-certificate and other-tenant deliveries, and changes nothing', async () => {
    const t = await tenant();
    const other = await tenant(accountB);
    const { payment, events } = await paidByWebhooks(t);
    const captured = events[1]!;
    const raw = Buffer.from(JSON.stringify(captured));
    const post = (headers: Record<string, string>, body: Buffer = raw, url = t.webhookUrl) => applied(soshogle, fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: Uint8Array.from(body) }));
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const minutes = (n: number) => new Date(Date.now() + n * 60_000);
    const refused = {
      unsigned: await post({}),
      forged: await post(fake.signatureHeaders(raw, accountA.webhookId, { key: forger })),
      tampered: await post(fake.signatureHeaders(raw, accountA.webhookId), Buffer.from(JSON.stringify({ ...captured, resource: { ...captured.resource, custom_id: 'someone-else' } }))),
      stale: await post(fake.signatureHeaders(raw, accountA.webhookId, { time: minutes(-6) })),
      future: await post(fake.signatureHeaders(raw, accountA.webhookId, { time: minutes(6) })),
      foreignCert: await post(fake.signatureHeaders(raw, accountA.webhookId, { certUrl: 'https://certs.example.test/paypal.pem' })),
      otherWebhookId: await post(fake.signatureHeaders(raw, accountB.webhookId)),
      // Signed for tenant A's webhook, replayed at tenant B's URL.
      otherTenant: await post(fake.signatureHeaders(raw, accountA.webhookId), raw, other.webhookUrl),
    };
    expect(Object.fromEntries(Object.entries(refused).map(([k, r]) => [k, r.status]))).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, 401])));
    expect((await paymentOf(t, payment.id)).status).toBe('PENDING');
    // Within the window either way it passes.
    expect((await post(fake.signatureHeaders(raw, accountA.webhookId, { time: minutes(-4) }))).status).toBe(200);
    expect((await paymentOf(t, payment.id)).status).toBe('SUCCEEDED');
  });

  it('ends in the same state whatever the order and repeats of a payment’s deliveries', async () => {
    const t = await tenant();
    const states = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const { payment, events } = await paidByWebhooks(t);
      const captureId = events[1]!.resource.id as string;
      // Ours refunds 10 (a PaymentRefund row, refunded through the service), the dashboard the remaining 15.
      const ours = await t.ctx.db.paymentRefund.create({ data: { userId: t.user.userId, paymentId: payment.id, amount: '10.00', requestedBy: 'user' } });
      await t.service.refund({ payment: { ...ref(payment), providerData: { captureId } }, refundId: ours.id, idempotencyKey: ours.id, amountMinor: 1000, reason: null });
      fake.refundAtPaypal(captureId, '15.00');
      const all = fake.eventsOf(payment.paypalOrderId!);
      expect(all.map((e) => e.event_type)).toEqual(['CHECKOUT.ORDER.APPROVED', 'PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.CAPTURE.REFUNDED', 'PAYMENT.CAPTURE.REFUNDED']);
      const deliveries = shuffled(all.flatMap((e, i) => Array.from({ length: 1 + ((i + seed) % 2) }, () => e)), seed);
      for (const event of deliveries) expect((await fake.sendEvent(t.webhookUrl, accountA, event)).status).toBe(200);
      const p = await paymentOf(t, payment.id);
      states.push({
        status: p.status, amountRefunded: p.amountRefunded.toString(), captureId: (p.providerData as { captureId?: string }).captureId === captureId,
        refunds: p.refunds.map((r) => ({ amount: r.amount.toString(), status: r.status, ours: r.id === ours.id })).sort((a, b) => a.amount.localeCompare(b.amount)),
      });
    }
    const expected = { status: 'REFUNDED', amountRefunded: '25', captureId: true, refunds: [{ amount: '10', status: 'SUCCEEDED', ours: true }, { amount: '15', status: 'SUCCEEDED', ours: false }] };
    expect(states).toEqual(states.map(() => expected));
  });

  it('verifies by PayPal’s postback too: the event as received passes, a changed one does not', async () => {
    const t = await tenant();
    const { events } = await paidByWebhooks(t);
    const raw = Buffer.from(JSON.stringify(events[1]));
    const headers = fake.signatureHeaders(raw, accountA.webhookId);
    const transmission = transmissionOf({ rawBody: raw, headers, url: t.webhookUrl })!;
    const account = { ...accountA, environment: 'sandbox' as const };
    expect(await verifiedByPostback({ rawBody: raw, headers, url: t.webhookUrl }, transmission, account, fake.url)).toBe(true);
    const changed = Buffer.from(JSON.stringify({ ...events[1], summary: 'changed' }));
    expect(await verifiedByPostback({ rawBody: changed, headers, url: t.webhookUrl }, transmission, account, fake.url)).toBe(false);
    expect(await verifiedByPostback({ rawBody: raw, headers, url: t.webhookUrl }, transmission, { ...account, webhookId: accountB.webhookId }, fake.url)).toBe(false);
  });
});

