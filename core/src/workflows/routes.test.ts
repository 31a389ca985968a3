// The workflow HTTP API end to end: a real server, worker and database. Workflows are
// saved, published, started, dry-run and reviewed through the API; what the worker did
// is read back from the database (and, for webhooks, from a local HTTP receiver).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction, definePlugin, defineTrigger } from '../plugin.ts';
import { signedInUser, startTestSoshogle, type TestClient } from '../testing/index.ts';
import { verifySignature } from './outbound-webhook.ts';
import { createContact, crmPlugin, eventually, publishWorkflow, queueSettled } from './testing.ts';

// --- a test plugin: a provider call that is not safe to repeat, and a trigger of its own ---

/** Calls of testkit.charge, per run. */
const charges = new Map<string, number>();
const charge = defineAction({
  name: 'charge',
  version: 1,
  displayName: 'Charge card',
  description: 'Charges the card on file (test: counts its calls)',
  props: z.object({ amount: z.number().int().positive() }),
  output: z.object({ charged: z.number() }),
  idempotent: false,
  describe: (p) => `Charge ${p.amount}`,
  async run(ctx) {
    charges.set(ctx.run.executionId, (charges.get(ctx.run.executionId) ?? 0) + 1);
    return { charged: ctx.props.amount };
  },
});
const pinged = defineTrigger({
  name: 'pinged',
  displayName: 'Pinged',
  description: 'A contact was pinged',
  payload: z.object({ contactId: z.string() }),
  filter: z.object({}),
  matches: () => true,
});
declare module '../plugin.ts' {
  interface Plugins { testkit: { triggers: [typeof pinged] } }
}
const testkit = definePlugin({
  name: 'testkit',
  displayName: 'Test kit',
  description: 'Actions and triggers for the workflow API tests',
  actions: [charge],
  triggers: [pinged],
});

// --- a local webhook receiver ---

