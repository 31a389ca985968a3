// Triggers, conditions, templates, waits, goals, re-entry, the loop guard and counters,
// end to end: a real server, worker and database. Workflows are created and published
// through the HTTP API; events are raised exactly as a plugin raises them, inside the
// transaction of the domain write they describe. What the worker did is read back from
// the database (runs, step log, contacts, notes, graphile-worker's job table).
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction, definePlugin, defineSubscriber, defineTrigger, type EventPayloadInput, type EventType } from '../plugin.ts';
import type { TenantTx } from '../tenancy.ts';
import { signedInUser, startTestSoshogle, type TestClient } from '../testing/index.ts';
import { nextTimeOfDay } from './time-zone.ts';
import { startBatchSize } from './start-queue.ts';
import { createContact, crmPlugin, eventually, publishWorkflow, queueSettled } from './testing.ts';

// --- a plugin with a trigger of its own ---------------------------------------------

const orderPaid = defineTrigger({
  name: 'order_paid',
  displayName: 'Order paid',
  description: 'A contact paid an order',
  payload: z.object({ orderId: z.string().min(1), contactId: z.string().min(1), total: z.number() }),
  filter: z.object({ minTotal: z.number().optional().describe('Only orders of at least this total') }),
  matches: (f, p) => f.minTotal === undefined || p.total >= f.minTotal,
});
declare module '../plugin.ts' {
  interface Plugins { example_shop: { triggers: [typeof orderPaid] } }
}

/** How many more times example_shop.flaky_tag fails before it works. */
let flakyFailures = 0;

const exampleShop = definePlugin({
  name: 'example_shop',
  displayName: 'Example shop',
  description: 'A shop plugin: raises example_shop.order_paid when a contact pays an order',
  triggers: [orderPaid],
  actions: [
    defineAction({
      name: 'flaky_tag',
      version: 1,
      displayName: 'Tag, after failing a few times',
      description: 'Fails (a failure worth retrying) while flakyFailures lasts, then tags the contact',
      props: z.object({ tag: z.string() }),
      output: z.object({}),
      transactional: true,
      idempotent: true,
      async run(ctx) {
        if (flakyFailures > 0) {
          flakyFailures -= 1;
          throw new Error('not yet');
        }
        await ctx.actions.run(ctx.db, 'crm.add_tag', { tag: ctx.props.tag }, { tenantId: ctx.tenantId, idempotencyKey: ctx.idempotencyKey, contactId: ctx.run.contactId! });
        return {};
      },
    }),
  ],
  subscribers: [
    // Re-orders for a contact tagged 'reorder': with the workflow below, a loop through a plugin.
    defineSubscriber({
      name: 'reorder_on_tag',
      event: 'core.tag_added',
      async run(ctx, event) {
        const { contactId, tag } = event.payload;
        if (tag !== 'reorder') return;
        await ctx.db.$transaction((tx) => ctx.events.raise(tx, 'example_shop.order_paid', { orderId: event.id, contactId, total: 1 }, { tenantId: ctx.tenantId }));
      },
    }),
  ],
});

const MAX_DEPTH = 5;
// The CRM's steps (crm.add_tag, crm.create_note, ...) are the actions these workflows run.
const soshogle = await startTestSoshogle([exampleShop, await crmPlugin()], { WORKER_CONCURRENCY: '10', WORKFLOW_MAX_CHAIN_DEPTH: String(MAX_DEPTH) });
const { db } = soshogle;

// --- helpers ---------------------------------------------------------------------------

/**
 * Raises `type` as the CRM (which owns contacts and deals) does: in one transaction with the domain write it describes.
 * `write` makes the write and answers the event's payload.
 */
function raiseWith<T extends EventType>(tenantId: string, type: T, write: (tx: TenantTx) => Promise<EventPayloadInput<T>>) {
  return soshogle.tenantContext('crm', tenantId).db.$transaction(
    async (tx) => soshogle.events.raise(tx, type, await write(tx), { tenantId }),
    { maxWait: 30_000, timeout: 30_000 },
  );
}

/** Raises an event whose domain write happened elsewhere (or that has none, like a form post). */
function raise<T extends EventType>(tenantId: string, type: T, payload: EventPayloadInput<T>) {
  return raiseWith(tenantId, type, async () => payload);
}

/** A contact created without any event (set-up data). */
function newContact(tenantId: string, data: { firstName?: string; tags?: string[]; company?: string; email?: string; lastName?: string; customFields?: object; createdAt?: Date } = {}) {
  return db.contact.create({ data: { userId: tenantId, firstName: 'Pat', ...data } });
}

/** Adds `tag` to the contact and raises core.tag_added, as the CRM does. */
function tagContact(tenantId: string, contactId: string, tag: string) {
  return raiseWith(tenantId, 'core.tag_added', async (tx) => {
    const contact = await tx.contact.findUniqueOrThrow({ where: { id: contactId } });
    await tx.contact.update({ where: { id: contactId }, data: { tags: [...contact.tags, tag] } });
    return { contactId, tag };
  });
}

/** An inbound message stored and raised as core.message_received, as the messaging plugin does. */
function receiveMessage(tenantId: string, contactId: string, channel: 'SMS' | 'EMAIL' | 'WHATSAPP', body: string | null) {
  return raiseWith(tenantId, 'core.message_received', async (tx) => {
    const message = await tx.message.create({
      data: { userId: tenantId, contactId, channel, direction: 'INBOUND', content: body ?? '', from: '+15550001111', to: '+15550002222' },
    });
    return { messageId: message.id, contactId, channel, body };
  });
}

async function tagsOf(contactId: string) {
  return (await db.contact.findUniqueOrThrow({ where: { id: contactId } })).tags;
}

async function runsOf(workflowId: string) {
  return db.workflowExecution.findMany({ where: { workflowId }, orderBy: { startedAt: 'asc' } });
}

/** The step log of a run, keyed by step id. */
async function stepLog(executionId: string) {
  const rows = await db.workflowStepRun.findMany({ where: { executionId } });
  return Object.fromEntries(rows.map((r) => [r.stepId, { status: r.status, output: r.output }]));
}

interface JobRow {
  id: bigint;
  run_at: Date;
  payload: Record<string, unknown>;
}
/**
 * Scheduled graphile-worker jobs of `task` whose payload has `key` = `value`, once every due
 * job has run (a job whose work is done may still be in the table for a moment).
 */
async function jobsOf(task: string, key: string, value: string) {
  await queueSettled(soshogle);
  return db.$queryRaw<JobRow[]>`
    select j.id, j.run_at, j.payload from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id
    where t.identifier = ${task} and j.payload->>${key} = ${value}`;
}

/** How many graphile-worker jobs were ever queued in this database (the jobs' id sequence). */
async function jobsEverQueued(): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`select coalesce(pg_sequence_last_value(pg_get_serial_sequence('graphile_worker._private_jobs', 'id')::regclass), 0)::int as n`;
  return row!.n;
}

/** Tells the worker to look for due jobs now, instead of at its next poll (as add_job does). */
async function nudgeWorker() {
  await db.$executeRaw`select pg_notify('jobs:insert', '{"r":' || random()::text || ',"count":1}')`;
}

