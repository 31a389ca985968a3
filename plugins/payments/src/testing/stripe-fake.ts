// A local stand-in for Stripe's v1 API, for tests: form-encoded bodies with bracket keys
// (line_items[0][price_data][currency]=usd), Bearer secret keys, Checkout Sessions,
// PaymentIntents, Refunds and Events with Stripe's JSON shapes and error bodies
// ({ error: { type, code, decline_code, message } }: 402 card_error, 400 invalid_request_error
// and idempotency_error, 401), Idempotency-Key replay (the same key and parameters answer
// the first answer again; other parameters get 400 idempotency_error), and webhooks signed
// as Stripe signs them (Stripe-Signature: t=...,v1=HMAC-SHA256(secret, "t.body")).
//
// The payer's side is test-only: POST /_test/checkout/sessions/:id/pay | decline | abandon
// (and /settle for a payment that clears later) changes the session and its PaymentIntent
// as Stripe's hosted page would and delivers the resulting events to the endpoint the test
// set, duplicated or reordered on request. The server, request log, scripted failures and
// deliveries come from the core's fake-provider kit.
import { createHmac, randomBytes } from 'node:crypto';
import { route, startFakeProvider, type FakeAnswer, type FakeDelivery, type FakeProvider, type FakeRequest } from '@soshogle/core/testing';

/** The API version the fake says its objects are in (the SDK's pinned one). */
export const fakeApiVersion = '2026-11-18.endive';

type Metadata = Record<string, string>;

export interface FakeSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer_email: string | null;
  metadata: Metadata;
  payment_intent: string | null;
  success_url: string | null;
  cancel_url: string | null;
  expires_at: number;
  created: number;
  url: string | null;
  livemode: false;
  line_items_input: { quantity: number; name: string; unit_amount: number; currency: string }[];
  /** Copied to the PaymentIntent when the payer pays. */
  intent_metadata: Metadata;
}

export interface FakeIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: 'requires_payment_method' | 'processing' | 'succeeded' | 'canceled';
  metadata: Metadata;
  latest_charge: string | null;
  last_payment_error: { type: string; code: string; decline_code?: string; message: string } | null;
  cancellation_reason: string | null;
  created: number;
  livemode: false;
}

export interface FakeRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string | null;
  status: 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';
  failure_reason: string | null;
  metadata: Metadata;
  reason: string | null;
  created: number;
}

export interface FakeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  type: string;
  data: { object: unknown };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
}

/** How the events of a payer's action (or any events) reach the endpoint. */
export interface DeliveryOptions {
  /** Send nothing now (deliver later with deliverEvents). */
  deliver?: boolean;
  /** Each event is sent again this many more times. */
  duplicate?: number;
  /** 'reverse', or the indexes of the events in the order to send them. */
  order?: 'reverse' | number[];
}

export interface PayOptions extends DeliveryOptions {
  /** A bank debit: the session completes unpaid and the PaymentIntent is processing until settle(). */
  async?: boolean;
}

export interface StripeFake extends FakeProvider<unknown> {
  /** Secret keys it accepts; remove one to make it "revoked". */
  apiKeys: Set<string>;
  sessions: Map<string, FakeSession>;
  intents: Map<string, FakeIntent>;
  refunds: Map<string, FakeRefund>;
  /** Every event made, in order. */
  events: FakeEvent[];
  /** Where events go, signed with `secrets` (several during a roll: one v1 each). */
  endpoint(url: string, ...secrets: string[]): void;
  /** Seconds added to the signature's timestamp (negative: an old delivery; positive: from the future). */
  signatureSkewSeconds: number;
  /** The status the next refunds get ('pending' until settleRefund, or 'failed'); default 'succeeded'. */
  nextRefundStatus: FakeRefund['status'] | null;
  /** The payer pays the session's checkout (card, or a bank debit with `async`). Returns the events. */
  pay(sessionId: string, options?: PayOptions): Promise<FakeEvent[]>;
  /** The card is declined (the session stays open: the payer may try again). */
  decline(sessionId: string, options?: DeliveryOptions): Promise<FakeEvent[]>;
  /** The payer leaves; the session expires. */
  abandon(sessionId: string, options?: DeliveryOptions): Promise<FakeEvent[]>;
  /** A bank debit clears or fails. */
  settle(sessionId: string, outcome: 'succeeded' | 'failed', options?: DeliveryOptions): Promise<FakeEvent[]>;
  /** A pending refund succeeds or fails (refund.updated, and refund.failed). */
  settleRefund(refundId: string, outcome: 'succeeded' | 'failed', options?: DeliveryOptions): Promise<FakeEvent[]>;
  /** The delivery of `events` to the endpoint, for deliverAll. */
  delivery(event: FakeEvent, duplicate?: number): FakeDelivery;
  /** Delivers events to the endpoint; resolves to our server's answers (first copies). */
  deliverEvents(events: FakeEvent[], options?: DeliveryOptions): Promise<Response[]>;
}

