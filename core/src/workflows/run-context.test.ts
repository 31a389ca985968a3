// What a run reads comes from the plugins that provide it (RunContextProvider): a tiny
// pet-shop plugin provides `pet`, and no CRM is enabled, so nobody provides `contact`.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction, definePlugin, defineRunContext, defineTrigger } from '../plugin.ts';
import { signedInUser, startTestSoshogle } from '../testing/index.ts';
import { eventually, publishWorkflow, queueSettled } from './testing.ts';

const pets = new Map([
  ['rex', { name: 'Rex', species: 'dog' }],
  ['tom', { name: 'Tom', species: 'cat' }],
]);
/** The ids the provider was asked for: a rule that does not mention `pet` must not load one. */
const loaded: string[] = [];

const petSeen = defineTrigger({
  name: 'pet_seen',
  displayName: 'Pet seen',
  description: 'A pet came in',
  payload: z.object({ petId: z.string().min(1), contactId: z.string().optional() }),
  filter: z.object({}),
  matches: () => true,
});

declare module '../plugin.ts' {
  interface Plugins {
    pet_shop: { triggers: [typeof petSeen] };
  }
}

const petShop = definePlugin({
  name: 'pet_shop',
  displayName: 'Pet shop',
  description: 'Pets, as a run context',
  triggers: [petSeen],
  actions: [
    defineAction({
      name: 'greet',
      version: 1,
      displayName: 'Greet',
      description: 'Says hello (its rendered props are in the step log)',
      props: z.object({ text: z.string() }),
      output: z.object({}),
      idempotent: true,
      transactional: true,
      run: async () => ({}),
    }),
    defineAction({
      name: 'greet_by_default',
      version: 1,
      displayName: 'Greet by default',
      description: 'Says hello with a default text that is itself a template',
      props: z.object({ text: z.string().default('Hello {{ pet.name }}, the {{ pet.species }}!'), loud: z.boolean().default(false) }),
      output: z.object({}),
      idempotent: true,
      transactional: true,
      run: async () => ({}),
    }),
  ],
  context: [
    defineRunContext({
      name: 'pet',
      async load(_db, id) {
        loaded.push(id);
        return pets.get(id) ?? null;
      },
    }),
  ],
});

const soshogle = await startTestSoshogle([petShop], { WORKER_CONCURRENCY: '4' });
const { db } = soshogle;

const seen = (tenantId: string, payload: { petId: string; contactId?: string }) =>
  db.$transaction((tx) => soshogle.events.raise(tx, 'pet_shop.pet_seen', payload, { tenantId }));

describe('a run context provided by a plugin', () => {
  it('feeds the entry condition and the templates, read by the id the triggering event names', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'CUSTOM',
      triggerKey: 'pet_shop.pet_seen',
      conditions: { '==': [{ var: 'pet.species' }, 'dog'] },
      actions: [{ id: 'hello', type: 'action', action: 'pet_shop.greet', props: { text: 'Hello {{ pet.name }}!' } }],
    });
    await seen(user.userId, { petId: 'rex' });
    await seen(user.userId, { petId: 'tom' });

    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: 'COMPLETED' } }));
    await queueSettled(soshogle);
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(1); // the cat stayed out
    const step = await db.workflowStepRun.findFirstOrThrow({ where: { executionId: run.id } });
    expect(step).toMatchObject({ stepId: 'hello', status: 'SUCCEEDED', input: { text: 'Hello Rex!' } });
  });

  it("renders an action's default that is a template, loading what it mentions, as it renders a saved one", async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'CUSTOM',
      triggerKey: 'pet_shop.pet_seen',
      actions: [{ id: 'hello', type: 'action', action: 'pet_shop.greet_by_default', props: {} }],
    });
    await seen(user.userId, { petId: 'tom' });
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: 'COMPLETED' } }));
    const step = await db.workflowStepRun.findFirstOrThrow({ where: { executionId: run.id } });
    expect(step).toMatchObject({ stepId: 'hello', status: 'SUCCEEDED', input: { text: 'Hello Tom, the cat!', loud: false } });
  });

  it('is not loaded for a workflow that does not mention it', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'CUSTOM',
      triggerKey: 'pet_shop.pet_seen',
      conditions: { '!=': [{ var: 'workflow.name' }, ''] },
      actions: [{ id: 'hello', type: 'action', action: 'pet_shop.greet', props: { text: 'Hello {{ workflow.name }}' } }],
    });
    await seen(user.userId, { petId: 'ghost' });
    await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: 'COMPLETED' } }));
    expect(loaded).not.toContain('ghost');
  });
});

describe('without a plugin providing contacts', () => {
  it('refuses at save a condition naming a field of a record no plugin provides', async () => {
    const user = await signedInUser(soshogle);
    const res = await user.request('POST', '/api/workflows', {
      name: 'Contact nobody provides',
      trigger: 'CUSTOM',
      triggerKey: 'pet_shop.pet_seen',
      conditions: { '==': [{ var: 'contact.firstName' }, null] },
      actions: [{ id: 'end', type: 'end' }],
    });
    const problem = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(res.status).toBe(422);
    expect(problem.errors.map((e) => e.field)).toEqual(['conditions.==.0.var']);
  });

  it('runs a workflow whose condition and template mention the contact, which reads as null', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'CUSTOM',
      triggerKey: 'pet_shop.pet_seen',
      conditions: { '!': { has_tag: 'vip' } },
      actions: [
        { id: 'hello', type: 'action', action: 'pet_shop.greet', props: { text: 'Hi {{ contact.firstName | default: "there" }}' }, next: 'pause' },
        { id: 'pause', type: 'wait', wait: { mode: 'time_of_day', time: '09:00' } },
      ],
    });
    await db.user.update({ where: { id: user.userId }, data: { timezone: 'Asia/Tokyo' } });
    await seen(user.userId, { petId: 'rex', contactId: 'nobody-provides-this' });

    // The time-of-day wait uses the account's zone (09:00 in Tokyo is midnight UTC); as the last step, it ends the run.
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: { not: 'RUNNING' } } }));
    expect(run).toMatchObject({ status: 'COMPLETED', error: null });
    expect(run.contactId).toBe('nobody-provides-this');
    const steps = await db.workflowStepRun.findMany({ where: { executionId: run.id }, orderBy: { startedAt: 'asc' } });
    expect(steps.map((s) => [s.stepId, s.status, s.input])).toEqual([
      ['hello', 'SUCCEEDED', { text: 'Hi there' }],
      ['pause', 'SUCCEEDED', null],
    ]);
    expect(steps[1]!.output).toEqual({ until: expect.stringMatching(/T00:00:00\.000Z$/) });
  });

  it('answers 404 for a manual start, a dry run or a timeline of a contact nobody provides', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'CUSTOM', triggerKey: 'pet_shop.pet_seen', actions: [{ id: 'end', type: 'end' }] });
    const start = await user.request('POST', `/api/workflows/${workflowId}/start`, { contactIds: ['c1'] });
    expect(await start.json()).toEqual({ queued: 0, notFound: ['c1'] });
    expect((await user.request('POST', `/api/workflows/${workflowId}/dry-run`, { contactId: 'c1' })).status).toBe(404);
    expect((await user.request('GET', '/api/contacts/c1/timeline')).status).toBe(404);
  });
});