/** Makes a scheduled job due now and waits until the worker has run it. */
async function fastForward(job: JobRow) {
  await db.$executeRaw`update graphile_worker._private_jobs set run_at = now() where id = ${job.id}`;
  await nudgeWorker();
  await eventually(async () => {
    const [row] = await db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker._private_jobs where id = ${job.id}`;
    return row!.n === 0n;
  });
  await queueSettled(soshogle);
}

/** Waits for a run of the workflow (for the contact) in `status`. */
const runWith = (workflowId: string, status: 'WAITING' | 'COMPLETED' | 'FAILED', contactId?: string) =>
  eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status, ...(contactId ? { contactId } : {}) } }));

async function startManually(user: TestClient, workflowId: string, contactIds: string[]) {
  const res = await user.request('POST', `/api/workflows/${workflowId}/start`, { contactIds });
  expect(res.status).toBe(202);
  expect(await res.json()).toEqual({ queued: contactIds.length, notFound: [] });
}

const tagStep = (id: string, tag: string, next?: string) => ({ id, type: 'action', action: 'crm.add_tag', props: { tag }, ...(next ? { next } : {}) });
const removeTagStep = (id: string, tag: string, next?: string) => ({ id, type: 'action', action: 'crm.remove_tag', props: { tag }, ...(next ? { next } : {}) });

// --- 1. every trigger starts its workflow ---------------------------------------------

interface TriggerCase {
  trigger: string;
  triggerKey?: string;
  /** Sets the contact up, then raises the event (or starts the run) that should start the workflow. */
  fire(user: TestClient, workflowId: string): Promise<{ contactId: string; type: string }>;
}

const triggerCases: TriggerCase[] = [
  {
    trigger: 'CONTACT_CREATED',
    async fire(user) {
      const contact = await createContact(soshogle, user.userId, { firstName: 'Cleo' });
      return { contactId: contact.id, type: 'core.contact_created' };
    },
  },
  {
    trigger: 'CONTACT_UPDATED',
    async fire(user) {
      const contact = await newContact(user.userId);
      await raiseWith(user.userId, 'core.contact_updated', async (tx) => {
        await tx.contact.update({ where: { id: contact.id }, data: { email: 'pat@example.test' } });
        return { contactId: contact.id, changed: ['email'] };
      });
      return { contactId: contact.id, type: 'core.contact_updated' };
    },
  },
  {
    trigger: 'TAG_ADDED',
    async fire(user) {
      const contact = await newContact(user.userId);
      await tagContact(user.userId, contact.id, 'vip');
      return { contactId: contact.id, type: 'core.tag_added' };
    },
  },
  {
    trigger: 'TAG_REMOVED',
    async fire(user) {
      const contact = await newContact(user.userId, { tags: ['lead'] });
      await raiseWith(user.userId, 'core.tag_removed', async (tx) => {
        await tx.contact.update({ where: { id: contact.id }, data: { tags: [] } });
        return { contactId: contact.id, tag: 'lead' };
      });
      return { contactId: contact.id, type: 'core.tag_removed' };
    },
  },
  {
    trigger: 'DEAL_CREATED',
    async fire(user) {
      const contact = await newContact(user.userId);
      await raiseWith(user.userId, 'core.deal_created', async (tx) => {
        const deal = await tx.deal.create({ data: { userId: user.userId, title: 'Big deal', stage: 'LEAD' } });
        await tx.dealContact.create({ data: { userId: user.userId, dealId: deal.id, contactId: contact.id } });
        return { dealId: deal.id, contactId: contact.id, stage: 'LEAD' };
      });
      return { contactId: contact.id, type: 'core.deal_created' };
    },
  },
  {
    trigger: 'DEAL_STAGE_CHANGED',
    async fire(user) {
      const contact = await newContact(user.userId);
      const deal = await db.deal.create({ data: { userId: user.userId, title: 'Big deal', stage: 'LEAD' } });
      await db.dealContact.create({ data: { userId: user.userId, dealId: deal.id, contactId: contact.id } });
      await raiseWith(user.userId, 'core.deal_stage_changed', async (tx) => {
        await tx.deal.update({ where: { id: deal.id }, data: { stage: 'QUALIFIED' } });
        return { dealId: deal.id, contactId: contact.id, from: 'LEAD', to: 'QUALIFIED' };
      });
      return { contactId: contact.id, type: 'core.deal_stage_changed' };
    },
  },
  {
    trigger: 'APPOINTMENT_SCHEDULED',
    async fire(user) {
      const contact = await newContact(user.userId);
      const startTime = new Date(Date.now() + 86_400_000);
      const endTime = new Date(startTime.getTime() + 1_800_000);
      await raiseWith(user.userId, 'core.appointment_scheduled', async (tx) => {
        const appointment = await tx.appointment.create({
          data: { userId: user.userId, contactId: contact.id, title: 'Demo', startTime, endTime, blockStart: startTime, blockEnd: endTime },
        });
        return { appointmentId: appointment.id, contactId: contact.id, startTime: startTime.toISOString() };
      });
      return { contactId: contact.id, type: 'core.appointment_scheduled' };
    },
  },
  {
    trigger: 'MESSAGE_RECEIVED',
    async fire(user) {
      const contact = await newContact(user.userId);
      await receiveMessage(user.userId, contact.id, 'SMS', 'Hi there');
      return { contactId: contact.id, type: 'core.message_received' };
    },
  },
  {
    trigger: 'FORM_SUBMITTED',
    async fire(user) {
      const contact = await newContact(user.userId);
      await raise(user.userId, 'core.form_submitted', { formId: 'form_contact', contactId: contact.id, fields: { message: 'Call me' } });
      return { contactId: contact.id, type: 'core.form_submitted' };
    },
  },
  {
    trigger: 'MANUAL',
    async fire(user, workflowId) {
      const contact = await newContact(user.userId);
      await startManually(user, workflowId, [contact.id]);
      return { contactId: contact.id, type: 'core.manual' };
    },
  },
  {
    trigger: 'CUSTOM',
    triggerKey: 'example_shop.order_paid',
    async fire(user) {
      const contact = await newContact(user.userId);
      await raise(user.userId, 'example_shop.order_paid', { orderId: 'ord_1', contactId: contact.id, total: 42 });
      return { contactId: contact.id, type: 'example_shop.order_paid' };
    },
  },
];

describe('every trigger starts its workflow', () => {
  for (const c of triggerCases) {
    it(`${c.triggerKey ?? c.trigger}: one run for the contact, tagging it with the trigger's name`, async () => {
      const user = await signedInUser(soshogle);
      const tag = c.triggerKey ?? c.trigger;
      const workflowId = await publishWorkflow(user, {
        name: `On ${tag}`,
        trigger: c.trigger,
        ...(c.triggerKey ? { triggerKey: c.triggerKey } : {}),
        actions: [tagStep('tag', tag)],
      });
      const workflow = await db.workflow.findUniqueOrThrow({ where: { id: workflowId } });
      expect(workflow.trigger).toBe(c.trigger);
      expect(workflow.triggerKey).toBe(c.triggerKey ?? `core.${c.trigger.toLowerCase()}`);

      const { contactId, type } = await c.fire(user, workflowId);
      const run = await runWith(workflowId, 'COMPLETED', contactId);
      await queueSettled(soshogle);

      expect(await tagsOf(contactId)).toContain(tag);
      const runs = await runsOf(workflowId);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ id: run.id, userId: user.userId, contactId, status: 'COMPLETED', error: null, depth: 0 });
      expect((run.contextData as { event: { type: string; payload: { contactId: string } } }).event).toMatchObject({ type, payload: { contactId } });
      expect(await stepLog(run.id)).toEqual({ tag: { status: 'SUCCEEDED', output: { added: true } } });
    });
  }
});

