// One kit for the local stand-ins of the providers we call (Twilio, SendGrid, Meta, Google,
// Stripe...), so each provider's fake is only its routes, bodies and signing: a server on
// loopback that answers the provider's routes, logs every request, plays scripted failures
// (an error answer, a slow answer, a dropped connection) and sends the provider's signed
// webhooks, duplicated, delayed or out of order as providers really send them.
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { checkedDelay, fakeDeliveries, type FakeDelivery, type FakeDeliveryInput, type FakeDeliveryRecord, type FakeSigner } from './fake-provider-deliveries.ts';
import { fakeTls } from './fake-provider-tls.ts';

export type { FakeDelivery, FakeDeliveryInput, FakeDeliveryRecord, FakeSigner } from './fake-provider-deliveries.ts';

/** Query strings and form bodies: one value per name, or an array when the name repeats. */
export type FakeFields = Record<string, string | string[]>;

/** One request the fake received, as it arrived. */
export interface FakeRequest<Body = unknown> {
  method: string;
  /** The path without the query, e.g. /2010-04-01/Accounts/AC123/Messages.json. */
  path: string;
  /** The matched route's path parameters (`:sid` -> params.sid), decoded. */
  params: Record<string, string>;
  query: FakeFields;
  headers: IncomingHttpHeaders;
  /** The body's bytes, as sent. */
  raw: Buffer;
  /** JSON parsed; form fields (x-www-form-urlencoded); any other body as text; undefined when empty or not valid JSON. */
  body: Body;
  /** When it arrived and when the answer went (epoch ms): rates and overlap can be read from them. */
  at: number;
  answeredAt: number;
  /** The status answered; 0 while unanswered and when the connection was dropped. */
  status: number;
}

/** What a route answers: a string or Buffer goes as it is, anything else as JSON. */
export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeHandler<Body = unknown> = (request: FakeRequest<Body>, fake: FakeProvider<Body>) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeRoute<Body = unknown> {
  method: string;
  path: string;
  handler: FakeHandler<Body>;
}

/** Which requests a scripted failure is for; every given part must match (none: any request). */
export interface FakeMatch<Body = unknown> {
  method?: string;
  /** A route pattern, as in route(). */
  path?: string;
  where?: (request: FakeRequest<Body>) => boolean;
}

/**
 * A scripted failure: answer `status` (with `body` and `headers`), or drop the connection
 * without an answer, after `delayMs`; with only `delayMs`, the request is answered
 * normally, late. It applies to the next `times` matching requests (default 1) once `after`
 * more have gone through untouched.
 */
export interface FakeFailure {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  drop?: boolean;
  times?: number;
  after?: number;
}

export interface FakeProviderOptions<Body = unknown> {
  /** Names the fake in its error answers and messages. */
  name: string;
  routes: FakeRoute<Body>[];
  /** The answer when no route matches (default: 404 naming the method and path). */
  notFound?: FakeHandler<Body>;
  /** Signs each webhook the fake delivers (a delivery can bring its own or none). */
  sign?: FakeSigner;
  /** Serve https with the kit's loopback certificate (true) or this one; clients trust `ca`. */
  tls?: true | { key: string; cert: string };
  /** How long a delivery may wait for our answer (default 30 s). */
  deliveryTimeoutMs?: number;
}

