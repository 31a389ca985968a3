// ctx.actions, internal actions and events.raiseMany, end to end: a real server, worker
// and database. Three small plugins meet only through the core: `vault` offers actions
// (one internal and transactional, one ordinary that calls a provider), `caller` runs
// vault's action from its own route and transactions and raises a batch trigger, and
// `listeners` hears that trigger three ways (set-based, per event, durable). What
// happened is read back from the database and from what the plugins recorded.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Problem } from './http/problem.ts';
import { defineAction, definePlugin, defineRoute, defineSubscriber, defineTrigger, type DeliveredEvent } from './plugin.ts';
import type { TenantTx } from './tenancy.ts';
import { eventually, expectJson, publishWorkflow, queueSettled, signedInUser, startTestSoshogle, type TestClient } from './testing/index.ts';

// --- vault: the plugin whose actions others run ------------------------------------------

interface StashCall {
  plugin: string;
  tenantId: string;
  content: string;
  contactId: string | null;
  executionId: string;
  idempotencyKey: string;
}
const stashCalls: StashCall[] = [];
const shoutCalls: string[] = [];

/** Internal and transactional: writes `copies` notes (about the run's contact) through ctx.db. */
const stash = defineAction({
  name: 'stash',
  version: 1,
  displayName: 'Stash notes',
  description: 'Writes notes for another plugin (test: records its calls)',
  props: z.object({ content: z.string().min(1), copies: z.number().int().min(1).max(5).default(1) }),
  output: z.object({ noteIds: z.array(z.string()) }),
  idempotent: false,
  transactional: true,
  internal: true,
  async run(ctx) {
    stashCalls.push({
      plugin: ctx.plugin,
      tenantId: ctx.tenantId,
      content: ctx.props.content,
      contactId: ctx.run.contactId,
      executionId: ctx.run.executionId,
      idempotencyKey: ctx.idempotencyKey,
    });
    const noteIds: string[] = [];
    for (let i = 0; i < ctx.props.copies; i++) {
      const note = await ctx.db.note.create({ data: { userId: ctx.tenantId, content: ctx.props.content, contactId: ctx.run.contactId } });
      noteIds.push(note.id);
    }
    return { noteIds };
  },
});

/** An ordinary workflow step with effects outside the database: not transactional. */
const shout = defineAction({
  name: 'shout',
  version: 1,
  displayName: 'Shout',
  description: 'Calls a provider (test: records its calls)',
  props: z.object({ text: z.string().min(1) }),
  output: z.object({}),
  idempotent: true,
  async run(ctx) {
    shoutCalls.push(ctx.props.text);
    return {};
  },
});

const vault = definePlugin({ name: 'vault', displayName: 'Vault', description: 'Offers actions to other plugins', actions: [stash, shout] });

// --- caller: runs vault's action in its own transaction, and raises batches --------------

const batchSent = defineTrigger({
  name: 'batch_sent',
  displayName: 'Batch item sent',
  description: 'One item of a batch was sent',
  payload: z.object({ batch: z.string().min(1), seq: z.number().int() }),
  filter: z.object({ batch: z.string().optional() }),
  matches: (f, p) => f.batch === undefined || f.batch === p.batch,
});

// What vault and caller offer the other plugins, typed as a real plugin's index does it.
declare module './plugin.ts' {
  interface Plugins {
    vault: { actions: [typeof stash, typeof shout] };
    caller: { triggers: [typeof batchSent] };
  }
}

