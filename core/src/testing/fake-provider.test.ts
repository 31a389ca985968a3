// The fake-provider kit against a real HTTP client (fetch, node:https) and a real receiving
// server: what the provider fakes and their tests rely on.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { FakePageTokenError, pageOf } from './fake-provider-pages.ts';
import { route, startFakeProvider, type FakeFields } from './fake-provider.ts';
import { eventually } from '../workflows/testing.ts';

const secret = 'whsec_test';
const hmac = (raw: Buffer) => createHmac('sha256', secret).update(raw).digest('hex');

const fake = await startFakeProvider<Record<string, unknown> | FakeFields | string | undefined>({
  name: 'acme',
  routes: [
    route('POST', '/v1/accounts/:account/things/:thing.json', (request, self) => ({
      status: 201,
      headers: { 'x-request-id': 'req_1' },
      body: { account: request.params.account, thing: request.params.thing, self: `${self.url}${request.path}` },
    })),
    route('GET', '/v1/places:search', () => ({ status: 200, body: 'plain text', headers: { 'content-type': 'text/plain' } })),
    route('GET', '/boom', () => {
      throw new Error('handler bug');
    }),
    route('GET', '/unwritable', () => ({ status: 200, body: { amount: 10n } })),
  ],
  sign: ({ raw }) => ({ 'acme-signature': hmac(raw) }),
});
afterAll(() => fake.close());