describe('trigger filters', () => {
  it('start a workflow only for the events they match', async () => {
    const user = await signedInUser(soshogle);
    const t = user.userId;
    const filterCases: {
      name: string;
      trigger: string;
      triggerKey?: string;
      triggerFilter: Record<string, unknown>;
      events: { fires: boolean; raise(contactId: string): Promise<unknown> }[];
    }[] = [
      {
        name: 'tag-vip',
        trigger: 'TAG_ADDED',
        triggerFilter: { tag: 'vip' },
        events: [
          { fires: true, raise: (id) => tagContact(t, id, 'VIP') },
          { fires: true, raise: (id) => tagContact(t, id, ' Vip ') },
          { fires: false, raise: (id) => tagContact(t, id, 'other') },
          { fires: false, raise: (id) => tagContact(t, id, 'vip-gold') },
        ],
      },
      {
        name: 'untag-lead',
        trigger: 'TAG_REMOVED',
        triggerFilter: { tag: 'lead' },
        events: [
          { fires: true, raise: (id) => raise(t, 'core.tag_removed', { contactId: id, tag: 'LEAD' }) },
          { fires: false, raise: (id) => raise(t, 'core.tag_removed', { contactId: id, tag: 'vip' }) },
        ],
      },
      {
        name: 'created-website',
        trigger: 'CONTACT_CREATED',
        triggerFilter: { source: 'website' },
        events: [
          { fires: true, raise: (id) => raise(t, 'core.contact_created', { contactId: id, source: 'Website' }) },
          { fires: false, raise: (id) => raise(t, 'core.contact_created', { contactId: id, source: 'manual' }) },
          { fires: false, raise: (id) => raise(t, 'core.contact_created', { contactId: id }) },
        ],
      },
      {
        name: 'updated-email-phone',
        trigger: 'CONTACT_UPDATED',
        triggerFilter: { fields: ['email', 'phone'] },
        events: [
          { fires: true, raise: (id) => raise(t, 'core.contact_updated', { contactId: id, changed: ['phone'] }) },
          { fires: true, raise: (id) => raise(t, 'core.contact_updated', { contactId: id, changed: ['company', 'email'] }) },
          { fires: false, raise: (id) => raise(t, 'core.contact_updated', { contactId: id, changed: ['company'] }) },
          { fires: false, raise: (id) => raise(t, 'core.contact_updated', { contactId: id, changed: [] }) },
        ],
      },
      {
        name: 'deal-created-qualified',
        trigger: 'DEAL_CREATED',
        triggerFilter: { stage: 'QUALIFIED' },
        events: [
          { fires: true, raise: (id) => raise(t, 'core.deal_created', { dealId: `deal-q-${id}`, contactId: id, stage: 'QUALIFIED' }) },
          { fires: false, raise: (id) => raise(t, 'core.deal_created', { dealId: `deal-l-${id}`, contactId: id, stage: 'LEAD' }) },
        ],
      },
      {
        name: 'stage-lead-to-qualified',
        trigger: 'DEAL_STAGE_CHANGED',
        triggerFilter: { from: 'LEAD', to: 'QUALIFIED' },
        events: [
          { fires: true, raise: (id) => raise(t, 'core.deal_stage_changed', { dealId: `d1-${id}`, contactId: id, from: 'LEAD', to: 'QUALIFIED' }) },
          { fires: false, raise: (id) => raise(t, 'core.deal_stage_changed', { dealId: `d2-${id}`, contactId: id, from: 'LEAD', to: 'PROPOSAL' }) },
          { fires: false, raise: (id) => raise(t, 'core.deal_stage_changed', { dealId: `d3-${id}`, contactId: id, from: 'PROPOSAL', to: 'QUALIFIED' }) },
        ],
      },
      {
        name: 'stage-to-won',
        trigger: 'DEAL_STAGE_CHANGED',
        triggerFilter: { to: 'CLOSED_WON' },
        events: [
          { fires: true, raise: (id) => raise(t, 'core.deal_stage_changed', { dealId: `d4-${id}`, contactId: id, from: 'NEGOTIATION', to: 'CLOSED_WON' }) },
          { fires: false, raise: (id) => raise(t, 'core.deal_stage_changed', { dealId: `d5-${id}`, contactId: id, from: 'NEGOTIATION', to: 'CLOSED_LOST' }) },
        ],
      },
      {
        name: 'sms-stop',
        trigger: 'MESSAGE_RECEIVED',
        triggerFilter: { channel: 'SMS', keyword: 'stop' },
        events: [
          { fires: true, raise: (id) => receiveMessage(t, id, 'SMS', 'Please STOP texting') },
          { fires: false, raise: (id) => receiveMessage(t, id, 'EMAIL', 'Please STOP texting') },
          { fires: false, raise: (id) => receiveMessage(t, id, 'SMS', 'Hello, when do you open?') },
          { fires: false, raise: (id) => receiveMessage(t, id, 'SMS', null) },
        ],
      },
      {
        name: 'form-contact',
        trigger: 'FORM_SUBMITTED',
        triggerFilter: { formId: 'form_contact' },
        events: [
          { fires: true, raise: (id) => raise(t, 'core.form_submitted', { formId: 'form_contact', contactId: id }) },
          { fires: false, raise: (id) => raise(t, 'core.form_submitted', { formId: 'form_newsletter', contactId: id }) },
        ],
      },
      {
        name: 'form-field',
        trigger: 'FORM_SUBMITTED',
        triggerFilter: { formId: 'form_quote', fields: { budget: 'Large', topics: 'seo' } },
        events: [
          { fires: true, raise: (id) => raise(t, 'core.form_submitted', { formId: 'form_quote', contactId: id, fields: { budget: 'large ', topics: ['ads', 'SEO'] } }) },
          { fires: false, raise: (id) => raise(t, 'core.form_submitted', { formId: 'form_quote', contactId: id, fields: { budget: 'Small', topics: ['seo'] } }) },
          { fires: false, raise: (id) => raise(t, 'core.form_submitted', { formId: 'form_quote', contactId: id, fields: { budget: 'Large' } }) },
          { fires: false, raise: (id) => raise(t, 'core.form_submitted', { formId: 'form_other', contactId: id, fields: { budget: 'Large', topics: 'seo' } }) },
        ],
      },
      {
        name: 'big-order',
        trigger: 'CUSTOM',
        triggerKey: 'example_shop.order_paid',
        triggerFilter: { minTotal: 100 },
        events: [
          { fires: true, raise: (id) => raise(t, 'example_shop.order_paid', { orderId: `o1-${id}`, contactId: id, total: 150 }) },
          { fires: true, raise: (id) => raise(t, 'example_shop.order_paid', { orderId: `o2-${id}`, contactId: id, total: 100 }) },
          { fires: false, raise: (id) => raise(t, 'example_shop.order_paid', { orderId: `o3-${id}`, contactId: id, total: 99.5 }) },
        ],
      },
    ];

    const expected: { workflowId: string; name: string; fired: string[]; missed: string[] }[] = [];
    for (const c of filterCases) {
      const workflowId = await publishWorkflow(user, {
        name: c.name,
        trigger: c.trigger,
        ...(c.triggerKey ? { triggerKey: c.triggerKey } : {}),
        triggerFilter: c.triggerFilter,
        actions: [tagStep('tag', `fired-${c.name}`)],
      });
      expected.push({ workflowId, name: c.name, fired: [], missed: [] });
    }
    for (const [i, c] of filterCases.entries()) {
      for (const e of c.events) {
        const contact = await newContact(t, { firstName: `${c.name}-${e.fires}` });
        await e.raise(contact.id);
        (e.fires ? expected[i]!.fired : expected[i]!.missed).push(contact.id);
      }
    }
    await eventually(async () => (await db.workflowExecution.count({ where: { userId: t, status: 'COMPLETED' } })) === 14);
    await queueSettled(soshogle);

    for (const { workflowId, name, fired, missed } of expected) {
      const runs = await runsOf(workflowId);
      expect({ name, contacts: runs.map((r) => r.contactId).sort(), statuses: [...new Set(runs.map((r) => r.status))] }).toEqual({
        name,
        contacts: [...fired].sort(),
        statuses: ['COMPLETED'],
      });
      for (const id of fired) expect(await tagsOf(id)).toContain(`fired-${name}`);
      for (const id of missed) expect(await tagsOf(id)).not.toContain(`fired-${name}`);
    }
    expect(await db.workflowExecution.count({ where: { userId: t } })).toBe(14);
  });

  it("never starts another tenant's workflow", async () => {
    const alice = await signedInUser(soshogle);
    const bob = await signedInUser(soshogle);
    const alicesWorkflow = await publishWorkflow(alice, { trigger: 'TAG_ADDED', triggerFilter: { tag: 'vip' }, actions: [tagStep('tag', 'alice-saw-it')] });
    const bobsWorkflow = await publishWorkflow(bob, { trigger: 'TAG_ADDED', triggerFilter: { tag: 'vip' }, actions: [tagStep('tag', 'bob-saw-it')] });

    const alicesContact = await newContact(alice.userId);
    await tagContact(alice.userId, alicesContact.id, 'vip');
    await runWith(alicesWorkflow, 'COMPLETED');
    await queueSettled(soshogle);
    expect(await runsOf(bobsWorkflow)).toEqual([]);
    // Bob's tenant raising an event that names Alice's contact: Bob's run cannot reach it.
    await raise(bob.userId, 'core.tag_added', { contactId: alicesContact.id, tag: 'vip' });
    await eventually(async () => (await runsOf(bobsWorkflow)).some((r) => r.status !== 'RUNNING'));
    await queueSettled(soshogle);

    expect((await runsOf(alicesWorkflow)).map((r) => [r.userId, r.contactId, r.status])).toEqual([[alice.userId, alicesContact.id, 'COMPLETED']]);
    const bobsRuns = await runsOf(bobsWorkflow);
    expect(bobsRuns.map((r) => [r.userId, r.status])).toEqual([[bob.userId, 'FAILED']]);
    expect(bobsRuns[0]!.error).toContain('no longer exists');
    expect(await tagsOf(alicesContact.id)).toEqual(['vip', 'alice-saw-it']);
    expect((await db.workflow.findUniqueOrThrow({ where: { id: alicesWorkflow } })).executionCount).toBe(1);
  });
  it("queues starts only for the raising tenant's live workflows", async () => {
    const alice = await signedInUser(soshogle);
    const bob = await signedInUser(soshogle);
    const live = await publishWorkflow(alice, { trigger: 'TAG_ADDED', actions: [tagStep('tag', 'x')] });
    const off = await publishWorkflow(alice, { trigger: 'TAG_ADDED', actions: [tagStep('tag', 'x')] });
    expect((await alice.request('POST', `/api/workflows/${off}/status`, { status: 'INACTIVE' })).status).toBe(200);
    const draft = await alice.request('POST', '/api/workflows', { name: 'Draft', trigger: 'TAG_ADDED', actions: [tagStep('tag', 'x')] });
    expect(draft.status).toBe(201);
    const otherTrigger = await publishWorkflow(alice, { trigger: 'TAG_REMOVED', actions: [tagStep('tag', 'x')] });
    const bobs = await publishWorkflow(bob, { trigger: 'TAG_ADDED', actions: [tagStep('tag', 'x')] });
    const contact = await newContact(alice.userId);

    // Read inside the raising transaction, then rolled back: nothing runs.
    const queued = await soshogle.tenantContext('core', alice.userId).db.$transaction(async (tx) => {
      const eventId = await soshogle.events.raise(tx, 'core.tag_added', { contactId: contact.id, tag: 'x' }, { tenantId: alice.userId });
      const rows = await tx.$queryRaw<{ workflowId: string }[]>`
        select "workflowId" from "WorkflowStart" where event->>'id' = ${eventId}`;
      return rows.map((r) => r.workflowId);
    });
    expect(queued).toEqual([live]);
    expect(queued).not.toContain(bobs);
    expect(queued).not.toContain(off);
    expect(queued).not.toContain(otherTrigger);
  });
});

// --- 2. entry conditions and branches -------------------------------------------------

describe('entry conditions', () => {
  it('start a run only when the rule over the contact and the event is true', async () => {
    const user = await signedInUser(soshogle);
    const t = user.userId;
    const company = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'c-company' },
      conditions: { '==': [{ var: 'contact.company' }, 'Acme'] },
      actions: [tagStep('tag', 'entered-company')],
    });
    const customer = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'c-customer' },
      conditions: { has_tag: 'Customer' },
      actions: [tagStep('tag', 'entered-customer')],
    });
    const old = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'c-old' },
      conditions: { '>=': [{ days_since: { var: 'contact.createdAt' } }, 30] },
      actions: [tagStep('tag', 'entered-old')],
    });
    const pricing = await publishWorkflow(user, {
      trigger: 'MESSAGE_RECEIVED',
      conditions: { contains: [{ var: 'event.payload.body' }, 'price'] },
      actions: [tagStep('tag', 'entered-pricing')],
    });
    const both = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'c-both' },
      conditions: { and: [{ has_tag: ['gold', 'silver'] }, { '==': [{ var: 'event.payload.tag' }, 'c-both'] }, { '!': { has_tag: 'blocked' } }] },
      actions: [tagStep('tag', 'entered-both')],
    });

    const acme = await newContact(t, { company: 'Acme' });
    const globex = await newContact(t, { company: 'Globex' });
    const noCompany = await newContact(t);
    const isCustomer = await newContact(t, { tags: ['customer'] });
    const notCustomer = await newContact(t, { tags: ['prospect'] });
    const oldContact = await newContact(t, { createdAt: new Date(Date.now() - 40 * 86_400_000) });
    const recentContact = await newContact(t, { createdAt: new Date(Date.now() - 29 * 86_400_000) });
    const asksPrice = await newContact(t);
    const saysHi = await newContact(t);
    const silver = await newContact(t, { tags: ['Silver'] });
    const silverBlocked = await newContact(t, { tags: ['silver', 'blocked'] });
    const bronze = await newContact(t, { tags: ['bronze'] });

    for (const c of [acme, globex, noCompany]) await tagContact(t, c.id, 'c-company');
    for (const c of [isCustomer, notCustomer]) await tagContact(t, c.id, 'c-customer');
    for (const c of [oldContact, recentContact]) await tagContact(t, c.id, 'c-old');
    await receiveMessage(t, asksPrice.id, 'SMS', "What's the PRICE of the gold plan?");
    await receiveMessage(t, saysHi.id, 'SMS', 'Hi!');
    for (const c of [silver, silverBlocked, bronze]) await tagContact(t, c.id, 'c-both');
    await eventually(async () => (await db.workflowExecution.count({ where: { userId: t, status: 'COMPLETED' } })) === 5);
    await queueSettled(soshogle);

    const contactsOf = async (workflowId: string) => (await runsOf(workflowId)).map((r) => r.contactId);
    expect(await contactsOf(company)).toEqual([acme.id]);
    expect(await contactsOf(customer)).toEqual([isCustomer.id]);
    expect(await contactsOf(old)).toEqual([oldContact.id]);
    expect(await contactsOf(pricing)).toEqual([asksPrice.id]);
    expect(await contactsOf(both)).toEqual([silver.id]);
    expect(await tagsOf(acme.id)).toEqual(['c-company', 'entered-company']);
    expect(await tagsOf(globex.id)).toEqual(['c-company']);
    // A condition that is false starts nothing: no run, no count.
    expect((await db.workflow.findUniqueOrThrow({ where: { id: company } })).executionCount).toBe(1);
  });
});

