// A provider's URL check before any signature exists (Microsoft Graph POSTs
// `?validationToken=` with no body and wants it echoed as text/plain), and a webhook that
// acknowledges with its own status (Graph wants 202).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, defineWebhook } from '../plugin.ts';
import { buildRegistry } from '../plugin-host.ts';
import { startTestSoshogle, webhooksApplied } from '../testing/index.ts';

const secret = 'graph-like-client-state';
const sign = (body: string) => createHmac('sha256', secret).update(body).digest('hex');
const notification = z.object({ id: z.string(), tenant: z.string() });
const handled: string[] = [];

const notifications = defineWebhook({
  path: '/notifications',
  challenge: ({ query }) => {
    const token = query.get('validationToken');
    return token === null ? null : { type: 'text/plain', body: token };
  },
  verify: ({ rawBody, headers }) => {
    const given = Buffer.from(String(headers['x-signature'] ?? ''));
    const expected = Buffer.from(sign(rawBody.toString('utf8')));
    return given.length === expected.length && timingSafeEqual(given, expected);
  },
  deliveryId: ({ rawBody }) => notification.parse(JSON.parse(rawBody.toString('utf8'))).id,
  tenant: async ({ rawBody }, lookup) => (await lookup.user.findUnique({ where: { id: notification.parse(JSON.parse(rawBody.toString('utf8'))).tenant } }))?.id ?? null,
  handle: async ({ rawBody }) => void handled.push(notification.parse(JSON.parse(rawBody.toString('utf8'))).id),
  reply: { status: 202 },
});

const graph = definePlugin({ name: 'graph', displayName: 'Graph', description: 'A Graph-like provider, for this test', webhooks: [notifications] });
const soshogle = await startTestSoshogle([graph]);
const tenant = await soshogle.db.user.create({ data: { email: 'graph-tenant@example.test' } });
const url = `${soshogle.url}/webhooks/graph/notifications`;
const deliver = (body: string, signature = sign(body)) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': signature }, body });

describe('webhook challenge', () => {
  it("echoes the provider's validation token before any signature, and records nothing", async () => {
    const before = await soshogle.db.webhookInbox.count();
    const res = await fetch(`${url}?validationToken=${encodeURIComponent('Validation: Testing client application reachability for subscription Request-Id: 1')}`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('Validation: Testing client application reachability for subscription Request-Id: 1');
    expect(await soshogle.db.webhookInbox.count()).toBe(before);
    const get = await fetch(`${url}?validationToken=abc`);
    expect([get.status, await get.text()]).toEqual([200, 'abc']);
  });

  it('goes on to the signature when the request is no challenge', async () => {
    const body = JSON.stringify({ id: 'n-1', tenant: tenant.id });
    expect((await deliver(body, sign('something else'))).status).toBe(401);
    expect((await fetch(url)).status).toBe(403);
    expect(handled).not.toContain('n-1');
  });

  it('acknowledges deliveries, duplicates and unknown tenants with its own status', async () => {
    const body = JSON.stringify({ id: 'n-2', tenant: tenant.id });
    const first = await deliver(body);
    expect([first.status, await first.json()]).toEqual([202, { received: true }]);
    const again = await deliver(body);
    expect([again.status, await again.json()]).toEqual([202, { received: true, duplicate: true }]);
    const stranger = await deliver(JSON.stringify({ id: 'n-3', tenant: 'nobody' }));
    expect([stranger.status, await stranger.json()]).toEqual([202, { received: true, ignored: true }]);
    await webhooksApplied(soshogle);
    expect(handled.filter((id) => id === 'n-2')).toEqual(['n-2']);
  });

  it('documents the status and the check', async () => {
    const document = (await (await fetch(`${soshogle.url}/api/openapi.json`)).json()) as { paths: Record<string, { post: { responses: object; description: string } }> };
    const operation = document.paths['/webhooks/graph/notifications']!.post;
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['202', '200', '401']));
    expect(operation.description).toMatch(/URL check/);
  });

  it('refuses a reply status no provider takes as received', () => {
    const broken = definePlugin({ name: 'broken', displayName: 'Broken', description: 'x', webhooks: [{ ...notifications, reply: { status: 500 } }] });
    expect(() => buildRegistry([broken], {})).toThrow(/replies 500/);
  });
});