export interface FakeProvider<Body = unknown> {
  name: string;
  /** Where it listens, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  /** The certificate clients must trust when it serves https. */
  ca: string | undefined;
  /** Every request received, in arrival order. Clear with reset() or `requests.length = 0`. */
  requests: FakeRequest<Body>[];
  /** Every webhook sent (duplicates included), with our server's answer. */
  deliveries: FakeDeliveryRecord[];
  /** Scripts a failure; failures are consumed in order: a request meets the first one that matches it. */
  fail(match: FakeMatch<Body>, failure: FakeFailure): void;
  /** Every answer waits this long (ms), like a real API's latency; 0 (the default) answers at once. */
  answerAfter(ms: number): void;
  /** Sends one webhook (and its duplicates); resolves to our server's answer to the first copy. */
  deliver(url: string, delivery?: FakeDeliveryInput): Promise<Response>;
  /**
   * Sends several webhooks one after another in `order` ('reverse', or the indexes in the
   * order to send), or all at once with `concurrently`; the answers come back in the order given.
   */
  deliverAll(deliveries: FakeDelivery[], options?: { order?: 'reverse' | number[]; concurrently?: boolean }): Promise<Response[]>;
  /** Forgets the logs, scripted failures and latency (the provider's own state stays). */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A route of the provider's API. `:name` at the start of a path segment is a parameter,
 * which may end in a literal suffix (`/Messages/:sid.json`); a colon inside a segment is
 * literal (`/v1/places:searchText`). `*` as the method takes any method.
 */
export function route<Body = unknown>(method: string, path: string, handler: FakeHandler<Body>): FakeRoute<Body> {
  return { method: method.toUpperCase(), path, handler };
}

const compiled = new Map<string, { pattern: RegExp; names: string[] }>();

/** The path parameters when `path` fits `pattern`, else undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  let entry = compiled.get(pattern);
  if (!entry) {
    const names: string[] = [];
    const source = pattern
      .split('/')
      .map((segment) => {
        const param = /^:([A-Za-z_][A-Za-z0-9_]*)(.*)$/.exec(segment);
        if (!param) return escape(segment);
        names.push(param[1]!);
        return `([^/]+?)${escape(param[2]!)}`;
      })
      .join('/');
    entry = { pattern: new RegExp(`^${source}$`), names };
    compiled.set(pattern, entry);
  }
  const found = entry.pattern.exec(path);
  if (!found) return undefined;
  return Object.fromEntries(entry.names.map((name, i) => [name, decode(found[i + 1]!)]));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Fields of a query string or form body, repeated names as arrays. */
export function fieldsOf(params: URLSearchParams): FakeFields {
  const fields: FakeFields = {};
  for (const name of new Set(params.keys())) {
    const all = params.getAll(name);
    fields[name] = all.length > 1 ? all : all[0]!;
  }
  return fields;
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  if (type.includes('application/x-www-form-urlencoded')) return fieldsOf(new URLSearchParams(text));
  return text;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name);
}