interface Delivery {
  path: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const deliveries: Delivery[] = [];
let flakyCalls = 0;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = req.url ?? '';
    deliveries.push({ path, method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    if (path.startsWith('/flaky') && flakyCalls++ === 0) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('try again');
      return;
    }
    if (path.startsWith('/gone')) {
      res.writeHead(410, { 'content-type': 'text/plain' }).end('gone');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

// The CRM's steps (crm.add_tag, crm.create_note, ...) are the actions these workflows run.
const soshogle = await startTestSoshogle([testkit, await crmPlugin()], { WORKER_CONCURRENCY: '10', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
const { db } = soshogle;

// --- helpers ---

interface FieldError {
  field: string;
  message: string;
}
interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}
interface WorkflowBody {
  id: string;
  status: 'ACTIVE' | 'INACTIVE';
  publishedVersion: number | null;
  trigger: string;
  triggerKey: string;
  actions: unknown[];
  allowReentry: boolean;
}
interface ExecutionBody {
  id: string;
  status: string;
  versionId: string;
  contactId: string | null;
  error: string | null;
  startedAt: string;
  steps: { stepId: string; type: string; actionKey: string | null; status: string; attempt: number; input: unknown; output: unknown; error: string | null }[];
}

async function problem(res: Response, status: number): Promise<ProblemBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = JSON.parse(text) as ProblemBody;
  expect(body.status).toBe(status);
  return body;
}

async function ok<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

const tag = (id: string, value: string, next?: string) => ({ id, type: 'action', action: 'crm.add_tag', props: { tag: value }, ...(next ? { next } : {}) });

/** A contact written directly (no event raised). */
const contactFor = (userId: string, data: { firstName: string; tags?: string[]; email?: string; company?: string }) =>
  db.contact.create({ data: { userId, ...data } });

const tagsOf = async (contactId: string) => (await db.contact.findUniqueOrThrow({ where: { id: contactId } })).tags;

const startFor = (user: TestClient, workflowId: string, body: unknown) => user.request('POST', `/api/workflows/${workflowId}/start`, body);

async function versionsOf(user: TestClient, workflowId: string) {
  return (await ok<{ items: { id: string; version: number; actions: unknown[] }[] }>(await user.request('GET', `/api/workflows/${workflowId}/versions`))).items;
}

/** Makes the jobs of a workflow's runs that wait for a timer (or a retry backoff) due now. */
async function runDueNow(workflowId: string) {
  await db.$executeRaw`
    update graphile_worker._private_jobs set run_at = now()
    where payload->>'workflowId' = ${workflowId}
      or payload->>'executionId' in (select id from "WorkflowExecution" where "workflowId" = ${workflowId})`;
}

// --- 1. saving ---------------------------------------------------------------------------

describe('saving an invalid workflow', () => {
  const valid = { name: 'Broken', trigger: 'MANUAL', triggerFilter: {}, actions: [tag('t', 'ok')] };
  const cases: { name: string; body: Record<string, unknown>; errors: FieldError[] }[] = [
    {
      name: 'an unknown action',
      body: { actions: [{ id: 'a', type: 'action', action: 'nope.act', props: {} }] },
      errors: [{ field: 'actions.0.action', message: 'Step "a": no enabled plugin provides the action "nope.act"' }],
    },
    {
      name: 'props missing a required setting',
      body: { actions: [{ id: 'tag1', type: 'action', action: 'crm.add_tag', props: {} }] },
      errors: [{ field: 'actions.0.props.tag', message: 'Step "tag1" (crm.add_tag): tag is required' }],
    },
    {
      name: 'a setting of the wrong type',
      body: { actions: [tag('ok', 'fine', 'tag1'), { id: 'tag1', type: 'action', action: 'crm.add_tag', props: { tag: 5 } }] },
      errors: [{ field: 'actions.1.props.tag', message: 'Step "tag1" (crm.add_tag): tag must be string' }],
    },
    {
      name: 'a step setting of the wrong type',
      body: { actions: [{ id: 'w', type: 'wait', wait: { mode: 'duration', amount: 'ten', unit: 'minutes' } }] },
      errors: [{ field: 'actions.0.wait.amount', message: expect.stringContaining('expected number') as string }],
    },
    {
      name: 'a step leading to a missing step',
      body: { actions: [tag('a', 'x', 'zz')] },
      errors: [{ field: 'actions.0.next', message: 'Step "a" leads to step "zz", which does not exist' }],
    },
    {
      name: 'a branch leading to a missing step',
      body: { actions: [{ id: 'b', type: 'branch', condition: { has_tag: 'vip' }, then: 'nowhere' }] },
      errors: [{ field: 'actions.0.then', message: 'Step "b" leads to step "nowhere", which does not exist' }],
    },
    {
      name: 'a step id used twice',
      body: { actions: [tag('a', 'x'), tag('a', 'y')] },
      errors: [{ field: 'actions.1.id', message: 'Step id "a" is used twice' }],
    },
    {
      name: 'steps forming a loop',
      body: { actions: [tag('start', 'x', 'a'), tag('a', 'y', 'b'), tag('b', 'z', 'a')] },
      errors: [{ field: 'actions.1', message: 'Steps "a" -> "b" -> "a" form a loop' }],
    },
    {
      name: 'no steps',
      body: { actions: [] },
      errors: [{ field: 'actions', message: 'A workflow needs at least one step' }],
    },
    {
      name: 'an entry condition with an unknown operator',
      body: { conditions: { and: [{ has_tag: 'vip' }, { eval: ['process.exit()'] }] } },
      errors: [{ field: 'conditions.and.1.eval', message: 'Entry condition: Unknown operator "eval"' }],
    },
    {
      name: 'an entry condition with an unknown variable',
      body: { conditions: { '==': [{ var: 'contact.shoeSize' }, 42] } },
      errors: [{ field: 'conditions.==.0.var', message: 'Entry condition: Unknown variable "contact.shoeSize"' }],
    },
    {
      name: 'a branch condition with an unknown variable',
      body: { actions: [{ id: 'vip', type: 'branch', condition: { '==': [{ var: 'deal.colour' }, 'red'] }, then: 't' }, tag('t', 'x')] },
      errors: [{ field: 'actions.0.condition.==.0.var', message: 'Step "vip": Unknown variable "deal.colour"' }],
    },
    {
      name: 'a broken template in props',
      body: { actions: [{ id: 'note', type: 'action', action: 'crm.create_note', props: { content: 'Hi {{ contact.firstName' } }] },
      errors: [{ field: 'actions.0.props.content', message: expect.stringMatching(/^Step "note": /) as string }],
    },
    {
      name: 'a template using an unknown filter',
      body: { actions: [{ id: 'note', type: 'action', action: 'crm.create_note', props: { content: 'Hi {{ contact.firstName | shout }}' } }] },
      errors: [{ field: 'actions.0.props.content', message: expect.stringMatching(/^Step "note": .*shout/) as string }],
    },
    {
      name: 'a trigger filter setting of the wrong type',
      body: { trigger: 'TAG_ADDED', triggerFilter: { tag: 5 } },
      errors: [{ field: 'triggerFilter.tag', message: 'Trigger "core.tag_added": tag must be string' }],
    },
    {
      // A misspelt setting would otherwise be saved and silently dropped when the run starts.
      name: 'an unknown trigger filter setting',
      body: { trigger: 'TAG_ADDED', triggerFilter: { colour: 'red' } },
      errors: [{ field: 'triggerFilter.colour', message: 'Trigger "core.tag_added": colour is not a known setting' }],
    },
    {
      name: 'an unknown action setting',
      body: { actions: [{ id: 'hook', type: 'action', action: 'core.send_webhook', props: { url: 'https://example.test/hook', header: { 'X-Team': 'sales' } } }] },
      errors: [{ field: 'actions.0.props.header', message: 'Step "hook" (core.send_webhook): header is not a known setting' }],
    },
    {
      name: 'a CUSTOM trigger without its key',
      body: { trigger: 'CUSTOM' },
      errors: [{ field: 'triggerKey', message: 'Name the plugin trigger, e.g. example.pinged' }],
    },
    {
      name: 'an unknown trigger key',
      body: { trigger: 'CUSTOM', triggerKey: 'nope.thing' },
      errors: [{ field: 'triggerKey', message: 'No enabled plugin provides the trigger "nope.thing"' }],
    },
    {
      name: 'a goal waiting for an unknown event',
      body: { actions: [{ id: 'g', type: 'goal', event: 'nope.booked' }] },
      errors: [{ field: 'actions.0.event', message: 'Step "g" waits for "nope.booked", which no enabled plugin provides' }],
    },
  ];

  // One account for the whole table (signing in is slow): it must still own no workflow at the end of each case.
  let saver: TestClient | undefined;
  it.each(cases)('answers 422 naming the field for $name, and saves nothing', async ({ body, errors }) => {
    const user = (saver ??= await signedInUser(soshogle));
    const res = await user.request('POST', '/api/workflows', { ...valid, ...body });
    const answer = await problem(res, 422);
    expect(answer.title).toBe('Validation failed');
    expect(answer.errors).toEqual(errors);
    for (const e of errors) if (typeof e.field === 'string') expect(answer.detail).toContain(`${e.field}: `);
    expect(await db.workflow.count({ where: { userId: user.userId } })).toBe(0);
  });

  it('reports every problem at once, each naming its step', async () => {
    const user = await signedInUser(soshogle);
    const res = await user.request('POST', '/api/workflows', {
      ...valid,
      actions: [
        { id: 'first', type: 'action', action: 'crm.add_tag', props: {}, next: 'second' },
        { id: 'second', type: 'action', action: 'core.unknown', props: {}, next: 'third' },
      ],
    });
    expect((await problem(res, 422)).errors).toEqual([
      { field: 'actions.0.props.tag', message: 'Step "first" (crm.add_tag): tag is required' },
      { field: 'actions.1.next', message: 'Step "second" leads to step "third", which does not exist' },
      { field: 'actions.1.action', message: 'Step "second": no enabled plugin provides the action "core.unknown"' },
    ]);
    expect(await db.workflow.count({ where: { userId: user.userId } })).toBe(0);
  });

  it('keeps the draft unchanged when an edit is refused', async () => {
    const user = await signedInUser(soshogle);
    const created = await ok<WorkflowBody>(await user.request('POST', '/api/workflows', valid), 201);
    const res = await user.request('PUT', `/api/workflows/${created.id}`, { ...valid, actions: [tag('a', 'x', 'missing')] });
    expect((await problem(res, 422)).errors).toEqual([{ field: 'actions.0.next', message: 'Step "a" leads to step "missing", which does not exist' }]);
    const stored = await db.workflow.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.actions).toEqual([{ id: 't', type: 'action', action: 'crm.add_tag', props: { tag: 'ok' } }]);
    expect(await db.workflow.count({ where: { userId: user.userId } })).toBe(1);
  });

  it('saves valid workflows with the trigger key of a standard or a plugin trigger', async () => {
    const user = await signedInUser(soshogle);
    const standard = await ok<WorkflowBody>(await user.request('POST', '/api/workflows', { ...valid, trigger: 'TAG_ADDED', triggerFilter: { tag: 'vip' } }), 201);
    expect(standard).toMatchObject({ trigger: 'TAG_ADDED', triggerKey: 'core.tag_added', status: 'INACTIVE', publishedVersion: null });
    const custom = await ok<WorkflowBody>(await user.request('POST', '/api/workflows', { ...valid, trigger: 'CUSTOM', triggerKey: 'testkit.pinged' }), 201);
    expect(custom).toMatchObject({ trigger: 'CUSTOM', triggerKey: 'testkit.pinged' });
    const templated = await ok<WorkflowBody>(
      await user.request('POST', '/api/workflows', {
        ...valid,
        conditions: { and: [{ has_tag: 'vip' }, { '==': [{ var: 'contact.firstName' }, 'Ann'] }] },
        actions: [{ id: 'n', type: 'action', action: 'crm.create_note', props: { content: 'Hi {{ contact.firstName | upcase }}' } }],
      }),
      201,
    );
    expect(templated.id).toEqual(expect.any(String));
    expect(await db.workflow.count({ where: { userId: user.userId } })).toBe(3);
  });
});

// --- 2. drafts, publishing, versions -----------------------------------------------------

describe('drafts, publishing and versions', () => {
  it('creates an inactive draft; publishing makes version 1 live', async () => {
    const user = await signedInUser(soshogle);
    const created = await ok<WorkflowBody>(
      await user.request('POST', '/api/workflows', { name: 'Welcome', trigger: 'CONTACT_CREATED', actions: [tag('t', 'welcome')] }),
      201,
    );
    expect(created).toMatchObject({ status: 'INACTIVE', publishedVersion: null, allowReentry: false });
    // A draft runs for nobody.
    const early = await createContact(soshogle, user.userId, { firstName: 'Early' });
    await queueSettled(soshogle);
    expect(await db.workflowExecution.count({ where: { workflowId: created.id } })).toBe(0);
    expect(await versionsOf(user, created.id)).toEqual([]);

    const published = await ok<WorkflowBody>(await user.request('POST', `/api/workflows/${created.id}/publish`));
    expect(published).toMatchObject({ id: created.id, status: 'ACTIVE', publishedVersion: 1 });
    const versions = await versionsOf(user, created.id);
    expect(versions.map((v) => v.version)).toEqual([1]);
    expect(versions[0]!.actions).toEqual([{ id: 't', type: 'action', action: 'crm.add_tag', props: { tag: 'welcome' } }]);

    const contact = await createContact(soshogle, user.userId, { firstName: 'Late' });
    await eventually(() => db.workflowExecution.findFirst({ where: { workflowId: created.id, contactId: contact.id, status: 'COMPLETED' } }));
    expect(await tagsOf(contact.id)).toEqual(['welcome']);
    expect(await tagsOf(early.id)).toEqual([]);
  });

  it('keeps runs on the version they started with while the draft changes and is republished', async () => {
    const user = await signedInUser(soshogle);
    const steps = (value: string) => [{ id: 'pause', type: 'wait', wait: { mode: 'duration', amount: 1, unit: 'hours' }, next: 'tag' }, tag('tag', value)];
    const workflowId = await publishWorkflow(user, { trigger: 'CONTACT_CREATED', actions: steps('v1') });
    const waiting = (contactId: string) => eventually(() => db.workflowExecution.findFirst({ where: { workflowId, contactId, status: 'WAITING' } }));

    // A run in flight on version 1, paused before its tag step.
    const inFlight = await createContact(soshogle, user.userId, { firstName: 'InFlight' });
    await waiting(inFlight.id);

    // The draft changes; version 1 stays live until the next publish.
    const edited = await ok<WorkflowBody>(
      await user.request('PUT', `/api/workflows/${workflowId}`, { name: 'Test workflow', trigger: 'CONTACT_CREATED', actions: steps('v2') }),
    );
    expect(edited).toMatchObject({ status: 'ACTIVE', publishedVersion: 1, actions: steps('v2') });
    const beforeRepublish = await createContact(soshogle, user.userId, { firstName: 'Before' });
    await waiting(beforeRepublish.id);

    const republished = await ok<WorkflowBody>(await user.request('POST', `/api/workflows/${workflowId}/publish`));
    expect(republished).toMatchObject({ status: 'ACTIVE', publishedVersion: 2 });
    const afterRepublish = await createContact(soshogle, user.userId, { firstName: 'After' });
    await waiting(afterRepublish.id);

    await runDueNow(workflowId);
    for (const c of [inFlight, beforeRepublish, afterRepublish]) {
      await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, contactId: c.id, status: 'COMPLETED' } }));
    }
    expect(await tagsOf(inFlight.id)).toEqual(['v1']);
    expect(await tagsOf(beforeRepublish.id)).toEqual(['v1']);
    expect(await tagsOf(afterRepublish.id)).toEqual(['v2']);

    const versions = await versionsOf(user, workflowId);
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0]!.actions).toEqual(steps('v2'));
    expect(versions[1]!.actions).toEqual(steps('v1'));
    const versionOf = async (contactId: string) => (await db.workflowExecution.findFirstOrThrow({ where: { workflowId, contactId } })).versionId;
    expect(await versionOf(inFlight.id)).toBe(versions[1]!.id);
    expect(await versionOf(beforeRepublish.id)).toBe(versions[1]!.id);
    expect(await versionOf(afterRepublish.id)).toBe(versions[0]!.id);
  });

  it('turning a workflow off stops new runs; turning it on again resumes them', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'CONTACT_CREATED', actions: [tag('t', 'hello')] });
    const off = await ok<WorkflowBody>(await user.request('POST', `/api/workflows/${workflowId}/status`, { status: 'INACTIVE' }));
    expect(off).toMatchObject({ status: 'INACTIVE', publishedVersion: 1 });

    const ignored = await createContact(soshogle, user.userId, { firstName: 'Ignored' });
    await queueSettled(soshogle);
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(0);
    expect(await tagsOf(ignored.id)).toEqual([]);
    const listed = await ok<{ items: WorkflowBody[]; nextCursor: string | null }>(await user.request('GET', '/api/workflows?status=INACTIVE'));
    expect(listed).toEqual({ items: [expect.objectContaining({ id: workflowId })], nextCursor: null });

    const on = await ok<WorkflowBody>(await user.request('POST', `/api/workflows/${workflowId}/status`, { status: 'ACTIVE' }));
    expect(on).toMatchObject({ status: 'ACTIVE', publishedVersion: 1 });
    const heard = await createContact(soshogle, user.userId, { firstName: 'Heard' });
    await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, contactId: heard.id, status: 'COMPLETED' } }));
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(1);
  });

  it('starts runs from a plugin trigger (CUSTOM)', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'CUSTOM', triggerKey: 'testkit.pinged', actions: [tag('t', 'pinged')] });
    const contact = await contactFor(user.userId, { firstName: 'Pinged' });
    await soshogle.events.raise(db, 'testkit.pinged', { contactId: contact.id }, { tenantId: user.userId });
    await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, contactId: contact.id, status: 'COMPLETED' } }));
    expect(await tagsOf(contact.id)).toEqual(['pinged']);
  });

  it('gives two publishes at once consecutive versions', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'MANUAL', actions: [tag('t', 'x')] });
    const answers = await Promise.all([0, 1, 2].map(() => user.request('POST', `/api/workflows/${workflowId}/publish`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect((await versionsOf(user, workflowId)).map((v) => v.version)).toEqual([4, 3, 2, 1]);
    expect((await db.workflow.findUniqueOrThrow({ where: { id: workflowId } })).publishedVersion).toBe(4);
  });

  it('refuses to turn on a workflow that was never published (409)', async () => {
    const user = await signedInUser(soshogle);
    const created = await ok<WorkflowBody>(await user.request('POST', '/api/workflows', { name: 'Draft', trigger: 'MANUAL', actions: [tag('t', 'x')] }), 201);
    const answer = await problem(await user.request('POST', `/api/workflows/${created.id}/status`, { status: 'ACTIVE' }), 409);
    expect(answer.detail).toBe('Publish the workflow before turning it on');
    expect((await db.workflow.findUniqueOrThrow({ where: { id: created.id } })).status).toBe('INACTIVE');
  });

  it("hides another tenant's workflow (404) from reading, editing, publishing and deleting", async () => {
    const owner = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(owner, { trigger: 'MANUAL', actions: [tag('t', 'x')] });
    await problem(await other.request('GET', `/api/workflows/${workflowId}`), 404);
    await problem(await other.request('PUT', `/api/workflows/${workflowId}`, { name: 'Mine', trigger: 'MANUAL', actions: [tag('t', 'y')] }), 404);
    await problem(await other.request('POST', `/api/workflows/${workflowId}/publish`), 404);
    await problem(await other.request('DELETE', `/api/workflows/${workflowId}`), 404);
    const stored = await db.workflow.findUniqueOrThrow({ where: { id: workflowId } });
    expect(stored).toMatchObject({ name: 'Test workflow', publishedVersion: 1 });
    expect(await db.workflowVersion.count({ where: { workflowId } })).toBe(1);

    const deleted = await owner.request('DELETE', `/api/workflows/${workflowId}`);
    expect(deleted.status).toBe(204);
    expect(await db.workflow.count({ where: { id: workflowId } })).toBe(0);
    expect(await db.workflowVersion.count({ where: { workflowId } })).toBe(0);
    await problem(await owner.request('GET', `/api/workflows/${workflowId}`), 404);
  });
});

