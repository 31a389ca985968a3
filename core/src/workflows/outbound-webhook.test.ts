// The "send webhook" step against a real HTTP server on 127.0.0.1: signing, SSRF refusals,
// DNS pinning, redirects, timeouts and header injection.
import { createHmac } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isPrivateAddress, sendWebhook, signPayload, verifySignature, WebhookRefused, type SendWebhookInput, type WebhookTarget } from './outbound-webhook.ts';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

let received: Received[] = [];
let base = '';
let port = 0;
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString('utf8') });
    switch (req.url) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'text/plain', 'x-reply': 'yes' }).end('thanks');
        return;
      case '/redirect':
        res.writeHead(302, { location: `${base}/ok` }).end('moved');
        return;
      case '/fail':
        res.writeHead(503, { 'retry-after': '30' }).end('busy');
        return;
      case '/big':
        res.writeHead(200).end('x'.repeat(200 * 1024));
        return;
      case '/hang':
        return; // never answers
      default:
        res.writeHead(404).end();
    }
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received = [];
});
afterEach(() => {
  vi.restoreAllMocks();
});

const local: WebhookTarget = { allowedHosts: ['127.0.0.1'] };
const none: WebhookTarget = { allowedHosts: [] };
const NOW = 1_750_000_000_000;
const input = (over: Partial<SendWebhookInput> = {}): SendWebhookInput => ({
  url: `${base}/ok`,
  body: { event: 'contact.created', contact: { id: 'c_1', name: 'Zoë' } },
  secret: 'whsec_test',
  idempotencyKey: 'delivery-1',
  now: () => NOW,
  ...over,
});

