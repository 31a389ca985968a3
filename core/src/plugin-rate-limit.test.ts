// ctx.rateLimit: a plugin counts hits on its own keys, in windows shared by every process
// (rows in RateLimit), and refuses with a 429 and Retry-After once a window is full.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Problem } from './http/problem.ts';
import { limitHits } from './http/rate-limit.ts';
import { defineRoute, definePlugin, type PluginDefinition } from './plugin.ts';
import { expectJson, startTestSoshogle } from './testing/index.ts';

/** A window long enough that no test run crosses its end (windows are fixed, counted from 1970). */
const windowSeconds = 10 * 365 * 86_400;

/** A plugin with a public page allowing `limit` views per address per window. */
const limited = (name: string, limit: number): PluginDefinition =>
  definePlugin({
    name,
    displayName: name,
    description: 'A rate-limited page, for this test',
    routes: [
      defineRoute({
        method: 'GET',
        path: '/page',
        summary: 'A page anyone may open, a few times',
        access: 'public',
        response: z.object({ retryAfter: z.number() }),
        handler: async ({ rateLimit, http }) => {
          const { allowed, retryAfter } = await rateLimit(`ip:${http.ip}`, limit, windowSeconds);
          if (!allowed) throw new Problem(429, 'Too Many Requests', 'Too many views of this page; try again later', { retryAfter });
          return { retryAfter };
        },
      }),
    ],
  });

/** A page limited per address twice over: a wide limit and a narrow one, counted together. */
const doublyLimited = definePlugin({
  name: 'doubly',
  displayName: 'doubly',
  description: 'A page under two limits, for this test',
  routes: [
    defineRoute({
      method: 'GET',
      path: '/page',
      summary: 'A page anyone may open, once',
      access: 'public',
      response: z.object({ ok: z.boolean() }),
      handler: async (ctx) => {
        await limitHits(ctx, [
          { key: `wide:${ctx.http.ip}`, limit: 5, windowSeconds, what: 'wide views' },
          { key: `narrow:${ctx.http.ip}`, limit: 1, windowSeconds: 60, what: 'narrow views' },
        ]);
        return { ok: true };
      },
    }),
  ],
});

const soshogle = await startTestSoshogle([limited('pages', 2), limited('forms', 3), doublyLimited]);
const open = (plugin: string) => fetch(`${soshogle.url}/api/${plugin}/page`);

describe('ctx.rateLimit', () => {
  it('allows up to the limit in a window, then refuses with a 429 and Retry-After', async () => {
    const first = await expectJson<{ retryAfter: number }>(await open('pages'), 200);
    expect(first.retryAfter).toBeGreaterThan(0);
    expect(first.retryAfter).toBeLessThanOrEqual(windowSeconds);
    await expectJson(await open('pages'), 200);
    const refused = await open('pages');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("keeps each plugin's counts apart, under its own name", async () => {
    for (let i = 0; i < 3; i++) await expectJson(await open('forms'), 200);
    expect((await open('forms')).status).toBe(429);
    const keys = (await soshogle.db.rateLimit.findMany({ select: { key: true, count: true } })).map((r) => `${r.key}=${r.count}`).sort();
    expect(keys).toEqual([expect.stringMatching(/^plugin:forms:ip:.+=4$/), expect.stringMatching(/^plugin:pages:ip:.+=3$/)]);
  });

  it('counts several keys in one call, each in its own window, and refuses naming the limit exceeded', async () => {
    await expectJson(await open('doubly'), 200);
    const refused = await expectJson<{ detail: string }>(await open('doubly'), 429);
    expect(refused.detail).toMatch(/^Too many narrow views/);
    const counts = await soshogle.db.rateLimit.findMany({ where: { key: { startsWith: 'plugin:doubly:' } }, select: { key: true, count: true } });
    expect(counts.map((r) => `${r.key.split(':')[2]}=${r.count}`).sort()).toEqual(['narrow=2', 'wide=2']);
  });
});
