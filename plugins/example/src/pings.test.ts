// The pieces around pings, end to end through the HTTP server, the worker and the
// database: the model, the job, sandbox mode, the provider (its local fake), the
// subscriber, the timeline source and the action run by a published workflow.
import { importPlugins, PermanentFailure, runAction, type Soshogle } from '@soshogle/core';
import { eventually, expectJson, publishWorkflow, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import example from './index.ts';
import { startExampleFake } from './testing/fake.ts';

// Pings are about contacts: the CRM provides them (their timeline, the 404 for an unknown one).
const soshogle: Soshogle = await startTestSoshogle([...(await importPlugins(['@soshogle/plugin-crm'])), example]);
const fake = await startExampleFake();
afterAll(() => fake.close());

interface Ping {
  id: string;
  message: string;
  source: string;
  contactId: string | null;
  sandbox: boolean | null;
  providerId: string | null;
  deliveredAt: string | null;
}

/** A tenant whose example account points at the fake provider (with its key, unless told another). */
async function connectedTenant(apiKey = fake.apiKey): Promise<TestClient> {
  const user = await signedInUser(soshogle);
  const credentials = { apiKey, baseUrl: fake.url, webhookSecret: 'a-webhook-secret-of-some-length', verifyToken: 'verify-me' };
  await expectJson(await user.request('PUT', '/api/connections/example/example_account', { credentials }), 200);
  return user;
}

const delivered = (user: TestClient, pingId: string) =>
  eventually(async () => {
    const ping = await expectJson<Ping>(await user.request('GET', `/api/example/pings/${pingId}`), 200);
    return ping.deliveredAt ? ping : null;
  });

/** A contact, created as the CRM creates one: the row and core.contact_created in one transaction. */
async function createContact(tenantId: string, firstName: string) {
  return soshogle.tenantContext('crm', tenantId).db.$transaction(async (tx) => {
    const contact = await tx.contact.create({ data: { userId: tenantId, firstName } });
    const eventId = await soshogle.events.raise(tx, 'core.contact_created', { contactId: contact.id, source: 'manual' }, { tenantId });
    return { ...contact, eventId };
  });
}

describe('a ping without a connection (sandbox mode)', () => {
  it('is recorded, then delivered by the job without leaving the server, and says so', async () => {
    const user = await signedInUser(soshogle);
    const { pingId } = await expectJson<{ pingId: string }>(await user.request('POST', '/api/example/pings', { message: 'anyone there?' }), 202);
    const ping = await delivered(user, pingId);
    expect(ping).toMatchObject({ message: 'anyone there?', source: 'api', sandbox: true, providerId: expect.stringMatching(/^sandbox_/) });
    expect(fake.requests.filter((r) => r.headers['idempotency-key'] === pingId)).toEqual([]);
  });
});

describe('a ping with a connection', () => {
  it('is delivered to the provider at the connection’s base URL with its key', async () => {
    const user = await connectedTenant();
    const { pingId } = await expectJson<{ pingId: string }>(await user.request('POST', '/api/example/pings', { message: 'live one' }), 202);
    const ping = await delivered(user, pingId);
    const atProvider = fake.pings.find((p) => p.idempotencyKey === pingId);
    expect(atProvider?.message).toBe('live one');
    expect(ping).toMatchObject({ sandbox: false, providerId: atProvider!.id });
  });

  it('is retried by the job while the provider is down, and reaches it once', async () => {
    const user = await connectedTenant();
    fake.fail({ method: 'POST', path: '/v1/pings' }, { status: 503, body: { error: 'unavailable' } });
    const { pingId } = await expectJson<{ pingId: string }>(await user.request('POST', '/api/example/pings', { message: 'after an outage' }), 202);
    await delivered(user, pingId);
    // The request log shows the outage and the retry that got through.
    expect(fake.requests.filter((r) => r.headers['idempotency-key'] === pingId).map((r) => r.status)).toEqual([503, 201]);
    expect(fake.pings.filter((p) => p.idempotencyKey === pingId)).toHaveLength(1);
  });
});

describe('send_ping, the action that calls the provider', () => {
  const sentWith = (idempotencyKey: string) => fake.requests.filter((r) => r.headers['idempotency-key'] === idempotencyKey).map((r) => r.status);

  it('sends once per idempotency key, however often the step runs', async () => {
    const user = await connectedTenant();
    const step = { key: 'example.send_ping', props: { message: 'only one' }, tenantId: user.userId, idempotencyKey: `run-${user.userId}:answer` } as const;
    const first = await runAction(soshogle, step);
    expect(await runAction(soshogle, step)).toEqual(first);
    // Both calls reached the provider; it answered the repeat with the first ping's id.
    expect(sentWith(step.idempotencyKey)).toEqual([201, 200]);
    expect(fake.pings.filter((p) => p.idempotencyKey === step.idempotencyKey)).toHaveLength(1);
  });

  it('fails for good when the provider refuses the key, since a retry cannot help', async () => {
    const user = await connectedTenant('key_revoked_long_ago');
    const step = { key: 'example.send_ping', props: { message: 'refused' }, tenantId: user.userId, idempotencyKey: `run-${user.userId}:refused` } as const;
    await expect(runAction(soshogle, step)).rejects.toBeInstanceOf(PermanentFailure);
    expect(sentWith(step.idempotencyKey)).toEqual([401]);
    expect(await soshogle.db.examplePing.count({ where: { userId: user.userId } })).toBe(0);
  });
});

describe('the model is the tenant’s own', () => {
  it('answers another tenant’s ping and contact as not found', async () => {
    const [ada, bob] = await Promise.all([signedInUser(soshogle), signedInUser(soshogle)]);
    const { pingId } = await expectJson<{ pingId: string }>(await ada.request('POST', '/api/example/pings', { message: 'private' }), 202);
    expect((await bob.request('GET', `/api/example/pings/${pingId}`)).status).toBe(404);
    const { items } = await expectJson<{ items: Ping[] }>(await bob.request('GET', '/api/example/pings'), 200);
    expect(items).toEqual([]);
    const contact = await createContact(ada.userId, 'Ada');
    expect((await bob.request('POST', '/api/example/pings', { message: 'yours?', contactId: contact.id })).status).toBe(404);
  });
});

describe('the list of pings', () => {
  it('pages newest first with cursor and limit, and ends with nextCursor null', async () => {
    const user = await signedInUser(soshogle);
    for (const message of ['one', 'two', 'three']) await expectJson(await user.request('POST', '/api/example/pings', { message }), 202);
    type Pings = { items: Ping[]; nextCursor: string | null };
    const first = await expectJson<Pings>(await user.request('GET', '/api/example/pings?limit=2'), 200);
    const rest = await expectJson<Pings>(await user.request('GET', `/api/example/pings?limit=2&cursor=${first.nextCursor}`), 200);
    expect([...first.items, ...rest.items].map((p) => p.message)).toEqual(['three', 'two', 'one']);
    expect(rest.nextCursor).toBeNull();
  });
});

describe('the subscriber and the timeline source', () => {
  it('pings each new contact once, and shows the contact’s pings on its timeline', async () => {
    const user = await signedInUser(soshogle);
    const contact = await createContact(user.userId, 'Grace');
    const ping = await eventually(async () => {
      const { items } = await expectJson<{ items: Ping[] }>(await user.request('GET', '/api/example/pings'), 200);
      return items.find((p) => p.contactId === contact.id && p.deliveredAt);
    });
    expect(ping).toMatchObject({ message: 'New contact', source: 'contact_created', sandbox: true });

    // Delivered again (subscribers run at least once): the event id finds the ping already there.
    const { subscriber } = soshogle.registry.subscribers.get('core.contact_created')!.find((s) => s.plugin.definition.name === 'example')!;
    const redelivered = { id: contact.eventId, type: 'core.contact_created', tenantId: user.userId, payload: { contactId: contact.id }, occurredAt: new Date().toISOString(), depth: 0 };
    await subscriber.run(soshogle.tenantContext('example', user.userId), redelivered);
    expect(await soshogle.db.examplePing.count({ where: { contactId: contact.id } })).toBe(1);

    const timeline = await expectJson<{ items: { source: string; kind: string; body: string; title: string }[] }>(
      await user.request('GET', `/api/contacts/${contact.id}/timeline`),
      200,
    );
    expect(timeline.items).toContainEqual(expect.objectContaining({ source: 'example.pings', kind: 'ping', body: 'New contact', title: 'Ping (sandbox)' }));
  });
});

describe('the action, run by a published workflow', () => {
  it('answers a matching ping with a ping of its own, sent to the provider once, for the ping’s contact', async () => {
    const user = await connectedTenant();
    await publishWorkflow(user, {
      trigger: 'CUSTOM',
      triggerKey: 'example.pinged',
      triggerFilter: { contains: 'ring' },
      actions: [{ id: 'answer', type: 'action', action: 'example.send_ping', props: { message: 'pong' } }],
    });
    const contact = await createContact(user.userId, 'Linus');
    await expectJson(await user.request('POST', '/api/example/pings', { message: 'ring ring', contactId: contact.id }), 202);
    const answer = await eventually(async () => {
      const { items } = await expectJson<{ items: Ping[] }>(await user.request('GET', '/api/example/pings'), 200);
      return items.find((p) => p.source === 'workflow');
    });
    expect(answer).toMatchObject({ message: 'pong', contactId: contact.id, sandbox: false, deliveredAt: expect.any(String) });
    expect(fake.pings.filter((p) => p.id === answer.providerId)).toHaveLength(1);
  });
});