describe('branch steps', () => {
  it('take the then or else path and record the result in the step log', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'branch-me' },
      actions: [
        tagStep('first', 'seen', 'isVip'),
        { id: 'isVip', type: 'branch', condition: { and: [{ has_tag: 'vip' }, { '==': [{ var: 'steps.first.added' }, true] }] }, then: 'yes', else: 'no' },
        tagStep('yes', 'went-then'),
        tagStep('no', 'went-else', 'isAcme'),
        { id: 'isAcme', type: 'branch', condition: { '==': [{ var: 'contact.company' }, 'Acme'] }, then: 'acme' },
        tagStep('acme', 'acme'),
      ],
    });
    const vip = await newContact(user.userId, { tags: ['VIP'] });
    const plain = await newContact(user.userId);
    const acme = await newContact(user.userId, { company: 'Acme' });
    for (const c of [vip, plain, acme]) await tagContact(user.userId, c.id, 'branch-me');
    const vipRun = await runWith(workflowId, 'COMPLETED', vip.id);
    const plainRun = await runWith(workflowId, 'COMPLETED', plain.id);
    const acmeRun = await runWith(workflowId, 'COMPLETED', acme.id);
    await queueSettled(soshogle);

    expect(await stepLog(vipRun.id)).toEqual({
      first: { status: 'SUCCEEDED', output: { added: true } },
      isVip: { status: 'SUCCEEDED', output: { result: true } },
      yes: { status: 'SUCCEEDED', output: { added: true } },
    });
    // No else after the second branch: the run ends there.
    expect(await stepLog(plainRun.id)).toEqual({
      first: { status: 'SUCCEEDED', output: { added: true } },
      isVip: { status: 'SUCCEEDED', output: { result: false } },
      no: { status: 'SUCCEEDED', output: { added: true } },
      isAcme: { status: 'SUCCEEDED', output: { result: false } },
    });
    expect(await stepLog(acmeRun.id)).toEqual({
      first: { status: 'SUCCEEDED', output: { added: true } },
      isVip: { status: 'SUCCEEDED', output: { result: false } },
      no: { status: 'SUCCEEDED', output: { added: true } },
      isAcme: { status: 'SUCCEEDED', output: { result: true } },
      acme: { status: 'SUCCEEDED', output: { added: true } },
    });
    expect(await tagsOf(vip.id)).toEqual(['VIP', 'branch-me', 'seen', 'went-then']);
    expect(await tagsOf(plain.id)).toEqual(['branch-me', 'seen', 'went-else']);
    expect(await tagsOf(acme.id)).toEqual(['branch-me', 'seen', 'went-else', 'acme']);
  });
});

// --- 3. templates -----------------------------------------------------------------------

describe('templates in step settings', () => {
  it('render contact fields, the event and earlier step outputs', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      name: 'Welcome flow',
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'tpl' },
      actions: [
        {
          id: 'n1',
          type: 'action',
          action: 'crm.create_note',
          props: { content: 'Hello {{ contact.firstName }} {{ contact.lastName }} <{{ contact.email }}>, tagged {{ event.payload.tag }} by {{ workflow.name }}' },
          next: 'n2',
        },
        { id: 'n2', type: 'action', action: 'crm.create_note', props: { content: 'Follow-up to {{ steps.n1.noteId }} ({{ steps.missing.noteId }})' }, next: 't' },
        { id: 't', type: 'action', action: 'crm.add_tag', props: { tag: '{{ contact.company | downcase }}-lead' } },
      ],
    });
    const contact = await newContact(user.userId, { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test', company: 'Analytical' });
    await tagContact(user.userId, contact.id, 'tpl');
    const run = await runWith(workflowId, 'COMPLETED', contact.id);

    const log = await stepLog(run.id);
    const firstNoteId = (log.n1!.output as { noteId: string }).noteId;
    const notes = await db.note.findMany({ where: { contactId: contact.id }, orderBy: { createdAt: 'asc' } });
    expect(notes.map((n) => [n.id, n.content])).toEqual([
      [firstNoteId, 'Hello Ada Lovelace <ada@example.test>, tagged tpl by Welcome flow'],
      [(log.n2!.output as { noteId: string }).noteId, `Follow-up to ${firstNoteId} ()`],
    ]);
    expect(await tagsOf(contact.id)).toEqual(['tpl', 'analytical-lead']);
    const inputs = await db.workflowStepRun.findMany({ where: { executionId: run.id }, orderBy: { stepId: 'asc' } });
    expect(inputs.map((s) => [s.stepId, s.input])).toEqual([
      ['n1', { content: 'Hello Ada Lovelace <ada@example.test>, tagged tpl by Welcome flow' }],
      ['n2', { content: `Follow-up to ${firstNoteId} ()` }],
      ['t', { tag: 'analytical-lead' }],
    ]);
  });

  it('render nothing dangerous from an escape attempt', async () => {
    const user = await signedInUser(soshogle);
    const content =
      'A[{{ constructor.constructor }}]B[{{ process.env.HOME }}]C[{{ contact.constructor.name }}]D[{{ contact.__proto__ }}]' +
      'E[{{ contact.firstName.constructor }}]F[{{ global.process.pid }}]G[{{ contact.tags.constructor.constructor }}]';
    const workflowId = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'escape' },
      actions: [{ id: 'note', type: 'action', action: 'crm.create_note', props: { content } }],
    });
    const contact = await newContact(user.userId, { firstName: 'Eve' });
    await tagContact(user.userId, contact.id, 'escape');
    await runWith(workflowId, 'COMPLETED', contact.id);

    const [note] = await db.note.findMany({ where: { contactId: contact.id } });
    expect(note!.content).toBe('A[]B[]C[]D[]E[]F[]G[]');
    if (process.env.HOME) expect(note!.content).not.toContain(process.env.HOME);
  });
});

// --- 4. waits ------------------------------------------------------------------------

describe('a duration wait', () => {
  it('schedules the next step that much later, and the run finishes when it is due', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'wait-2h' },
      actions: [tagStep('before', 'before', 'wait'), { id: 'wait', type: 'wait', wait: { mode: 'duration', amount: 2, unit: 'hours' }, next: 'after' }, tagStep('after', 'after')],
    });
    const contact = await newContact(user.userId);
    const before = Date.now();
    await tagContact(user.userId, contact.id, 'wait-2h');
    const run = await runWith(workflowId, 'WAITING', contact.id);
    const after = Date.now();

    const [job] = await jobsOf('workflow_step', 'executionId', run.id);
    expect(job!.payload).toMatchObject({ stepId: 'after', position: 0, contactId: contact.id });
    expect(job!.run_at.getTime()).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
    expect(job!.run_at.getTime()).toBeLessThanOrEqual(after + 2 * 3_600_000);
    const log = await stepLog(run.id);
    expect(log.wait).toEqual({ status: 'SUCCEEDED', output: { until: job!.run_at.toISOString() } });
    expect(log.after).toBeUndefined();
    expect(await tagsOf(contact.id)).toEqual(['wait-2h', 'before']);

    await fastForward(job!);
    expect(await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: 'COMPLETED', completedAt: expect.any(Date) });
    expect(await tagsOf(contact.id)).toEqual(['wait-2h', 'before', 'after']);
  });
});

describe('a time-of-day wait', () => {
  /** The next HH:MM in `zone` after now, computed independently of the engine. */
  const expectedAt = (time: string, zone: string) => {
    const [hour, minute] = time.split(':').map(Number);
    const now = DateTime.now().setZone(zone);
    const today = now.set({ hour, minute, second: 0, millisecond: 0 });
    return (today > now ? today : today.plus({ days: 1 }).set({ hour, minute })).toJSDate();
  };
  /** HH:MM in `zone`, `hours` from now (so it is far from now: today or tomorrow is clear-cut). */
  const clock = (zone: string, hours: number) => DateTime.now().setZone(zone).plus({ hours }).toFormat('HH:mm');

  it("waits until the next HH:MM in the contact's time zone, else the account's", async () => {
    const user = await signedInUser(soshogle);
    await db.user.update({ where: { id: user.userId }, data: { timezone: 'Europe/Paris' } });
    const later = clock('Asia/Tokyo', 3);
    const earlier = clock('Asia/Tokyo', -3);
    const parisLater = clock('Europe/Paris', 5);
    const make = (tag: string, time: string) =>
      publishWorkflow(user, {
        trigger: 'TAG_ADDED',
        triggerFilter: { tag },
        actions: [{ id: 'wait', type: 'wait', wait: { mode: 'time_of_day', time }, next: 'after' }, tagStep('after', 'after')],
      });
    const laterWorkflow = await make('tod-later', later);
    const earlierWorkflow = await make('tod-earlier', earlier);
    const accountWorkflow = await make('tod-account', parisLater);

    const tokyo = await newContact(user.userId, { customFields: { timezone: 'Asia/Tokyo' } });
    const tokyo2 = await newContact(user.userId, { customFields: { timezone: 'Asia/Tokyo' } });
    const noZone = await newContact(user.userId);
    const badZone = await newContact(user.userId, { customFields: { timezone: 'Mars/Olympus_Mons' } });
    await tagContact(user.userId, tokyo.id, 'tod-later');
    await tagContact(user.userId, tokyo2.id, 'tod-earlier');
    await tagContact(user.userId, noZone.id, 'tod-account');
    await tagContact(user.userId, badZone.id, 'tod-account');

    const cases = [
      { workflowId: laterWorkflow, contactId: tokyo.id, expected: expectedAt(later, 'Asia/Tokyo') },
      { workflowId: earlierWorkflow, contactId: tokyo2.id, expected: expectedAt(earlier, 'Asia/Tokyo') },
      { workflowId: accountWorkflow, contactId: noZone.id, expected: expectedAt(parisLater, 'Europe/Paris') },
      { workflowId: accountWorkflow, contactId: badZone.id, expected: expectedAt(parisLater, 'Europe/Paris') },
    ];
    for (const c of cases) {
      const run = await runWith(c.workflowId, 'WAITING', c.contactId);
      const [job] = await jobsOf('workflow_step', 'executionId', run.id);
      expect(job!.payload).toMatchObject({ stepId: 'after' });
      expect(Math.abs(job!.run_at.getTime() - c.expected.getTime())).toBeLessThan(1000);
      expect((await stepLog(run.id)).wait).toEqual({ status: 'SUCCEEDED', output: { until: job!.run_at.toISOString() } });
    }
    // -3 h is already past today in Tokyo: tomorrow; +3 h is still to come today.
    expect(cases[1]!.expected.getTime() - Date.now()).toBeGreaterThan(20 * 3_600_000);
    expect(cases[0]!.expected.getTime() - Date.now()).toBeLessThan(4 * 3_600_000);

    const [job] = await jobsOf('workflow_step', 'contactId', tokyo.id);
    await fastForward(job!);
    expect((await runsOf(laterWorkflow))[0]!.status).toBe('COMPLETED');
    expect(await tagsOf(tokyo.id)).toEqual(['tod-later', 'after']);
  });
});