// ---- form bodies -------------------------------------------------------------------------

type FormValue = string | FormValue[] | { [key: string]: FormValue };

/** Stripe's form encoding: `a[b][0][c]=x` -> { a: { b: [{ c: 'x' }] } }; `a[]=x` appends. */
export function parseStripeForm(text: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const head = /^[^[]+/.exec(key)?.[0] ?? key;
    const path = [head, ...[...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!)];
    let node: Record<string, FormValue> | FormValue[] = root;
    for (let i = 0; i < path.length; i++) {
      const last = i === path.length - 1;
      const name = path[i]!;
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1]!);
      const slot: string | number = Array.isArray(node) ? (name === '' ? node.length : Number(name)) : name;
      const container = node as Record<string | number, FormValue>;
      if (last) container[slot] = value;
      else {
        container[slot] ??= nextIsIndex ? [] : {};
        node = container[slot] as Record<string, FormValue> | FormValue[];
      }
    }
  }
  return root;
}

const str = (value: FormValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
const obj = (value: FormValue | undefined): Record<string, FormValue> => (value && typeof value === 'object' && !Array.isArray(value) ? value : {});
const list = (value: FormValue | undefined): FormValue[] => (Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : []);
const metadataOf = (value: FormValue | undefined): Metadata => Object.fromEntries(Object.entries(obj(value)).filter((e): e is [string, string] => typeof e[1] === 'string'));

// ---- answers ------------------------------------------------------------------------------

const error = (status: number, type: string, message: string, extra: Record<string, string> = {}): FakeAnswer => ({
  status,
  body: { error: { type, message, ...extra } },
  headers: { 'request-id': `req_${randomBytes(7).toString('hex')}` },
});
const missing = (param: string) => error(400, 'invalid_request_error', `Missing required param: ${param}.`, { code: 'parameter_missing', param });
const noSuch = (kind: string, id: string) => error(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param: 'id' });

