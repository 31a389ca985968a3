// The "send webhook" workflow step: POST a signed JSON body to a URL a marketer typed.
//
// The URL is untrusted, so the request must not reach our own network (SSRF). Every address the
// host resolves to is checked, and the socket connects to exactly the checked address (a pinned
// `lookup`), so a DNS answer that changes between check and connect (rebinding) cannot slip
// through. Redirects are never followed: a 3xx is just the result, like any other status.
import { createHmac, timingSafeEqual } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net, { BlockList, type LookupFunction } from 'node:net';

export interface WebhookTarget {
  /** Hostnames, IP addresses or CIDR ranges reachable even though private, e.g. `['127.0.0.1', 'hooks.internal', '10.0.0.0/8']`. */
  allowedHosts: string[];
}

export interface SendWebhookInput {
  url: string;
  method?: 'POST' | 'PUT' | 'PATCH';
  /** Extra headers from the marketer. They may not replace the headers Soshogle sets. */
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body: unknown;
  /** HMAC signing secret. */
  secret: string;
  /** Sent as `Idempotency-Key`; keep it stable across retries of one delivery. */
  idempotencyKey: string;
  /** Covers DNS, connect and the whole response. Default 10 000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Clock for the signature timestamp, ms since the epoch. */
  now?: () => number;
}

export interface WebhookResult {
  status: number;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** At most 64 kB of the response (UTF-8 decoded), the rest dropped. */
  body: string;
}

/** A permanent refusal: the URL or headers are unsafe or invalid, so retrying cannot help. */
export class WebhookRefused extends Error {
  constructor(message: string, readonly field: 'url' | 'headers') {
    super(message);
    this.name = 'WebhookRefused';
  }
}

const SIGNATURE_HEADER = 'Soshogle-Signature';
const USER_AGENT = 'Soshogle-Webhooks/1';
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;
const DEFAULT_TOLERANCE_SECONDS = 300;

// ---------------------------------------------------------------------------------------------
// Signing

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${rawBody}`)>`, the Stripe scheme. */
export function signPayload(secret: string, rawBody: string, timestampSeconds: number): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError(`Signature timestamp must be a non-negative integer number of seconds, got ${timestampSeconds}`);
  }
  return `t=${timestampSeconds},v1=${hmac(secret, `${timestampSeconds}.${rawBody}`)}`;
}

/**
 * Whether `header` is a valid signature of `rawBody` made with `secret` within `toleranceSeconds`
 * of `nowSeconds`, in either direction (a timestamp far in the future is refused as well).
 * Accepts several `v1=` entries, any of which may match (for secret rotation). Never throws.
 */
export function verifySignature(header: string, secret: string, rawBody: string, nowSeconds: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): boolean {
  if (typeof header !== 'string' || !Number.isFinite(nowSeconds) || !(toleranceSeconds >= 0)) return false;
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return false;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,15}$/.test(value)) return false;
      timestamp = value;
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return false;
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other keys (future schemes) are ignored, as Stripe's verifiers do.
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, `${timestamp}.${rawBody}`), 'hex');
  let ok = false;
  for (const signature of signatures) ok = timingSafeEqual(signature, expected) || ok;
  return ok;
}

function hmac(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Address classification

/** IPv4 ranges that are not globally reachable (IANA special-purpose registry, and then some). */
const REFUSED_V4 = blockList('ipv4', [
  ['0.0.0.0', 8], // "this network", includes 0.0.0.0 which reaches localhost
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, includes the 169.254.169.254 cloud metadata service
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes broadcast 255.255.255.255
]);

/** Only global unicast (2000::/3) is reachable, minus these. Embedded IPv4 forms are handled separately. */
const GLOBAL_UNICAST_V6 = blockList('ipv6', [['2000::', 3]]);
const REFUSED_V6 = blockList('ipv6', [
  ['2001::', 23], // IETF protocol assignments: Teredo (2001::/32), benchmarking (2001:2::/48), ORCHID...
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (deprecated; embeds an IPv4 address)
  ['3fff::', 20], // documentation
]);
// Everything outside 2000::/3 is refused, which covers ::, ::1, IPv4-compatible ::/96, 64:ff9b:1::/48,
// 100::/64, fc00::/7 (ULA), fe80::/10 (link-local), fec0::/10 (site-local) and ff00::/8 (multicast).

function blockList(type: 'ipv4' | 'ipv6', ranges: [string, number][]): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, type);
  return list;
}

/**
 * Whether an IP address literal is in a range a webhook may not reach: private, loopback,
 * link-local, unspecified, multicast, CGNAT, benchmarking, documentation, reserved, ULA, and
 * IPv4-mapped / NAT64 (64:ff9b::/96) forms of those. Anything that is not an IP literal (including
 * an IPv6 address with a zone) counts as refused. Brackets around IPv6 are accepted.
 */
