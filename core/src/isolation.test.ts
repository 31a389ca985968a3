// Tenant isolation, for every route there is and will be: the test walks the mounted
// routes (core and every plugin enabled by default), calls each as tenant A with
// tenant B's ids in every path parameter and every id field of the query and body,
// and requires the answer to be exactly the answer for an id that does not exist.
// B's data must be unchanged afterwards. No hand-kept list of routes.
import { delegateName, readModelMap } from '@soshogle/db';
import { describe, expect, it } from 'vitest';
import type { MountedRoute } from './http/routes.ts';
import { enabledPluginNames, importPlugins } from './plugin-host.ts';
import { signedInUser, startTestSoshogle } from './testing/index.ts';
import type { WebhookLookup } from './plugin.ts';
import { call, isIdsKey, paramsNaming, raisedRateLimits, sample, schemaOf } from './testing/route-sweep.ts';
import { publicKeysOf, seedTenant } from './testing/seed-tenant.ts';

const soshogle = await startTestSoshogle(await importPlugins(enabledPluginNames(undefined)), raisedRateLimits);
const db = soshogle.db;

// ---- tenant B, with one row of every tenant-owned model --------------------------------
const b = await db.user.create({ data: { email: 'tenant-b@example.test', role: 'AGENCY', businessName: 'B Inc' } });
const bSub = await db.user.create({ data: { email: 'tenant-b-client@example.test', role: 'SUB_ACCOUNT', agencyId: b.id } });
const seeded = await seedTenant(db, b.id, bSub.id);
const bIds = Object.entries(seeded);

const tenantModels = Object.entries(readModelMap()).filter(([, info]) => info.tenantOwned).map(([model]) => model);
/** Join rows with no id of their own to send (seeded above all the same), and their order. */
const idless: Record<string, object> = { DealContact: [{ dealId: 'asc' }, { contactId: 'asc' }] };

/** Every row of B, to prove nothing of it changed. */
async function snapshotOfB(): Promise<unknown> {
  const delegates = db as unknown as Record<string, { findMany(args: object): Promise<unknown[]> }>;
  const rows: Record<string, unknown> = {
    users: await db.user.findMany({ where: { id: { in: [b.id, bSub.id] } }, orderBy: { id: 'asc' } }),
  };
  for (const model of tenantModels) {
    const orderBy = model in idless ? idless[model] : { id: 'asc' };
    rows[model] = await delegates[delegateName(model)]!.findMany({ where: { userId: { in: [b.id, bSub.id] } }, orderBy });
  }
  return rows;
}

// ---- requests built from each route's own schemas --------------------------------------

/** Whether the route takes anything that could be an id (a path parameter, a string or id list in query or body). */
function takesIds(route: MountedRoute): boolean {
  const fields = [...Object.entries(schemaOf(route.route.query).properties ?? {}), ...Object.entries(schemaOf(route.route.body).properties ?? {})];
  return route.path.includes(':') || fields.some(([k, s]) => isIdsKey(k) || (s.type === 'string' && !s.enum && !s.format));
}

/** What must match between "B's id" and "no such id": status and the problem's words. */
async function answer(res: Response): Promise<unknown> {
  const text = await res.text();
  if (res.status < 400) return { status: res.status };
  const problem = JSON.parse(text) as { title?: string; detail?: string; errors?: unknown };
  return { status: res.status, title: problem.title, detail: problem.detail, errors: problem.errors };
}

const randomId = () => `c${Math.random().toString(36).slice(2).padEnd(12, '0')}${Math.random().toString(36).slice(2).padEnd(12, '0')}`.slice(0, 25);

describe('tenant isolation', () => {
  it('seeds tenant B with a row of every tenant-owned model (add one when you add a model)', () => {
    expect(tenantModels.filter((m) => !(m in seeded) && !(m in idless)).sort()).toEqual([]);
  });

  it('finds the routes to sweep by itself', () => {
    expect(soshogle.routes.length).toBeGreaterThan(20);
    expect(soshogle.routes.filter(takesIds).length).toBeGreaterThan(5);
  });

  for (const role of ['USER', 'AGENCY', 'SUB_ACCOUNT'] as const) {
    it(`as a ${role}, every route answers B's ids exactly as it answers a missing id, and B's data is untouched`, async () => {
      const agency = role === 'SUB_ACCOUNT' ? await db.user.create({ data: { email: `a-agency-${role}@example.test`, role: 'AGENCY' } }) : undefined;
      const a = await signedInUser(soshogle, { role, ...(agency ? { agencyId: agency.id } : {}) });
      const before = await snapshotOfB();
      const failures: string[] = [];
      // Public routes act for no tenant (sign-up, log-in: rate-limited, so not hammered
      // here) unless they name a row in their path; those naming their tenant are swept
      // below. Logging out would end the sweep's session.
      const routes = soshogle.routes.filter(
        (r) => takesIds(r) && (r.route.access !== 'public' || r.path.includes(':')) && !r.route.tenant && !r.path.includes('/logout'),
      );
      for (const route of routes) {
        const expected = await answer(await call(a, route, randomId()));
        // B's ids for one route at once: each must answer like a missing id, whatever the order.
        const answers = await Promise.all(bIds.map(async ([model, id]) => [model, await answer(await call(a, route, id))] as const));
        for (const [model, got] of answers) {
          if (JSON.stringify(got) !== JSON.stringify(expected)) {
            failures.push(`${route.method} ${route.path} with B's ${model} id: ${JSON.stringify(got)} instead of ${JSON.stringify(expected)}`);
          }
        }
      }
      expect(failures).toEqual([]);
      expect(await snapshotOfB()).toEqual(before);
      // Thousands of requests (every route with an id times every model), on CI's two cores.
    }, 180_000);
  }
});