// --- 3. manual starts --------------------------------------------------------------------

describe('starting a workflow by hand', () => {
  it('starts by ids (reporting unknown and foreign ids), by tags and for all, once per contact', async () => {
    const user = await signedInUser(soshogle);
    const stranger = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'MANUAL', actions: [tag('t', 'started')] });
    const [ann, bob, cat] = [
      await contactFor(user.userId, { firstName: 'Ann', tags: ['vip'] }),
      await contactFor(user.userId, { firstName: 'Bob', tags: ['lead', 'vip'] }),
      await contactFor(user.userId, { firstName: 'Cat' }),
    ];
    const foreign = await contactFor(stranger.userId, { firstName: 'Foreign' });
    const runs = () => db.workflowExecution.findMany({ where: { workflowId }, orderBy: { startedAt: 'asc' } });

    const byIds = await ok<{ queued: number; notFound: string[] }>(await startFor(user, workflowId, { contactIds: [ann.id, 'no-such-contact', foreign.id] }), 202);
    expect(byIds).toEqual({ queued: 1, notFound: ['no-such-contact', foreign.id] });
    await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, contactId: ann.id, status: 'COMPLETED' } }));
    await queueSettled(soshogle);
    expect((await runs()).map((r) => r.contactId)).toEqual([ann.id]);
    expect(await tagsOf(ann.id)).toEqual(['vip', 'started']);
    expect(await tagsOf(foreign.id)).toEqual([]);
    expect(await db.workflowExecution.count({ where: { contactId: foreign.id } })).toBe(0);

    // Ann again (re-entry is off: no second run) and Bob.
    const byTags = await ok<{ queued: number; notFound: string[] }>(await startFor(user, workflowId, { tags: ['vip'] }), 202);
    expect(byTags).toEqual({ queued: 2, notFound: [] });
    await queueSettled(soshogle);
    await eventually(async () => (await runs()).every((r) => r.status === 'COMPLETED') && (await runs()).length === 2);
    expect(new Set((await runs()).map((r) => r.contactId))).toEqual(new Set([ann.id, bob.id]));

    const all = await ok<{ queued: number; notFound: string[] }>(await startFor(user, workflowId, { all: true }), 202);
    expect(all).toEqual({ queued: 3, notFound: [] });
    await queueSettled(soshogle);
    await eventually(async () => (await runs()).filter((r) => r.status === 'COMPLETED').length === 3);
    const finished = await runs();
    expect(finished).toHaveLength(3);
    expect(new Set(finished.map((r) => r.contactId))).toEqual(new Set([ann.id, bob.id, cat.id]));
    expect(await tagsOf(cat.id)).toEqual(['started']);
    expect(await tagsOf(ann.id)).toEqual(['vip', 'started']);
    expect((await db.workflow.findUniqueOrThrow({ where: { id: workflowId } })).executionCount).toBe(3);
  });

  it('runs again for the same contact when re-entry is allowed', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'MANUAL', allowReentry: true, actions: [{ id: 'n', type: 'action', action: 'crm.create_note', props: { content: 'Hello' } }] });
    const contact = await contactFor(user.userId, { firstName: 'Repeat' });
    for (let i = 0; i < 2; i++) {
      expect(await ok(await startFor(user, workflowId, { contactIds: [contact.id] }), 202)).toEqual({ queued: 1, notFound: [] });
      await queueSettled(soshogle);
    }
    await eventually(async () => (await db.workflowExecution.count({ where: { workflowId, status: 'COMPLETED' } })) === 2);
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(2);
    expect(await db.note.count({ where: { contactId: contact.id } })).toBe(2);
  });

  it('needs exactly one selector (422), a published workflow (409) and a workflow of the tenant (404)', async () => {
    const user = await signedInUser(soshogle);
    const stranger = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'MANUAL', actions: [tag('t', 'x')] });
    const contact = await contactFor(user.userId, { firstName: 'Sel', tags: ['a'] });
    const selectorError = [{ field: 'body.contactIds', message: 'Give exactly one of contactIds, tags or all' }];
    expect((await problem(await startFor(user, workflowId, {}), 422)).errors).toEqual(selectorError);
    expect((await problem(await startFor(user, workflowId, { tags: ['a'], all: true }), 422)).errors).toEqual(selectorError);
    expect((await problem(await startFor(user, workflowId, { contactIds: [contact.id], tags: ['a'] }), 422)).errors).toEqual(selectorError);
    expect((await problem(await startFor(user, workflowId, { contactIds: [] }), 422)).errors?.[0]?.field).toBe('body.contactIds');

    const draft = await ok<WorkflowBody>(await user.request('POST', '/api/workflows', { name: 'Draft', trigger: 'MANUAL', actions: [tag('t', 'x')] }), 201);
    expect((await problem(await startFor(user, draft.id, { all: true }), 409)).detail).toBe('Publish the workflow before starting it');
    await problem(await startFor(stranger, workflowId, { all: true }), 404);

    await queueSettled(soshogle);
    expect(await db.workflowExecution.count({ where: { userId: user.userId } })).toBe(0);
    expect(await tagsOf(contact.id)).toEqual(['a']);
  });
});