describe('nextTimeOfDay', () => {
  const ny = 'America/New_York';
  const at = (iso: string) => new Date(iso);

  it('is later today when the time is still to come, else tomorrow, strictly after now', () => {
    expect(nextTimeOfDay(at('2025-06-13T12:00:00Z'), '09:30', ny)).toEqual(at('2025-06-13T13:30:00Z')); // 08:00 EDT -> 09:30 EDT
    expect(nextTimeOfDay(at('2025-06-13T14:00:00Z'), '09:30', ny)).toEqual(at('2025-06-14T13:30:00Z')); // 10:00 EDT -> tomorrow
    expect(nextTimeOfDay(at('2025-06-13T13:30:00Z'), '09:30', ny)).toEqual(at('2025-06-14T13:30:00Z')); // exactly now -> tomorrow
    expect(nextTimeOfDay(at('2025-06-13T23:30:00Z'), '00:15', 'UTC')).toEqual(at('2025-06-14T00:15:00Z'));
    expect(nextTimeOfDay(at('2025-06-13T20:00:00Z'), '09:00', 'Asia/Tokyo')).toEqual(at('2025-06-14T00:00:00Z')); // 05:00 JST -> 09:00 JST
  });

  it('keeps the local time across a daylight-saving change in America/New_York', () => {
    // Spring forward (2025-03-09): 09:00 the next day is EDT (UTC-4), not EST.
    expect(nextTimeOfDay(at('2025-03-08T17:00:00Z'), '09:00', ny)).toEqual(at('2025-03-09T13:00:00Z'));
    // Fall back (2025-11-02): 09:00 the next day is EST (UTC-5).
    expect(nextTimeOfDay(at('2025-11-01T14:00:00Z'), '09:00', ny)).toEqual(at('2025-11-02T14:00:00Z'));
    // A week across the change: Saturday 10:00 EDT, Mondays only -> Monday 09:00 EST.
    expect(nextTimeOfDay(at('2025-11-01T14:00:00Z'), '09:00', ny, ['mon'])).toEqual(at('2025-11-03T14:00:00Z'));
    // On the change day itself, before it happens: 01:00 EST (06:00Z) -> 09:00 EDT the same day.
    expect(nextTimeOfDay(at('2025-03-09T06:00:00Z'), '09:00', ny)).toEqual(at('2025-03-09T13:00:00Z'));
    // 02:30 does not exist on 2025-03-09 (the clock jumps from 02:00 to 03:00): the wait ends at 03:30 EDT.
    expect(nextTimeOfDay(at('2025-03-08T17:00:00Z'), '02:30', ny)).toEqual(at('2025-03-09T07:30:00Z'));
    // 01:30 happens twice on 2025-11-02: the first one, then (from after it) the second, then the next day's.
    expect(nextTimeOfDay(at('2025-11-02T05:00:00Z'), '01:30', ny)).toEqual(at('2025-11-02T05:30:00Z'));
    expect(nextTimeOfDay(at('2025-11-02T06:45:00Z'), '01:30', ny)).toEqual(at('2025-11-03T06:30:00Z'));
  });

  it('only lands on the given weekdays', () => {
    // 2025-06-13 is a Friday; 10:00 EDT.
    const friday = at('2025-06-13T14:00:00Z');
    expect(nextTimeOfDay(friday, '09:00', ny, ['mon'])).toEqual(at('2025-06-16T13:00:00Z'));
    expect(nextTimeOfDay(friday, '11:00', ny, ['fri'])).toEqual(at('2025-06-13T15:00:00Z'));
    expect(nextTimeOfDay(friday, '09:00', ny, ['fri'])).toEqual(at('2025-06-20T13:00:00Z'));
    expect(nextTimeOfDay(friday, '09:00', ny, ['sun', 'tue'])).toEqual(at('2025-06-15T13:00:00Z'));
    expect(nextTimeOfDay(friday, '08:00', ny, ['sat', 'sun'])).toEqual(at('2025-06-14T12:00:00Z'));
    // The weekday is the local one: Saturday 01:00 UTC is still Friday evening in New York.
    expect(nextTimeOfDay(at('2025-06-14T01:00:00Z'), '23:00', ny, ['fri'])).toEqual(at('2025-06-14T03:00:00Z'));
  });
});

describe('a wait for an event', () => {
  const replyFlow = (user: TestClient, tag: string) =>
    publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag },
      actions: [
        tagStep('ask', 'asked', 'wait'),
        {
          id: 'wait',
          type: 'wait',
          wait: { mode: 'event', event: 'core.message_received', filter: { channel: 'SMS' }, timeout: { amount: 1, unit: 'hours' } },
          next: 'replied',
          timeoutNext: 'silent',
        },
        tagStep('replied', 'replied'),
        tagStep('silent', 'silent'),
      ],
    });

  it('resumes on a matching reply from the same contact, through next', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await replyFlow(user, 'ask-reply');
    const contact = await newContact(user.userId);
    const other = await newContact(user.userId);
    const before = Date.now();
    await tagContact(user.userId, contact.id, 'ask-reply');
    const run = await runWith(workflowId, 'WAITING', contact.id);
    expect((await stepLog(run.id)).wait).toMatchObject({ status: 'WAITING' });
    const wait = await db.workflowWait.findFirstOrThrow({ where: { executionId: run.id } });
    expect(wait).toMatchObject({ kind: 'EVENT', eventType: 'core.message_received', contactId: contact.id, filter: { channel: 'SMS' } });
    const [timeoutJob] = await jobsOf('workflow_wait_timeout', 'waitId', wait.id);
    expect(timeoutJob!.run_at.getTime()).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(timeoutJob!.run_at.getTime()).toBeLessThanOrEqual(Date.now() + 3_600_000);

    // Someone else's SMS, and this contact's email: the run keeps waiting.
    await receiveMessage(user.userId, other.id, 'SMS', 'yes');
    await receiveMessage(user.userId, contact.id, 'EMAIL', 'yes');
    await queueSettled(soshogle);
    expect((await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('WAITING');
    expect(await db.workflowWait.count({ where: { executionId: run.id } })).toBe(1);

    await receiveMessage(user.userId, contact.id, 'SMS', 'Yes please');
    await runWith(workflowId, 'COMPLETED', contact.id);
    await queueSettled(soshogle);
    const log = await stepLog(run.id);
    expect(Object.keys(log).sort()).toEqual(['ask', 'replied', 'wait']);
    expect(log.wait).toMatchObject({
      status: 'SUCCEEDED',
      output: { timedOut: false, event: { type: 'core.message_received', payload: { contactId: contact.id, channel: 'SMS', body: 'Yes please' } } },
    });
    expect(await tagsOf(contact.id)).toEqual(['ask-reply', 'asked', 'replied']);
    expect(await db.workflowWait.count({ where: { executionId: run.id } })).toBe(0);

    // The timeout comes too, later: it finds nothing to do.
    await fastForward(timeoutJob!);
    expect(await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: 'COMPLETED' });
    expect(Object.keys(await stepLog(run.id)).sort()).toEqual(['ask', 'replied', 'wait']);
    expect(await tagsOf(contact.id)).toEqual(['ask-reply', 'asked', 'replied']);
  });

  it('takes timeoutNext when no reply comes in time', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await replyFlow(user, 'ask-silent');
    const contact = await newContact(user.userId);
    await tagContact(user.userId, contact.id, 'ask-silent');
    const run = await runWith(workflowId, 'WAITING', contact.id);
    const wait = await db.workflowWait.findFirstOrThrow({ where: { executionId: run.id } });
    const [timeoutJob] = await jobsOf('workflow_wait_timeout', 'waitId', wait.id);

    await fastForward(timeoutJob!);
    expect(await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: 'COMPLETED' });
    const log = await stepLog(run.id);
    expect(log).toEqual({
      ask: { status: 'SUCCEEDED', output: { added: true } },
      wait: { status: 'SUCCEEDED', output: { timedOut: true } },
      silent: { status: 'SUCCEEDED', output: { added: true } },
    });
    expect(await tagsOf(contact.id)).toEqual(['ask-silent', 'asked', 'silent']);

    // A reply after the timeout changes nothing.
    await receiveMessage(user.userId, contact.id, 'SMS', 'sorry, late');
    await queueSettled(soshogle);
    expect(Object.keys(await stepLog(run.id)).sort()).toEqual(['ask', 'silent', 'wait']);
    expect(await tagsOf(contact.id)).toEqual(['ask-silent', 'asked', 'silent']);
  });

  it('runs only one path when the reply and the timeout come together', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await replyFlow(user, 'ask-race');
    const contacts = await Promise.all(Array.from({ length: 6 }, () => newContact(user.userId)));
    for (const c of contacts) await tagContact(user.userId, c.id, 'ask-race');
    await eventually(async () => (await db.workflowExecution.count({ where: { workflowId, status: 'WAITING' } })) === contacts.length);
    await eventually(async () => (await db.workflowWait.count({ where: { userId: user.userId } })) === contacts.length);
    const waits = await db.workflowWait.findMany({ where: { userId: user.userId } });

    await Promise.all(
      contacts.map(async (c) => {
        const wait = waits.find((w) => w.contactId === c.id)!;
        await Promise.all([
          db.$executeRaw`update graphile_worker._private_jobs set run_at = now() where payload->>'waitId' = ${wait.id}`.then(nudgeWorker),
          receiveMessage(user.userId, c.id, 'SMS', 'here'),
        ]);
      }),
    );
    await eventually(async () => (await db.workflowExecution.count({ where: { workflowId, status: 'COMPLETED' } })) === contacts.length);
    await queueSettled(soshogle);

    for (const c of contacts) {
      const run = await db.workflowExecution.findFirstOrThrow({ where: { workflowId, contactId: c.id } });
      const log = await stepLog(run.id);
      const tags = await tagsOf(c.id);
      const timedOut = (log.wait!.output as { timedOut: boolean }).timedOut;
      expect(Object.keys(log).sort()).toEqual(['ask', timedOut ? 'silent' : 'replied', 'wait'].sort());
      expect(tags).toEqual(['ask-race', 'asked', timedOut ? 'silent' : 'replied']);
    }
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(contacts.length);
  });
  it("waits for a plugin's event with the plugin's filter; the timeout defaults to next", async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'await-order' },
      actions: [
        { id: 'wait', type: 'wait', wait: { mode: 'event', event: 'example_shop.order_paid', filter: { minTotal: 100 }, timeout: { amount: 1, unit: 'days' } }, next: 'check' },
        { id: 'check', type: 'branch', condition: { var: 'steps.wait.timedOut' }, then: 'late', else: 'paid' },
        tagStep('late', 'late'),
        { id: 'paid', type: 'action', action: 'crm.create_note', props: { content: 'Paid order {{ steps.wait.event.payload.orderId }}' } },
      ],
    });
    const buyer = await newContact(user.userId);
    const idle = await newContact(user.userId);
    await tagContact(user.userId, buyer.id, 'await-order');
    await tagContact(user.userId, idle.id, 'await-order');
    const buyerRun = await runWith(workflowId, 'WAITING', buyer.id);
    const idleRun = await runWith(workflowId, 'WAITING', idle.id);

    await raise(user.userId, 'example_shop.order_paid', { orderId: 'small', contactId: buyer.id, total: 50 });
    await queueSettled(soshogle);
    expect((await db.workflowExecution.findUniqueOrThrow({ where: { id: buyerRun.id } })).status).toBe('WAITING');
    await raise(user.userId, 'example_shop.order_paid', { orderId: 'big', contactId: buyer.id, total: 120 });
    await runWith(workflowId, 'COMPLETED', buyer.id);
    expect((await stepLog(buyerRun.id)).check).toEqual({ status: 'SUCCEEDED', output: { result: false } });
    expect((await db.note.findMany({ where: { contactId: buyer.id } })).map((n) => n.content)).toEqual(['Paid order big']);

    const wait = await db.workflowWait.findFirstOrThrow({ where: { executionId: idleRun.id } });
    const [timeoutJob] = await jobsOf('workflow_wait_timeout', 'waitId', wait.id);
    await fastForward(timeoutJob!);
    expect(await stepLog(idleRun.id)).toEqual({
      wait: { status: 'SUCCEEDED', output: { timedOut: true } },
      check: { status: 'SUCCEEDED', output: { result: true } },
      late: { status: 'SUCCEEDED', output: { added: true } },
    });
    expect(await tagsOf(idle.id)).toEqual(['await-order', 'late']);
  });
});