// Our side: a plain server that notes what reaches it.
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}
const received: Received[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ received: received.length }));
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/acme`;
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

beforeEach(() => {
  fake.reset();
  received.length = 0;
});

const things = `${fake.url}/v1/accounts/AC1/things/TH%201.json`;
const postJson = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('routes and the request log', () => {
  it('answers a route with its path parameters and logs the request as it arrived', async () => {
    const res = await fetch(`${things}?expand=a&expand=b&limit=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk_1' },
      body: '{"amount":1000}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('req_1');
    expect(await res.json()).toEqual({ account: 'AC1', thing: 'TH 1', self: `${fake.url}/v1/accounts/AC1/things/TH%201.json` });
    const [request] = fake.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/accounts/AC1/things/TH%201.json',
      params: { account: 'AC1', thing: 'TH 1' },
      query: { expand: ['a', 'b'], limit: '2' },
      body: { amount: 1000 },
      status: 201,
    });
    expect(request!.headers.authorization).toBe('Bearer sk_1');
    expect(request!.raw.toString()).toBe('{"amount":1000}');
    expect(request!.answeredAt).toBeGreaterThanOrEqual(request!.at);
  });

  it('parses form bodies into fields (repeated names as arrays) and keeps other bodies as text', async () => {
    await fetch(things, { method: 'POST', body: new URLSearchParams([['To', '+1555'], ['MediaUrl', 'a'], ['MediaUrl', 'b']]) });
    await fetch(things, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<Response/>' });
    await fetch(things, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(fake.requests.map((r) => r.body)).toEqual([{ To: '+1555', MediaUrl: ['a', 'b'] }, '<Response/>', undefined]);
    expect(fake.requests[2]!.raw.toString()).toBe('{not json');
  });

  it('treats a colon inside a segment as literal, answers unknown routes 404, and turns a throwing handler into a 500 that says why', async () => {
    const text = await fetch(`${fake.url}/v1/places:search`);
    expect([text.status, await text.text()]).toEqual([200, 'plain text']);
    expect((await fetch(`${fake.url}/v1/placesXsearch`)).status).toBe(404);
    const missing = await fetch(`${fake.url}/v2/nothing`, { method: 'DELETE' });
    expect([missing.status, await missing.json()]).toEqual([404, { error: 'fake acme: no route for DELETE /v2/nothing' }]);
    const boom = await fetch(`${fake.url}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.text()).toContain('handler bug');
    // An answer that cannot be serialised ends the connection instead of crashing the run.
    await expect(fetch(`${fake.url}/unwritable`)).rejects.toThrow('fetch failed');
  });
});

describe('scripted failures', () => {
  it('answers the scripted status, body and headers the given number of times, after letting some through, in order', async () => {
    fake.fail({ path: '/v1/accounts/:account/things/:thing.json' }, { status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '3' }, times: 2, after: 1 });
    fake.fail({ method: 'POST' }, { status: 503, body: 'unavailable' });
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const res = await postJson(things, { i });
      answers.push([res.status, res.headers.get('retry-after'), await res.text()]);
    }
    expect(answers).toEqual([
      [201, null, expect.stringContaining('AC1')],
      [429, '3', '{"error":"slow down"}'],
      [429, '3', '{"error":"slow down"}'],
      [503, null, 'unavailable'],
      [201, null, expect.stringContaining('AC1')],
    ]);
    expect(fake.requests.map((r) => r.status)).toEqual([201, 429, 429, 503, 201]);
  });

  it('fails only the requests `where` picks', async () => {
    fake.fail({ where: (r) => (r.body as { to?: string } | undefined)?.to === '+1666' }, { status: 400, body: { code: 21610 } });
    expect((await postJson(things, { to: '+1555' })).status).toBe(201);
    expect((await postJson(things, { to: '+1666' })).status).toBe(400);
    expect((await postJson(things, { to: '+1666' })).status).toBe(201);
  });

  it('holds a delayed request unanswered, then answers it normally', async () => {
    fake.fail({}, { delayMs: 400 });
    const pending = postJson(things, {});
    const held = await eventually(async () => fake.requests[0]);
    expect(held.status).toBe(0);
    const res = await pending;
    expect(res.status).toBe(201);
    expect(held.status).toBe(201);
  });

  it('holds every answer while answerAfter is set', async () => {
    fake.answerAfter(300);
    const pending = fetch(`${fake.url}/v1/places:search`);
    expect((await eventually(async () => fake.requests[0])).status).toBe(0);
    expect((await pending).status).toBe(200);
  });

  it('drops the connection, which the client sees as a socket error', async () => {
    fake.fail({ method: 'POST' }, { drop: true });
    const error = await postJson(things, {}).then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(error?.message).toBe('fetch failed');
    expect(error?.cause?.code).toBe('UND_ERR_SOCKET');
    expect(fake.requests[0]!.status).toBe(0);
    // The next request goes through again.
    expect((await postJson(things, {})).status).toBe(201);
  });

  it('refuses a failure that would do nothing or wait unboundedly', () => {
    expect(() => fake.fail({}, {})).toThrow(/status, drop or delayMs/);
    expect(() => fake.fail({}, { delayMs: Infinity })).toThrow(/delay/);
    expect(() => fake.fail({}, { status: 500, times: 0 })).toThrow(/times/);
  });
});

describe('webhook deliveries', () => {
  it('delivers a JSON body signed over the exact bytes, and logs our answer', async () => {
    const res = await fake.deliver(hook, { body: { id: 'evt_1', type: 'thing.created' }, headers: { 'user-agent': 'Acme-Hookshot' } });
    expect(await res.json()).toEqual({ received: 1 });
    const [got] = received;
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['user-agent']).toBe('Acme-Hookshot');
    expect(got!.headers['acme-signature']).toBe(hmac(got!.raw));
    expect(JSON.parse(got!.raw.toString())).toEqual({ id: 'evt_1', type: 'thing.created' });
    expect(fake.deliveries).toMatchObject([{ url: hook, method: 'POST', copy: 0, status: 200, answer: '{"received":1}' }]);
  });

  it('sends forms and multipart bodies as such, signs with a delivery’s own signer, or not at all', async () => {
    await fake.deliver(hook, { body: new URLSearchParams({ MessageSid: 'SM1', MessageStatus: 'delivered' }), sign: ({ body }) => ({ 'x-sig': String((body as URLSearchParams).get('MessageSid')) }) });
    const form = new FormData();
    form.append('subject', 'Hello');
    await fake.deliver(hook, { body: form });
    await fake.deliver(`${hook}?hub.challenge=42`, { method: 'GET', sign: false });
    const [formPost, multipart, get] = received;
    expect(formPost!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(formPost!.raw.toString()).toBe('MessageSid=SM1&MessageStatus=delivered');
    expect(formPost!.headers['x-sig']).toBe('SM1');
    expect(formPost!.headers['acme-signature']).toBeUndefined();
    expect(multipart!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart!.raw.toString()).toContain('name="subject"\r\n\r\nHello');
    expect(multipart!.headers['acme-signature']).toBe(hmac(multipart!.raw));
    expect(get).toMatchObject({ method: 'GET', url: '/webhooks/acme?hub.challenge=42' });
    expect(get!.headers['acme-signature']).toBeUndefined();
  });

  it('duplicates a delivery: the same bytes and signature arrive again', async () => {
    const res = await fake.deliver(hook, { body: { id: 'evt_dup' }, duplicate: 2 });
    expect(await res.json()).toEqual({ received: 1 });
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.raw.toString()))).toEqual(new Set(['{"id":"evt_dup"}']));
    expect(received.every((r) => r.headers['acme-signature'] === hmac(r.raw))).toBe(true);
    expect(fake.deliveries.map((d) => d.copy)).toEqual([0, 1, 2]);
  });

  it('delays a delivery: nothing arrives until its time, then it does', async () => {
    const late = fake.deliver(hook, { body: { id: 'evt_late' }, delayMs: 400 });
    await fake.deliver(hook, { body: { id: 'evt_now' } });
    expect(received.map((r) => JSON.parse(r.raw.toString()).id)).toEqual(['evt_now']);
    await late;
    expect(received.map((r) => JSON.parse(r.raw.toString()).id)).toEqual(['evt_now', 'evt_late']);
  });

  it('reorders a batch and returns the answers in the order given', async () => {
    const batch = ['evt_a', 'evt_b', 'evt_c'].map((id) => ({ url: hook, body: { id } }));
    const reversed = await fake.deliverAll(batch, { order: 'reverse' });
    expect(received.map((r) => JSON.parse(r.raw.toString()).id)).toEqual(['evt_c', 'evt_b', 'evt_a']);
    expect(await Promise.all(reversed.map((r) => r.json()))).toEqual([{ received: 3 }, { received: 2 }, { received: 1 }]);
    received.length = 0;
    await fake.deliverAll(batch, { order: [1, 2, 0] });
    expect(received.map((r) => JSON.parse(r.raw.toString()).id)).toEqual(['evt_b', 'evt_c', 'evt_a']);
    received.length = 0;
    const together = await fake.deliverAll(batch, { concurrently: true });
    expect(together.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(received).toHaveLength(3);
    await expect(fake.deliverAll(batch, { order: [0, 0, 1] })).rejects.toThrow(/order/);
    await expect(fake.deliver(hook, { duplicate: 1000 })).rejects.toThrow(/duplicate/);
  });
});

describe('https and closing', () => {
  it('serves https with its loopback certificate to a client that trusts `ca`, and to no other', async () => {
    const secure = await startFakeProvider({ name: 'graph', tls: true, routes: [route('GET', '/v1.0/me', () => ({ status: 200, body: { id: 'me' } }))] });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const get = (ca?: string) =>
        new Promise<string>((resolve, reject) => {
          const req = httpsRequest(`${secure.url}/v1.0/me`, { ca }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve(text));
          });
          req.on('error', reject);
          req.end();
        });
      expect(JSON.parse(await get(secure.ca))).toEqual({ id: 'me' });
      await expect(get()).rejects.toThrow(/self[- ]signed/);
    } finally {
      await secure.close();
    }
  });

  it('closes at once with a held request and a pending delivery, and frees its port', async () => {
    const other = await startFakeProvider({ name: 'slow', routes: [route('GET', '/', () => ({ status: 200 }))] });
    other.fail({}, { delayMs: 30_000 });
    const held = fetch(`${other.url}/`).then(
      (r) => r.status,
      () => 'socket error',
    );
    await eventually(async () => other.requests[0]);
    const pending = other.deliver(hook, { body: {}, delayMs: 30_000 }).then(
      () => 'delivered',
      () => 'cancelled',
    );
    await other.close();
    expect(await held).toBe('socket error');
    expect(await pending).toBe('cancelled');
    expect(received).toHaveLength(0);
    await expect(fetch(`${other.url}/`)).rejects.toThrow('fetch failed');
  });
});

describe('pageOf', () => {
  const items = Array.from({ length: 5 }, (_, i) => i);
  it('walks the items page by page with opaque tokens tied to the query', () => {
    const first = pageOf(items, { size: 2, query: 'dentist' });
    expect(first.items).toEqual([0, 1]);
    const second = pageOf(items, { size: 2, query: 'dentist', token: first.next });
    const third = pageOf(items, { size: 2, query: 'dentist', token: second.next });
    expect([second.items, third.items, third.next]).toEqual([[2, 3], [4], undefined]);
    expect(() => pageOf(items, { size: 2, query: 'plumber', token: first.next })).toThrow(FakePageTokenError);
    expect(() => pageOf(items, { size: 2, query: 'dentist', token: 'garbage' })).toThrow(expect.objectContaining({ reason: 'invalid' }));
  });
});
