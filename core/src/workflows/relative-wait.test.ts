// Relative waits ("2 hours before thing.at") against a real server, worker and database. A
// tiny plugin provides `thing` (a time `at`, live unless cancelled) and moves its things as
// the calendar moves appointments: the change and ctx.workflows.subjectMoved in one
// transaction. What the worker did is read back from the runs, the step log, the waits and
// graphile-worker's job table.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction, definePlugin, defineRunContext, defineTrigger } from '../plugin.ts';
import { expectJson, signedInUser, startTestSoshogle, type TestClient } from '../testing/index.ts';
import { eventually, publishWorkflow, queueSettled } from './testing.ts';

interface Thing {
  at: Date;
  status: 'booked' | 'cancelled';
}
const things = new Map<string, Thing>();
/** Every run of the `mark` action: the step it ran for (`<run>:<step>`) and its label. */
const marks: { key: string; label: string }[] = [];

const thingBooked = defineTrigger({
  name: 'thing_booked',
  displayName: 'Thing booked',
  description: 'A thing was booked',
  payload: z.object({ thingId: z.string().min(1), contactId: z.string().optional() }),
  filter: z.object({}),
  matches: () => true,
});
const thingPaid = defineTrigger({
  name: 'thing_paid',
  displayName: 'Thing paid',
  description: 'A contact paid for a thing',
  payload: z.object({ contactId: z.string().min(1) }),
  filter: z.object({}),
  matches: () => true,
});
declare module '../plugin.ts' {
  interface Plugins {
    things: { triggers: [typeof thingBooked, typeof thingPaid] };
  }
}

const thingsPlugin = definePlugin({
  name: 'things',
  displayName: 'Things',
  description: 'Things with a time, as a run context',
  triggers: [thingBooked, thingPaid],
  actions: [
    defineAction({
      name: 'mark',
      version: 1,
      displayName: 'Mark',
      description: 'Notes that the step ran',
      props: z.object({ label: z.string() }),
      output: z.object({}),
      idempotent: true,
      transactional: true,
      run: async (ctx) => {
        marks.push({ key: ctx.idempotencyKey, label: ctx.props.label });
        return {};
      },
    }),
  ],
  context: [
    defineRunContext({
      name: 'thing',
      load: async (_db, id) => {
        const thing = things.get(id);
        return thing ? { id, ...thing } : null;
      },
      fields: { names: ['id', 'at', 'status'] },
      times: ['at'],
      live: (thing) => thing.status !== 'cancelled',
    }),
  ],
});

const soshogle = await startTestSoshogle([thingsPlugin], { WORKER_CONCURRENCY: '4' });
const { db } = soshogle;

const hours = (n: number) => n * 3_600_000;
const fromNow = (ms: number) => new Date(Date.now() + ms);

/** Books a thing at `at` and raises things.thing_booked in one transaction, as its owner does. */
async function book(tenantId: string, at: Date, contactId?: string): Promise<string> {
  const id = randomUUID();
  const ctx = soshogle.tenantContext('things', tenantId);
  await ctx.db.$transaction(async (tx) => {
    things.set(id, { at, status: 'booked' });
    await ctx.events.raise(tx, 'things.thing_booked', { thingId: id, ...(contactId ? { contactId } : {}) }, { tenantId });
  });
  return id;
}

/** Changes a thing and tells the engine in the same transaction, as the calendar does on a reschedule or cancel. */
function move(tenantId: string, id: string, change: Partial<Thing>) {
  const ctx = soshogle.tenantContext('things', tenantId);
  return ctx.db.$transaction(async (tx) => {
    things.set(id, { ...things.get(id)!, ...change });
    return ctx.workflows.subjectMoved(tx, 'thing', id, { tenantId });
  });
}

const waitStep = (wait: Record<string, unknown>, timeoutNext?: string) => ({
  id: 'wait',
  type: 'wait',
  wait: { mode: 'relative', to: 'thing.at', amount: 2, unit: 'hours', ...wait },
  next: 'after',
  ...(timeoutNext ? { timeoutNext } : {}),
});
const mark = (id: string) => ({ id, type: 'action', action: 'things.mark', props: { label: id } });

/** A published workflow on things.thing_booked: the wait, then `after`; `gone` when it is skipped. */
function thingFlow(user: TestClient, wait: Record<string, unknown> = {}, withTimeoutNext = true) {
  return publishWorkflow(user, {
    trigger: 'CUSTOM',
    triggerKey: 'things.thing_booked',
    actions: [waitStep(wait, withTimeoutNext ? 'gone' : undefined), mark('after'), mark('gone')],
  });
}

