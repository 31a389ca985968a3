// The plugin contract end to end, through a real server, worker and database.
import { createPrismaClient } from '@soshogle/db';
import { defineSubscriber, definePlugin, runAction, type DeliveredEvent } from '@soshogle/core';
import { signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import example, { signExample } from './index.ts';
import { startExampleFake } from './testing/fake.ts';

const secret = 'a-webhook-secret-of-some-length';
const received: DeliveredEvent<'example.pinged'>[] = [];
// Another plugin hearing example.pinged: plugins meet through events, not imports.
const listener = definePlugin({
  name: 'listener',
  displayName: 'Listener',
  description: 'Records pings',
  dependsOn: ['example'],
  subscribers: [defineSubscriber({ name: 'record_ping', event: 'example.pinged', run: async (_ctx, event) => void received.push(event) })],
});

const soshogle = await startTestSoshogle([example, listener], { EXAMPLE_GREETING: 'Ahoy', EXAMPLE_WEBHOOK_SECRET: secret });
const db = createPrismaClient(soshogle.databaseUrl, { max: 2 });
afterAll(() => db.$disconnect());
// Tenants with an account deliver their pings to the provider: here, its local fake.
const fake = await startExampleFake();
afterAll(() => fake.close());
const owner = await signedInUser(soshogle);
const userId = owner.userId;

async function until<T>(check: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('route', () => {
  it('answers under /api/example with its config slice', async () => {
    const res = await fetch(`${soshogle.url}/api/example/greeting?name=Ada`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'Ahoy, Ada!' });
  });

  it('answers bad input with a 422 problem naming the field', async () => {
    const res = await fetch(`${soshogle.url}/api/example/greeting?name=`);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { errors: unknown };
    expect(body.errors).toEqual([{ field: 'query.name', message: expect.any(String) }]);
  });
});

describe('trigger', () => {
  it('raises example.pinged from a route, and the worker delivers it to a subscriber', async () => {
    const res = await owner.request('POST', '/api/example/pings', { message: 'hello there' });
    expect(res.status).toBe(202);
    const { eventId } = (await res.json()) as { eventId: string };
    const event = await until(() => received.find((e) => e.id === eventId));
    expect(event).toMatchObject({ type: 'example.pinged', tenantId: userId, payload: { message: 'hello there' } });
  });

  it('refuses a caller who is not signed in, raising nothing', async () => {
    const before = received.length;
    const res = await fetch(`${soshogle.url}/api/example/pings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'lost?' }),
    });
    expect(res.status).toBe(401);
    expect(await db.examplePing.count({ where: { message: 'lost?' } })).toBe(0);
    expect(received.length).toBe(before);
  });

  it('filters by its declared filter', () => {
    const trigger = soshogle.registry.triggers.get('example.pinged')!.trigger;
    expect(trigger.matches({ contains: 'urgent' }, { message: 'not urgent at all' })).toBe(true);
    expect(trigger.matches({ contains: 'urgent' }, { message: 'later' })).toBe(false);
  });
});

describe('action', () => {
  it('runs with validated props and the plugin config', async () => {
    const output = await runAction(soshogle, {
      key: 'example.greet',
      props: { name: ' Grace ' },
      tenantId: userId,
      idempotencyKey: 'run-1:step-1',
    });
    expect(output).toEqual({ message: 'Ahoy, Grace!' });
  });

  it('refuses bad props with a 422 naming props.<field>', async () => {
    await expect(
      // @ts-expect-error '?' is no punctuation greet accepts: the typecheck refuses it too
      runAction(soshogle, { key: 'example.greet', props: { name: '', punctuation: '?' }, tenantId: userId, idempotencyKey: 'k' }),
    ).rejects.toMatchObject({
      status: 422,
      errors: [
        { field: 'props.name', message: expect.any(String) },
        { field: 'props.punctuation', message: expect.any(String) },
      ],
    });
  });
});

describe('webhook', () => {
  const url = () => `${soshogle.url}/webhooks/example/inbound`;
  const post = (body: string, signature?: string) =>
    fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-example-signature': signature } : {}) },
      body,
    });

  it('refuses missing, forged and tampered signatures with 401 before reading the body', async () => {
    const body = JSON.stringify({ id: 'evt_1', userId, message: 'hi' });
    expect((await post(body)).status).toBe(401);
    expect((await post(body, signExample('another-secret-entirely', body))).status).toBe(401);
    expect((await post(body.replace('hi', 'ho'), signExample(secret, body))).status).toBe(401);
    expect((await post('not json', 'sha256=00')).status).toBe(401);
  });

  it('answers a signed but malformed body with 400', async () => {
    const body = '{"id": 5}';
    const res = await post(body, signExample(secret, body));
    expect(res.status).toBe(400);
  });

  it('handles a delivery once, however often it arrives', async () => {
    const body = JSON.stringify({ id: 'evt_dup', userId, message: 'only once' });
    const first = await post(body, signExample(secret, body));
    expect(first.status).toBe(200);
    const again = await Promise.all([1, 2, 3].map(() => post(body, signExample(secret, body))));
    for (const res of again) expect(await res.json()).toEqual({ received: true, duplicate: true });
    await until(() => received.find((e) => e.payload.message === 'only once'));
    await new Promise((r) => setTimeout(r, 300));
    expect(received.filter((e) => e.payload.message === 'only once')).toHaveLength(1);
  });
});

describe('webhook at a tenant’s own URL, signed with its own secret', () => {
  const account = async (webhookSecret: string) => {
    const user = await signedInUser(soshogle);
    const saved = await user.request('PUT', '/api/connections/example/example_account', { credentials: { apiKey: fake.apiKey, baseUrl: fake.url, webhookSecret, verifyToken: `verify-${webhookSecret}` } });
    expect(saved.status).toBe(200);
    return user;
  };
  const post = (tenant: string, body: string, signature: string) =>
    fetch(`${soshogle.url}/webhooks/example/${tenant}/account`, { method: 'POST', headers: { 'x-example-signature': signature }, body });
  const pings = (message: string) => received.filter((e) => e.payload.message === message);

  it('verifies with the tenant’s secret from the URL, not another tenant’s, and raises for that tenant', async () => {
    const [ada, bob] = await Promise.all([account('ada-secret-0123456789'), account('bob-secret-0123456789')]);
    const body = JSON.stringify({ id: 'acct_1', message: 'for ada' });
    expect((await post(ada.userId, body, signExample('bob-secret-0123456789', body))).status).toBe(401);
    expect((await post(bob.userId, body, signExample('bob-secret-0123456789', body.replace('ada', 'bob')))).status).toBe(401);
    expect((await post('no-such-tenant', body, signExample('ada-secret-0123456789', body))).status).toBe(404);
    const noAccount = await signedInUser(soshogle);
    expect((await post(noAccount.userId, body, signExample('ada-secret-0123456789', body))).status).toBe(401);
    expect((await post(ada.userId, body, signExample('ada-secret-0123456789', body))).status).toBe(200);
    const event = await until(() => pings('for ada')[0]);
    expect(event.tenantId).toBe(ada.userId);
  });

  it('keeps delivery ids per tenant: one tenant cannot use up another’s', async () => {
    const [ada, bob] = await Promise.all([account('ada2-secret-0123456789'), account('bob2-secret-0123456789')]);
    const forAda = JSON.stringify({ id: 'same_id', message: 'ada same id' });
    const forBob = JSON.stringify({ id: 'same_id', message: 'bob same id' });
    expect(await (await post(ada.userId, forAda, signExample('ada2-secret-0123456789', forAda))).json()).toEqual({ received: true });
    expect(await (await post(bob.userId, forBob, signExample('bob2-secret-0123456789', forBob))).json()).toEqual({ received: true });
    expect(await (await post(bob.userId, forBob, signExample('bob2-secret-0123456789', forBob))).json()).toEqual({ received: true, duplicate: true });
    await until(() => pings('bob same id')[0]);
  });

  it('answers the subscription handshake with the challenge only for the tenant’s verify token', async () => {
    const ada = await account('ada3-secret-0123456789');
    const handshake = (tenant: string, token: string) =>
      fetch(`${soshogle.url}/webhooks/example/${tenant}/account?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`);
    const ok = await handshake(ada.userId, 'verify-ada3-secret-0123456789');
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    expect((await handshake(ada.userId, 'verify-someone-else')).status).toBe(403);
    expect((await handshake('no-such-tenant', 'verify-ada3-secret-0123456789')).status).toBe(404);
    // The shared webhook has no handshake.
    expect((await fetch(`${soshogle.url}/webhooks/example/inbound`)).status).toBe(405);
  });
});
