// A local stand-in for Square's API, for tests: the real paths and snake_case JSON of
// payment links (POST /v2/online-checkout/payment-links), orders, payments and refunds,
// Bearer auth with each account's access token, the Square-Version header, idempotency
// keys (the same key and body replays the first answer; the same key with another body is
// IDEMPOTENCY_KEY_REUSED), and Square's error bodies {errors: [{category, code, detail,
// field}]}. The hosted checkout a link points at (GET /checkout/:id) has Pay, Decline and
// Abandon buttons; they and the test-only POST /test/payment-links/:id/:outcome make the
// payment as Square would and deliver its webhooks (payment.created, payment.updated),
// signed Square's way: base64 HMAC-SHA256(signature key, notification URL + body).
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { route, startFakeProvider, type FakeAnswer, type FakeDelivery, type FakeProvider, type FakeRequest } from '@soshogle/core/testing';

export interface SquareFakeAccount {
  accessToken: string;
  locationId: string;
  merchantId?: string;
}

/** A webhook subscription: where the account's events go and the key they are signed with. */
export interface SquareSubscription {
  notificationUrl: string;
  signatureKey: string;
}

type Json = Record<string, unknown>;
type Money = { amount: number; currency: string };

export interface SquareFakeLink {
  id: string;
  accessToken: string;
  orderId: string;
  url: string;
  redirectUrl: string | null;
  body: Json;
  json: Json;
}

export interface SquareFakeOrder {
  id: string;
  accessToken: string;
  locationId: string;
  referenceId: string | null;
  totalMoney: Money;
  state: 'OPEN' | 'COMPLETED';
  tenders: Json[];
  json: Json;
}

export interface SquareFakePayment {
  id: string;
  accessToken: string;
  orderId: string;
  status: 'APPROVED' | 'PENDING' | 'COMPLETED' | 'CANCELED' | 'FAILED';
  amountMoney: Money;
  refundIds: string[];
  refundedMinor: number;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  errorCode: string | null;
}