async function runOf(workflowId: string, status: string) {
  return eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: status as 'WAITING' } }));
}

async function stepLog(executionId: string) {
  const rows = await db.workflowStepRun.findMany({ where: { executionId } });
  return Object.fromEntries(rows.map((r) => [r.stepId, { status: r.status, output: r.output }]));
}

const marksOf = (executionId: string) => marks.filter((m) => m.key.startsWith(`${executionId}:`)).map((m) => m.label);

interface DueJob {
  id: bigint;
  run_at: Date;
  key: string | null;
  locked_at: Date | null;
  payload: { late?: boolean };
  /** Never run again: graphile-worker's mark on a job a move superseded while a worker held it. */
  spent: boolean;
}
/** The due jobs of a wait, whether keyed (the live one) or not (one a move left to its worker). */
function dueJobs(waitId: string) {
  return db.$queryRaw<DueJob[]>`
    select j.id, j.run_at, j.key, j.locked_at, j.payload, j.attempts = j.max_attempts as spent from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id
    where t.identifier = 'workflow_wait_due' and j.payload->>'waitId' = ${waitId} order by j.id`;
}

/** Tells the worker to look for due jobs now, instead of at its next poll. */
const nudgeWorker = () => db.$executeRaw`select pg_notify('jobs:insert', '{"r":' || random()::text || ',"count":1}')`;

