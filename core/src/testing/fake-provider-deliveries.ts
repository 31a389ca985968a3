// The webhooks a fake provider sends us: signed over the exact bytes sent, and duplicated,
// delayed or reordered on request, since every provider does that in production.

/** What a signer sees: the bytes about to go out (signatures cover them, never a re-serialisation). */
export interface FakeSignable {
  url: string;
  method: string;
  raw: Buffer;
  /** The body as the delivery gave it (a URLSearchParams for a form: Twilio signs the params). */
  body: unknown;
  headers: Record<string, string>;
}

/** Returns the signature headers. Called for each copy sent, so timestamps are fresh as on a real retry. */
export type FakeSigner = (delivery: FakeSignable) => Record<string, string> | Promise<Record<string, string>>;

export interface FakeDeliveryInput {
  /** Default POST. */
  method?: string;
  /** A string or Buffer goes as it is, URLSearchParams as a form, FormData as multipart, anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The fake's signer by default; another one, or false to send it unsigned. */
  sign?: FakeSigner | false;
  /** Send it again this many more times (true: once more), each after the previous answer, as a provider's retry. */
  duplicate?: boolean | number;
  /** Wait this long (ms) before sending. */
  delayMs?: number;
}

export interface FakeDelivery extends FakeDeliveryInput {
  url: string;
}

/** One webhook as sent, with our server's answer. */
export interface FakeDeliveryRecord {
  url: string;
  method: string;
  headers: Record<string, string>;
  raw: Buffer;
  /** 0 for the first copy, 1... for duplicates. */
  copy: number;
  sentAt: number;
  answeredAt: number;
  status: number;
  /** Our server's answer body, as text. */
  answer: string;
}

/** Longest a scripted wait may be: a fake must never hold a test past its timeout. */
export const maxFakeDelayMs = 60_000;

/** Checks a scripted wait, so a typo cannot hang a test. */
export function checkedDelay(ms: number | undefined, what: string): number {
  const value = ms ?? 0;
  if (!Number.isFinite(value) || value < 0 || value > maxFakeDelayMs) {
    throw new Error(`${what}: a delay must be between 0 and ${maxFakeDelayMs} ms, not ${ms}`);
  }
  return value;
}

/**
 * Awaited after each delivery our server accepted (a 2xx), before the fake goes on. Our
 * webhooks answer once a delivery is in the inbox and apply it in a job; a test server
 * (startTestSoshogle) registers its wait for the inbox to be applied, so a test reads what
 * a delivery changed as soon as the fake's call returns.
 */
const deliveredWaits = new Set<() => Promise<void>>();

/** Registers a wait run after every accepted delivery of every fake; returns its removal. */
export function afterEachDelivery(wait: () => Promise<void>): () => void {
  deliveredWaits.add(wait);
  return () => deliveredWaits.delete(wait);
}

/** Most copies of one delivery: a test asks for a few duplicates, never a loop. */
const maxDuplicates = 20;

async function encode(body: unknown): Promise<{ raw: Buffer | undefined; contentType: string | undefined }> {
  if (body === undefined) return { raw: undefined, contentType: undefined };
  if (typeof body === 'string') return { raw: Buffer.from(body, 'utf8'), contentType: 'text/plain; charset=utf-8' };
  if (body instanceof Uint8Array) return { raw: Buffer.from(body), contentType: 'application/octet-stream' };
  if (body instanceof URLSearchParams) return { raw: Buffer.from(body.toString(), 'utf8'), contentType: 'application/x-www-form-urlencoded' };
  if (body instanceof FormData) {
    // Serialised once, so the boundary and bytes a signer sees are the ones sent.
    const request = new Request('http://127.0.0.1/', { method: 'POST', body });
    return { raw: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type') ?? undefined };
  }
  return { raw: Buffer.from(JSON.stringify(body), 'utf8'), contentType: 'application/json' };
}

export function fakeDeliveries(kit: {
  name: string;
  log: FakeDeliveryRecord[];
  sign: FakeSigner | undefined;
  sleep: (ms: number) => Promise<void>;
  signal: AbortSignal;
  timeoutMs: number;
}) {
  function copiesOf(duplicate: FakeDeliveryInput['duplicate']): number {
    const extra = duplicate === true ? 1 : duplicate === false || duplicate === undefined ? 0 : duplicate;
    if (!Number.isInteger(extra) || extra < 0 || extra > maxDuplicates) {
      throw new Error(`fake ${kit.name}: duplicate must be a whole number from 0 to ${maxDuplicates}, not ${duplicate}`);
    }
    return 1 + extra;
  }

  async function send(delivery: FakeDelivery, copy: number, raw: Buffer | undefined, baseHeaders: Record<string, string>): Promise<Response> {
    const method = (delivery.method ?? 'POST').toUpperCase();
    const signer = delivery.sign === false ? undefined : (delivery.sign ?? kit.sign);
    const signature = signer ? await signer({ url: delivery.url, method, raw: raw ?? Buffer.alloc(0), body: delivery.body, headers: baseHeaders }) : {};
    const headers = { ...baseHeaders, ...signature };
    const sentAt = Date.now();
    const response = await fetch(delivery.url, {
      method,
      headers,
      // A copy: under the DOM's lib (the browser tests import this too) fetch takes only ArrayBuffer-backed bytes.
      ...(raw === undefined ? {} : { body: Uint8Array.from(raw) }),
      signal: AbortSignal.any([kit.signal, AbortSignal.timeout(kit.timeoutMs)]),
    });
    const answer = await response.clone().text();
    kit.log.push({ url: delivery.url, method, headers, raw: raw ?? Buffer.alloc(0), copy, sentAt, answeredAt: Date.now(), status: response.status, answer });
    if (response.ok) for (const wait of deliveredWaits) await wait();
    return response;
  }

  async function deliver(delivery: FakeDelivery): Promise<Response> {
    const copies = copiesOf(delivery.duplicate);
    const delayMs = checkedDelay(delivery.delayMs, `fake ${kit.name}`);
    const { raw, contentType } = await encode(delivery.body);
    const given = delivery.headers ?? {};
    const hasType = Object.keys(given).some((h) => h.toLowerCase() === 'content-type');
    const headers = { ...(contentType && !hasType ? { 'content-type': contentType } : {}), ...given };
    await kit.sleep(delayMs);
    const first = await send(delivery, 0, raw, headers);
    for (let copy = 1; copy < copies; copy++) await (await send(delivery, copy, raw, headers)).arrayBuffer();
    return first;
  }

  async function deliverAll(deliveries: FakeDelivery[], options: { order?: 'reverse' | number[]; concurrently?: boolean } = {}): Promise<Response[]> {
    const indexes = deliveries.map((_, i) => i);
    const order = options.order === 'reverse' ? indexes.reverse() : (options.order ?? indexes);
    if (order.length !== deliveries.length || [...order].sort((a, b) => a - b).some((n, i) => n !== i)) {
      throw new Error(`fake ${kit.name}: order must list each delivery's index once`);
    }
    const answers: Response[] = new Array(deliveries.length);
    if (options.concurrently) {
      await Promise.all(order.map(async (i) => (answers[i] = await deliver(deliveries[i]!))));
    } else {
      for (const i of order) answers[i] = await deliver(deliveries[i]!);
    }
    return answers;
  }

  return { deliver, deliverAll };
}
