import { createPrismaClient } from '@soshogle/db';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, defineRoute, defineTrigger } from './plugin.ts';
import { startTestSoshogle } from './testing/index.ts';

const shop = definePlugin({
  name: 'shop',
  displayName: 'Shop',
  description: 'A test plugin',
  triggers: [
    defineTrigger({
      name: 'order_placed',
      displayName: 'Order placed',
      description: 'An order was placed',
      payload: z.object({ total: z.string() }),
      filter: z.object({ minTotal: z.number().optional() }),
      matches: () => true,
    }),
  ],
  routes: [
    defineRoute({
      method: 'POST',
      path: '/orders',
      summary: 'Echo an order',
      access: 'public',
      body: z.object({ note: z.string() }),
      handler: ({ body }) => ({ got: body }),
    }),
    defineRoute({
      method: 'GET',
      path: '/boom',
      summary: 'Fail',
      access: 'public',
      handler: () => {
        throw new Error('secret internals');
      },
    }),
  ],
});

const soshogle = await startTestSoshogle([shop], { BODY_LIMIT: '1kb' });
const jsonPost = (path: string, body: string) =>
  fetch(`${soshogle.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('health', () => {
  it('/healthz answers while the process runs', async () => {
    const res = await fetch(`${soshogle.url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz checks the database and that every migration is applied', async () => {
    const res = await fetch(`${soshogle.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });

    const db = createPrismaClient(soshogle.databaseUrl, { max: 1 });
    afterAll(() => db.$disconnect());
    const [last] = await db.$queryRaw<{ migration_name: string }[]>`
      select migration_name from _prisma_migrations order by migration_name desc limit 1`;
    await db.$executeRaw`update _prisma_migrations set rolled_back_at = now() where migration_name = ${last!.migration_name}`;
    const notReady = await fetch(`${soshogle.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(((await notReady.json()) as { checks: { migrations: string } }).checks.migrations).toBe(`pending: ${last!.migration_name}`);
    await db.$executeRaw`update _prisma_migrations set rolled_back_at = null where migration_name = ${last!.migration_name}`;
  });
});

describe('catalog', () => {
  it('lists enabled plugins with their triggers and JSON Schemas', async () => {
    const res = await fetch(`${soshogle.url}/api/catalog`);
    const catalog = (await res.json()) as { plugins: { name: string; triggers: unknown[] }[] };
    expect(catalog.plugins.map((p: { name: string }) => p.name)).toEqual(['core', 'shop']);
    expect(catalog.plugins[1]?.triggers[0]).toMatchObject({
      key: 'shop.order_placed',
      payloadSchema: { type: 'object', properties: { total: { type: 'string' } }, required: ['total'] },
      filterSchema: { type: 'object', properties: { minTotal: { type: 'number' } } },
    });
  });
});

describe('errors are application/problem+json', () => {
  const expectProblem = async (res: Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { detail: string; requestId: string };
    expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), requestId: expect.any(String) });
    return body;
  };

  it('unknown route: 404', async () => {
    await expectProblem(await fetch(`${soshogle.url}/api/nothing-here`), 404);
  });

  it('routes of a plugin that is not enabled do not exist', async () => {
    await expectProblem(await fetch(`${soshogle.url}/api/example/greeting?name=x`), 404);
    await expectProblem(await fetch(`${soshogle.url}/webhooks/example/inbound`, { method: 'POST', body: '{}' }), 404);
  });

  it('malformed JSON: 400', async () => {
    await expectProblem(await jsonPost('/api/shop/orders', '{"total": '), 400);
  });

  it('a body that is not JSON: 415', async () => {
    const res = await fetch(`${soshogle.url}/api/shop/orders`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'note=x' });
    await expectProblem(res, 415);
  });

  it('a body that fails its schema: 422 naming the field', async () => {
    const body = (await expectProblem(await jsonPost('/api/shop/orders', '{"note": 5}'), 422)) as unknown as { errors: unknown };
    expect(body.errors).toEqual([{ field: 'body.note', message: expect.any(String) }]);
  });

  it('a body over BODY_LIMIT: 413', async () => {
    const res = await fetch(`${soshogle.url}/api/shop/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'x'.repeat(5000) }),
    });
    await expectProblem(res, 413);
  });

  it('wrong method: 405', async () => {
    await expectProblem(await fetch(`${soshogle.url}/api/shop/orders`), 405);
  });

  it('an unexpected failure: 500 without internals, with the request id echoed', async () => {
    const res = await fetch(`${soshogle.url}/api/shop/boom`, { headers: { 'x-request-id': 'req-123' } });
    const body = await expectProblem(res, 500);
    expect(body.detail).not.toContain('secret internals');
    expect(body.requestId).toBe('req-123');
    expect(res.headers.get('x-request-id')).toBe('req-123');
  });
});