describe('a wait relative to a record', () => {
  it('is due at the record time minus the offset, as one keyed job, and goes on when it comes', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await thingFlow(user);
    const at = fromNow(hours(2) + 5_000);
    const thingId = await book(user.userId, at);

    const run = await runOf(workflowId, 'WAITING');
    const until = new Date(at.getTime() - hours(2));
    const wait = await db.workflowWait.findFirstOrThrow({ where: { executionId: run.id } });
    expect(wait).toMatchObject({ kind: 'TIME', subject: 'thing', subjectId: thingId, dueAt: until, eventType: null, contactId: null });
    const [job, ...others] = await dueJobs(wait.id);
    expect(others).toEqual([]);
    expect(job).toMatchObject({ run_at: until, key: `wait_due:${wait.id}` });
    expect((await stepLog(run.id)).wait).toEqual({ status: 'WAITING', output: { until: until.toISOString() } });

    await runOf(workflowId, 'COMPLETED');
    await queueSettled(soshogle);
    expect(await stepLog(run.id)).toEqual({
      wait: { status: 'SUCCEEDED', output: { until: until.toISOString() } },
      after: { status: 'SUCCEEDED', output: {} },
    });
    expect(marksOf(run.id)).toEqual(['after']);
    expect(await db.workflowWait.count({ where: { executionId: run.id } })).toBe(0);
    expect(await dueJobs(wait.id)).toEqual([]);
  });

  it('follows a move later (its one job moves, and firing at the old time does not run it), then a move earlier', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await thingFlow(user);
    const thingId = await book(user.userId, fromNow(hours(3)));
    const run = await runOf(workflowId, 'WAITING');
    const wait = await db.workflowWait.findFirstOrThrow({ where: { executionId: run.id } });
    const [before] = await dueJobs(wait.id);

    const later = fromNow(hours(5));
    expect(await move(user.userId, thingId, { at: later })).toEqual({ moved: 1 });
    const laterDue = new Date(later.getTime() - hours(2));
    expect(await db.workflowWait.findUniqueOrThrow({ where: { id: wait.id } })).toMatchObject({ dueAt: laterDue });
    expect(await dueJobs(wait.id)).toEqual([expect.objectContaining({ id: before!.id, run_at: laterDue, key: `wait_due:${wait.id}` })]);
    // Moving to the same time again changes nothing.
    expect(await move(user.userId, thingId, { at: later })).toEqual({ moved: 0 });

    // The job runs before its time (as if the move had not been told): the record says
    // later, so it is queued again for then and the run keeps waiting.
    await db.$executeRaw`update graphile_worker._private_jobs set run_at = now() where id = ${before!.id}`;
    await nudgeWorker();
    // (The early job, still held while it queues the new one, is gone once it finishes.)
    await eventually(async () => {
      const jobs = await dueJobs(wait.id);
      return jobs.length === 1 && jobs[0]!.run_at.getTime() === laterDue.getTime();
    });
    expect(await dueJobs(wait.id)).toEqual([expect.objectContaining({ run_at: laterDue, key: `wait_due:${wait.id}`, spent: false })]);
    expect((await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('WAITING');
    expect(marksOf(run.id)).toEqual([]);

    // Earlier: it runs at the new time, once.
    const earlier = fromNow(hours(2) + 5_000);
    expect(await move(user.userId, thingId, { at: earlier })).toEqual({ moved: 1 });
    const earlierDue = new Date(earlier.getTime() - hours(2));
    expect(await dueJobs(wait.id)).toEqual([expect.objectContaining({ run_at: earlierDue })]);
    await runOf(workflowId, 'COMPLETED');
    await queueSettled(soshogle);
    expect((await stepLog(run.id)).wait).toEqual({ status: 'SUCCEEDED', output: { until: earlierDue.toISOString() } });
    expect(marksOf(run.id)).toEqual(['after']);
  });

  it('ends at timeoutNext when the record is cancelled (or the run ends without one), in the move transaction', async () => {
    const user = await signedInUser(soshogle);
    const withNext = await thingFlow(user);
    const without = await thingFlow(user, {}, false);
    const thingId = await book(user.userId, fromNow(hours(3)));
    const [a, b] = [await runOf(withNext, 'WAITING'), await runOf(without, 'WAITING')];

    expect(await move(user.userId, thingId, { status: 'cancelled' })).toEqual({ moved: 2 });
    await runOf(withNext, 'COMPLETED');
    await runOf(without, 'COMPLETED');
    await queueSettled(soshogle);
    expect(await stepLog(a.id)).toEqual({
      wait: { status: 'SUCCEEDED', output: { gone: true } },
      gone: { status: 'SUCCEEDED', output: {} },
    });
    expect(marksOf(a.id)).toEqual(['gone']);
    expect(await stepLog(b.id)).toEqual({ wait: { status: 'SUCCEEDED', output: { gone: true } } });
    expect(marksOf(b.id)).toEqual([]);
    expect(await db.workflowWait.count({ where: { subjectId: thingId } })).toBe(0);
  });

  it('reached after its time: continues at once by default, takes timeoutNext with late: skip', async () => {
    const user = await signedInUser(soshogle);
    const goOn = await thingFlow(user);
    const skip = await thingFlow(user, { late: 'skip' });
    const at = fromNow(hours(1));
    await book(user.userId, at);
    const until = new Date(at.getTime() - hours(2)).toISOString();

    const [a, b] = [await runOf(goOn, 'COMPLETED'), await runOf(skip, 'COMPLETED')];
    await queueSettled(soshogle);
    expect(await stepLog(a.id)).toEqual({ wait: { status: 'SUCCEEDED', output: { until, late: true } }, after: { status: 'SUCCEEDED', output: {} } });
    expect(await stepLog(b.id)).toEqual({ wait: { status: 'SUCCEEDED', output: { until, late: true } }, gone: { status: 'SUCCEEDED', output: {} } });
    expect(await db.workflowWait.count({ where: { executionId: { in: [a.id, b.id] } } })).toBe(0);
  });

  it('moved to a time already passed: late, so a skip wait takes timeoutNext', async () => {
    const user = await signedInUser(soshogle);
    const skip = await thingFlow(user, { late: 'skip' });
    const thingId = await book(user.userId, fromNow(hours(3)));
    const run = await runOf(skip, 'WAITING');
    const at = fromNow(hours(1));

    expect(await move(user.userId, thingId, { at })).toEqual({ moved: 1 });
    await runOf(skip, 'COMPLETED');
    await queueSettled(soshogle);
    const until = new Date(at.getTime() - hours(2)).toISOString();
    expect(await stepLog(run.id)).toEqual({ wait: { status: 'SUCCEEDED', output: { until, late: true } }, gone: { status: 'SUCCEEDED', output: {} } });
  });

  it('keeps the last of two moves in flight at once, with one job', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await thingFlow(user);
    const thingId = await book(user.userId, fromNow(hours(3)));
    const run = await runOf(workflowId, 'WAITING');
    const wait = await db.workflowWait.findFirstOrThrow({ where: { executionId: run.id } });

    await Promise.all([move(user.userId, thingId, { at: fromNow(hours(4)) }), move(user.userId, thingId, { at: fromNow(hours(6)) })]);
    const due = new Date(things.get(thingId)!.at.getTime() - hours(2));
    expect(await db.workflowWait.findUniqueOrThrow({ where: { id: wait.id } })).toMatchObject({ dueAt: due });
    expect(await dueJobs(wait.id)).toEqual([expect.objectContaining({ run_at: due, key: `wait_due:${wait.id}` })]);
  });

  it('runs once when a worker held the due job (and died) during the move', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await thingFlow(user);
    const thingId = await book(user.userId, fromNow(hours(3)));
    const run = await runOf(workflowId, 'WAITING');
    const wait = await db.workflowWait.findFirstOrThrow({ where: { executionId: run.id } });
    const [held] = await dueJobs(wait.id);
    // A worker took the job and died holding it.
    await db.$executeRaw`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'dead-worker' where id = ${held!.id}`;

    const at = fromNow(hours(2) + 5_000);
    const due = new Date(at.getTime() - hours(2));
    await move(user.userId, thingId, { at });
    // The held job is un-keyed and never retried; the move queued a job of its own.
    expect(await dueJobs(wait.id)).toEqual([
      expect.objectContaining({ id: held!.id, key: null, spent: true }),
      expect.objectContaining({ run_at: due, key: `wait_due:${wait.id}`, spent: false }),
    ]);

    // The supervisor frees the dead worker's job: it is not run again; the new one runs the step, once.
    await db.$executeRaw`update graphile_worker._private_jobs set locked_at = null, locked_by = null where id = ${held!.id}`;
    await runOf(workflowId, 'COMPLETED');
    await queueSettled(soshogle);
    expect((await stepLog(run.id)).wait).toEqual({ status: 'SUCCEEDED', output: { until: due.toISOString() } });
    expect(marksOf(run.id)).toEqual(['after']);
    expect(await dueJobs(wait.id)).toEqual([expect.objectContaining({ id: held!.id, spent: true })]);
  });

  it('is dropped when a goal jumps over it; its due job then finds nothing to do', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, {
      trigger: 'CUSTOM',
      triggerKey: 'things.thing_booked',
      actions: [
        waitStep({}, 'gone'),
        mark('after'),
        mark('gone'),
        { id: 'paid', type: 'goal', event: 'things.thing_paid', next: 'thanks' },
        { ...mark('thanks'), next: 'hold' },
        { id: 'hold', type: 'wait', wait: { mode: 'duration', amount: 1, unit: 'days' }, next: 'later' },
        mark('later'),
      ],
    });
    const contactId = randomUUID();
    await book(user.userId, fromNow(hours(3)), contactId);
    const run = await runOf(workflowId, 'WAITING');
    const wait = await db.workflowWait.findFirstOrThrow({ where: { executionId: run.id, kind: 'TIME' } });

    await soshogle.tenantContext('things', user.userId).db.$transaction((tx) => soshogle.events.raise(tx, 'things.thing_paid', { contactId }, { tenantId: user.userId }));
    // Still live (held by the day's wait after the goal), and no longer waiting for the thing.
    await eventually(async () => (await stepLog(run.id)).hold?.status === 'SUCCEEDED');
    expect((await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('WAITING');
    expect(await db.workflowWait.count({ where: { executionId: run.id } })).toBe(0);
    const [job] = await dueJobs(wait.id);
    await db.$executeRaw`update graphile_worker._private_jobs set run_at = now() where id = ${job!.id}`;
    await nudgeWorker();
    await eventually(async () => (await dueJobs(wait.id)).length === 0);
    await queueSettled(soshogle);
    expect(marksOf(run.id)).toEqual(['thanks']);
    expect(Object.keys(await stepLog(run.id)).sort()).toEqual(['hold', 'paid', 'thanks', 'wait']);
  });

  it('is refused at save unless it counts from a time of a record the trigger names (422 on wait.to)', async () => {
    const user = await signedInUser(soshogle);
    const save = (to: string, triggerKey = 'things.thing_booked') =>
      user.request('POST', '/api/workflows', {
        name: 'Relative',
        trigger: triggerKey === 'core.manual' ? 'MANUAL' : 'CUSTOM',
        triggerKey,
        triggerFilter: {},
        actions: [waitStep({ to }), mark('after')],
      });
    const errorsOf = async (res: Response) => (await expectJson<{ errors: { field: string; message: string }[] }>(res, 422)).errors;

    expect(await errorsOf(await save('thing.status'))).toEqual([
      { field: 'actions.0.wait.to', message: 'Step "wait": "thing.status" is not a time a wait can count from (use thing.at)' },
    ]);
    expect(await errorsOf(await save('pet.at'))).toEqual([{ field: 'actions.0.wait.to', message: 'Step "wait": no enabled plugin provides "pet"' }]);
    expect(await errorsOf(await save('thing.at', 'core.manual'))).toEqual([
      { field: 'actions.0.wait.to', message: `Step "wait": the trigger's events name no thing (no "thingId" in their payload)` },
    ]);
    expect((await errorsOf(await save('thing'))).map((e) => e.field)).toEqual(['actions.0.wait.to']);
    expect(await db.workflow.count({ where: { userId: user.userId } })).toBe(0);
    await expectJson(await save('thing.at'), 201);
  });
});