/** Stripe's error answers, for fail(): a declined card, a rate limit, Stripe's own error. */
export const stripeErrors = {
  cardDeclined: { status: 402, body: { error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } } },
  rateLimited: { status: 429, body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly.' } } },
  apiError: { status: 500, body: { error: { type: 'api_error', message: 'An unknown error occurred' } } },
};

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Stripe-Signature for `payload` at `timestamp`, one v1 per secret. */
export function stripeSignature(payload: string | Buffer, secrets: string[], timestamp = now()): string {
  const signed = `${timestamp}.${payload.toString()}`;
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${createHmac('sha256', s).update(signed).digest('hex')}`)].join(',');
}

export async function startStripeFake(options: { apiKeys?: string[] } = {}): Promise<StripeFake> {
  const apiKeys = new Set(options.apiKeys ?? []);
  const sessions = new Map<string, FakeSession>();
  const intents = new Map<string, FakeIntent>();
  const refunds = new Map<string, FakeRefund>();
  const events: FakeEvent[] = [];
  const remembered = new Map<string, { method: string; path: string; body: string; answer: FakeAnswer }>();
  let target: { url: string; secrets: string[] } | null = null;

  function keyOf(request: FakeRequest): string | null {
    const auth = request.headers.authorization ?? '';
    const key = /^Bearer (\S+)$/.exec(auth)?.[1] ?? null;
    return key && apiKeys.has(key) ? key : null;
  }

  function event(type: string, object: unknown, idempotencyKey: string | null = null): FakeEvent {
    const made: FakeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: fakeApiVersion,
      created: now(),
      type,
      // A snapshot: the object as it was when this happened, as Stripe sends it.
      data: { object: clone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: idempotencyKey },
    };
    events.push(made);
    return made;
  }

  /** A POST answered once per Idempotency-Key: replays the first answer, refuses other parameters. */
  function idempotent(handler: (request: FakeRequest, form: Record<string, FormValue>, key: string) => FakeAnswer) {
    return (request: FakeRequest): FakeAnswer => {
      const key = keyOf(request);
      if (!key) return error(401, 'invalid_request_error', 'Invalid API Key provided');
      const header = request.headers['idempotency-key'];
      const idempotencyKey = typeof header === 'string' ? header : null;
      const body = request.raw.toString('utf8');
      if (idempotencyKey) {
        const seen = remembered.get(`${key}:${idempotencyKey}`);
        if (seen) {
          if (seen.method !== request.method || seen.path !== request.path || seen.body !== body) {
            return error(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`);
          }
          return { ...seen.answer, headers: { ...seen.answer.headers, 'idempotent-replayed': 'true' } };
        }
      }
      const answer = handler(request, parseStripeForm(body), idempotencyKey ?? '');
      // Stripe keeps the first answer, errors included, except when the request was invalid before it ran.
      if (idempotencyKey && answer.status !== 400) remembered.set(`${key}:${idempotencyKey}`, { method: request.method, path: request.path, body, answer });
      return answer;
    };
  }

  function read(handler: (request: FakeRequest) => FakeAnswer) {
    return (request: FakeRequest): FakeAnswer => (keyOf(request) ? handler(request) : error(401, 'invalid_request_error', 'Invalid API Key provided'));
  }

  const createSession = idempotent((_request, form) => {
    if (str(form.mode) !== 'payment') return str(form.mode) ? error(400, 'invalid_request_error', 'The fake takes mode=payment only', { param: 'mode' }) : missing('mode');
    const lines = list(form.line_items).map((item) => {
      const line = obj(item);
      const price = obj(line.price_data);
      return {
        quantity: Number(str(line.quantity) ?? '1'),
        name: str(obj(price.product_data).name) ?? '',
        unit_amount: Number(str(price.unit_amount)),
        currency: str(price.currency) ?? '',
      };
    });
    if (lines.length === 0) return missing('line_items');
    const bad = lines.findIndex((l) => !Number.isSafeInteger(l.unit_amount) || l.unit_amount < 0 || !Number.isInteger(l.quantity) || l.quantity < 1 || !/^[a-z]{3}$/.test(l.currency) || !l.name);
    if (bad >= 0) return error(400, 'invalid_request_error', `Invalid line_items[${bad}]`, { param: `line_items[${bad}]` });
    if (new Set(lines.map((l) => l.currency)).size > 1) return error(400, 'invalid_request_error', 'All line items must have the same currency', { param: 'line_items' });
    if (!str(form.success_url)) return missing('success_url');
    const created = now();
    const expiresAt = str(form.expires_at) ? Number(str(form.expires_at)) : created + 24 * 3600;
    if (!Number.isInteger(expiresAt) || expiresAt < created + 30 * 60 || expiresAt > created + 24 * 3600) {
      return error(400, 'invalid_request_error', 'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', { param: 'expires_at' });
    }
    const id = newId('cs');
    const session: FakeSession = {
      id,
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: lines.reduce((sum, l) => sum + l.unit_amount * l.quantity, 0),
      currency: lines[0]!.currency,
      client_reference_id: str(form.client_reference_id) ?? null,
      customer_email: str(form.customer_email) ?? null,
      metadata: metadataOf(form.metadata),
      // Made when the payer confirms, as in current API versions.
      payment_intent: null,
      success_url: str(form.success_url) ?? null,
      cancel_url: str(form.cancel_url) ?? null,
      expires_at: expiresAt,
      created,
      url: `${fake.url}/c/pay/${id}`,
      livemode: false,
      line_items_input: lines,
      intent_metadata: metadataOf(obj(form.payment_intent_data).metadata),
    };
    sessions.set(id, session);
    return { status: 200, body: session };
  });

  // A PaymentIntent made through the API (not Checkout): confirming with Stripe's test card
  // that always declines answers 402 card_error, as Stripe does.
  const createIntent = idempotent((_request, form) => {
    const amount = Number(str(form.amount));
    if (!Number.isSafeInteger(amount) || amount < 1) return missing('amount');
    if (!str(form.currency)) return missing('currency');
    const intent = newIntent(amount, str(form.currency)!, metadataOf(form.metadata));
    if (str(form.confirm) === 'true') {
      if (str(form.payment_method) === 'pm_card_chargeDeclined') {
        intent.last_payment_error = { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' };
        event('payment_intent.payment_failed', intent);
        return { status: 402, body: { error: { ...intent.last_payment_error, payment_intent: intent } } };
      }
      succeed(intent);
    }
    return { status: 200, body: intent };
  });

  function newIntent(amount: number, currency: string, metadata: Metadata): FakeIntent {
    const intent: FakeIntent = {
      id: newId('pi'), object: 'payment_intent', amount, amount_received: 0, currency, status: 'requires_payment_method', metadata,
      latest_charge: null, last_payment_error: null, cancellation_reason: null, created: now(), livemode: false,
    };
    intents.set(intent.id, intent);
    return intent;
  }

  function succeed(intent: FakeIntent): void {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.latest_charge ??= newId('ch');
    intent.last_payment_error = null;
  }

  const createRefund = idempotent((_request, form, idempotencyKey) => {
    const intentId = str(form.payment_intent);
    if (!intentId) return missing('payment_intent');
    const intent = intents.get(intentId);
    if (!intent) return noSuch('payment_intent', intentId);
    if (intent.status !== 'succeeded') return error(400, 'invalid_request_error', `This PaymentIntent (${intentId}) does not have a successful charge to refund.`, { code: 'charge_not_refundable' });
    const taken = [...refunds.values()].filter((r) => r.payment_intent === intentId && r.status !== 'failed' && r.status !== 'canceled').reduce((sum, r) => sum + r.amount, 0);
    const amount = str(form.amount) ? Number(str(form.amount)) : intent.amount - taken;
    if (!Number.isSafeInteger(amount) || amount < 1) return error(400, 'invalid_request_error', 'Invalid positive integer', { param: 'amount' });
    if (taken + amount > intent.amount) {
      return error(400, 'invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge (${intent.amount - taken})`, { code: taken >= intent.amount ? 'charge_already_refunded' : 'amount_too_large', param: 'amount' });
    }
    const status = fake.nextRefundStatus ?? 'succeeded';
    const refund: FakeRefund = {
      id: newId('re'), object: 'refund', amount, currency: intent.currency, payment_intent: intentId, charge: intent.latest_charge, status,
      failure_reason: status === 'failed' ? 'lost_or_stolen_card' : null, metadata: metadataOf(form.metadata), reason: str(form.reason) ?? null, created: now(),
    };
    refunds.set(refund.id, refund);
    event('refund.created', refund, idempotencyKey || null);
    if (status === 'failed') event('refund.failed', refund, idempotencyKey || null);
    if (status === 'succeeded') event('charge.refunded', { id: refund.charge, object: 'charge', amount: intent.amount, amount_refunded: taken + amount, payment_intent: intentId, refunded: taken + amount >= intent.amount });
    return { status: 200, body: refund };
  });

  const listRefunds = read((request) => {
    const intent = typeof request.query.payment_intent === 'string' ? request.query.payment_intent : null;
    const data = [...refunds.values()].filter((r) => !intent || r.payment_intent === intent).reverse();
    return { status: 200, body: { object: 'list', data, has_more: false, url: '/v1/refunds' } };
  });

  const byId = <T>(map: Map<string, T>, kind: string) =>
    read((request) => {
      const found = map.get(request.params.id!);
      return found ? { status: 200, body: found } : noSuch(kind, request.params.id!);
    });

  // ---- the payer's side (test-only) --------------------------------------------------------

  function sessionOr404(id: string): FakeSession {
    const session = sessions.get(id);
    if (!session) throw Object.assign(new Error(`no session ${id}`), { status: 404 });
    return session;
  }

  function intentFor(session: FakeSession): FakeIntent {
    const existing = session.payment_intent ? intents.get(session.payment_intent) : undefined;
    if (existing) return existing;
    const intent = newIntent(session.amount_total, session.currency, session.intent_metadata);
    session.payment_intent = intent.id;
    return intent;
  }

  const payerActions: Record<string, (session: FakeSession, body: Record<string, unknown>) => FakeEvent[]> = {
    pay(session, body) {
      if (session.status !== 'open') throw Object.assign(new Error(`session ${session.id} is ${session.status}`), { status: 409 });
      const intent = intentFor(session);
      session.status = 'complete';
      if (body.async) {
        intent.status = 'processing';
        return [event('payment_intent.processing', intent), event('checkout.session.completed', session)];
      }
      succeed(intent);
      session.payment_status = 'paid';
      return [event('payment_intent.succeeded', intent), event('checkout.session.completed', session)];
    },
    decline(session) {
      if (session.status !== 'open') throw Object.assign(new Error(`session ${session.id} is ${session.status}`), { status: 409 });
      const intent = intentFor(session);
      intent.status = 'requires_payment_method';
      intent.last_payment_error = { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' };
      return [event('payment_intent.payment_failed', intent)];
    },
    abandon(session) {
      if (session.status !== 'open') throw Object.assign(new Error(`session ${session.id} is ${session.status}`), { status: 409 });
      session.status = 'expired';
      session.url = null;
      const made: FakeEvent[] = [];
      const intent = session.payment_intent ? intents.get(session.payment_intent) : undefined;
      if (intent) {
        intent.status = 'canceled';
        intent.cancellation_reason = 'abandoned';
        made.push(event('payment_intent.canceled', intent));
      }
      made.push(event('checkout.session.expired', session));
      return made;
    },
    settle(session, body) {
      const intent = session.payment_intent ? intents.get(session.payment_intent) : undefined;
      if (!intent || intent.status !== 'processing') throw Object.assign(new Error(`session ${session.id} has nothing processing`), { status: 409 });
      if (body.outcome === 'failed') {
        intent.status = 'requires_payment_method';
        intent.last_payment_error = { type: 'invalid_request_error', code: 'payment_method_provider_decline', message: 'The bank declined the debit.' };
        return [event('payment_intent.payment_failed', intent), event('checkout.session.async_payment_failed', session)];
      }
      succeed(intent);
      session.payment_status = 'paid';
      return [event('payment_intent.succeeded', intent), event('checkout.session.async_payment_succeeded', session)];
    },
  };

  async function payerAction(request: FakeRequest): Promise<FakeAnswer> {
    const action = payerActions[request.params.action!];
    if (!action) return { status: 404, body: { error: `no payer action ${request.params.action}` } };
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown> & DeliveryOptions;
    let made: FakeEvent[];
    try {
      made = action(sessionOr404(request.params.id!), body);
    } catch (e) {
      return { status: (e as { status?: number }).status ?? 500, body: { error: (e as Error).message } };
    }
    const answers = await fake.deliverEvents(made, body);
    return { status: 200, body: { events: made.map((e) => e.id), delivered: answers.map((a) => a.status) } };
  }

  async function postPayer(path: string, body: unknown): Promise<FakeEvent[]> {
    const res = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    const answer = (await res.json()) as { events?: string[]; error?: string };
    if (res.status !== 200) throw new Error(`stripe fake: ${path}: ${res.status} ${answer.error ?? ''}`);
    return answer.events!.map((id) => events.find((e) => e.id === id)!);
  }

  const kit = await startFakeProvider<unknown>({
    name: 'stripe',
    routes: [
      route('POST', '/v1/checkout/sessions', createSession),
      route('GET', '/v1/checkout/sessions/:id', byId(sessions, 'checkout.session')),
      route('POST', '/v1/payment_intents', createIntent),
      route('GET', '/v1/payment_intents/:id', byId(intents, 'payment_intent')),
      route('POST', '/v1/refunds', createRefund),
      route('GET', '/v1/refunds', listRefunds),
      route('GET', '/v1/refunds/:id', byId(refunds, 'refund')),
      route('GET', '/v1/events/:id', read((request) => {
        const found = events.find((e) => e.id === request.params.id);
        return found ? { status: 200, body: found } : noSuch('event', request.params.id!);
      })),
      route('GET', '/c/pay/:id', (request) => ({ status: 200, headers: { 'content-type': 'text/html' }, body: `<!doctype html><title>Stripe Checkout (fake)</title><p>Checkout ${request.params.id}</p>` })),
      route('POST', '/_test/checkout/sessions/:id/:action', payerAction),
    ],
    // Signed per copy, so a retry carries a fresh timestamp as Stripe's do.
    sign: ({ raw }) => {
      if (!target) throw new Error('stripe fake: no endpoint set (fake.endpoint(url, secret))');
      return { 'stripe-signature': stripeSignature(raw, target.secrets, now() + fake.signatureSkewSeconds) };
    },
  });

  const fake: StripeFake = Object.assign(kit, {
    apiKeys,
    sessions,
    intents,
    refunds,
    events,
    signatureSkewSeconds: 0,
    nextRefundStatus: null,
    endpoint(url: string, ...secrets: string[]) {
      target = { url, secrets };
    },
    pay: (id: string, options: PayOptions = {}) => postPayer(`/_test/checkout/sessions/${id}/pay`, options),
    decline: (id: string, options: DeliveryOptions = {}) => postPayer(`/_test/checkout/sessions/${id}/decline`, options),
    abandon: (id: string, options: DeliveryOptions = {}) => postPayer(`/_test/checkout/sessions/${id}/abandon`, options),
    settle: (id: string, outcome: 'succeeded' | 'failed', options: DeliveryOptions = {}) => postPayer(`/_test/checkout/sessions/${id}/settle`, { ...options, outcome }),
    async settleRefund(id: string, outcome: 'succeeded' | 'failed', options: DeliveryOptions = {}) {
      const refund = refunds.get(id);
      if (!refund) throw new Error(`stripe fake: no refund ${id}`);
      refund.status = outcome;
      refund.failure_reason = outcome === 'failed' ? 'expired_or_canceled_card' : null;
      const made = [event('refund.updated', refund), ...(outcome === 'failed' ? [event('refund.failed', refund)] : [])];
      await fake.deliverEvents(made, options);
      return made;
    },
    delivery(made: FakeEvent, duplicate = 0): FakeDelivery {
      if (!target) throw new Error('stripe fake: no endpoint set (fake.endpoint(url, secret))');
      // Stripe's body: the event as JSON, pretty-printed as Stripe sends it.
      return { url: target.url, body: JSON.stringify(made, null, 2), headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' }, duplicate };
    },
    async deliverEvents(list: FakeEvent[], options: DeliveryOptions = {}) {
      if (options.deliver === false || list.length === 0) return [];
      return kit.deliverAll(list.map((e) => fake.delivery(e, options.duplicate ?? 0)), options.order ? { order: options.order } : {});
    },
  });
  return fake;
}