const caller = definePlugin({
  name: 'caller',
  displayName: 'Caller',
  description: 'Asks vault to stash notes; raises caller.batch_sent',
  triggers: [batchSent],
  routes: [
    defineRoute({
      method: 'POST',
      path: '/stash',
      summary: 'Writes a note of its own and asks vault.stash for more, in one transaction',
      status: 201,
      body: z.object({ content: z.string(), contactId: z.string().optional(), failAfter: z.boolean().default(false) }),
      async handler({ db, actions, tenantId, body }) {
        return db.$transaction(async (tx) => {
          const own = await tx.note.create({ data: { userId: tenantId, content: `caller:${body.content}` } });
          const out = await actions.run(tx, 'vault.stash', { content: body.content }, {
            tenantId,
            idempotencyKey: `stash:${body.content}`,
            contactId: body.contactId,
          });
          if (body.failAfter) throw new Problem(409, 'Conflict', 'The caller changed its mind after the action ran');
          return { own: own.id, noteIds: out.noteIds };
        });
      },
    }),
  ],
});

// --- listeners: hear caller.batch_sent three ways ----------------------------------------

/** Each runMany call, as the events it got. */
const manyBatches: DeliveredEvent[][] = [];
/** run calls of the subscriber that has runMany (there should be none). */
const manyRuns: DeliveredEvent[] = [];
/** run calls of the transactional subscriber without runMany. */
const eachRuns: DeliveredEvent[] = [];
/** Deliveries to the non-transactional subscriber (after commit, by the worker). */
const durable: DeliveredEvent[] = [];

const listeners = definePlugin({
  name: 'listeners',
  displayName: 'Listeners',
  description: 'Hears caller.batch_sent',
  dependsOn: ['caller'],
  subscribers: [
    defineSubscriber({
      name: 'set_based',
      event: 'caller.batch_sent',
      transactional: true,
      async run(_ctx, event) {
        manyRuns.push(event);
      },
      async runMany(ctx, events) {
        manyBatches.push(events);
        await ctx.db.note.createMany({ data: events.map((e) => ({ userId: ctx.tenantId, content: `many:${e.id}` })) });
      },
    }),
    defineSubscriber({
      name: 'per_event',
      event: 'caller.batch_sent',
      transactional: true,
      async run(ctx, event) {
        eachRuns.push(event);
        await ctx.db.note.create({ data: { userId: ctx.tenantId, content: `each:${event.id}` } });
      },
    }),
    defineSubscriber({ name: 'durable', event: 'caller.batch_sent', run: async (_ctx, event) => void durable.push(event) }),
  ],
});

const soshogle = await startTestSoshogle([vault, caller, listeners], { WORKER_CONCURRENCY: '10' });
const { db } = soshogle;

// --- helpers -------------------------------------------------------------------------------

const forTenant = <T extends { tenantId: string }>(list: T[], tenantId: string) => list.filter((e) => e.tenantId === tenantId);
const batchesOf = (tenantId: string) => manyBatches.filter((b) => b[0]?.tenantId === tenantId);

/** Runs `work` in a transaction of `tenantId`'s scoped client, as plugin code does. */
function inTenantTx<T>(tenantId: string, work: (tx: TenantTx) => Promise<T>): Promise<T> {
  return soshogle.tenantContext('caller', tenantId).db.$transaction((tx) => work(tx), { maxWait: 30_000, timeout: 30_000 });
}

/** Raises caller.batch_sent once per payload in one transaction, which throws afterwards if `fail`. */
function raiseBatch(tenantId: string, payloads: { batch: string; seq: number }[], fail = false): Promise<string[]> {
  return inTenantTx(tenantId, async (tx) => {
    const ids = await soshogle.contextFor('caller').events.raiseMany(tx, 'caller.batch_sent', payloads, { tenantId });
    if (fail) throw new Error('the change failed after raising');
    return ids;
  });
}

const notesOf = (tenantId: string) => db.note.findMany({ where: { userId: tenantId }, orderBy: { createdAt: 'asc' } });
const contentsOf = async (tenantId: string) => (await notesOf(tenantId)).map((n) => n.content).sort();

/** Jobs still queued that carry an event of the tenant (deliveries and workflow starts). */
async function queuedEventJobs(tenantId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`
    select count(*) as n from graphile_worker._private_jobs where payload->'event'->>'tenantId' = ${tenantId}`;
  return Number(row!.n);
}