// --- 5. goals ------------------------------------------------------------------------

describe('a goal', () => {
  it('jumps a waiting run to the step after the goal when its event happens', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'nurture' },
      actions: [
        tagStep('start', 'started', 'wait1'),
        { id: 'wait1', type: 'wait', wait: { mode: 'duration', amount: 1, unit: 'days' }, next: 'nag' },
        tagStep('nag', 'nagged', 'booked'),
        { id: 'booked', type: 'goal', event: 'core.appointment_scheduled', next: 'wait2' },
        { id: 'wait2', type: 'wait', wait: { mode: 'duration', amount: 1, unit: 'days' }, next: 'thanks' },
        tagStep('thanks', 'thanked'),
      ],
    });
    const booker = await newContact(user.userId);
    const other = await newContact(user.userId);
    await tagContact(user.userId, booker.id, 'nurture');
    await tagContact(user.userId, other.id, 'nurture');
    const run = await runWith(workflowId, 'WAITING', booker.id);
    const otherRun = await runWith(workflowId, 'WAITING', other.id);
    expect(await db.workflowWait.findMany({ where: { executionId: run.id }, select: { kind: true, stepId: true, eventType: true } })).toEqual([
      { kind: 'GOAL', stepId: 'booked', eventType: 'core.appointment_scheduled' },
    ]);
    const [oldJob] = await jobsOf('workflow_step', 'executionId', run.id);
    expect(oldJob!.payload).toMatchObject({ stepId: 'nag', position: 0 });

    const startTime = new Date(Date.now() + 3 * 86_400_000);
    await raiseWith(user.userId, 'core.appointment_scheduled', async (tx) => {
      const endTime = new Date(startTime.getTime() + 1_800_000);
      const appointment = await tx.appointment.create({ data: { userId: user.userId, contactId: booker.id, title: 'Demo', startTime, endTime, blockStart: startTime, blockEnd: endTime } });
      return { appointmentId: appointment.id, contactId: booker.id, startTime: startTime.toISOString() };
    });
    await eventually(async () => (await stepLog(run.id)).wait2?.status === 'SUCCEEDED');
    await queueSettled(soshogle);
    const jumped = await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } });
    expect(jumped).toMatchObject({ status: 'WAITING', position: 1 });
    expect(await stepLog(run.id)).toMatchObject({
      start: { status: 'SUCCEEDED' },
      wait1: { status: 'SUCCEEDED' },
      booked: { status: 'SUCCEEDED', output: { met: true, event: { type: 'core.appointment_scheduled', payload: { contactId: booker.id } } } },
      wait2: { status: 'SUCCEEDED' },
    });
    expect(Object.keys(await stepLog(run.id)).sort()).toEqual(['booked', 'start', 'wait1', 'wait2']);
    expect(await db.workflowWait.count({ where: { executionId: run.id } })).toBe(0);
    // The other contact's run did not move.
    expect(await db.workflowExecution.findUniqueOrThrow({ where: { id: otherRun.id } })).toMatchObject({ status: 'WAITING', position: 0 });

    // The step queued before the jump comes due: the run has moved on, so it does nothing.
    await fastForward(oldJob!);
    expect(await tagsOf(booker.id)).toEqual(['nurture', 'started']);
    expect((await stepLog(run.id)).nag).toBeUndefined();
    expect(await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: 'WAITING', position: 1 });

    const newJobs = await jobsOf('workflow_step', 'executionId', run.id);
    expect(newJobs.map((j) => j.payload)).toMatchObject([{ stepId: 'thanks', position: 1 }]);
    await fastForward(newJobs[0]!);
    expect(await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: 'COMPLETED' });
    expect(await tagsOf(booker.id)).toEqual(['nurture', 'started', 'thanked']);
    expect(Object.keys(await stepLog(run.id)).sort()).toEqual(['booked', 'start', 'thanks', 'wait1', 'wait2']);
  });

  it('is passed in sequence (met: false) when its event never happened', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'nurture2' },
      actions: [
        { id: 'wait1', type: 'wait', wait: { mode: 'duration', amount: 1, unit: 'days' }, next: 'nag' },
        tagStep('nag', 'nagged', 'booked'),
        { id: 'booked', type: 'goal', event: 'core.appointment_scheduled', next: 'thanks' },
        tagStep('thanks', 'thanked'),
      ],
    });
    const contact = await newContact(user.userId);
    await tagContact(user.userId, contact.id, 'nurture2');
    const run = await runWith(workflowId, 'WAITING', contact.id);
    const [job] = await jobsOf('workflow_step', 'executionId', run.id);
    await fastForward(job!);
    expect(await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: 'COMPLETED', position: 0 });
    expect((await stepLog(run.id)).booked).toEqual({ status: 'SUCCEEDED', output: { met: false } });
    expect(await tagsOf(contact.id)).toEqual(['nurture2', 'nagged', 'thanked']);
    expect(await db.workflowWait.count({ where: { executionId: run.id } })).toBe(0);
  });
  it('with ifNotMet "wait", holds the run at the goal until its event; with "end", ends the run there', async () => {
    const user = await signedInUser(soshogle);
    const holding = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'hold' },
      actions: [
        tagStep('start', 'started', 'booked'),
        { id: 'booked', type: 'goal', event: 'core.appointment_scheduled', ifNotMet: 'wait', next: 'thanks' },
        tagStep('thanks', 'thanked'),
      ],
    });
    const ending = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'end-at-goal' },
      actions: [
        tagStep('start', 'started', 'booked'),
        { id: 'booked', type: 'goal', event: 'core.appointment_scheduled', ifNotMet: 'end', next: 'thanks' },
        tagStep('thanks', 'thanked'),
      ],
    });
    const held = await newContact(user.userId);
    const ended = await newContact(user.userId);
    await tagContact(user.userId, held.id, 'hold');
    await tagContact(user.userId, ended.id, 'end-at-goal');
    const heldRun = await runWith(holding, 'WAITING', held.id);
    const endedRun = await runWith(ending, 'COMPLETED', ended.id);
    await queueSettled(soshogle);
    expect(await stepLog(heldRun.id)).toEqual({ start: { status: 'SUCCEEDED', output: { added: true } }, booked: { status: 'WAITING', output: null } });
    expect(await stepLog(endedRun.id)).toEqual({ start: { status: 'SUCCEEDED', output: { added: true } }, booked: { status: 'SUCCEEDED', output: { met: false } } });
    expect(await tagsOf(ended.id)).toEqual(['end-at-goal', 'started']);

    await raise(user.userId, 'core.appointment_scheduled', { appointmentId: 'a-held', contactId: held.id, startTime: new Date().toISOString() });
    await runWith(holding, 'COMPLETED', held.id);
    expect(await stepLog(heldRun.id)).toMatchObject({ booked: { status: 'SUCCEEDED', output: { met: true } }, thanks: { status: 'SUCCEEDED' } });
    expect(await tagsOf(held.id)).toEqual(['hold', 'started', 'thanked']);
  });

  it('ends a wait for an event when the goal is met during it', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'goal-during-wait' },
      actions: [
        {
          id: 'wait',
          type: 'wait',
          wait: { mode: 'event', event: 'core.message_received', timeout: { amount: 1, unit: 'days' } },
          next: 'replied',
          timeoutNext: 'silent',
        },
        tagStep('replied', 'replied', 'booked'),
        tagStep('silent', 'silent', 'booked'),
        { id: 'booked', type: 'goal', event: 'core.appointment_scheduled', next: 'thanks' },
        tagStep('thanks', 'thanked'),
      ],
    });
    const contact = await newContact(user.userId);
    await tagContact(user.userId, contact.id, 'goal-during-wait');
    const run = await runWith(workflowId, 'WAITING', contact.id);
    const eventWait = await eventually(() => db.workflowWait.findFirst({ where: { executionId: run.id, kind: 'EVENT' } }));
    const [timeoutJob] = await jobsOf('workflow_wait_timeout', 'waitId', eventWait.id);

    await raise(user.userId, 'core.appointment_scheduled', { appointmentId: 'a-1', contactId: contact.id, startTime: new Date().toISOString() });
    await runWith(workflowId, 'COMPLETED', contact.id);
    await queueSettled(soshogle);
    expect(await db.workflowWait.count({ where: { executionId: run.id } })).toBe(0);
    // Neither the reply nor the timeout moves it any more.
    await receiveMessage(user.userId, contact.id, 'SMS', 'hi');
    await fastForward(timeoutJob!);
    expect(await tagsOf(contact.id)).toEqual(['goal-during-wait', 'thanked']);
    expect(Object.keys(await stepLog(run.id)).sort()).toEqual(['booked', 'thanks', 'wait']);
    expect((await stepLog(run.id)).wait!.status).toBe('WAITING');
  });

  it('already passed in sequence is not met again later: the run goes on to its end', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'passed-goal' },
      actions: [
        { id: 'booked', type: 'goal', event: 'core.appointment_scheduled', next: 'wait' },
        { id: 'wait', type: 'wait', wait: { mode: 'duration', amount: 1, unit: 'days' }, next: 'after' },
        tagStep('after', 'after'),
      ],
    });
    const contact = await newContact(user.userId);
    await tagContact(user.userId, contact.id, 'passed-goal');
    const run = await runWith(workflowId, 'WAITING', contact.id);
    expect((await stepLog(run.id)).booked).toEqual({ status: 'SUCCEEDED', output: { met: false } });
    expect(await db.workflowWait.count({ where: { executionId: run.id } })).toBe(0);
    const [job] = await jobsOf('workflow_step', 'executionId', run.id);

    await raise(user.userId, 'core.appointment_scheduled', { appointmentId: 'a-late', contactId: contact.id, startTime: new Date().toISOString() });
    await queueSettled(soshogle);
    expect(await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: 'WAITING', position: 0 });
    await fastForward(job!);
    expect(await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: 'COMPLETED', position: 0 });
    expect(await tagsOf(contact.id)).toEqual(['passed-goal', 'after']);
  });
  it('never pulls a run back: a goal behind the run stops listening once a later goal jumps it past', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'two-goals' },
      actions: [
        { id: 'wait1', type: 'wait', wait: { mode: 'duration', amount: 1, unit: 'days' }, next: 'booked' },
        { id: 'booked', type: 'goal', event: 'core.appointment_scheduled', next: 'b' },
        tagStep('b', 'b-ran', 'filled'),
        { id: 'filled', type: 'goal', event: 'core.form_submitted', next: 'wait2' },
        { id: 'wait2', type: 'wait', wait: { mode: 'duration', amount: 1, unit: 'days' }, next: 'c' },
        tagStep('c', 'c-ran'),
      ],
    });
    const contact = await newContact(user.userId);
    await tagContact(user.userId, contact.id, 'two-goals');
    const run = await runWith(workflowId, 'WAITING', contact.id);
    expect((await db.workflowWait.findMany({ where: { executionId: run.id }, select: { stepId: true } })).map((w) => w.stepId).sort()).toEqual(['booked', 'filled']);

    await raise(user.userId, 'core.form_submitted', { formId: 'f-1', contactId: contact.id, fields: {} });
    await eventually(async () => (await stepLog(run.id)).wait2?.status === 'SUCCEEDED');
    await queueSettled(soshogle);
    // Past both goals now: the earlier one no longer listens.
    expect(await db.workflowWait.count({ where: { executionId: run.id } })).toBe(0);

    await raise(user.userId, 'core.appointment_scheduled', { appointmentId: 'a-back', contactId: contact.id, startTime: new Date().toISOString() });
    await queueSettled(soshogle);
    expect(await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: 'WAITING', position: 1 });
    expect((await stepLog(run.id)).b).toBeUndefined();
    expect(await tagsOf(contact.id)).toEqual(['two-goals']);
    const pending = await jobsOf('workflow_step', 'executionId', run.id);
    expect(pending.map((j) => j.payload).sort((x, y) => Number(x.position) - Number(y.position))).toMatchObject([
      { stepId: 'booked', position: 0 },
      { stepId: 'c', position: 1 },
    ]);
  });

  it('a step queued before a goal jump that comes due and fails later does not fail the run', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'stale-fails' },
      actions: [
        { id: 'wait1', type: 'wait', wait: { mode: 'duration', amount: 1, unit: 'days' }, next: 'won' },
        // The contact has no deal: this step fails permanently whenever it runs.
        { id: 'won', type: 'action', action: 'crm.move_deal', props: { stage: 'CLOSED_WON' }, next: 'booked' },
        { id: 'booked', type: 'goal', event: 'core.appointment_scheduled', next: 'wait2' },
        { id: 'wait2', type: 'wait', wait: { mode: 'duration', amount: 1, unit: 'days' }, next: 'done' },
        tagStep('done', 'done'),
      ],
    });
    const contact = await newContact(user.userId);
    await tagContact(user.userId, contact.id, 'stale-fails');
    const run = await runWith(workflowId, 'WAITING', contact.id);
    const [stale] = await jobsOf('workflow_step', 'executionId', run.id);
    await raise(user.userId, 'core.appointment_scheduled', { appointmentId: 'a-stale', contactId: contact.id, startTime: new Date().toISOString() });
    await eventually(async () => (await stepLog(run.id)).wait2?.status === 'SUCCEEDED');

    await fastForward(stale!);
    expect(await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: 'WAITING', position: 1, error: null });
    expect((await stepLog(run.id)).won).toBeUndefined();
  });

  it('with ifNotMet "wait" on a run about no contact, ends the run instead of waiting forever', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'DEAL_CREATED',
      actions: [
        { id: 'booked', type: 'goal', event: 'core.appointment_scheduled', ifNotMet: 'wait', next: 'note' },
        { id: 'note', type: 'action', action: 'core.notify', props: { title: 'never' } },
      ],
    });
    await raiseWith(user.userId, 'core.deal_created', async (tx) => {
      const deal = await tx.deal.create({ data: { userId: user.userId, title: 'No contact', value: '1', stage: 'LEAD' } });
      return { dealId: deal.id, stage: 'LEAD' };
    });
    const run = await runWith(workflowId, 'COMPLETED');
    expect(await stepLog(run.id)).toEqual({ booked: { status: 'SUCCEEDED', output: { met: false } } });
    expect(await db.workflowWait.count({ where: { executionId: run.id } })).toBe(0);
  });
});