describe('tenant isolation of public routes that name their tenant in the URL', () => {
  it("called for A (by A's public keys), every such route answers B's ids exactly as a missing id, and B's data is untouched", async () => {
    const a = await db.user.create({ data: { email: 'public-a@example.test', role: 'AGENCY' } });
    const aSub = await db.user.create({ data: { email: 'public-a-client@example.test', role: 'SUB_ACCOUNT', agencyId: a.id } });
    await seedTenant(db, a.id, aSub.id);
    const anonymous = { userId: '', request: (method: string, path: string, body?: unknown) => fetch(`${soshogle.url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) }) };
    const before = await snapshotOfB();
    const failures: string[] = [];
    for (const route of soshogle.routes.filter((r) => r.route.tenant)) {
      const named = await paramsNaming(route, a.id, publicKeysOf(a.id), db as unknown as WebhookLookup);
      const expected = await answer(await call(anonymous, route, randomId(), named));
      for (const [model, id] of bIds) {
        const got = await answer(await call(anonymous, route, id, named));
        if (JSON.stringify(got) !== JSON.stringify(expected)) failures.push(`${route.method} ${route.path} with B's ${model} id: ${JSON.stringify(got)} instead of ${JSON.stringify(expected)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshotOfB()).toEqual(before);
  }, 120_000);
});

// ---- jobs and subscribers, run for A with B's ids in their payloads ---------------------

/** How a run ended, with the id it was given blanked out, to compare "B's id" with "no such id". */
async function outcome(id: string, work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
    return { ok: true };
  } catch (error) {
    const e = error as { name?: string; code?: unknown; message?: string };
    return { error: e.name, code: e.code, message: String(e.message ?? error).replaceAll(id, '<id>') };
  }
}

/** Every registered job and subscriber, with a run of it for `tenantId` whose payload carries `id`. */
function backgroundWork(tenantId: string): { name: string; run(id: string): Promise<unknown> }[] {
  const jobs = [...soshogle.registry.jobs].map(([key, { plugin, job }]) => ({
    name: `job ${key}`,
    run: (id: string) =>
      outcome(id, async () => {
        const ctx = soshogle.tenantContext(plugin.definition.name, tenantId);
        await job.run({ ...ctx, attempt: 1, maxAttempts: 1 }, job.payload.parse(sample(schemaOf(job.payload), '', id, { dates: true })));
      }),
  }));
  const subscribers = [...soshogle.registry.subscribers].flatMap(([type, list]) =>
    list.map(({ plugin, subscriber }) => ({
      name: `subscriber ${plugin.definition.name}.${subscriber.name}`,
      run: (id: string) =>
        outcome(id, async () => {
          const payload = soshogle.registry.triggers.get(type)!.trigger.payload.parse(sample(schemaOf(soshogle.registry.triggers.get(type)!.trigger.payload), '', id, { dates: true }));
          const event = { id: randomId(), type, tenantId, payload, occurredAt: new Date().toISOString(), depth: 0 };
          const ctx = soshogle.tenantContext(plugin.definition.name, tenantId);
          // A transactional subscriber runs inside its raiser's transaction.
          if (subscriber.transactional) await ctx.db.$transaction((tx) => subscriber.run({ ...ctx, db: tx as typeof ctx.db }, event));
          else await subscriber.run(ctx, event);
        }),
    })),
  );
  return [...jobs, ...subscribers];
}

describe('tenant isolation of background work', () => {
  it('finds the jobs and subscribers to sweep by itself', async () => {
    const a = await signedInUser(soshogle);
    const work = backgroundWork(a.userId).map((w) => w.name);
    expect(work.filter((n) => n.startsWith('job ')).length).toBeGreaterThan(3);
    expect(work.filter((n) => n.startsWith('subscriber ')).length).toBeGreaterThan(3);
  });

  it("every job and subscriber, run for A with B's ids, ends exactly as with a missing id, and B's data is untouched", async () => {
    const a = await signedInUser(soshogle);
    const before = await snapshotOfB();
    const failures: string[] = [];
    const refusedPayload: string[] = [];
    for (const work of backgroundWork(a.userId)) {
      const expected = await work.run(randomId());
      if ((expected as { error?: string }).error === 'ZodError') refusedPayload.push(work.name);
      // One at a time: jobs lock and batch, and the outcome must not depend on a neighbour.
      for (const [model, id] of bIds) {
        const got = await work.run(id);
        if (JSON.stringify(got) !== JSON.stringify(expected)) failures.push(`${work.name} with B's ${model} id: ${JSON.stringify(got)} instead of ${JSON.stringify(expected)}`);
      }
    }
    expect(failures).toEqual([]);
    // The sweep means something only if the work gets past its payload's schema.
    expect(refusedPayload).toEqual([]);
    expect(await snapshotOfB()).toEqual(before);
  }, 300_000);
});