const endOnly = [{ id: 'done', type: 'end' }];

interface CatalogBody {
  plugins: { name: string; triggers: { key: string }[]; actions: { key: string }[] }[];
}
interface ProblemBody {
  status: number;
  errors?: { field: string; message: string }[];
}

async function problem(res: Response, status: number): Promise<ProblemBody> {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = await expectJson<ProblemBody>(res, status);
  expect(body.status).toBe(status);
  return body;
}

// --- 1. ctx.actions.run ---------------------------------------------------------------------

describe('ctx.actions.run', () => {
  // One account for the block (signing in is slow); each test looks at its own rows.
  let shared: TestClient | undefined;
  const client = async () => (shared ??= await signedInUser(soshogle));

  it("runs another plugin's transactional action from a route, committing its writes with the caller's", async () => {
    const user = await client();
    const { userId } = user;
    const body = await expectJson<{ own: string; noteIds: string[] }>(await user.request('POST', '/api/caller/stash', { content: 'kept' }), 201);
    expect(body.noteIds).toHaveLength(1);
    const notes = await notesOf(userId);
    expect(notes.map((n) => [n.id, n.content])).toEqual(
      expect.arrayContaining([
        [body.own, 'caller:kept'],
        [body.noteIds[0], 'kept'],
      ]),
    );
    // The action ran as vault, for the caller's tenant, with the caller's key and no contact.
    expect(stashCalls.filter((c) => c.content === 'kept')).toEqual([
      { plugin: 'vault', tenantId: userId, content: 'kept', contactId: null, executionId: 'stash:kept', idempotencyKey: 'stash:kept' },
    ]);
  });

  it("rolls the action's writes back when the caller's transaction fails afterwards", async () => {
    const user = await client();
    const { userId } = user;
    await problem(await user.request('POST', '/api/caller/stash', { content: 'dropped', failAfter: true }), 409);
    // It did run (and write), inside the transaction that was then rolled back.
    expect(stashCalls.filter((c) => c.content === 'dropped' && c.tenantId === userId)).toHaveLength(1);
    const contents = await contentsOf(userId);
    expect(contents).not.toContain('dropped');
    expect(contents).not.toContain('caller:dropped');
  });

  it("shares the caller's transaction: each sees the other's uncommitted rows, nobody else does until commit", async () => {
    const { userId } = await client();
    const actions = soshogle.contextFor('caller').actions;
    const { contactId, noteIds } = await inTenantTx(userId, async (tx) => {
      // A contact only this transaction can see yet: the action's note may only point at it from inside.
      const contact = await tx.contact.create({ data: { userId, firstName: 'Uncommitted' } });
      const out = await actions.run(tx, 'vault.stash', { content: 'about-contact', copies: 2 }, {
        tenantId: userId,
        idempotencyKey: 'about-contact',
        contactId: contact.id,
      });
      expect(out.noteIds).toHaveLength(2);
      expect(await tx.note.count({ where: { id: { in: out.noteIds } } })).toBe(2);
      expect(await db.note.count({ where: { id: { in: out.noteIds } } })).toBe(0);
      return { contactId: contact.id, noteIds: out.noteIds };
    });
    const notes = await db.note.findMany({ where: { id: { in: noteIds } } });
    expect(notes.map((n) => [n.userId, n.content, n.contactId])).toEqual([
      [userId, 'about-contact', contactId],
      [userId, 'about-contact', contactId],
    ]);
    // ctx.run.contactId is the contact the caller named.
    expect(stashCalls.filter((c) => c.content === 'about-contact')).toEqual([
      { plugin: 'vault', tenantId: userId, content: 'about-contact', contactId, executionId: 'about-contact', idempotencyKey: 'about-contact' },
    ]);
  });

  it('rolls back rows written before and by the action together when the transaction throws', async () => {
    const { userId } = await client();
    const actions = soshogle.contextFor('caller').actions;
    let contactId = '';
    await expect(
      inTenantTx(userId, async (tx) => {
        const contact = await tx.contact.create({ data: { userId, firstName: 'Doomed' } });
        contactId = contact.id;
        await actions.run(tx, 'vault.stash', { content: 'doomed', copies: 3 }, { tenantId: userId, idempotencyKey: 'doomed', contactId });
        throw new Error('the caller failed');
      }),
    ).rejects.toThrow('the caller failed');
    expect(stashCalls.filter((c) => c.content === 'doomed')).toEqual([expect.objectContaining({ contactId })]);
    expect(await db.note.count({ where: { content: 'doomed' } })).toBe(0);
    expect(await db.contact.count({ where: { id: contactId } })).toBe(0);
  });

  it('refuses bad props with a 422 Problem naming props.<field>, without running the action', async () => {
    const user = await client();
    const { userId } = user;
    const actions = soshogle.contextFor('caller').actions;
    const before = stashCalls.length;
    const error: unknown = await inTenantTx(userId, (tx) => actions.run(tx, 'vault.stash', { content: '', copies: 9 }, { tenantId: userId, idempotencyKey: 'bad' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Problem);
    expect(error).toMatchObject({
      status: 422,
      errors: [
        { field: 'props.content', message: expect.any(String) },
        { field: 'props.copies', message: expect.any(String) },
      ],
    });
    expect(stashCalls.length).toBe(before);

    // Through a route the same Problem reaches the client, and nothing of the transaction stays.
    const answer = await problem(await user.request('POST', '/api/caller/stash', { content: '' }), 422);
    expect(answer.errors).toEqual([{ field: 'props.content', message: expect.any(String) }]);
    expect(stashCalls.length).toBe(before);
    // The route's own note (content 'caller:' + '') went with it.
    expect(await contentsOf(userId)).not.toContain('caller:');
  });

  it('refuses a non-transactional action (it cannot run inside the caller’s transaction) and an unknown one', async () => {
    const { userId } = await client();
    const actions = soshogle.contextFor('caller').actions;
    await expect(inTenantTx(userId, (tx) => actions.run(tx, 'vault.shout', { text: 'hi' }, { tenantId: userId, idempotencyKey: 'shout' }))).rejects.toThrow(
      /not transactional/,
    );
    expect(shoutCalls).toEqual([]);
    // @ts-expect-error no plugin offers vault.nope: the typecheck refuses it too
    await expect(inTenantTx(userId, (tx) => actions.run(tx, 'vault.nope', {}, { tenantId: userId, idempotencyKey: 'nope' }))).rejects.toMatchObject({
      status: 404,
    });
  });

  it("writes through the caller's tenant-scoped transaction: another tenant's contact is not found", async () => {
    const { userId } = await client();
    const other = await db.user.create({ data: { email: `other-${Date.now()}@example.test` } });
    const theirs = await db.contact.create({ data: { userId: other.id, firstName: 'Theirs' } });
    const actions = soshogle.contextFor('caller').actions;
    await expect(
      inTenantTx(userId, (tx) => actions.run(tx, 'vault.stash', { content: 'cross-tenant' }, { tenantId: userId, idempotencyKey: 'x', contactId: theirs.id })),
    ).rejects.toMatchObject({ code: 'P2003' }); // the composite foreign key (contactId, userId)
    expect(await db.note.count({ where: { content: 'cross-tenant' } })).toBe(0);
  });
});

// --- 2. internal actions --------------------------------------------------------------------

describe('an internal action', () => {
  it('is left out of the catalog, while an ordinary action of the same plugin is in it', async () => {
    const catalog = await expectJson<CatalogBody>(await fetch(`${soshogle.url}/api/catalog`), 200);
    const entry = catalog.plugins.find((p) => p.name === 'vault');
    expect(entry?.actions.map((a) => a.key)).toEqual(['vault.shout']);
    expect(catalog.plugins.find((p) => p.name === 'caller')?.triggers.map((t) => t.key)).toEqual(['caller.batch_sent']);
    expect(JSON.stringify(catalog)).not.toContain('vault.stash');
    // Still there for other plugins.
    expect(soshogle.registry.actions.has('vault.stash')).toBe(true);
  });

  it('is refused in a workflow, as an action no plugin provides, when created and when edited', async () => {
    const user = await signedInUser(soshogle);
    const base = { name: 'Uses vault', trigger: 'CUSTOM', triggerKey: 'caller.batch_sent', triggerFilter: {} };
    const stashStep = { id: 's', type: 'action', action: 'vault.stash', props: { content: 'x' } };
    const refused = await problem(await user.request('POST', '/api/workflows', { ...base, actions: [stashStep] }), 422);
    expect(refused.errors).toEqual([{ field: 'actions.0.action', message: 'Step "s": no enabled plugin provides the action "vault.stash"' }]);
    expect(await db.workflow.count({ where: { userId: user.userId } })).toBe(0);

    // The ordinary one is accepted; adding the internal one to it later is refused too.
    const shoutStep = { id: 'hi', type: 'action', action: 'vault.shout', props: { text: 'hi' } };
    const created = await expectJson<{ id: string }>(await user.request('POST', '/api/workflows', { ...base, actions: [shoutStep] }), 201);
    const edited = await problem(
      await user.request('PUT', `/api/workflows/${created.id}`, { ...base, actions: [{ ...shoutStep, next: 's' }, stashStep] }),
      422,
    );
    expect(edited.errors).toEqual([{ field: 'actions.1.action', message: 'Step "s": no enabled plugin provides the action "vault.stash"' }]);
    expect((await db.workflow.findUniqueOrThrow({ where: { id: created.id } })).actions).toEqual([shoutStep]);
  });
});

// --- 3. events.raiseMany --------------------------------------------------------------------

describe('events.raiseMany', () => {
  it('gives a transactional subscriber with runMany every event in one call, in order, and one without it each event', async () => {
    const user = await signedInUser(soshogle);
    const payloads = [0, 1, 2, 3, 4].map((seq) => ({ batch: 'b1', seq }));
    const ids = await raiseBatch(user.userId, payloads);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);

    const batches = batchesOf(user.userId);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((e) => e.id)).toEqual(ids);
    expect(batches[0]!.map((e) => e.payload)).toEqual(payloads);
    for (const e of batches[0]!) expect(e).toMatchObject({ type: 'caller.batch_sent', tenantId: user.userId, depth: 0, occurredAt: expect.any(String) });
    expect(forTenant(manyRuns, user.userId)).toEqual([]);

    expect(forTenant(eachRuns, user.userId).map((e) => e.id)).toEqual(ids);

    // Their writes went in the raising transaction, which committed.
    expect(await contentsOf(user.userId)).toEqual([...ids.map((id) => `each:${id}`), ...ids.map((id) => `many:${id}`)].sort());
  });

  it('gives a durable subscriber one delivery per event, and starts one run per event of a workflow on the trigger', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'CUSTOM', triggerKey: 'caller.batch_sent', triggerFilter: { batch: 'b2' }, actions: endOnly });
    const ids = await raiseBatch(user.userId, [
      { batch: 'b2', seq: 0 },
      { batch: 'other', seq: 1 },
      { batch: 'b2', seq: 2 },
      { batch: 'b2', seq: 3 },
    ]);
    await eventually(async () => forTenant(durable, user.userId).length >= 4);
    await eventually(async () => (await db.workflowExecution.count({ where: { workflowId, status: 'COMPLETED' } })) >= 3);
    await queueSettled(soshogle);

    // Exactly once each, with the ids raiseMany answered.
    expect(forTenant(durable, user.userId).map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(forTenant(durable, user.userId).find((e) => e.id === ids[1])).toMatchObject({ payload: { batch: 'other', seq: 1 }, depth: 0 });
    // The workflow's filter is applied per event: the 'other' one starts nothing.
    const runs = await db.workflowExecution.findMany({ where: { workflowId } });
    expect(runs.map((r) => r.eventId).sort()).toEqual([ids[0], ids[2], ids[3]].sort());
    expect(runs.every((r) => r.status === 'COMPLETED')).toBe(true);
    expect((await db.workflow.findUniqueOrThrow({ where: { id: workflowId } })).executionCount).toBe(3);
  });

  it('raises nothing when the raising transaction rolls back: no writes, deliveries or runs', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'CUSTOM', triggerKey: 'caller.batch_sent', triggerFilter: {}, actions: endOnly });
    await expect(raiseBatch(user.userId, [0, 1, 2].map((seq) => ({ batch: 'b3', seq })), true)).rejects.toThrow('the change failed after raising');

    // Transactional subscribers ran inside it, so their writes went with it.
    expect(batchesOf(user.userId)).toHaveLength(1);
    expect(forTenant(eachRuns, user.userId)).toHaveLength(3);
    expect(await notesOf(user.userId)).toEqual([]);

    expect(await queuedEventJobs(user.userId)).toBe(0);
    await queueSettled(soshogle);
    // Give a wrongly committed delivery time to arrive.
    await new Promise((r) => setTimeout(r, 300));
    expect(forTenant(durable, user.userId)).toEqual([]);
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(0);
  });

  it('checks every payload before raising any of them', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'CUSTOM', triggerKey: 'caller.batch_sent', triggerFilter: {}, actions: endOnly });
    // The caller catches the error and commits the rest of its change.
    const outcome = await inTenantTx(user.userId, async (tx) => {
      await tx.note.create({ data: { userId: user.userId, content: 'the rest of the change' } });
      return soshogle
        .contextFor('caller')
        // @ts-expect-error seq is a number: the typecheck refuses it too
        .events.raiseMany(tx, 'caller.batch_sent', [{ batch: 'b4', seq: 0 }, { batch: 'b4', seq: 'one' }], { tenantId: user.userId })
        .then(() => 'raised', (e: unknown) => (e instanceof Error ? e.name : 'thrown'));
    });
    expect(outcome).toBe('ZodError');
    expect(await contentsOf(user.userId)).toEqual(['the rest of the change']);
    expect(batchesOf(user.userId)).toEqual([]);
    expect(forTenant(eachRuns, user.userId)).toEqual([]);
    expect(await queuedEventJobs(user.userId)).toBe(0);
    await queueSettled(soshogle);
    expect(forTenant(durable, user.userId)).toEqual([]);
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(0);
  });

  it('raises nothing for no payloads', async () => {
    const user = await signedInUser(soshogle);
    expect(await raiseBatch(user.userId, [])).toEqual([]);
    expect(batchesOf(user.userId)).toEqual([]);
    expect(forTenant(eachRuns, user.userId)).toEqual([]);
    expect(await queuedEventJobs(user.userId)).toBe(0);
  });

  it('makes raise a batch of one: runMany gets a one-event batch, and the event is delivered and starts a run', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'CUSTOM', triggerKey: 'caller.batch_sent', triggerFilter: {}, actions: endOnly });
    const id = await inTenantTx(user.userId, (tx) => soshogle.contextFor('caller').events.raise(tx, 'caller.batch_sent', { batch: 'single', seq: 7 }, { tenantId: user.userId }));
    expect(typeof id).toBe('string');
    expect(batchesOf(user.userId).map((b) => b.map((e) => e.id))).toEqual([[id]]);
    expect(forTenant(manyRuns, user.userId)).toEqual([]);
    expect(forTenant(eachRuns, user.userId).map((e) => e.id)).toEqual([id]);
    await eventually(async () => forTenant(durable, user.userId).length === 1);
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: 'COMPLETED' } }));
    expect(run.eventId).toBe(id);
    await queueSettled(soshogle);
    expect(forTenant(durable, user.userId).map((e) => e.id)).toEqual([id]);
  });
});