describe('a run about no contact', () => {
  it('times out a wait for an event at once, and fails a contact step', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'DEAL_CREATED',
      actions: [
        { id: 'wait', type: 'wait', wait: { mode: 'event', event: 'core.message_received', timeout: { amount: 1, unit: 'days' } }, next: 'replied', timeoutNext: 'note' },
        tagStep('replied', 'replied'),
        { id: 'note', type: 'action', action: 'core.notify', props: { title: 'Deal {{ deal.title }} ({{ deal.stage }}) has no contact' }, next: 'tag' },
        tagStep('tag', 'never'),
      ],
    });
    await raiseWith(user.userId, 'core.deal_created', async (tx) => {
      const deal = await tx.deal.create({ data: { userId: user.userId, title: 'Orphan deal', stage: 'PROPOSAL' } });
      return { dealId: deal.id, contactId: null, stage: 'PROPOSAL' };
    });
    const run = await runWith(workflowId, 'FAILED');
    expect(run.contactId).toBeNull();
    const log = await stepLog(run.id);
    expect(log.wait).toEqual({ status: 'SUCCEEDED', output: { timedOut: true } });
    expect(log.note!.status).toBe('SUCCEEDED');
    expect(log.tag!.status).toBe('FAILED');
    expect(run.error).toContain('no contact');
    expect((await db.notification.findMany({ where: { userId: user.userId } })).map((n) => n.title)).toEqual(['Deal Orphan deal (PROPOSAL) has no contact']);
  });
});

// --- 6. re-entry ----------------------------------------------------------------------

describe('re-entry', () => {
  it('without it, a contact goes through a workflow once; with it, once per event', async () => {
    const user = await signedInUser(soshogle);
    const once = await publishWorkflow(user, { trigger: 'TAG_ADDED', triggerFilter: { tag: 'again' }, actions: [tagStep('tag', 'once')] });
    const every = await publishWorkflow(user, { trigger: 'TAG_ADDED', triggerFilter: { tag: 'again' }, allowReentry: true, actions: [tagStep('tag', 'every')] });
    const contact = await newContact(user.userId);
    await tagContact(user.userId, contact.id, 'again');
    await runWith(once, 'COMPLETED');
    await runWith(every, 'COMPLETED');
    await raiseWith(user.userId, 'core.tag_removed', async (tx) => {
      await tx.contact.update({ where: { id: contact.id }, data: { tags: { set: [] } } });
      return { contactId: contact.id, tag: 'again' };
    });
    await tagContact(user.userId, contact.id, 'again');
    await eventually(async () => (await db.workflowExecution.count({ where: { workflowId: every, status: 'COMPLETED' } })) === 2);
    await queueSettled(soshogle);

    expect((await runsOf(once)).map((r) => r.contactId)).toEqual([contact.id]);
    expect((await runsOf(every)).map((r) => r.contactId)).toEqual([contact.id, contact.id]);
    expect((await db.workflow.findUniqueOrThrow({ where: { id: once } })).executionCount).toBe(1);
    expect((await db.workflow.findUniqueOrThrow({ where: { id: every } })).executionCount).toBe(2);
  });

  it('applies to manual starts too', async () => {
    const user = await signedInUser(soshogle);
    const once = await publishWorkflow(user, { trigger: 'MANUAL', actions: [tagStep('tag', 'once')] });
    const every = await publishWorkflow(user, { trigger: 'MANUAL', allowReentry: true, actions: [tagStep('tag', 'every')] });
    const contact = await newContact(user.userId);
    for (let i = 0; i < 2; i++) {
      await startManually(user, once, [contact.id]);
      await startManually(user, every, [contact.id]);
      await queueSettled(soshogle);
    }
    expect(await db.workflowExecution.count({ where: { workflowId: once } })).toBe(1);
    expect(await db.workflowExecution.count({ where: { workflowId: every, status: 'COMPLETED' } })).toBe(2);
  });
});

// --- 7. the loop guard ----------------------------------------------------------------

