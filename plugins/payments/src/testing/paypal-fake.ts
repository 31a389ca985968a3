// A local stand-in for PayPal's REST API (Orders v2 and Payments v2), for tests: OAuth
// client credentials (Basic -> Bearer token), orders create / get / capture with PayPal's
// JSON (snake_case) and errors ({ name, message, debug_id, details: [{ issue }] }; capture
// before approval is 422 ORDER_NOT_APPROVED), capture refunds, PayPal-Request-Id replay
// (the first answer again), the verify-webhook-signature postback, the signing certificate,
// and PayPal's webhooks signed with an RSA key (SHA256withRSA over
// `transmissionId|time|webhookId|crc32(body)`), duplicated and reordered on request.
// Test-only: POST /test/orders/:id/approve | decline (the payer at PayPal's checkout;
// abandoning is doing nothing), and the same as methods.
import { createPrivateKey, randomBytes, randomUUID, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { route, startFakeProvider, type FakeAnswer, type FakeDeliveryInput, type FakeProvider, type FakeRequest } from '@soshogle/core/testing';
import { signedText } from '../webhooks/paypal-signature.ts';
import { paypalFakeSigner } from './paypal-fake-cert.ts';

export interface PaypalFakeAccount {
  clientId: string;
  clientSecret: string;
  webhookId: string;
}

type Json = Record<string, unknown>;
interface Money { currency_code: string; value: string; breakdown?: { item_total?: Money } }

/** How the capture of an approved order ends. */
export type CaptureOutcome = 'COMPLETED' | 'PENDING' | 'DECLINED';

export interface PaypalFakeOrder extends Json {
  id: string;
  status: 'CREATED' | 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED' | 'VOIDED';
  purchase_units: (Json & { custom_id?: string; amount: Money; payments?: { captures: Capture[]; refunds: Refund[] } })[];
}
interface Capture extends Json { id: string; status: string; amount: Money; custom_id?: string }
interface Refund extends Json { id: string; status: string; amount: Money; custom_id?: string }

export interface PaypalEvent extends Json {
  id: string;
  event_type: string;
  resource: Json;
}

export interface SignOptions {
  /** PAYPAL-TRANSMISSION-TIME (default now). */
  time?: Date;
  /** PAYPAL-CERT-URL (default the fake's). */
  certUrl?: string;
  /** Sign with another key (a forgery). */
  key?: KeyObject;
  /** The webhook id signed over (default the account's). */
  webhookId?: string;
}

export interface PaypalFake extends FakeProvider {
  orders: Map<string, PaypalFakeOrder>;
  /** Every event PayPal would send, in the order things happened, per order. */
  events: PaypalEvent[];
  eventsOf(orderId: string): PaypalEvent[];
  /** Where the fake serves its signing certificate. */
  certUrl: string;
  /** The payer approves the order at PayPal; the capture will end as `outcome`. */
  approve(orderId: string, outcome?: CaptureOutcome): PaypalEvent;
  /** A PENDING capture clears (COMPLETED) or is denied. */
  settle(captureId: string, status: 'COMPLETED' | 'DECLINED'): PaypalEvent;
  /** A refund made in PayPal's dashboard (no custom_id of ours), or a reversal (chargeback). */
  refundAtPaypal(captureId: string, value: string, type?: 'PAYMENT.CAPTURE.REFUNDED' | 'PAYMENT.CAPTURE.REVERSED'): PaypalEvent;
  /** The app's access tokens stop working (401 invalid_token), as when its secret is rotated. */
  revokeTokens(clientId: string): void;
  /** PayPal's signature headers for `raw`, as sent to a webhook registered with `webhookId`. */
  signatureHeaders(raw: Buffer, webhookId: string, options?: SignOptions): Record<string, string>;
  /** Sends one event, signed for the account's webhook. */
  sendEvent(url: string, account: PaypalFakeAccount, event: PaypalEvent, options?: SignOptions & Pick<FakeDeliveryInput, 'duplicate'>): Promise<Response>;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const newId = (length = 17) => randomBytes(length).toString('hex').toUpperCase().slice(0, length);

function problem(status: number, name: string, issue: string, description: string): FakeAnswer {
  return { status, body: { name, message: description, debug_id: newId(13).toLowerCase(), details: [{ issue, description }] } };
}

const minor = (value: string) => Math.round(Number(value) * 100);
const major = (cents: number) => (cents / 100).toFixed(2);

export async function startPaypalFake(options: { accounts: PaypalFakeAccount[] }): Promise<PaypalFake> {
  const key = createPrivateKey(paypalFakeSigner.key);
  const cert = new X509Certificate(paypalFakeSigner.cert);
  const tokens = new Map<string, string>(); // token -> clientId
  const owners = new Map<string, string>(); // order id -> clientId
  const replays = new Map<string, FakeAnswer>(); // clientId + path + PayPal-Request-Id -> first answer
  const orders = new Map<string, PaypalFakeOrder>();
  const outcomes = new Map<string, CaptureOutcome>();
  const captures = new Map<string, { capture: Capture; orderId: string }>();
  const events: PaypalEvent[] = [];
  const accountOf = (clientId: string) => options.accounts.find((a) => a.clientId === clientId);

  function raise(type: string, resourceType: string, resource: Json, orderId: string): PaypalEvent {
    const event: PaypalEvent = {
      id: `WH-${newId(8)}-${newId(17)}`, event_version: '1.0', create_time: now(), resource_type: resourceType,
      resource_version: '2.0', event_type: type, summary: `${type} for order ${orderId}`, resource: structuredClone(resource),
    };
    Object.defineProperty(event, 'orderId', { value: orderId, enumerable: false });
    events.push(event);
    return event;
  }

  const link = (rel: string, path: string, method = 'GET') => ({ href: `${fake.url}${path}`, rel, method });
  const orderLinks = (order: PaypalFakeOrder) => [
    link('self', `/v2/checkout/orders/${order.id}`),
    ...(order.status === 'PAYER_ACTION_REQUIRED' || order.status === 'CREATED' ? [link(order.status === 'CREATED' ? 'approve' : 'payer-action', `/checkoutnow?token=${order.id}`)] : []),
    ...(order.status === 'APPROVED' ? [link('capture', `/v2/checkout/orders/${order.id}/capture`, 'POST')] : []),
  ];
  const view = (order: PaypalFakeOrder) => ({ ...structuredClone(order), links: orderLinks(order) });

  /** Bearer auth: the client id the token was issued to, or the 401 answer. */
  function caller(request: FakeRequest): string | FakeAnswer {
    const auth = request.headers.authorization ?? '';
    const clientId = auth.startsWith('Bearer ') ? tokens.get(auth.slice(7)) : undefined;
    return clientId ?? { status: 401, body: { error: 'invalid_token', error_description: 'Token signature verification failed' } };
  }

  /** Answers a write once per PayPal-Request-Id: a repeat gets the first answer. */
  function once(request: FakeRequest, clientId: string, run: () => FakeAnswer): FakeAnswer {
    const requestId = request.headers['paypal-request-id'];
    if (typeof requestId !== 'string') return run();
    const replayKey = `${clientId} ${request.path} ${requestId}`;
    const known = replays.get(replayKey);
    if (known) return known;
    const answer = run();
    if (answer.status < 500) replays.set(replayKey, answer);
    return answer;
  }

  function ownOrder(clientId: string, id: string): PaypalFakeOrder | undefined {
    return owners.get(id) === clientId ? orders.get(id) : undefined;
  }

  const routes = [
    route('POST', '/v1/oauth2/token', (request) => {
      const auth = request.headers.authorization ?? '';
      const [clientId, secret] = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString('utf8').split(':');
      const account = clientId ? accountOf(clientId) : undefined;
      if (!auth.startsWith('Basic ') || !account || account.clientSecret !== secret) {
        return { status: 401, body: { error: 'invalid_client', error_description: 'Client Authentication failed' } };
      }
      const token = `A21AA${randomBytes(24).toString('base64url')}`;
      tokens.set(token, account.clientId);
      return { status: 200, body: { scope: 'https://uri.paypal.com/services/payments/payment', access_token: token, token_type: 'Bearer', app_id: 'APP-FAKE', expires_in: 32400, nonce: newId(20) } };
    }),
    route('POST', '/v2/checkout/orders', (request) => {
      const clientId = caller(request);
      if (typeof clientId !== 'string') return clientId;
      return once(request, clientId, () => {
        const body = request.body as Json & { intent?: string; purchase_units?: PaypalFakeOrder['purchase_units']; payment_source?: Json };
        const unit = body.purchase_units?.[0];
        if (body.intent !== 'CAPTURE' && body.intent !== 'AUTHORIZE') return problem(400, 'INVALID_REQUEST', 'MISSING_REQUIRED_PARAMETER', 'intent is required');
        if (!unit?.amount?.value || !/^\d+(\.\d{1,2})?$/.test(unit.amount.value)) return problem(400, 'INVALID_REQUEST', 'INVALID_PARAMETER_VALUE', 'purchase_units[0].amount.value is invalid');
        const items = (unit.items ?? []) as { quantity: string; unit_amount: Money }[];
        const itemTotal = unit.amount.breakdown?.item_total;
        if (items.length > 0 && (!itemTotal || items.reduce((s, i) => s + minor(i.unit_amount.value) * Number(i.quantity), 0) !== minor(itemTotal.value))) {
          return problem(422, 'UNPROCESSABLE_ENTITY', 'ITEM_TOTAL_MISMATCH', 'Should equal sum of (unit_amount * quantity) across all items for a given purchase_unit');
        }
        const order: PaypalFakeOrder = {
          id: newId(), intent: body.intent, status: body.payment_source ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
          purchase_units: [structuredClone(unit)], payment_source: structuredClone(body.payment_source ?? {}), create_time: now(), update_time: now(),
        };
        orders.set(order.id, order);
        owners.set(order.id, clientId);
        return { status: 201, body: view(order) };
      });
    }),
    route('GET', '/v2/checkout/orders/:id', (request) => {
      const clientId = caller(request);
      if (typeof clientId !== 'string') return clientId;
      const order = ownOrder(clientId, request.params.id!);
      return order ? { status: 200, body: view(order) } : problem(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist.');
    }),
    route('POST', '/v2/checkout/orders/:id/capture', (request) => {
      const clientId = caller(request);
      if (typeof clientId !== 'string') return clientId;
      return once(request, clientId, () => {
        const order = ownOrder(clientId, request.params.id!);
        if (!order) return problem(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist.');
        if (order.status === 'COMPLETED') return problem(422, 'UNPROCESSABLE_ENTITY', 'ORDER_ALREADY_CAPTURED', 'Order already captured.');
        if (order.status !== 'APPROVED') return problem(422, 'UNPROCESSABLE_ENTITY', 'ORDER_NOT_APPROVED', 'Payer has not yet approved the Order for payment.');
        capture(order, outcomes.get(order.id) ?? 'COMPLETED');
        return { status: 201, body: view(order) };
      });
    }),
    route('GET', '/v2/payments/captures/:id', (request) => {
      const clientId = caller(request);
      if (typeof clientId !== 'string') return clientId;
      const found = captures.get(request.params.id!);
      if (!found || owners.get(found.orderId) !== clientId) return problem(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist.');
      return { status: 200, body: captureResource(found.capture, found.orderId) };
    }),
    route('POST', '/v2/payments/captures/:id/refund', (request) => {
      const clientId = caller(request);
      if (typeof clientId !== 'string') return clientId;
      return once(request, clientId, () => {
        const found = captures.get(request.params.id!);
        if (!found || owners.get(found.orderId) !== clientId) return problem(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist.');
        const body = (request.body ?? {}) as { amount?: Money; custom_id?: string; invoice_id?: string; note_to_payer?: string };
        const result = refund(found.capture, found.orderId, body.amount?.value, body);
        return typeof result === 'string' ? problem(422, 'UNPROCESSABLE_ENTITY', result, 'The refund cannot be made.') : { status: 201, body: result.refund };
      });
    }),
    route('POST', '/v1/notifications/verify-webhook-signature', (request) => {
      const clientId = caller(request);
      if (typeof clientId !== 'string') return clientId;
      const body = request.body as { auth_algo?: string; cert_url?: string; transmission_id?: string; transmission_sig?: string; transmission_time?: string; webhook_id?: string; webhook_event?: Json };
      const account = accountOf(clientId);
      const ok = !!account && body.webhook_id === account.webhookId && body.auth_algo === 'SHA256withRSA' && body.cert_url === fake.certUrl
        && !!body.webhook_event && !!body.transmission_id && !!body.transmission_time && !!body.transmission_sig
        && verify('sha256', Buffer.from(signedText(body.transmission_id, body.transmission_time, body.webhook_id!, Buffer.from(JSON.stringify(body.webhook_event)))), cert.publicKey, Buffer.from(body.transmission_sig, 'base64'))
        // The event must be one PayPal sent, unchanged.
        && events.some((e) => e.id === body.webhook_event!.id && isDeepStrictEqual(JSON.parse(JSON.stringify(e)), body.webhook_event));
      return { status: 200, body: { verification_status: ok ? 'SUCCESS' : 'FAILURE' } };
    }),
    route('GET', '/certs/:name', () => ({ status: 200, body: paypalFakeSigner.cert, headers: { 'content-type': 'application/x-pem-file' } })),
    route('POST', '/test/orders/:id/approve', (request) => {
      if (!orders.has(request.params.id!)) return problem(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'No such order');
      const outcome = (request.body as { outcome?: CaptureOutcome } | undefined)?.outcome ?? 'COMPLETED';
      return { status: 200, body: fake.approve(request.params.id!, outcome) };
    }),
    route('POST', '/test/orders/:id/decline', (request) => {
      if (!orders.has(request.params.id!)) return problem(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'No such order');
      return { status: 200, body: fake.approve(request.params.id!, 'DECLINED') };
    }),
  ];

  function captureResource(c: Capture, orderId: string): Json {
    return { ...structuredClone(c), supplementary_data: { related_ids: { order_id: orderId } } };
  }

  function capture(order: PaypalFakeOrder, outcome: CaptureOutcome): void {
    const unit = order.purchase_units[0]!;
    const c: Capture = {
      id: newId(), status: outcome, amount: structuredClone(unit.amount), final_capture: true, create_time: now(), update_time: now(),
      ...(unit.custom_id ? { custom_id: unit.custom_id } : {}),
      ...(outcome === 'PENDING' ? { status_details: { reason: 'PENDING_REVIEW' } } : {}),
      ...(outcome === 'DECLINED' ? { status_details: { reason: 'DECLINED_BY_RISK_FRAUD_FILTERS' } } : {}),
    };
    c.links = [link('self', `/v2/payments/captures/${c.id}`), link('refund', `/v2/payments/captures/${c.id}/refund`, 'POST'), link('up', `/v2/checkout/orders/${order.id}`)];
    delete unit.amount.breakdown;
    unit.payments = { captures: [c], refunds: [] };
    order.status = 'COMPLETED';
    order.update_time = now();
    captures.set(c.id, { capture: c, orderId: order.id });
    const type = { COMPLETED: 'PAYMENT.CAPTURE.COMPLETED', PENDING: 'PAYMENT.CAPTURE.PENDING', DECLINED: 'PAYMENT.CAPTURE.DENIED' }[outcome];
    raise(type, 'capture', captureResource(c, order.id), order.id);
  }

  function refund(c: Capture, orderId: string, value: string | undefined, body: { custom_id?: string; invoice_id?: string; note_to_payer?: string }, type = 'PAYMENT.CAPTURE.REFUNDED'): string | { refund: Refund; event: PaypalEvent } {
    if (c.status !== 'COMPLETED' && c.status !== 'PARTIALLY_REFUNDED') return c.status === 'REFUNDED' ? 'CAPTURE_FULLY_REFUNDED' : 'REFUND_NOT_ALLOWED';
    const order = orders.get(orderId)!;
    const payments = order.purchase_units[0]!.payments!;
    const refunded = payments.refunds.reduce((s, r) => s + minor(r.amount.value), 0);
    const remaining = minor(c.amount.value) - refunded;
    const cents = value === undefined ? remaining : minor(value);
    if (cents <= 0 || cents > remaining) return 'REFUND_AMOUNT_EXCEEDED';
    const r: Refund = {
      id: newId(), status: 'COMPLETED', amount: { currency_code: c.amount.currency_code, value: major(cents) },
      ...(body.custom_id ? { custom_id: body.custom_id } : {}), ...(body.invoice_id ? { invoice_id: body.invoice_id } : {}),
      ...(body.note_to_payer ? { note_to_payer: body.note_to_payer } : {}), create_time: now(), update_time: now(),
    };
    r.links = [link('self', `/v2/payments/refunds/${r.id}`), link('up', `/v2/payments/captures/${c.id}`)];
    payments.refunds.push(r);
    c.status = cents === remaining ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    c.update_time = now();
    return { refund: structuredClone(r), event: raise(type, 'refund', r, orderId) };
  }

  function signatureHeaders(raw: Buffer, webhookId: string, signOptions: SignOptions = {}): Record<string, string> {
    const transmissionId = randomUUID();
    const time = (signOptions.time ?? new Date()).toISOString();
    const signed = Buffer.from(signedText(transmissionId, time, signOptions.webhookId ?? webhookId, raw), 'utf8');
    return {
      'paypal-transmission-id': transmissionId,
      'paypal-transmission-time': time,
      'paypal-transmission-sig': sign('sha256', signed, signOptions.key ?? key).toString('base64'),
      'paypal-cert-url': signOptions.certUrl ?? fake.certUrl,
      'paypal-auth-algo': 'SHA256withRSA',
    };
  }

  const base = await startFakeProvider({ name: 'paypal', routes });
  const fake: PaypalFake = Object.assign(base, {
    orders,
    events,
    certUrl: `${base.url}/certs/CERT-360caa42-fca2a594-fake`,
    eventsOf: (orderId: string) => events.filter((e) => (e as { orderId?: string }).orderId === orderId),
    approve(orderId: string, outcome: CaptureOutcome = 'COMPLETED') {
      const order = orders.get(orderId);
      if (!order || (order.status !== 'PAYER_ACTION_REQUIRED' && order.status !== 'CREATED')) throw new Error(`fake paypal: order ${orderId} cannot be approved (${order?.status})`);
      order.status = 'APPROVED';
      order.update_time = now();
      outcomes.set(orderId, outcome);
      return raise('CHECKOUT.ORDER.APPROVED', 'checkout-order', view(order), orderId);
    },
    settle(captureId: string, status: 'COMPLETED' | 'DECLINED') {
      const found = captures.get(captureId);
      if (!found || found.capture.status !== 'PENDING') throw new Error(`fake paypal: capture ${captureId} is not pending`);
      found.capture.status = status;
      found.capture.update_time = now();
      delete found.capture.status_details;
      return raise(status === 'COMPLETED' ? 'PAYMENT.CAPTURE.COMPLETED' : 'PAYMENT.CAPTURE.DENIED', 'capture', captureResource(found.capture, found.orderId), found.orderId);
    },
    refundAtPaypal(captureId: string, value: string, type: 'PAYMENT.CAPTURE.REFUNDED' | 'PAYMENT.CAPTURE.REVERSED' = 'PAYMENT.CAPTURE.REFUNDED') {
      const found = captures.get(captureId);
      if (!found) throw new Error(`fake paypal: no capture ${captureId}`);
      const result = refund(found.capture, found.orderId, value, {}, type);
      if (typeof result === 'string') throw new Error(`fake paypal: ${result}`);
      return result.event;
    },
    revokeTokens(clientId: string) {
      for (const [token, owner] of tokens) if (owner === clientId) tokens.delete(token);
    },
    signatureHeaders,
    sendEvent(url: string, account: PaypalFakeAccount, event: PaypalEvent, sendOptions: SignOptions & Pick<FakeDeliveryInput, 'duplicate'> = {}) {
      const { duplicate, ...signOptions } = sendOptions;
      return base.deliver(url, { body: event, duplicate, sign: ({ raw }) => signatureHeaders(raw, account.webhookId, signOptions) });
    },
  });
  return fake;
}