// --- 4. dry runs -------------------------------------------------------------------------

describe('dry run', () => {
  const steps = [
    { id: 'check', type: 'branch', name: 'VIP?', condition: { has_tag: 'vip' }, then: 'vipnote', else: 'tag' },
    { id: 'vipnote', type: 'action', action: 'crm.create_note', props: { content: 'VIP {{ contact.firstName }} <{{ contact.email }}>' }, next: 'notify' },
    { id: 'notify', type: 'action', action: 'core.notify', props: { title: 'Call {{ contact.firstName | upcase }}' } },
    { id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'lead-{{ contact.firstName | downcase }}' }, next: 'pause' },
    { id: 'pause', type: 'wait', wait: { mode: 'duration', amount: 2, unit: 'days' }, next: 'company' },
    { id: 'company', type: 'action', action: 'crm.update_contact_field', props: { field: 'company', value: '{{ contact.company }} Ltd' } },
  ];

  async function snapshot(userId: string) {
    const [jobs] = await db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker._private_jobs`;
    return {
      contacts: await db.contact.findMany({ where: { userId }, orderBy: { id: 'asc' } }),
      notes: await db.note.count(),
      notifications: await db.notification.count(),
      executions: await db.workflowExecution.count(),
      stepRuns: await db.workflowStepRun.count(),
      deals: await db.deal.count(),
      jobs: jobs!.n,
    };
  }

  it('follows the branch each contact would take and shows each action with its templates filled in, changing nothing', async () => {
    const user = await signedInUser(soshogle);
    const created = await ok<WorkflowBody>(await user.request('POST', '/api/workflows', { name: 'Dry', trigger: 'MANUAL', actions: steps }), 201);
    const vip = await contactFor(user.userId, { firstName: 'Vera', email: 'vera@example.test', tags: ['VIP'] });
    const plain = await contactFor(user.userId, { firstName: 'Ulla', company: 'Acme' });
    await queueSettled(soshogle);
    const before = await snapshot(user.userId);

    const vipRun = await ok<{ starts: boolean; steps: unknown[] }>(await user.request('POST', `/api/workflows/${created.id}/dry-run`, { contactId: vip.id }));
    expect(vipRun).toEqual({
      starts: true,
      steps: [
        { stepId: 'check', type: 'branch', name: 'VIP?', result: true, description: 'Condition is true: goes to vipnote' },
        {
          stepId: 'vipnote',
          type: 'action',
          action: 'crm.create_note',
          props: { content: 'VIP Vera <vera@example.test>' },
          description: 'Add a note: "VIP Vera <vera@example.test>"',
        },
        { stepId: 'notify', type: 'action', action: 'core.notify', props: { title: 'Call VERA' }, description: 'Notify the team: "Call VERA"' },
      ],
    });

    const plainRun = await ok<{ starts: boolean; steps: unknown[] }>(await user.request('POST', `/api/workflows/${created.id}/dry-run`, { contactId: plain.id }));
    expect(plainRun).toEqual({
      starts: true,
      steps: [
        { stepId: 'check', type: 'branch', name: 'VIP?', result: false, description: 'Condition is false: goes to tag' },
        { stepId: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'lead-ulla' }, description: 'Add the tag "lead-ulla" to the contact' },
        { stepId: 'pause', type: 'wait', description: 'Waits 2 days' },
        {
          stepId: 'company',
          type: 'action',
          action: 'crm.update_contact_field',
          props: { field: 'company', value: 'Acme Ltd' },
          description: 'Set the contact\'s company to "Acme Ltd"',
        },
      ],
    });

    await queueSettled(soshogle);
    expect(await snapshot(user.userId)).toEqual(before);
  });

  it('dry-runs a published version, reports an entry condition that keeps the contact out, and props that would fail', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'MANUAL',
      conditions: { has_tag: 'customer' },
      actions: [{ id: 'n', type: 'action', action: 'crm.create_note', props: { content: '{{ contact.company }}' } }],
    });
    await ok(
      await user.request('PUT', `/api/workflows/${workflowId}`, { name: 'Test workflow', trigger: 'MANUAL', actions: [tag('t', 'draft-{{ contact.firstName }}')] }),
    );
    const outsider = await contactFor(user.userId, { firstName: 'Otto' });
    const customer = await contactFor(user.userId, { firstName: 'Cora', tags: ['customer'] });
    await queueSettled(soshogle);
    const before = await snapshot(user.userId);
    const dry = (body: unknown) => user.request('POST', `/api/workflows/${workflowId}/dry-run`, body);

    expect(await ok(await dry({ contactId: outsider.id, version: 1 }))).toEqual({ starts: false, steps: [] });
    expect(await ok(await dry({ contactId: customer.id, version: 1 }))).toEqual({
      starts: true,
      steps: [{ stepId: 'n', type: 'action', action: 'crm.create_note', props: { content: '' }, description: 'Create note', error: expect.stringMatching(/^content: /) }],
    });
    // The draft has no entry condition and a different step.
    expect(await ok(await dry({ contactId: outsider.id }))).toEqual({
      starts: true,
      steps: [{ stepId: 't', type: 'action', action: 'crm.add_tag', props: { tag: 'draft-Otto' }, description: 'Add the tag "draft-Otto" to the contact' }],
    });
    expect((await problem(await dry({ contactId: outsider.id, version: 7 }), 404)).detail).toBe('Version not found');
    await queueSettled(soshogle);
    expect(await snapshot(user.userId)).toEqual(before);
  });

  it("answers 404 for another tenant's contact or workflow", async () => {
    const user = await signedInUser(soshogle);
    const stranger = await signedInUser(soshogle);
    const created = await ok<WorkflowBody>(await user.request('POST', '/api/workflows', { name: 'Dry', trigger: 'MANUAL', actions: steps }), 201);
    const mine = await contactFor(user.userId, { firstName: 'Mine' });
    const theirs = await contactFor(stranger.userId, { firstName: 'Theirs', tags: ['vip'] });
    expect((await problem(await user.request('POST', `/api/workflows/${created.id}/dry-run`, { contactId: theirs.id }), 404)).detail).toBe('Contact not found');
    expect((await problem(await stranger.request('POST', `/api/workflows/${created.id}/dry-run`, { contactId: theirs.id }), 404)).detail).toBe('Workflow not found');
    expect((await problem(await user.request('POST', `/api/workflows/${created.id}/dry-run`, {}), 422)).errors?.[0]?.field).toBe('body.contactId');
    expect((await ok<{ starts: boolean }>(await user.request('POST', `/api/workflows/${created.id}/dry-run`, { contactId: mine.id }))).starts).toBe(true);
  });
});

// --- 5. runs and their step logs ---------------------------------------------------------

describe('runs API', () => {
  it('lists runs newest first, by status, by contact and page by page; shows a run with its step log', async () => {
    const user = await signedInUser(soshogle);
    const stranger = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'MANUAL',
      actions: [tag('seen', 'seen', 'note'), { id: 'note', type: 'action', action: 'crm.create_note', props: { content: '{{ contact.company }}' } }],
    });
    const withCompany = await Promise.all(['Acme', 'Globex', 'Initech'].map((company, i) => contactFor(user.userId, { firstName: `C${i}`, company })));
    const without = await Promise.all(['N1', 'N2'].map((firstName) => contactFor(user.userId, { firstName })));
    expect(await ok(await startFor(user, workflowId, { all: true }), 202)).toEqual({ queued: 5, notFound: [] });
    await eventually(async () => (await db.workflowExecution.count({ where: { workflowId, status: { in: ['COMPLETED', 'FAILED'] } } })) === 5);

    const list = async (query: string) =>
      ok<{ items: ExecutionBody[]; nextCursor: string | null }>(await user.request('GET', `/api/workflows/${workflowId}/executions${query}`));

    const everything = await list('');
    expect(everything.items).toHaveLength(5);
    expect(everything.nextCursor).toBeNull();
    const times = everything.items.map((e) => Date.parse(e.startedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const failed = await list('?status=FAILED');
    expect(failed.items.map((e) => e.contactId).sort()).toEqual(without.map((c) => c.id).sort());
    expect(failed.items.every((e) => e.status === 'FAILED')).toBe(true);
    const completed = await list('?status=COMPLETED');
    expect(completed.items.map((e) => e.contactId).sort()).toEqual(withCompany.map((c) => c.id).sort());
    expect((await list('?status=NEEDS_REVIEW')).items).toEqual([]);
    expect((await list(`?contactId=${without[0]!.id}`)).items.map((e) => e.contactId)).toEqual([without[0]!.id]);
    await problem(await user.request('GET', `/api/workflows/${workflowId}/executions?status=DONE`), 422);

    // Pages of 2: 2, 2, 1, together the whole list in order.
    const pages: ExecutionBody[][] = [];
    let cursor: string | null = null;
    do {
      const page: { items: ExecutionBody[]; nextCursor: string | null } = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((e) => e.id)).toEqual(everything.items.map((e) => e.id));

    // A completed run: both steps with what they were given and what they returned.
    const done = completed.items.find((e) => e.contactId === withCompany[1]!.id)!;
    const detail = await ok<ExecutionBody>(await user.request('GET', `/api/workflow-executions/${done.id}`));
    expect(detail).toMatchObject({ id: done.id, status: 'COMPLETED', contactId: withCompany[1]!.id, error: null });
    const note = await db.note.findFirstOrThrow({ where: { contactId: withCompany[1]!.id } });
    expect(detail.steps.map((s) => ({ stepId: s.stepId, type: s.type, actionKey: s.actionKey, status: s.status, attempt: s.attempt, input: s.input, output: s.output, error: s.error }))).toEqual([
      { stepId: 'seen', type: 'action', actionKey: 'crm.add_tag', status: 'SUCCEEDED', attempt: 1, input: { tag: 'seen' }, output: { added: true }, error: null },
      { stepId: 'note', type: 'action', actionKey: 'crm.create_note', status: 'SUCCEEDED', attempt: 1, input: { content: 'Globex' }, output: { noteId: note.id }, error: null },
    ]);

    // A failed run: the note's props were invalid once rendered, which no retry fixes.
    const broken = await ok<ExecutionBody>(await user.request('GET', `/api/workflow-executions/${failed.items[0]!.id}`));
    expect(broken.status).toBe('FAILED');
    expect(broken.error).toMatch(/^Step "note" failed: /);
    expect(broken.steps.map((s) => [s.stepId, s.status, s.attempt])).toEqual([
      ['seen', 'SUCCEEDED', 1],
      ['note', 'FAILED', 1],
    ]);
    expect(broken.steps[1]!.error).toEqual(expect.any(String));

    // Another tenant sees none of it.
    await problem(await stranger.request('GET', `/api/workflow-executions/${done.id}`), 404);
    await problem(await stranger.request('GET', `/api/workflows/${workflowId}/executions`), 404);
    await problem(await user.request('GET', `/api/workflow-executions/${randomUUID()}`), 404);
  });
});

// --- 6. review of an interrupted step ----------------------------------------------------

describe('review of an interrupted provider call', () => {
  const actions = [
    { id: 'pay', type: 'action', action: 'testkit.charge', props: { amount: 42 }, next: 'thanks' },
    tag('thanks', 'paid'),
  ];

  /**
   * A run whose `step` was RUNNING when its worker died, and the job that picks it up
   * again; resolves once the run reaches `until`.
   */
  async function interruptedRun(
    user: TestClient,
    workflowId: string,
    firstName: string,
    { step = { id: 'pay', action: 'testkit.charge' }, until = 'NEEDS_REVIEW' }: { step?: { id: string; action: string }; until?: string } = {},
  ) {
    const [version] = await versionsOf(user, workflowId);
    const contact = await contactFor(user.userId, { firstName });
    const executionId = randomUUID();
    const event = { id: randomUUID(), type: 'core.manual', payload: { contactId: contact.id }, occurredAt: new Date().toISOString() };
    await db.workflowExecution.create({
      data: {
        id: executionId,
        workflowId,
        versionId: version!.id,
        userId: user.userId,
        status: 'RUNNING',
        contextData: { event },
        contactId: contact.id,
        eventId: event.id,
        dedupeKey: `contact:${contact.id}`,
      },
    });
    await db.workflowStepRun.create({
      data: { userId: user.userId, executionId, stepId: step.id, type: 'action', actionKey: step.action, status: 'RUNNING', attempt: 1 },
    });
    const job = { tenantId: user.userId, executionId, workflowId, versionId: version!.id, stepId: step.id, position: 0, contactId: contact.id, dealId: null, depth: 0 };
    await db.$executeRaw`select graphile_worker.add_job('workflow_step', ${JSON.stringify(job)}::json, max_attempts => 5)`;
    await eventually(() => db.workflowExecution.findFirst({ where: { id: executionId, status: until as 'NEEDS_REVIEW' } }));
    await queueSettled(soshogle);
    return { executionId, contact };
  }

  const stepRows = async (executionId: string) =>
    (await db.workflowStepRun.findMany({ where: { executionId }, orderBy: { startedAt: 'asc' } })).map((s) => ({ stepId: s.stepId, status: s.status, output: s.output }));

  it('runs normally when nothing was interrupted', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'MANUAL', actions });
    const contact = await contactFor(user.userId, { firstName: 'Normal' });
    await ok(await startFor(user, workflowId, { contactIds: [contact.id] }), 202);
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: 'COMPLETED' } }));
    expect(charges.get(run.id)).toBe(1);
    expect(await stepRows(run.id)).toEqual([
      { stepId: 'pay', status: 'SUCCEEDED', output: { charged: 42 } },
      { stepId: 'thanks', status: 'SUCCEEDED', output: { added: true } },
    ]);
  });

  it('leaves an interrupted non-idempotent step for review; "retry" then runs it exactly once', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'MANUAL', actions });
    const { executionId, contact } = await interruptedRun(user, workflowId, 'Retry');

    expect(charges.get(executionId)).toBeUndefined();
    const held = await ok<ExecutionBody>(await user.request('GET', `/api/workflow-executions/${executionId}`));
    expect(held.status).toBe('NEEDS_REVIEW');
    expect(held.error).toContain('Step "pay" (testkit.charge) was interrupted');
    expect(held.steps).toHaveLength(1);
    expect(held.steps[0]).toMatchObject({ stepId: 'pay', status: 'NEEDS_REVIEW', error: expect.stringContaining('It is not repeated automatically; review it and retry or skip.') });
    expect((await list(user, workflowId, 'NEEDS_REVIEW')).map((e) => e.id)).toEqual([executionId]);

    const reviewed = await ok<ExecutionBody>(await user.request('POST', `/api/workflow-executions/${executionId}/review`, { decision: 'retry' }));
    expect(reviewed).toMatchObject({ id: executionId, status: 'RUNNING', error: null });
    await eventually(() => db.workflowExecution.findFirst({ where: { id: executionId, status: 'COMPLETED' } }));
    await queueSettled(soshogle);
    expect(charges.get(executionId)).toBe(1);
    expect(await stepRows(executionId)).toEqual([
      { stepId: 'pay', status: 'SUCCEEDED', output: { charged: 42 } },
      { stepId: 'thanks', status: 'SUCCEEDED', output: { added: true } },
    ]);
    expect(await tagsOf(contact.id)).toEqual(['paid']);

    // Decided already.
    expect((await problem(await user.request('POST', `/api/workflow-executions/${executionId}/review`, { decision: 'retry' }), 409)).detail).toBe(
      'This run is not waiting for a review',
    );
    expect(charges.get(executionId)).toBe(1);
  });

  it('"skip" moves on to the next step without the call', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'MANUAL', actions });
    const { executionId, contact } = await interruptedRun(user, workflowId, 'Skip');
    const reviewed = await ok<ExecutionBody>(await user.request('POST', `/api/workflow-executions/${executionId}/review`, { decision: 'skip' }));
    expect(reviewed.status).toBe('RUNNING');
    await eventually(() => db.workflowExecution.findFirst({ where: { id: executionId, status: 'COMPLETED' } }));
    await queueSettled(soshogle);
    expect(charges.get(executionId)).toBeUndefined();
    expect(await stepRows(executionId)).toEqual([
      { stepId: 'pay', status: 'SUCCEEDED', output: { skipped: true } },
      { stepId: 'thanks', status: 'SUCCEEDED', output: { added: true } },
    ]);
    expect(await tagsOf(contact.id)).toEqual(['paid']);
  });

  it('"stop" fails the run without the call or the steps after it', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'MANUAL', actions });
    const { executionId, contact } = await interruptedRun(user, workflowId, 'Stop');
    const reviewed = await ok<ExecutionBody>(await user.request('POST', `/api/workflow-executions/${executionId}/review`, { decision: 'stop' }));
    expect(reviewed).toMatchObject({ status: 'FAILED', error: 'Stopped after review of step "pay"' });
    await queueSettled(soshogle);
    const run = await db.workflowExecution.findUniqueOrThrow({ where: { id: executionId } });
    expect(run.status).toBe('FAILED');
    expect(run.completedAt).not.toBeNull();
    expect(charges.get(executionId)).toBeUndefined();
    expect(await stepRows(executionId)).toEqual([{ stepId: 'pay', status: 'FAILED', output: null }]);
    expect(await tagsOf(contact.id)).toEqual([]);
  });

  it('repeats an interrupted idempotent provider call (a webhook) on its own, with the same idempotency key', async () => {
    const user = await signedInUser(soshogle);
    const path = `/ok/${randomUUID()}`;
    const workflowId = await publishWorkflow(user, {
      trigger: 'MANUAL',
      actions: [{ id: 'hook', type: 'action', action: 'core.send_webhook', props: { url: `${receiverUrl}${path}` } }],
    });
    const { executionId } = await interruptedRun(user, workflowId, 'Hooked', { step: { id: 'hook', action: 'core.send_webhook' }, until: 'COMPLETED' });
    expect(deliveries.filter((d) => d.path === path).map((d) => d.headers['idempotency-key'])).toEqual([`${executionId}:hook`]);
    expect(await stepRows(executionId)).toEqual([{ stepId: 'hook', status: 'SUCCEEDED', output: { status: 200, body: 'thanks' } }]);
  });

  it('answers 409 to the second of two simultaneous "retry" reviews; the provider is called once', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'MANUAL', actions });
    const { executionId, contact } = await interruptedRun(user, workflowId, 'Twice');
    const review = () => user.request('POST', `/api/workflow-executions/${executionId}/review`, { decision: 'retry' });
    const answers = await Promise.all([review(), review()]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(await ok<ExecutionBody>(answers.find((a) => a.status === 200)!)).toMatchObject({ id: executionId, status: 'RUNNING', error: null });
    expect((await problem(answers.find((a) => a.status === 409)!, 409)).detail).toBe('This run is not waiting for a review');

    await eventually(() => db.workflowExecution.findFirst({ where: { id: executionId, status: 'COMPLETED' } }));
    await queueSettled(soshogle);
    expect(charges.get(executionId)).toBe(1);
    expect(await stepRows(executionId)).toEqual([
      { stepId: 'pay', status: 'SUCCEEDED', output: { charged: 42 } },
      { stepId: 'thanks', status: 'SUCCEEDED', output: { added: true } },
    ]);
    expect(await tagsOf(contact.id)).toEqual(['paid']);
  });

  it('deletes the goal waits of a run that a review stops or completes, and only of that run', async () => {
    const user = await signedInUser(soshogle);
    // "pay" is the last step: skipping it completes the run. The goal is listened for from the start.
    const workflowId = await publishWorkflow(user, {
      trigger: 'MANUAL',
      actions: [
        { id: 'pay', type: 'action', action: 'testkit.charge', props: { amount: 42 } },
        { id: 'booked', type: 'goal', event: 'core.tag_added', filter: { tag: 'booked' } },
      ],
    });
    const heldWithGoal = async (firstName: string) => {
      const { executionId, contact } = await interruptedRun(user, workflowId, firstName);
      // The goal wait the engine writes when a run starts (this run was written directly).
      await db.workflowWait.create({
        data: { userId: user.userId, executionId, stepId: 'booked', kind: 'GOAL', eventType: 'core.tag_added', contactId: contact.id, filter: { tag: 'booked' } },
      });
      return executionId;
    };
    const waitsOf = (executionId: string) => db.workflowWait.count({ where: { executionId } });
    const stopped = await heldWithGoal('GoalStop');
    const skipped = await heldWithGoal('GoalSkip');
    const untouched = await heldWithGoal('GoalHeld');
    for (const id of [stopped, skipped, untouched]) expect(await waitsOf(id)).toBe(1);

    expect(await ok<ExecutionBody>(await user.request('POST', `/api/workflow-executions/${stopped}/review`, { decision: 'stop' }))).toMatchObject({
      status: 'FAILED',
      error: 'Stopped after review of step "pay"',
    });
    expect(await ok<ExecutionBody>(await user.request('POST', `/api/workflow-executions/${skipped}/review`, { decision: 'skip' }))).toMatchObject({
      status: 'COMPLETED',
      error: null,
    });
    await queueSettled(soshogle);
    expect(await waitsOf(stopped)).toBe(0);
    expect(await waitsOf(skipped)).toBe(0);
    expect(await waitsOf(untouched)).toBe(1);
    expect((await db.workflowExecution.findUniqueOrThrow({ where: { id: untouched } })).status).toBe('NEEDS_REVIEW');
    for (const id of [stopped, skipped, untouched]) expect(charges.get(id)).toBeUndefined();
  });

  it('refuses a review of a run that needs none (409), of another tenant (404), or with an unknown decision (422)', async () => {
    const user = await signedInUser(soshogle);
    const stranger = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'MANUAL', actions });
    const contact = await contactFor(user.userId, { firstName: 'Fine' });
    await ok(await startFor(user, workflowId, { contactIds: [contact.id] }), 202);
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: 'COMPLETED' } }));
    for (const decision of ['retry', 'skip', 'stop']) {
      await problem(await user.request('POST', `/api/workflow-executions/${run.id}/review`, { decision }), 409);
    }
    const { executionId } = await interruptedRun(user, workflowId, 'Held');
    await problem(await stranger.request('POST', `/api/workflow-executions/${executionId}/review`, { decision: 'retry' }), 404);
    expect((await problem(await user.request('POST', `/api/workflow-executions/${executionId}/review`, { decision: 'redo' }), 422)).errors?.[0]?.field).toBe(
      'body.decision',
    );
    await queueSettled(soshogle);
    expect((await db.workflowExecution.findUniqueOrThrow({ where: { id: executionId } })).status).toBe('NEEDS_REVIEW');
    expect((await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('COMPLETED');
    expect(charges.get(executionId)).toBeUndefined();
    expect(charges.get(run.id)).toBe(1);
  });
});

async function list(user: TestClient, workflowId: string, status: string) {
  return (await ok<{ items: ExecutionBody[] }>(await user.request('GET', `/api/workflows/${workflowId}/executions?status=${status}`))).items;
}

// --- 7. send_webhook ---------------------------------------------------------------------

describe('send_webhook action', () => {
  const stepRow = (executionId: string, stepId: string) => db.workflowStepRun.findUnique({ where: { executionId_stepId: { executionId, stepId } } });

  it('delivers signed JSON with the run and step as idempotency key, and records the answer', async () => {
    const user = await signedInUser(soshogle);
    const { secret } = await ok<{ secret: string }>(await user.request('GET', '/api/webhook-secret'));
    expect(secret).toMatch(/^whsec_/);
    expect((await ok<{ secret: string }>(await user.request('GET', '/api/webhook-secret'))).secret).toBe(secret);
    const path = `/ok/${randomUUID()}`;
    const workflowId = await publishWorkflow(user, {
      trigger: 'MANUAL',
      actions: [
        { id: 'hook', type: 'action', action: 'core.send_webhook', props: { url: `${receiverUrl}${path}`, headers: { 'X-Team': 'sales' }, body: { hello: '{{ contact.firstName }}' } }, next: 'plain' },
        { id: 'plain', type: 'action', action: 'core.send_webhook', props: { url: `${receiverUrl}${path}`, method: 'PUT' } },
      ],
    });
    const contact = await contactFor(user.userId, { firstName: 'Wendy', email: 'wendy@example.test' });
    await ok(await startFor(user, workflowId, { contactIds: [contact.id] }), 202);
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: { in: ['COMPLETED', 'FAILED'] } } }));
    expect(run).toMatchObject({ status: 'COMPLETED', error: null });

    const got = deliveries.filter((d) => d.path === path);
    expect(got.map((d) => [d.method, d.headers['idempotency-key']])).toEqual([
      ['POST', `${run.id}:hook`],
      ['PUT', `${run.id}:plain`],
    ]);
    const now = Math.floor(Date.now() / 1000);
    for (const d of got) {
      expect(d.headers['content-type']).toContain('application/json');
      const signature = d.headers['soshogle-signature'] as string;
      expect(verifySignature(signature, secret, d.body, now)).toBe(true);
      expect(verifySignature(signature, 'whsec_wrong', d.body, now)).toBe(false);
      expect(verifySignature(signature, secret, `${d.body} `, now)).toBe(false);
    }
    expect(got[0]!.headers['x-team']).toBe('sales');
    expect(JSON.parse(got[0]!.body)).toEqual({ hello: 'Wendy' });
    expect(JSON.parse(got[1]!.body)).toMatchObject({ workflowId, executionId: run.id, contact: { id: contact.id, firstName: 'Wendy', email: 'wendy@example.test' } });

    expect(await stepRow(run.id, 'hook')).toMatchObject({ status: 'SUCCEEDED', attempt: 1, output: { status: 200, body: 'thanks' } });
    expect(await stepRow(run.id, 'plain')).toMatchObject({ status: 'SUCCEEDED', attempt: 1, output: { status: 200, body: 'thanks' } });
  });

  it('retries a 5xx answer with the same idempotency key', async () => {
    const user = await signedInUser(soshogle);
    const path = `/flaky/${randomUUID()}`;
    flakyCalls = 0;
    const workflowId = await publishWorkflow(user, {
      trigger: 'MANUAL',
      actions: [{ id: 'hook', type: 'action', action: 'core.send_webhook', props: { url: `${receiverUrl}${path}` } }],
    });
    const contact = await contactFor(user.userId, { firstName: 'Flaky' });
    await ok(await startFor(user, workflowId, { contactIds: [contact.id] }), 202);
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId } }));
    const first = await eventually(async () => {
      const row = await stepRow(run.id, 'hook');
      return row?.status === 'FAILED' ? row : null;
    });
    expect(first).toMatchObject({ attempt: 1, error: `${receiverUrl}${path} answered 500` });
    expect((await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('RUNNING');

    await runDueNow(workflowId); // skip graphile-worker's backoff
    await eventually(() => db.workflowExecution.findFirst({ where: { id: run.id, status: 'COMPLETED' } }));
    expect(await stepRow(run.id, 'hook')).toMatchObject({ status: 'SUCCEEDED', attempt: 2, error: null, output: { status: 200, body: 'thanks' } });
    const got = deliveries.filter((d) => d.path === path);
    expect(got.map((d) => d.headers['idempotency-key'])).toEqual([`${run.id}:hook`, `${run.id}:hook`]);
  });

  it('fails the run at once on a 4xx answer (no retry can fix it)', async () => {
    const user = await signedInUser(soshogle);
    const path = `/gone/${randomUUID()}`;
    const workflowId = await publishWorkflow(user, {
      trigger: 'MANUAL',
      actions: [{ id: 'hook', type: 'action', action: 'core.send_webhook', props: { url: `${receiverUrl}${path}` } }],
    });
    const contact = await contactFor(user.userId, { firstName: 'Gone' });
    await ok(await startFor(user, workflowId, { contactIds: [contact.id] }), 202);
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: { in: ['COMPLETED', 'FAILED'] } } }));
    expect(run).toMatchObject({ status: 'FAILED', error: `Step "hook" failed: ${receiverUrl}${path} answered 410` });
    expect(await stepRow(run.id, 'hook')).toMatchObject({ status: 'FAILED', attempt: 1 });
    await queueSettled(soshogle);
    expect(deliveries.filter((d) => d.path === path)).toHaveLength(1);
  });

  it.each(['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/hook'])(
    'saves a workflow posting to %s, but the run fails at once, refused, without retries',
    async (url) => {
      const user = await signedInUser(soshogle);
      const workflowId = await publishWorkflow(user, {
        trigger: 'MANUAL',
        actions: [{ id: 'hook', type: 'action', action: 'core.send_webhook', props: { url }, next: 'after' }, tag('after', 'after')],
      });
      const contact = await contactFor(user.userId, { firstName: 'Ssrf' });
      await ok(await startFor(user, workflowId, { contactIds: [contact.id] }), 202);
      const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: { in: ['COMPLETED', 'FAILED'] } } }));
      const host = new URL(url).hostname;
      expect(run).toMatchObject({ status: 'FAILED', error: `Step "hook" failed: Webhook host ${host} is a private or reserved address` });
      expect(await stepRow(run.id, 'hook')).toMatchObject({ status: 'FAILED', attempt: 1, error: `Webhook host ${host} is a private or reserved address` });
      expect(await stepRow(run.id, 'after')).toBeNull();
      await queueSettled(soshogle);
      const [left] = await db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker._private_jobs where payload->>'executionId' = ${run.id}`;
      expect(left!.n).toBe(0n);
      expect(await tagsOf(contact.id)).toEqual([]);
    },
  );
});