describe('the loop guard', () => {
  it('stops a workflow that re-triggers itself', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'ping' },
      allowReentry: true,
      actions: [removeTagStep('off', 'ping', 'on'), tagStep('on', 'ping')],
    });
    const contact = await newContact(user.userId);
    await tagContact(user.userId, contact.id, 'ping');
    await eventually(async () => (await db.workflowExecution.count({ where: { workflowId, status: 'FAILED' } })) === 1);
    await queueSettled(soshogle);

    const runs = await runsOf(workflowId);
    expect(runs).toHaveLength(MAX_DEPTH + 1);
    expect(runs.map((r) => r.depth).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const failed = runs.filter((r) => r.status === 'FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ depth: MAX_DEPTH, contactId: contact.id });
    expect(failed[0]!.error).toMatch(/loop guard/);
    expect(runs.filter((r) => r.status === 'COMPLETED')).toHaveLength(MAX_DEPTH);
    expect(await tagsOf(contact.id)).toEqual(['ping']);

    // Settled: nothing more runs.
    await new Promise((r) => setTimeout(r, 500));
    await queueSettled(soshogle);
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(MAX_DEPTH + 1);
  });

  it('stops two workflows that trigger each other', async () => {
    const user = await signedInUser(soshogle);
    const a = await publishWorkflow(user, {
      name: 'A',
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'a' },
      allowReentry: true,
      actions: [removeTagStep('off', 'b', 'on'), tagStep('on', 'b')],
    });
    const b = await publishWorkflow(user, {
      name: 'B',
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'b' },
      allowReentry: true,
      actions: [removeTagStep('off', 'a', 'on'), tagStep('on', 'a')],
    });
    const contact = await newContact(user.userId);
    await tagContact(user.userId, contact.id, 'a');
    await eventually(async () => (await db.workflowExecution.count({ where: { userId: user.userId, status: 'FAILED' } })) === 1);
    await queueSettled(soshogle);

    const runs = await db.workflowExecution.findMany({ where: { userId: user.userId }, orderBy: { depth: 'asc' } });
    expect(runs.map((r) => [r.workflowId, r.depth, r.status])).toEqual([
      [a, 0, 'COMPLETED'],
      [b, 1, 'COMPLETED'],
      [a, 2, 'COMPLETED'],
      [b, 3, 'COMPLETED'],
      [a, 4, 'COMPLETED'],
      [b, 5, 'FAILED'],
    ]);
    expect(runs[5]!.error).toMatch(/loop guard/);
    expect([...(await tagsOf(contact.id))].sort()).toEqual(['a', 'b']);
  });

  it('stops a loop that passes through a plugin subscriber (events it raises keep the delivered event\'s depth)', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'CUSTOM',
      triggerKey: 'example_shop.order_paid',
      allowReentry: true,
      actions: [removeTagStep('off', 'reorder', 'on'), tagStep('on', 'reorder')],
    });
    const contact = await newContact(user.userId, { tags: ['reorder'] });
    await raise(user.userId, 'example_shop.order_paid', { orderId: 'o-1', contactId: contact.id, total: 1 });
    await eventually(async () => (await db.workflowExecution.count({ where: { workflowId, status: 'FAILED' } })) === 1);
    await queueSettled(soshogle);
    const runs = await runsOf(workflowId);
    expect(runs.map((r) => r.depth).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(runs.filter((r) => r.status === 'FAILED').map((r) => r.depth)).toEqual([MAX_DEPTH]);
    expect((await db.workflow.findUniqueOrThrow({ where: { id: workflowId } })).executionCount).toBe(MAX_DEPTH + 1);
  });
});

// --- 8. counters ----------------------------------------------------------------------

describe('execution counters', () => {
  it('start the runs of a raise of many events from the start queue, in a few jobs: each matching contact once, the rest turned away', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'CUSTOM',
      triggerKey: 'example_shop.order_paid',
      triggerFilter: { minTotal: 100 },
      actions: [tagStep('tag', 'big-order')],
    });
    const contacts = await Promise.all(Array.from({ length: 120 }, (_, i) => newContact(user.userId, { firstName: `Buyer ${i}` })));
    // 120 orders, every second one big enough; then ten second big orders of contacts who already had one.
    const orders = contacts.map((c, i) => ({ orderId: `o${i}`, contactId: c.id, total: i % 2 ? 150 : 50 }));
    const repeats = contacts.filter((_, i) => i % 2).slice(0, 10).map((c, i) => ({ orderId: `r${i}`, contactId: c.id, total: 500 }));
    const queued = await soshogle.tenantContext('crm', user.userId).db.$transaction(async (tx) => {
      await soshogle.events.raiseMany(tx, 'example_shop.order_paid', [...orders, ...repeats], { tenantId: user.userId });
      const [row] = await tx.$queryRaw<{ events: number; jobs: number }[]>`
        select (select count(*) from "WorkflowStart" where "workflowId" = ${workflowId})::int as events,
          (select count(*) from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
           where t.identifier = 'workflow_start' and j.payload->>'workflowId' = ${workflowId})::int as jobs`;
      return row!;
    });
    expect(queued).toEqual({ events: 130, jobs: Math.ceil(130 / startBatchSize) });

    await eventually(async () => (await db.workflowExecution.count({ where: { workflowId, status: 'COMPLETED' } })) === 60, 30_000);
    await queueSettled(soshogle);
    const runs = await runsOf(workflowId);
    expect(runs).toHaveLength(60);
    expect(new Set(runs.map((r) => r.contactId))).toEqual(new Set(contacts.filter((_, i) => i % 2).map((c) => c.id)));
    expect((await db.workflow.findUniqueOrThrow({ where: { id: workflowId } })).executionCount).toBe(60);
    expect(await db.contact.count({ where: { userId: user.userId, tags: { has: 'big-order' } } })).toBe(60);
  }, 45_000);

  it("take a first step that needs no provider in its run's start job: one job per run, not two", async () => {
    const user = await signedInUser(soshogle);
    // A branch first (a step that raises no event of its own, so the jobs counted are the run's).
    const workflowId = await publishWorkflow(user, {
      trigger: 'CUSTOM',
      triggerKey: 'example_shop.order_paid',
      actions: [{ id: 'big', type: 'branch', condition: { '>=': [{ var: 'event.payload.total' }, 5] }, then: 'end', else: 'end' }, { id: 'end', type: 'end' }],
    });
    const contact = await newContact(user.userId, { firstName: 'Inline' });
    await queueSettled(soshogle);
    const before = await jobsEverQueued();
    await raise(user.userId, 'example_shop.order_paid', { orderId: 'inline-1', contactId: contact.id, total: 10 });
    await runWith(workflowId, 'COMPLETED');
    await queueSettled(soshogle);
    // The start (with the branch in it) and the end step's job.
    expect((await jobsEverQueued()) - before).toBe(2);
    const [run] = await runsOf(workflowId);
    const steps = await db.workflowStepRun.findMany({ where: { executionId: run!.id }, orderBy: { startedAt: 'asc' } });
    expect(steps.map((s) => [s.stepId, s.status, s.attempt, s.output])).toEqual([['big', 'SUCCEEDED', 1, { result: true }], ['end', 'SUCCEEDED', 1, {}]]);
    expect((await db.workflow.findUniqueOrThrow({ where: { id: workflowId } })).executionCount).toBe(1);
  });

  it('undo the start of a batch whose first step fails in a way worth retrying, and start it the plain way: the step retried as a job', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'CUSTOM', triggerKey: 'example_shop.order_paid', actions: [{ id: 'flaky', type: 'action', action: 'example_shop.flaky_tag', props: { tag: 'at-last' } }] });
    const [a, b] = await Promise.all([newContact(user.userId, { firstName: 'A' }), newContact(user.userId, { firstName: 'B' })]);
    await queueSettled(soshogle);
    const before = await jobsEverQueued();
    flakyFailures = 2; // the inline attempt fails on the batch's first run, then the first step job fails once
    await raiseWith(user.userId, 'example_shop.order_paid', async (tx) => {
      await soshogle.events.raise(tx, 'example_shop.order_paid', { orderId: 'flaky-a', contactId: a.id, total: 10 }, { tenantId: user.userId });
      return { orderId: 'flaky-b', contactId: b.id, total: 10 };
    });
    await eventually(async () => (await db.workflowExecution.count({ where: { workflowId, status: 'COMPLETED' } })) === 2, 30_000);
    await queueSettled(soshogle);
    expect(flakyFailures).toBe(0);
    const runs = await runsOf(workflowId);
    expect(runs).toHaveLength(2);
    const steps = await db.workflowStepRun.findMany({ where: { executionId: { in: runs.map((r) => r.id) } } });
    expect(steps.map((s) => s.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(steps.map((s) => s.attempt).sort()).toEqual(expect.arrayContaining([1]));
    expect(Math.max(...steps.map((s) => s.attempt))).toBeLessThanOrEqual(2);
    expect(await tagsOf(a.id)).toContain('at-last');
    expect(await tagsOf(b.id)).toContain('at-last');
    // Counted once each, though the first attempt at starting them was undone.
    expect((await db.workflow.findUniqueOrThrow({ where: { id: workflowId } })).executionCount).toBe(2);
    // Two starts (one per raise), then a step job for each run of the start that fell back.
    expect((await jobsEverQueued()) - before).toBeGreaterThanOrEqual(3);
  }, 45_000);

  it('count every run exactly under 50 concurrent events', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'TAG_ADDED', triggerFilter: { tag: 'burst' }, actions: [tagStep('tag', 'counted')] });
    const contacts = await Promise.all(Array.from({ length: 50 }, (_, i) => newContact(user.userId, { firstName: `Burst ${i}` })));
    const before = new Date();
    await Promise.all(contacts.map((c) => tagContact(user.userId, c.id, 'burst')));
    await eventually(async () => (await db.workflowExecution.count({ where: { workflowId, status: 'COMPLETED' } })) === 50, 30_000);
    await queueSettled(soshogle);

    const workflow = await db.workflow.findUniqueOrThrow({ where: { id: workflowId } });
    expect(workflow.executionCount).toBe(50);
    expect(workflow.lastExecutedAt).not.toBeNull();
    expect(workflow.lastExecutedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(50);
    expect(await db.contact.count({ where: { userId: user.userId, tags: { has: 'counted' } } })).toBe(50);
  }, 45_000);
});