function write(res: ServerResponse, answer: FakeAnswer): void {
  const headers = { ...answer.headers };
  let payload: string | Buffer | undefined;
  if (answer.body === undefined) payload = undefined;
  else if (typeof answer.body === 'string' || Buffer.isBuffer(answer.body)) payload = answer.body;
  else {
    payload = JSON.stringify(answer.body);
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}

interface Scripted<Body> {
  match: FakeMatch<Body>;
  failure: FakeFailure;
  times: number;
  after: number;
}

export async function startFakeProvider<Body = unknown>(options: FakeProviderOptions<Body>): Promise<FakeProvider<Body>> {
  const { name } = options;
  const failures: Scripted<Body>[] = [];
  const timers = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void }>();
  const closing = new AbortController();
  let latencyMs = 0;

  // Waits that close() cuts short, so no timer outlives the fake.
  function sleep(ms: number): Promise<void> {
    if (closing.signal.aborted) return Promise.reject(new Error(`fake ${name} closed`));
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
        reject,
      };
      timers.add(entry);
    });
  }

  function matches(match: FakeMatch<Body>, request: FakeRequest<Body>): boolean {
    if (match.method && match.method.toUpperCase() !== request.method) return false;
    if (match.path && !matchPath(match.path, request.path)) return false;
    return !match.where || match.where(request);
  }

  function scriptedFor(request: FakeRequest<Body>): FakeFailure | undefined {
    const index = failures.findIndex((s) => matches(s.match, request));
    const scripted = failures[index];
    if (!scripted) return undefined;
    if (scripted.after > 0) {
      scripted.after--;
      return undefined;
    }
    if (--scripted.times <= 0) failures.splice(index, 1);
    return scripted.failure;
  }

  function routeFor(method: string, path: string): { route: FakeRoute<Body>; params: Record<string, string> } | undefined {
    for (const candidate of options.routes) {
      if (candidate.method !== '*' && candidate.method !== method) continue;
      const params = matchPath(candidate.path, path);
      if (params) return { route: candidate, params };
    }
    return undefined;
  }

  async function answer(request: FakeRequest<Body>, handler: FakeHandler<Body>): Promise<FakeAnswer> {
    try {
      return await handler(request, fake);
    } catch (error) {
      // A bug in a fake shows in the test's failure, not as a hung request.
      return { status: 500, body: `fake ${name}: the handler for ${request.method} ${request.path} threw: ${(error as Error).stack ?? String(error)}` };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, at: number, raw: Buffer): Promise<void> {
    const target = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    const found = routeFor(method, target.pathname);
    const request: FakeRequest<Body> = {
      method,
      path: target.pathname,
      params: found?.params ?? {},
      query: fieldsOf(target.searchParams),
      headers: req.headers,
      raw,
      body: parseBody(raw, req.headers['content-type']) as Body,
      at,
      answeredAt: 0,
      status: 0,
    };
    fake.requests.push(request);
    const failure = scriptedFor(request);
    try {
      await sleep(latencyMs + (failure?.delayMs ?? 0));
    } catch {
      return; // closed meanwhile: its connections are gone
    }
    if (failure?.drop) {
      request.answeredAt = Date.now();
      req.socket.destroy();
      return;
    }
    const result =
      failure?.status !== undefined
        ? { status: failure.status, body: failure.body, headers: failure.headers }
        : await answer(request, found?.route.handler ?? options.notFound ?? notFound);
    if (closing.signal.aborted) return;
    request.status = result.status;
    request.answeredAt = Date.now();
    write(res, result);
  }

  const notFound: FakeHandler<Body> = (request) => ({ status: 404, body: { error: `fake ${name}: no route for ${request.method} ${request.path}` } });

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Nothing a fake does may crash the test run: an answer that cannot be written ends the connection.
      handle(req, res, at, Buffer.concat(chunks)).catch(() => res.destroy());
    });
  };
  const tls = options.tls === true ? fakeTls : options.tls;
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeProvider<Body> = {
    name,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    ca: tls?.cert,
    requests: [],
    deliveries: [],
    fail(match, failure) {
      const times = failure.times ?? 1;
      const after = failure.after ?? 0;
      checkedDelay(failure.delayMs, `fake ${name}`);
      if (!(times >= 1) || !(after >= 0)) throw new Error(`fake ${name}: a failure needs times >= 1 and after >= 0`);
      if (failure.status === undefined && !failure.drop && !failure.delayMs) {
        throw new Error(`fake ${name}: a failure needs a status, drop or delayMs`);
      }
      failures.push({ match, failure, times, after });
    },
    answerAfter(ms) {
      latencyMs = checkedDelay(ms, `fake ${name}`);
    },
    deliver: (url, delivery = {}) => deliveries.deliver({ ...delivery, url }),
    deliverAll: (list, deliverOptions) => deliveries.deliverAll(list, deliverOptions),
    reset() {
      fake.requests.length = 0;
      fake.deliveries.length = 0;
      failures.length = 0;
      latencyMs = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        for (const entry of timers) {
          clearTimeout(entry.timer);
          entry.reject(new Error(`fake ${name} closed`));
        }
        timers.clear();
        server.close(() => resolve());
        // SDKs keep connections alive; without this, close would wait for them to time out.
        server.closeAllConnections();
      }),
  };
  const deliveries = fakeDeliveries({
    name,
    log: fake.deliveries,
    sign: options.sign,
    sleep,
    signal: closing.signal,
    timeoutMs: options.deliveryTimeoutMs ?? 30_000,
  });
  return fake;
}