/** Rejects with WebhookRefused for `field`, having sent nothing. */
async function expectRefused(promise: Promise<unknown>, field: 'url' | 'headers'): Promise<WebhookRefused> {
  const error = await promise.then(
    () => expect.fail('expected WebhookRefused'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookRefused);
  expect((error as WebhookRefused).field).toBe(field);
  expect(received).toEqual([]);
  return error as WebhookRefused;
}

/** Make `dns.promises.lookup` answer `addresses` for `name` (and fail for anything else). */
function fakeDns(name: string, addresses: string[]) {
  return vi.spyOn(dns.promises, 'lookup').mockImplementation((async (host: string) => {
    if (host !== name) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }) as unknown as typeof dns.promises.lookup);
}

describe('signPayload / verifySignature', () => {
  const body = '{"a":1}';

  it('matches the published Stripe-style format', () => {
    const expected = createHmac('sha256', 'whsec_test').update('1750000000.{"a":1}').digest('hex');
    expect(signPayload('whsec_test', body, 1_750_000_000)).toBe(`t=1750000000,v1=${expected}`);
    // A fixed vector, so a change of scheme is caught even if the line above is changed with it.
    expect(signPayload('secret', 'body', 1)).toBe('t=1,v1=842b24d9575dee4b6ec460b7e3af7d683501d84fe6279102340787c79d2e2bab');
  });

  it('accepts a valid signature within the tolerance, in both directions', () => {
    const header = signPayload('s3cret', body, 1000);
    expect(verifySignature(header, 's3cret', body, 1000)).toBe(true);
    expect(verifySignature(header, 's3cret', body, 1300)).toBe(true);
    expect(verifySignature(header, 's3cret', body, 700)).toBe(true);
    expect(verifySignature(header, 's3cret', body, 1010, 10)).toBe(true);
  });

  it('rejects a wrong secret, a tampered body, an old or a future timestamp', () => {
    const header = signPayload('s3cret', body, 1000);
    expect(verifySignature(header, 'wrong', body, 1000)).toBe(false);
    expect(verifySignature(header, 's3cret', '{"a":2}', 1000)).toBe(false);
    expect(verifySignature(header, 's3cret', body, 1301)).toBe(false);
    expect(verifySignature(header, 's3cret', body, 699)).toBe(false);
    expect(verifySignature(header, 's3cret', body, 1011, 10)).toBe(false);
    // A replayed signature under a fresh timestamp does not verify.
    const v1 = header.split('v1=')[1];
    expect(verifySignature(`t=1200,v1=${v1}`, 's3cret', body, 1200)).toBe(false);
  });

  it('rejects malformed headers without throwing, and accepts any of several v1 entries', () => {
    const header = signPayload('s3cret', body, 1000);
    const v1 = header.split('v1=')[1];
    for (const bad of ['', 't=1000', `v1=${v1}`, `t=abc,v1=${v1}`, `t=1000,v1=${v1?.slice(0, 10)}`, `t=1000,t=1000,v1=${v1}`, 'garbage', `t=-1000,v1=${v1}`]) {
      expect(verifySignature(bad, 's3cret', body, 1000), bad).toBe(false);
    }
    expect(verifySignature(`t=1000,v1=${'0'.repeat(64)},v1=${v1}`, 's3cret', body, 1000)).toBe(true);
    expect(verifySignature(`t=1000,v0=ignored,v1=${v1}`, 's3cret', body, 1000)).toBe(true);
  });
});

describe('sendWebhook delivery', () => {
  it('delivers a signed JSON body that the receiver can verify', async () => {
    const result = await sendWebhook(input({ headers: { Authorization: 'Bearer abc', 'X-Custom': 'one' } }), local);
    expect(result).toEqual({ status: 200, headers: expect.objectContaining({ 'x-reply': 'yes', 'content-type': 'text/plain' }), body: 'thanks' });

    expect(received).toHaveLength(1);
    const [req] = received;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/ok');
    expect(JSON.parse(req?.body ?? '')).toEqual({ event: 'contact.created', contact: { id: 'c_1', name: 'Zoë' } });
    expect(req?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Soshogle-Webhooks/1',
      'idempotency-key': 'delivery-1',
      authorization: 'Bearer abc',
      'x-custom': 'one',
      'content-length': String(Buffer.byteLength(req?.body ?? '')),
    });
    const signature = req?.headers['soshogle-signature'];
    expect(signature).toMatch(/^t=1750000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(String(signature), 'whsec_test', req?.body ?? '', NOW / 1000)).toBe(true);
    expect(verifySignature(String(signature), 'other_secret', req?.body ?? '', NOW / 1000)).toBe(false);
    expect(verifySignature(String(signature), 'whsec_test', (req?.body ?? '').replace('c_1', 'c_2'), NOW / 1000)).toBe(false);
    expect(verifySignature(String(signature), 'whsec_test', req?.body ?? '', NOW / 1000 + 301)).toBe(false);
  });

  it('uses the method given and keeps the idempotency key across retries while re-signing', async () => {
    await sendWebhook(input({ method: 'PUT' }), local);
    await sendWebhook(input({ method: 'PATCH', now: () => NOW + 60_000 }), local);
    expect(received.map((r) => r.method)).toEqual(['PUT', 'PATCH']);
    expect(received.map((r) => r.headers['idempotency-key'])).toEqual(['delivery-1', 'delivery-1']);
    expect(received.map((r) => String(r.headers['soshogle-signature']).slice(0, 13))).toEqual(['t=1750000000,', 't=1750000060,']);
  });

  it('returns non-2xx statuses instead of throwing', async () => {
    const result = await sendWebhook(input({ url: `${base}/fail` }), local);
    expect(result).toEqual({ status: 503, headers: expect.objectContaining({ 'retry-after': '30' }), body: 'busy' });
  });

  it('does not follow redirects', async () => {
    const result = await sendWebhook(input({ url: `${base}/redirect` }), local);
    expect(result.status).toBe(302);
    expect(result.headers.location).toBe(`${base}/ok`);
    expect(result.body).toBe('moved');
    expect(received.map((r) => r.url)).toEqual(['/redirect']);
  });

  it('truncates the response body to 64 kB', async () => {
    const result = await sendWebhook(input({ url: `${base}/big` }), local);
    expect(result.status).toBe(200);
    expect(result.body).toHaveLength(64 * 1024);
  });

  it('times out a server that never answers', async () => {
    const started = Date.now();
    const error = await sendWebhook(input({ url: `${base}/hang`, timeoutMs: 200 }), local).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(WebhookRefused);
    expect((error as Error).message).toMatch(/timed out after 200 ms/);
    expect(received.map((r) => r.url)).toEqual(['/hang']);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const sending = sendWebhook(input({ url: `${base}/hang`, signal: controller.signal }), local);
    setTimeout(() => controller.abort(), 50);
    await expect(sending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(sendWebhook(input({ signal: AbortSignal.abort() }), local)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reports a refused connection as a plain (retryable) error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await sendWebhook(input({ url: `http://127.0.0.1:${deadPort}/ok` }), local).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(WebhookRefused);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});

describe('sendWebhook SSRF protection', () => {
  it.each([
    ['loopback IPv4', () => `http://127.0.0.1:${port}/ok`],
    ['loopback elsewhere in 127/8', () => `http://127.0.0.2:${port}/ok`],
    ['localhost', () => `http://localhost:${port}/ok`],
    ['localhost with a trailing dot', () => `http://LOCALHOST.:${port}/ok`],
    ['a .localhost name', () => `http://api.localhost:${port}/ok`],
    ['loopback IPv6', () => `http://[::1]:${port}/ok`],
    ['IPv4-mapped loopback', () => `http://[::ffff:127.0.0.1]:${port}/ok`],
    ['NAT64 loopback', () => `http://[64:ff9b::127.0.0.1]:${port}/ok`],
    ['unspecified IPv4', () => `http://0.0.0.0:${port}/ok`],
    ['unspecified IPv6', () => `http://[::]:${port}/ok`],
    ['decimal loopback', () => `http://2130706433:${port}/ok`],
    ['hex loopback', () => `http://0x7f.1:${port}/ok`],
    ['short loopback', () => `http://127.1:${port}/ok`],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
    ['private 10/8', () => 'http://10.0.0.1/'],
    ['private 172.16/12', () => 'http://172.16.5.4/'],
    ['private 192.168/16', () => 'https://192.168.1.1/'],
    ['CGNAT', () => 'http://100.64.0.1/'],
    ['ULA', () => 'http://[fd00::1]/'],
    ['IPv6 link-local', () => 'http://[fe80::1]/'],
  ])('refuses %s', async (_label, url) => {
    await expectRefused(sendWebhook(input({ url: url() }), none), 'url');
  });

  it.each([
    ['file:', 'file:///etc/passwd'],
    ['ftp:', 'ftp://example.com/file'],
    ['gopher:', 'gopher://example.com/'],
    ['javascript:', 'javascript:alert(1)'],
    ['credentials', 'http://user:pass@127.0.0.1:1/ok'],
    ['a user name only', 'http://user@127.0.0.1:1/ok'],
    ['not a URL', 'hooks.example.com/path'],
  ])('refuses %s even for an allowed host', async (_label, url) => {
    await expectRefused(sendWebhook(input({ url: url.replace(':1/', `:${port}/`) }), local), 'url');
  });

  it('reaches private targets that are explicitly allowed, by address, range or name', async () => {
    expect((await sendWebhook(input(), { allowedHosts: ['127.0.0.1'] })).status).toBe(200);
    expect((await sendWebhook(input(), { allowedHosts: ['127.0.0.0/8'] })).status).toBe(200);
    fakeDns('hooks.internal', ['127.0.0.1']);
    expect((await sendWebhook(input({ url: `http://hooks.internal:${port}/ok` }), { allowedHosts: ['Hooks.Internal'] })).status).toBe(200);
    expect(received).toHaveLength(3);
    // Allowing one private address does not allow its neighbours.
    received = [];
    await expectRefused(sendWebhook(input({ url: `http://127.0.0.2:${port}/ok` }), { allowedHosts: ['127.0.0.1'] }), 'url');
  });

  it('refuses a name that resolves to a private address', async () => {
    const lookup = fakeDns('rebind.example', ['127.0.0.1']);
    const error = await expectRefused(sendWebhook(input({ url: `http://rebind.example:${port}/ok` }), none), 'url');
    expect(error.message).toContain('127.0.0.1');
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('refuses a name when any of its addresses is private', async () => {
    fakeDns('mixed.example', ['93.184.216.34', '10.1.2.3']);
    await expectRefused(sendWebhook(input({ url: `http://mixed.example:${port}/ok` }), none), 'url');
  });

  it('refuses a name that resolves to a mapped or NAT64 loopback', async () => {
    fakeDns('v6.example', ['::ffff:127.0.0.1']);
    await expectRefused(sendWebhook(input({ url: `http://v6.example:${port}/ok` }), none), 'url');
    vi.restoreAllMocks();
    fakeDns('v6.example', ['64:ff9b::a9fe:a9fe']);
    await expectRefused(sendWebhook(input({ url: `http://v6.example:${port}/ok` }), none), 'url');
  });

  it('connects to the address it checked, resolving once (no second lookup to rebind)', async () => {
    // 'pinned.example' resolves only through this fake, once; the request still arrives, with its Host.
    const lookup = fakeDns('pinned.example', ['127.0.0.1']);
    const result = await sendWebhook(input({ url: `http://pinned.example:${port}/ok` }), { allowedHosts: ['127.0.0.1'] });
    expect(result.status).toBe(200);
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(received.map((r) => r.headers.host)).toEqual([`pinned.example:${port}`]);
  });

  it('rejects a bad allowedHosts CIDR loudly', async () => {
    await expect(sendWebhook(input(), { allowedHosts: ['10.0.0.0/33'] })).rejects.toThrow(/not a valid CIDR/);
    expect(received).toEqual([]);
  });
});

describe('sendWebhook headers', () => {
  it.each([
    ['CR/LF in a value', { 'X-A': 'v\r\nX-Injected: 1' }],
    ['LF in a value', { 'X-A': 'v\nX-Injected: 1' }],
    ['CR/LF in a name', { 'X-A\r\nX-Injected': '1' }],
    ['a space in a name', { 'X A': '1' }],
    ['NUL in a value', { 'X-A': 'v\0' }],
    ['an empty name', { '': '1' }],
  ])('refuses %s', async (_label, headers) => {
    await expectRefused(sendWebhook(input({ headers }), local), 'headers');
  });

  it('refuses CR/LF in the idempotency key', async () => {
    await expectRefused(sendWebhook(input({ idempotencyKey: 'k\r\nX-Injected: 1' }), local), 'headers');
  });

  it.each(['Soshogle-Signature', 'soshogle-signature', 'SOSHOGLE-SIGNATURE', 'Idempotency-Key', 'Content-Type', 'User-Agent', 'Host', 'Content-Length', 'Transfer-Encoding', 'Soshogle-Anything'])(
    'does not let an extra %s header override ours',
    async (name) => {
      const error = await expectRefused(sendWebhook(input({ headers: { [name]: 't=1,v1=00' } }), local), 'headers');
      expect(error.message).toContain(name);
    },
  );

  it('sends exactly one signature header, ours', async () => {
    await sendWebhook(input({ headers: { 'X-Signature': 'theirs' } }), local);
    const names = received[0]?.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    expect(names?.filter((n) => n === 'soshogle-signature')).toHaveLength(1);
    expect(verifySignature(String(received[0]?.headers['soshogle-signature']), 'whsec_test', received[0]?.body ?? '', NOW / 1000)).toBe(true);
  });
});

describe('isPrivateAddress', () => {
  it.each([
    // IPv4 refused
    '0.0.0.0',
    '0.1.2.3',
    '10.0.0.1',
    '10.255.255.255',
    '100.64.0.1',
    '100.127.255.254',
    '127.0.0.1',
    '127.255.255.255',
    '169.254.0.1',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.0.8',
    '192.0.2.1',
    '192.88.99.1',
    '192.168.0.1',
    '198.18.0.1',
    '198.19.255.255',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    // IPv6 refused
    '::',
    '::1',
    '0:0:0:0:0:0:0:1',
    '[::1]',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:0.0.0.0',
    '::127.0.0.1',
    '::ffff:0:127.0.0.1',
    '64:ff9b::127.0.0.1',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::192.168.1.1',
    '64:ff9b:1::8.8.8.8',
    '100::1',
    '2001::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001:2::1',
    '2001:db8::1',
    '2002:7f00:1::1',
    '2002:808:808::1',
    '3fff::1',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'fec0::1',
    'ff02::1',
    'ff05::1:3',
    // not an IP literal
    'localhost',
    'example.com',
    '127.1',
    '2130706433',
    '',
  ])('%s is refused', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '100.63.255.255',
    '100.128.0.0',
    '11.0.0.1',
    '126.255.255.255',
    '128.0.0.1',
    '169.253.255.255',
    '172.15.255.255',
    '172.32.0.0',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '2606:4700::1',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '2a00:1450:4001:80b::200e',
    '[2606:4700::1]',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '64:ff9b::1.1.1.1',
  ])('%s is allowed', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});