export function isPrivateAddress(ip: string): boolean {
  const address = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (address.includes('%')) return true; // zone index: only meaningful for link-local addresses
  switch (net.isIP(address)) {
    case 4:
      return REFUSED_V4.check(address, 'ipv4');
    case 6: {
      const groups = parseIPv6(address);
      const embedded = embeddedIPv4(groups);
      if (embedded !== undefined) return REFUSED_V4.check(embedded, 'ipv4');
      const canonical = groups.map((g) => g.toString(16)).join(':');
      return !GLOBAL_UNICAST_V6.check(canonical, 'ipv6') || REFUSED_V6.check(canonical, 'ipv6');
    }
    default:
      return true;
  }
}

/** Eight 16-bit groups of an address `net.isIPv6` accepted (no zone). */
function parseIPv6(address: string): number[] {
  let text = address;
  if (text.includes('.')) {
    // Trailing dotted quad, e.g. ::ffff:127.0.0.1: rewrite as two hex groups.
    const colon = text.lastIndexOf(':');
    const [a = 0, b = 0, c = 0, d = 0] = text.slice(colon + 1).split('.').map(Number);
    text = `${text.slice(0, colon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const hex = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const gap = text.indexOf('::');
  if (gap < 0) return hex(text);
  const head = hex(text.slice(0, gap));
  const tail = hex(text.slice(gap + 2));
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96) or NAT64 well-known prefix (64:ff9b::/96) address. */
function embeddedIPv4(g: number[]): string | undefined {
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const mapped = zero(0, 5) && g[5] === 0xffff;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6);
  if (!mapped && !nat64) return undefined;
  const [hi = 0, lo = 0] = g.slice(6);
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

// ---------------------------------------------------------------------------------------------
// Input validation

interface ParsedUrl {
  protocol: 'http:' | 'https:';
  /** Without IPv6 brackets; as the URL parser canonicalised it (lower case, IPv4 forms normalised). */
  host: string;
  port: number;
  path: string;
}

function parseUrl(raw: string): ParsedUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookRefused('Webhook URL is not a valid URL', 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookRefused(`Webhook URL must use http: or https:, not ${url.protocol}`, 'url');
  }
  if (url.username !== '' || url.password !== '') {
    throw new WebhookRefused('Webhook URL must not contain credentials; send them in a header instead', 'url');
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (host === '') throw new WebhookRefused('Webhook URL has no host', 'url');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { protocol: url.protocol, host, port, path: `${url.pathname}${url.search}` };
}

/** RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, space, tab and obs-text: what node:http accepts, so no CR, LF or NUL. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers we set, and framing/routing headers whose override would change what or where we send. */
const RESERVED_HEADERS = new Set([
  SIGNATURE_HEADER.toLowerCase(),
  'idempotency-key',
  'content-type',
  'user-agent',
  'content-length',
  'transfer-encoding',
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

function checkHeader(name: string, value: unknown): void {
  if (!HEADER_NAME.test(name)) throw new WebhookRefused(`Header name ${JSON.stringify(name)} is not a valid HTTP header name`, 'headers');
  if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
    throw new WebhookRefused(`Header ${name} has a value with line breaks or control characters`, 'headers');
  }
}

function buildHeaders(input: SendWebhookInput, signature: string, contentLength: number): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    checkHeader(name, value);
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower) || lower.startsWith('soshogle-')) {
      throw new WebhookRefused(`Header ${name} is set by Soshogle and cannot be overridden`, 'headers');
    }
    extra[name] = value;
  }
  if (typeof input.idempotencyKey !== 'string' || input.idempotencyKey === '') {
    throw new WebhookRefused('Idempotency key is required', 'headers');
  }
  checkHeader('Idempotency-Key', input.idempotencyKey);
  return {
    ...extra,
    'Content-Type': 'application/json',
    'Content-Length': String(contentLength),
    'User-Agent': USER_AGENT,
    [SIGNATURE_HEADER]: signature,
    'Idempotency-Key': input.idempotencyKey,
  };
}

interface AllowList {
  hosts: Set<string>;
  addresses: BlockList;
}

function parseAllowList(entries: readonly string[]): AllowList {
  const hosts = new Set<string>();
  const addresses = new BlockList();
  for (const entry of entries) {
    const value = stripDot(entry.trim().toLowerCase());
    const slash = value.indexOf('/');
    const ip = unbracket(slash < 0 ? value : value.slice(0, slash));
    const family = net.isIP(ip);
    if (slash >= 0) {
      const prefix = Number(value.slice(slash + 1));
      if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
        throw new TypeError(`allowedHosts entry ${JSON.stringify(entry)} is not a valid CIDR range`);
      }
      addresses.addSubnet(ip, prefix, family === 4 ? 'ipv4' : 'ipv6');
    } else if (family !== 0) {
      addresses.addAddress(ip, family === 4 ? 'ipv4' : 'ipv6');
    } else if (value !== '') {
      hosts.add(value);
    }
  }
  return { hosts, addresses };
}

const stripDot = (host: string) => (host.endsWith('.') ? host.slice(0, -1) : host);
const unbracket = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

// ---------------------------------------------------------------------------------------------
// Resolution

interface Resolved {
  address: string;
  family: 4 | 6;
}

/** The address to connect to, after checking every address the host has. */
async function resolveTarget(host: string, allow: AllowList): Promise<Resolved> {
  const name = stripDot(host);
  const allowedByName = allow.hosts.has(name);
  const literal = net.isIP(host);
  if (literal !== 0) {
    checkAddress(host, host, allow, allowedByName);
    return { address: host, family: literal as 4 | 6 };
  }
  // RFC 6761: localhost names are loopback whatever the resolver says.
  if (!allowedByName && (name === 'localhost' || name.endsWith('.localhost'))) {
    throw new WebhookRefused(`Webhook host ${host} is a loopback name`, 'url');
  }
  const results = await dns.promises.lookup(host, { all: true, verbatim: true });
  const first = results[0];
  if (first === undefined) throw new Error(`Webhook host ${host} has no addresses`);
  // Every address must pass, not just the one we pick: a mixed answer is a rebinding tell.
  for (const { address } of results) checkAddress(host, address, allow, allowedByName);
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

function checkAddress(host: string, address: string, allow: AllowList, allowedByName: boolean): void {
  if (allowedByName) return;
  const family = net.isIP(address);
  if (family !== 0 && allow.addresses.check(address, family === 4 ? 'ipv4' : 'ipv6')) return;
  if (isPrivateAddress(address)) {
    const where = host === address ? `${address}` : `${host} (${address})`;
    throw new WebhookRefused(`Webhook host ${where} is a private or reserved address`, 'url');
  }
}

/** A `lookup` that answers with the already-checked address, so the socket cannot go elsewhere. */
function pinnedLookup({ address, family }: Resolved): LookupFunction {
  return (_hostname, options, callback) => {
    // With autoSelectFamily (the default since Node 20) net asks for all addresses.
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

// ---------------------------------------------------------------------------------------------
// Delivery

/**
 * Deliver one webhook. Resolves with any HTTP status (3xx and non-2xx included: the caller picks
 * the retry policy). Rejects with WebhookRefused for unsafe or invalid input (permanent), and with
 * an ordinary Error for network failures and timeouts (retryable), or the signal's reason if aborted.
 */
export async function sendWebhook(input: SendWebhookInput, target: WebhookTarget): Promise<WebhookResult> {
  const url = parseUrl(input.url);
  if (typeof input.secret !== 'string' || input.secret === '') throw new TypeError('Webhook secret is required');
  const rawBody = JSON.stringify(input.body) as string | undefined;
  if (rawBody === undefined) throw new TypeError('Webhook body is not JSON-serialisable');
  const timestamp = Math.floor((input.now ?? Date.now)() / 1000);
  const headers = buildHeaders(input, signPayload(input.secret, rawBody, timestamp), Buffer.byteLength(rawBody));
  const allow = parseAllowList(target.allowedHosts);
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  input.signal?.throwIfAborted();

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`Webhook timed out after ${timeoutMs} ms`)), timeoutMs);
  const onAbort = () => controller.abort(input.signal?.reason);
  input.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const resolved = await abortable(resolveTarget(url.host, allow), controller.signal);
    return await request(url, resolved, input.method ?? 'POST', headers, rawBody, controller.signal);
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onAbort);
  }
}

function request(url: ParsedUrl, resolved: Resolved, method: string, headers: Record<string, string>, rawBody: string, signal: AbortSignal): Promise<WebhookResult> {
  return new Promise<WebhookResult>((resolve, reject) => {
    signal.throwIfAborted();
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      finish();
    };
    const fail = (error: unknown) => settle(() => reject(error));

    const req = (url.protocol === 'https:' ? https : http).request({
      host: url.host, // kept for the Host header, SNI and certificate checks; the socket goes to `resolved`
      port: url.port,
      path: url.path,
      method,
      headers,
      lookup: pinnedLookup(resolved),
      agent: false, // no pooled sockets: each delivery connects to the address it just checked
    });
    const onAbort = () => {
      fail(signal.reason);
      req.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });

    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () =>
        settle(() => resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        const part = chunk.subarray(0, MAX_RESPONSE_BYTES - size);
        chunks.push(part);
        size += part.length;
        if (size >= MAX_RESPONSE_BYTES) {
          done();
          res.destroy(); // the rest is not read
        }
      });
      res.on('end', done);
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(new Error('Webhook connection closed before the response was complete'));
      });
    });
    req.end(rawBody);
  });
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