// --- 8. notifications --------------------------------------------------------------------

describe('notify action', () => {
  it('creates a notification the team sees, and it can be marked read', async () => {
    const user = await signedInUser(soshogle);
    const stranger = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'MANUAL',
      actions: [{ id: 'n', type: 'action', action: 'core.notify', props: { title: 'New lead {{ contact.firstName }}', body: 'Call them', link: '/contacts/{{ contact.id }}' } }],
    });
    const contact = await contactFor(user.userId, { firstName: 'Nina' });
    await ok(await startFor(user, workflowId, { contactIds: [contact.id] }), 202);
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: 'COMPLETED' } }));

    const { items: notifications } = await ok<{ items: { id: string; title: string; readAt: string | null }[] }>(await user.request('GET', '/api/notifications'));
    expect(notifications).toEqual([
      expect.objectContaining({ title: 'New lead Nina', body: 'Call them', link: `/contacts/${contact.id}`, source: `workflow:${workflowId}`, readAt: null }),
    ]);
    const id = notifications[0]!.id;
    expect(await stepRowsOutput(run.id)).toEqual([{ notificationId: id }]);
    expect((await ok<{ items: unknown[] }>(await user.request('GET', '/api/notifications?unread=true'))).items).toHaveLength(1);
    expect((await ok<{ items: unknown[] }>(await stranger.request('GET', '/api/notifications'))).items).toEqual([]);

    await problem(await stranger.request('POST', `/api/notifications/${id}/read`), 404);
    expect((await db.notification.findUniqueOrThrow({ where: { id } })).readAt).toBeNull();

    const marked = await ok<{ id: string; readAt: string | null }>(await user.request('POST', `/api/notifications/${id}/read`));
    expect(marked.id).toBe(id);
    expect(marked.readAt).not.toBeNull();
    expect((await ok<{ items: unknown[] }>(await user.request('GET', '/api/notifications?unread=true'))).items).toEqual([]);
    const all = await ok<{ items: { id: string; readAt: string | null }[] }>(await user.request('GET', '/api/notifications'));
    expect(all.items.map((n) => [n.id, n.readAt !== null])).toEqual([[id, true]]);
  });
});

async function stepRowsOutput(executionId: string) {
  return (await db.workflowStepRun.findMany({ where: { executionId } })).map((s) => s.output);
}