export interface SquareFakeRefund {
  id: string;
  accessToken: string;
  paymentId: string;
  orderId: string;
  status: 'PENDING' | 'COMPLETED' | 'REJECTED' | 'FAILED';
  amountMoney: Money;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

export type SquareCheckoutOutcome = 'pay' | 'decline' | 'abandon';

export interface SquareFailure {
  status: number;
  category?: string;
  code?: string;
  detail?: string;
}

export interface SquareFake extends FakeProvider<Json | undefined> {
  accounts: SquareFakeAccount[];
  links: Map<string, SquareFakeLink>;
  orders: Map<string, SquareFakeOrder>;
  payments: Map<string, SquareFakePayment>;
  refunds: Map<string, SquareFakeRefund>;
  /** Where the account's webhooks go (Square: a subscription in the Developer Console). */
  subscribe(accessToken: string, subscription: SquareSubscription): void;
  /**
   * The payer at the link's checkout: 'pay' makes a payment APPROVED then COMPLETED
   * (payment.created, payment.updated), 'decline' a FAILED one (payment.created), 'abandon'
   * nothing. Returns the payment and its webhooks, built and signed but not sent: send
   * them with deliver/deliverAll in any order, duplicated or not.
   */
  checkout(linkId: string, outcome: SquareCheckoutOutcome): { payment: SquareFakePayment | null; events: FakeDelivery[] };
  /** The same, with the webhooks sent in order (what the test-only endpoint does). */
  payLink(linkId: string, outcome: SquareCheckoutOutcome): Promise<{ payment: SquareFakePayment | null; answers: number[] }>;
  /** Square finishes a refund: refund.created (PENDING) and refund.updated (`status`), built and signed, not sent. */
  refundEvents(refundId: string, status: 'COMPLETED' | 'REJECTED' | 'FAILED'): FakeDelivery[];
  /** A webhook of the event `type` about `object` ('payment' or 'refund', Square's snake_case JSON), signed, not sent. */
  event(accessToken: string, type: string, dataType: 'payment' | 'refund', object: Json, eventId?: string): FakeDelivery;
  /** Square's JSON of a payment or a refund as it stands now. */
  paymentJson(payment: SquareFakePayment): Json;
  refundJson(refund: SquareFakeRefund): Json;
  /** The next `times` API calls (test endpoints aside) fail with Square's error body. */
  failNext(times: number, failure: SquareFailure): void;
}

const squareVersion = /^\d{4}-\d{2}-\d{2}$/;
const maxKey = 45;

/** Square-style ids: base62-ish, upper case and digits. */
function squareId(length = 26): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

function errorAnswer(status: number, category: string, code: string, detail: string, field?: string): FakeAnswer {
  return { status, body: { errors: [{ category, code, detail, ...(field ? { field } : {}) }] } };
}
const invalid = (code: string, detail: string, field?: string) => errorAnswer(400, 'INVALID_REQUEST_ERROR', code, detail, field);
const notFound = (what: string) => errorAnswer(404, 'INVALID_REQUEST_ERROR', 'NOT_FOUND', `Could not find ${what}.`);

function moneyOf(value: unknown, field: string): Money | FakeAnswer {
  const money = value as { amount?: unknown; currency?: unknown } | undefined;
  if (!money || typeof money !== 'object') return invalid('MISSING_REQUIRED_PARAMETER', `Missing required parameter: ${field}`, field);
  if (typeof money.amount !== 'number' || !Number.isSafeInteger(money.amount) || money.amount < 0) {
    return invalid('INVALID_VALUE', `Expected ${field}.amount to be a non-negative integer.`, `${field}.amount`);
  }
  if (typeof money.currency !== 'string' || !/^[A-Z]{3}$/.test(money.currency)) return invalid('INVALID_VALUE', `Invalid currency at ${field}.currency.`, `${field}.currency`);
  return { amount: money.amount, currency: money.currency };
}
// Our records have a string status; an answer's is a number.
const isAnswer = (value: unknown): value is FakeAnswer => typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'number';

/** The signature Square puts in x-square-hmacsha256-signature. */
export function squareFakeSignature(signatureKey: string, notificationUrl: string, body: Buffer | string): string {
  return createHmac('sha256', signatureKey).update(notificationUrl + body.toString()).digest('base64');
}

export async function startSquareFake(options: { accounts: SquareFakeAccount[] }): Promise<SquareFake> {
  const accounts = options.accounts;
  const subscriptions = new Map<string, SquareSubscription>();
  const links = new Map<string, SquareFakeLink>();
  const orders = new Map<string, SquareFakeOrder>();
  const payments = new Map<string, SquareFakePayment>();
  const refunds = new Map<string, SquareFakeRefund>();
  /** Per account and endpoint: idempotency key -> the body's fingerprint and the first answer. */
  const keys = new Map<string, { fingerprint: string; answer: FakeAnswer }>();
  let clock = Date.now();
  // Square's timestamps, strictly increasing, so "later" in a test is later in the JSON too.
  const now = () => new Date((clock = Math.max(clock + 1, Date.now()))).toISOString();

  function accountOf(request: FakeRequest<Json | undefined>): SquareFakeAccount | FakeAnswer {
    const [scheme, token] = String(request.headers.authorization ?? '').split(' ');
    const account = accounts.find((a) => scheme === 'Bearer' && a.accessToken === token);
    if (!account) return errorAnswer(401, 'AUTHENTICATION_ERROR', 'UNAUTHORIZED', 'This request could not be authorized.');
    const version = request.headers['square-version'];
    if (version !== undefined && !squareVersion.test(String(version))) {
      return invalid('INVALID_SQUARE_VERSION_FORMAT', `Square-Version ${String(version)} is not a valid version (YYYY-MM-DD).`);
    }
    return account;
  }

  /** Runs `make` once per idempotency key; replays its answer for the same body, refuses another body. */
  function idempotent(account: SquareFakeAccount, endpoint: string, body: Json, make: () => FakeAnswer): FakeAnswer {
    const key = body.idempotency_key;
    if (key === undefined) return make();
    if (typeof key !== 'string' || key.length === 0) return invalid('INVALID_VALUE', 'idempotency_key must be a non-empty string.', 'idempotency_key');
    if (key.length > maxKey) return invalid('VALUE_TOO_LONG', `Field must not be greater than ${maxKey} length`, 'idempotency_key');
    const { idempotency_key: _key, ...rest } = body;
    const fingerprint = JSON.stringify(rest);
    const slot = `${account.accessToken}|${endpoint}|${key}`;
    const seen = keys.get(slot);
    if (seen) {
      if (seen.fingerprint !== fingerprint) return invalid('IDEMPOTENCY_KEY_REUSED', 'The idempotency key can only be retried with the same request data.', 'idempotency_key');
      return seen.answer;
    }
    const answer = make();
    // Square keeps successful answers under the key; a refused request may be sent again.
    if (answer.status < 400) keys.set(slot, { fingerprint, answer });
    return answer;
  }

  function createLink(account: SquareFakeAccount, body: Json): FakeAnswer {
    const order = body.order as Json | undefined;
    if (!order) return invalid('MISSING_REQUIRED_PARAMETER', 'Either quick_pay or order is required.', 'order');
    if (order.location_id !== account.locationId) return invalid('INVALID_VALUE', `Location ${String(order.location_id)} is not a location of this merchant.`, 'order.location_id');
    const lines = order.line_items;
    if (!Array.isArray(lines) || lines.length === 0) return invalid('MISSING_REQUIRED_PARAMETER', 'An order needs at least one line item.', 'order.line_items');
    let total = 0;
    let currency: string | null = null;
    const lineItems: Json[] = [];
    for (const [i, line] of (lines as Json[]).entries()) {
      const field = `order.line_items[${i}]`;
      if (typeof line.name !== 'string' || line.name.length === 0) return invalid('MISSING_REQUIRED_PARAMETER', 'An ad hoc line item needs a name.', `${field}.name`);
      if (typeof line.quantity !== 'string' || !/^[1-9]\d{0,5}$/.test(line.quantity)) return invalid('INVALID_VALUE', 'quantity must be a positive whole number, as a string.', `${field}.quantity`);
      const price = moneyOf(line.base_price_money, `${field}.base_price_money`);
      if (isAnswer(price)) return price;
      if (currency && price.currency !== currency) return invalid('INVALID_VALUE', 'All line items must be in one currency.', `${field}.base_price_money.currency`);
      currency = price.currency;
      const lineTotal = price.amount * Number(line.quantity);
      total += lineTotal;
      lineItems.push({ uid: squareId(22), name: line.name, quantity: line.quantity, item_type: 'ITEM', base_price_money: price, total_money: { amount: lineTotal, currency } });
    }
    const redirect = (body.checkout_options as Json | undefined)?.redirect_url;
    if (redirect !== undefined && (typeof redirect !== 'string' || !URL.canParse(redirect))) return invalid('INVALID_VALUE', 'redirect_url must be a URL.', 'checkout_options.redirect_url');
    if (body.payment_note !== undefined && (typeof body.payment_note !== 'string' || body.payment_note.length > 500)) return invalid('VALUE_TOO_LONG', 'payment_note is too long.', 'payment_note');
    if (order.reference_id !== undefined && (typeof order.reference_id !== 'string' || order.reference_id.length > 40)) return invalid('VALUE_TOO_LONG', 'reference_id is too long.', 'order.reference_id');
    const at = now();
    const totalMoney = { amount: total, currency: currency! };
    const orderId = squareId(29);
    const madeOrder: SquareFakeOrder = {
      id: orderId, accessToken: account.accessToken, locationId: account.locationId,
      referenceId: (order.reference_id as string | undefined) ?? null, totalMoney, state: 'OPEN', tenders: [],
      json: {
        id: orderId, location_id: account.locationId, reference_id: order.reference_id, source: { name: 'Square Online Checkout' },
        line_items: lineItems, total_money: totalMoney, net_amount_due_money: totalMoney, created_at: at, updated_at: at, version: 1,
      },
    };
    orders.set(orderId, madeOrder);
    const id = squareId(16);
    const url = `${fake.url}/checkout/${id}`;
    const json = {
      id, version: 1, description: body.description, order_id: orderId, checkout_options: body.checkout_options,
      pre_populated_data: body.pre_populated_data, payment_note: body.payment_note, url, long_url: `${url}?long=1`, created_at: at,
    };
    links.set(id, { id, accessToken: account.accessToken, orderId, url, redirectUrl: (redirect as string | undefined) ?? null, body, json });
    return { status: 200, body: { payment_link: json, related_resources: { orders: [orderJson(madeOrder)] } } };
  }

  function orderJson(order: SquareFakeOrder): Json {
    return { ...order.json, state: order.state, ...(order.tenders.length ? { tenders: order.tenders } : {}) };
  }

  function paymentJson(p: SquareFakePayment): Json {
    const failed = p.status === 'FAILED' || p.status === 'CANCELED';
    return {
      id: p.id, created_at: p.createdAt, updated_at: p.updatedAt, amount_money: p.amountMoney, total_money: p.amountMoney,
      approved_money: failed ? { amount: 0, currency: p.amountMoney.currency } : p.amountMoney,
      ...(p.refundedMinor > 0 ? { refunded_money: { amount: p.refundedMinor, currency: p.amountMoney.currency } } : {}),
      status: p.status, source_type: 'CARD',
      card_details: {
        status: { APPROVED: 'AUTHORIZED', PENDING: 'AUTHORIZED', COMPLETED: 'CAPTURED', CANCELED: 'VOIDED', FAILED: 'FAILED' }[p.status],
        card: { card_brand: 'VISA', last_4: p.status === 'FAILED' ? '0002' : '1111', exp_month: 12, exp_year: 2030 },
        entry_method: 'KEYED',
        ...(p.errorCode ? { errors: [{ category: 'PAYMENT_METHOD_ERROR', code: p.errorCode, detail: 'Authorization error: GENERIC_DECLINE' }] } : {}),
      },
      location_id: orders.get(p.orderId)?.locationId, order_id: p.orderId, note: p.note,
      ...(p.refundIds.length ? { refund_ids: p.refundIds } : {}),
      receipt_number: p.id.slice(0, 4), version_token: squareId(20),
    };
  }

  function refundJson(r: SquareFakeRefund): Json {
    return {
      id: r.id, status: r.status, location_id: orders.get(r.orderId)?.locationId, amount_money: r.amountMoney,
      payment_id: r.paymentId, order_id: r.orderId, reason: r.reason, created_at: r.createdAt, updated_at: r.updatedAt, destination_type: 'CARD',
    };
  }

  function createRefund(account: SquareFakeAccount, body: Json): FakeAnswer {
    if (typeof body.idempotency_key !== 'string') return invalid('MISSING_REQUIRED_PARAMETER', 'Missing required parameter: idempotency_key', 'idempotency_key');
    const payment = payments.get(String(body.payment_id ?? ''));
    if (!payment || payment.accessToken !== account.accessToken) return notFound(`payment ${String(body.payment_id)}`);
    const money = moneyOf(body.amount_money, 'amount_money');
    if (isAnswer(money)) return money;
    if (money.currency !== payment.amountMoney.currency) return invalid('CURRENCY_MISMATCH', 'The refund currency must be the payment currency.', 'amount_money.currency');
    if (money.amount <= 0) return invalid('INVALID_VALUE', 'The refund amount must be greater than zero.', 'amount_money.amount');
    if (payment.status !== 'COMPLETED') return invalid('PAYMENT_NOT_REFUNDABLE', `Payment ${payment.id} is ${payment.status} and cannot be refunded.`, 'payment_id');
    if (money.amount > payment.amountMoney.amount - payment.refundedMinor) return invalid('REFUND_AMOUNT_INVALID', 'The requested refund amount exceeds the amount available to refund.', 'amount_money.amount');
    const at = now();
    const refund: SquareFakeRefund = {
      id: `${payment.id}_${squareId(20)}`, accessToken: account.accessToken, paymentId: payment.id, orderId: payment.orderId,
      status: 'PENDING', amountMoney: money, reason: (body.reason as string | undefined) ?? null, createdAt: at, updatedAt: at,
    };
    refunds.set(refund.id, refund);
    payment.refundIds.push(refund.id);
    payment.refundedMinor += money.amount;
    payment.updatedAt = at;
    return { status: 200, body: { refund: refundJson(refund) } };
  }

  /** Reads `id` from `map` for the caller's account, or answers 404. */
  function owned<T extends { accessToken: string }>(map: Map<string, T>, id: string, account: SquareFakeAccount, what: string): T | FakeAnswer {
    const found = map.get(id);
    return found && found.accessToken === account.accessToken ? found : notFound(`${what} ${id}`);
  }

  function api(handler: (account: SquareFakeAccount, request: FakeRequest<Json | undefined>) => FakeAnswer) {
    return (request: FakeRequest<Json | undefined>) => {
      const account = accountOf(request);
      return isAnswer(account) ? account : handler(account, request);
    };
  }

  function event(accessToken: string, type: string, dataType: 'payment' | 'refund', object: Json, eventId = randomUUID()): FakeDelivery {
    const subscription = subscriptions.get(accessToken);
    if (!subscription) throw new Error('square fake: the account has no webhook subscription (call subscribe)');
    const account = accounts.find((a) => a.accessToken === accessToken)!;
    return {
      url: subscription.notificationUrl,
      body: {
        merchant_id: account.merchantId ?? 'MLFAKEMERCHANT', type, event_id: eventId, created_at: now(),
        data: { type: dataType, id: object.id, object: { [dataType]: object } },
      },
      headers: { 'user-agent': 'Square Connect v2', 'square-version': '2026-09-16', 'square-environment': 'Sandbox' },
      sign: ({ url, raw }) => ({ 'x-square-hmacsha256-signature': squareFakeSignature(subscription.signatureKey, url, raw) }),
    };
  }

  function checkout(linkId: string, outcome: SquareCheckoutOutcome): { payment: SquareFakePayment | null; events: FakeDelivery[] } {
    const link = links.get(linkId);
    if (!link) throw new Error(`square fake: no payment link ${linkId}`);
    const order = orders.get(link.orderId)!;
    if (outcome === 'abandon') return { payment: null, events: [] };
    if (order.state === 'COMPLETED') throw new Error(`square fake: the order of link ${linkId} is paid already`);
    const at = now();
    const payment: SquareFakePayment = {
      id: squareId(29), accessToken: link.accessToken, orderId: order.id, status: outcome === 'pay' ? 'APPROVED' : 'FAILED',
      amountMoney: order.totalMoney, refundIds: [], refundedMinor: 0, note: (link.body.payment_note as string | undefined) ?? null,
      createdAt: at, updatedAt: at, errorCode: outcome === 'decline' ? 'GENERIC_DECLINE' : null,
    };
    payments.set(payment.id, payment);
    const events = [event(link.accessToken, 'payment.created', 'payment', paymentJson(payment))];
    if (outcome === 'pay') {
      payment.status = 'COMPLETED';
      payment.updatedAt = now();
      order.state = 'COMPLETED';
      order.tenders.push({ id: payment.id, location_id: order.locationId, transaction_id: order.id, created_at: payment.createdAt, amount_money: order.totalMoney, type: 'CARD', payment_id: payment.id });
      events.push(event(link.accessToken, 'payment.updated', 'payment', paymentJson(payment)));
    }
    return { payment, events };
  }

  async function payLink(linkId: string, outcome: SquareCheckoutOutcome) {
    const { payment, events } = checkout(linkId, outcome);
    const answers: number[] = [];
    for (const delivery of events) answers.push((await fake.deliver(delivery.url, delivery)).status);
    return { payment, answers };
  }

  function refundEvents(refundId: string, status: 'COMPLETED' | 'REJECTED' | 'FAILED'): FakeDelivery[] {
    const refund = refunds.get(refundId);
    if (!refund) throw new Error(`square fake: no refund ${refundId}`);
    const created = event(refund.accessToken, 'refund.created', 'refund', refundJson(refund));
    refund.status = status;
    refund.updatedAt = now();
    if (status !== 'COMPLETED') {
      // The money was never returned: it can be refunded again.
      const payment = payments.get(refund.paymentId)!;
      payment.refundedMinor -= refund.amountMoney.amount;
    }
    return [created, event(refund.accessToken, 'refund.updated', 'refund', refundJson(refund))];
  }

  const page = (link: SquareFakeLink) => `<!doctype html><html><head><title>Square checkout (fake)</title></head><body>
<h1>Pay ${orders.get(link.orderId)!.totalMoney.amount} ${orders.get(link.orderId)!.totalMoney.currency}</h1>
${(['pay', 'decline', 'abandon'] as const).map((o) => `<form method="post" action="/test/payment-links/${link.id}/${o}"><button type="submit">${o[0]!.toUpperCase()}${o.slice(1)}</button></form>`).join('\n')}
</body></html>`;

  const kit = await startFakeProvider<Json | undefined>({
    name: 'square',
    routes: [
      route('POST', '/v2/online-checkout/payment-links', api((account, request) => idempotent(account, 'payment-links', request.body ?? {}, () => createLink(account, request.body ?? {})))),
      route('GET', '/v2/online-checkout/payment-links/:id', api((account, request) => {
        const link = owned(links, request.params.id!, account, 'payment link');
        return isAnswer(link) ? link : { status: 200, body: { payment_link: link.json } };
      })),
      route('GET', '/v2/orders/:id', api((account, request) => {
        const order = owned(orders, request.params.id!, account, 'order');
        return isAnswer(order) ? order : { status: 200, body: { order: orderJson(order) } };
      })),
      route('GET', '/v2/payments/:id', api((account, request) => {
        const payment = owned(payments, request.params.id!, account, 'payment');
        return isAnswer(payment) ? payment : { status: 200, body: { payment: paymentJson(payment) } };
      })),
      route('POST', '/v2/refunds', api((account, request) => idempotent(account, 'refunds', request.body ?? {}, () => createRefund(account, request.body ?? {})))),
      route('GET', '/v2/refunds/:id', api((account, request) => {
        const refund = owned(refunds, request.params.id!, account, 'refund');
        return isAnswer(refund) ? refund : { status: 200, body: { refund: refundJson(refund) } };
      })),
      // The hosted checkout, and what its buttons do (test-only: Square's real page takes a card).
      route('GET', '/checkout/:id', (request) => {
        const link = links.get(request.params.id!);
        return link ? { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page(link) } : { status: 404, body: 'No such payment link' };
      }),
      route('POST', '/test/payment-links/:id/:outcome', async (request) => {
        const link = links.get(request.params.id!);
        const outcome = request.params.outcome as SquareCheckoutOutcome;
        if (!link || !['pay', 'decline', 'abandon'].includes(outcome)) return { status: 404, body: { error: 'no such link or outcome' } };
        const { payment, answers } = await payLink(link.id, outcome);
        // A browser's button goes back to the merchant's page, as Square's checkout does.
        const fromForm = String(request.headers['content-type'] ?? '').includes('form');
        if (fromForm && link.redirectUrl) return { status: 303, headers: { location: link.redirectUrl } };
        return { status: 200, body: { payment: payment && paymentJson(payment), deliveries: answers } };
      }),
    ],
    notFound: (request) => notFound(`route ${request.method} ${request.path}`),
  });

  const fake: SquareFake = Object.assign(kit, {
    accounts, links, orders, payments, refunds,
    subscribe(accessToken: string, subscription: SquareSubscription) {
      subscriptions.set(accessToken, subscription);
    },
    checkout, payLink, refundEvents, event, paymentJson, refundJson,
    failNext(times: number, failure: SquareFailure) {
      const category = failure.category ?? (failure.status >= 500 ? 'API_ERROR' : failure.status === 429 ? 'RATE_LIMIT_ERROR' : 'INVALID_REQUEST_ERROR');
      const code = failure.code ?? (failure.status >= 500 ? 'INTERNAL_SERVER_ERROR' : failure.status === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST');
      const answer = errorAnswer(failure.status, category, code, failure.detail ?? 'Scripted failure');
      kit.fail({ where: (r) => r.path.startsWith('/v2/') }, { status: answer.status, body: answer.body, headers: { 'content-type': 'application/json' }, times });
    },
  });
  return fake;
}
