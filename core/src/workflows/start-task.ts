// workflow_start: takes a workflow's start queue (start-queue.ts) in batches, one
// transaction each: for every queued event the trigger filter, the loop guard and the entry
// condition; then one statement records the batch's runs and registers their goals, and the
// queued events are deleted with them. A retried batch starts nothing twice: each run is
// recorded once per dedupe key.
//
// A run whose first step needs no provider (a database-only action, a branch, a wait, a
// goal) takes that step in the same transaction: the run's start and first step cost no
// job of their own, and commit together.
import { randomUUID } from 'node:crypto';
import type { JobHelpers } from 'graphile-worker';
import { Prisma } from '@soshogle/db';
import { contactOf } from '../events.ts';
import { evaluateCondition } from './conditions.ts';
import { tenantDb, type EngineServices, type FinishedStep, type Raw } from './engine-services.ts';
import type { TenantContext } from '../plugin.ts';
import { actingAs, type TenantTx } from '../tenancy.ts';
import { dealOf, loadContext, type RunEvent } from './run-context.ts';
import type { Step } from './definition.ts';
import { attemptsFor, queueSteps, stepJobOf } from './queue-step.ts';
import { message } from './step-errors.ts';
import { finishFirstSteps } from './step-record.ts';
import { runStep } from './step-task.ts';
import { queueStartJobs, startBatchSize } from './start-queue.ts';
import { eventSchema, startJob } from './task-payloads.ts';
import { loadVersion, type Version } from './version-cache.ts';

type TenantDb = TenantContext['db'];
type Event = ReturnType<typeof eventSchema.parse>;
type StartHelpers = Pick<JobHelpers, 'abortSignal' | 'job'>;

/** A queued event whose start fails this many times is recorded as a failed run. */
const startAttempts = 10;
/** How long a batch's first steps may run inline before the rest are queued as step jobs. */
const inlineBudgetMs = 2000;
/** A first step taking longer than this sends the rest of its batch to step jobs. */
const slowStepMs = 250;
/** A job stops taking batches after this long and queues its next run, so no run holds a worker for long. */
const runBudgetMs = 5000;

/** A run about to be recorded, as the start statement reads it. */
interface NewRun {
  id: string;
  contextData: { event: RunEvent };
  contactId: string | null;
  eventId: string;
  dedupeKey: string;
  depth: number;
  goals: { id: string; stepId: string; eventType: string; filter: unknown }[];
  job: ReturnType<typeof stepJobOf>;
}

interface Queued {
  id: bigint;
  version: number;
  event: unknown;
  attempts: number;
}

export async function start(services: EngineServices, payload: unknown, helpers: StartHelpers): Promise<void> {
  const job = startJob.parse(payload);
  if ('events' in job) return carried(services, job);
  const { workflowId, tenantId } = job;
  const db = tenantDb(services, tenantId);
  const started = Date.now();
  // A full batch may have left more behind (a burst): take batches until one is not full.
  let from = job.from;
  for (;;) {
    const taken = await startBatch(services, db, workflowId, tenantId, from, helpers);
    if (taken.length < startBatchSize) return;
    from = taken.at(-1)! + 1n;
    if (Date.now() - started > runBudgetMs) {
      await (db as unknown as Raw).$executeRaw`
        with appended as (select ${from}::bigint as id, ${workflowId}::text as "workflowId") ${queueStartJobs(tenantId, 'appended')}`;
      return;
    }
  }
}

/** A start job queued before the start queue: its events join the queue, and a job takes them. */
async function carried(services: EngineServices, job: { workflowId: string; version: number; events: Event[] }): Promise<void> {
  const tenantId = job.events[0]!.tenantId;
  await (tenantDb(services, tenantId) as unknown as Raw).$executeRaw`
    with appended as (
      insert into "WorkflowStart" ("workflowId", "userId", version, event)
      select w.id, w."userId", ${job.version}::int, e.event
      from "Workflow" w, jsonb_array_elements(${JSON.stringify(job.events)}::jsonb) with ordinality as e(event, n)
      where w.id = ${job.workflowId} and w."userId" = ${tenantId}
      order by e.n
      returning id, "workflowId")
    ${queueStartJobs(tenantId, 'appended')}`;
}

/** One batch of a workflow's queue (from id `from` on) in one transaction; answers the ids of the queued events it took. */
async function startBatch(services: EngineServices, db: TenantDb, workflowId: string, tenantId: string, from: bigint, helpers: StartHelpers): Promise<bigint[]> {
  return db.$transaction(async (tx) => {
    const raw = tx as unknown as Raw;
    // Locked, skipping locked ones: the workflow's other start jobs take other events, never these.
    const queued = await raw.$queryRaw<Queued[]>`
      select id, version, event, attempts from "WorkflowStart"
      where "workflowId" = ${workflowId} and "userId" = ${tenantId} and id >= ${from} and "dueAt" <= now()
      order by id limit ${startBatchSize}
      for update skip locked`;
    if (!queued.length) return [];
    const failures = new Map<bigint, unknown>();
    let counted = 0;
    for (const number of new Set(queued.map((q) => q.version))) {
      const version = await loadVersion(raw, tenantId, { workflowId, version: number });
      if (!version) continue; // gone since: nothing to start
      counted += await startEvents(services, tx, version, queued.filter((q) => q.version === number), failures, helpers);
    }
    counted += await settle(services, tx, workflowId, tenantId, queued, failures);
    await countRuns(raw, workflowId, tenantId, counted);
    return queued.map((q) => q.id);
  });
}

/** Starts the runs of one version's queued events; failures are noted per event. Answers the runs recorded. */
async function startEvents(services: EngineServices, tx: TenantTx, version: Version, queued: Queued[], failures: Map<bigint, unknown>, helpers: StartHelpers): Promise<number> {
  const matches = matcher(services, version);
  if (!matches) return 0;
  // Conditions read outside the batch's transaction: a read failing there fails its event, not the batch.
  const db = tenantDb(services, version.tenantId);
  const runs: NewRun[] = [];
  const guarded: (NewRun & { error: string })[] = [];
  const limit = services.config.WORKFLOW_MAX_CHAIN_DEPTH;
  for (const row of queued) {
    try {
      const event = eventSchema.parse(row.event);
      if (event.type !== 'core.manual' && !matches(event)) continue;
      const run = newRun(version, event);
      if (event.depth >= limit) {
        services.log.warn({ workflowId: version.workflowId, tenantId: version.tenantId, depth: event.depth }, 'workflow loop stopped');
        guarded.push({ ...run, error: `Stopped by the loop guard: ${event.depth} workflow runs led to this event (limit ${limit}); workflows are probably triggering each other` });
        continue;
      }
      if (version.conditions !== null) {
        const subject = { tenantId: version.tenantId, executionId: null, workflowId: version.workflowId, workflowName: version.name, contactId: run.contactId, event: run.contextData.event };
        if (!evaluateCondition(version.conditions, await loadContext(db, services.registry.runContext, subject, version.conditions))) continue;
      }
      runs.push(run);
    } catch (error) {
      // The others still start; this one is tried again later (settle).
      failures.set(row.id, error);
    }
  }
  let counted = runs.length ? await startRuns(services, tx, version, runs, helpers) : 0;
  if (guarded.length) counted += await recordFailed(tx as unknown as Raw, version, guarded);
  return counted;
}

/**
 * The batch's queued events leave the queue with the runs they started; a failed one stays,
 * due again after a backoff (its start job queued for then), and after its last attempt is
 * recorded as a failed run, so the failure shows in the run log. Answers the runs recorded.
 */
async function settle(services: EngineServices, tx: TenantTx, workflowId: string, tenantId: string, queued: Queued[], failures: Map<bigint, unknown>): Promise<number> {
  const raw = tx as unknown as Raw;
  await raw.$executeRaw`delete from "WorkflowStart" where id = any(${queued.filter((q) => !failures.has(q.id)).map((q) => q.id)}::bigint[])`;
  let counted = 0;
  for (const row of queued.filter((q) => failures.has(q.id))) {
    const error = message(failures.get(row.id));
    services.log.warn({ workflowId, tenantId, attempts: row.attempts + 1, err: failures.get(row.id) }, 'a workflow start failed');
    if (row.attempts + 1 >= startAttempts) {
      const version = await loadVersion(raw, tenantId, { workflowId, version: row.version }).catch(() => null);
      const event = eventSchema.safeParse(row.event);
      if (version && event.success) counted += await recordFailed(raw, version, [{ ...newRun(version, event.data), error: `The run could not start: ${error}` }]);
      await raw.$executeRaw`delete from "WorkflowStart" where id = ${row.id}`;
      continue;
    }
    await raw.$executeRaw`
      with appended as (
        update "WorkflowStart" set attempts = attempts + 1, error = ${error.slice(0, 2000)}, "dueAt" = now() + make_interval(secs => exp(least(attempts + 1, 10)))
        where id = ${row.id}
        returning id, "workflowId", "dueAt")
      ${queueStartJobs(tenantId, 'appended', Prisma.sql`(select "dueAt" from appended)`)}`;
  }
  return counted;
}

/** Whether an event passes the workflow's trigger filter (parsed once for the batch); null when the trigger is gone. */
function matcher(services: EngineServices, version: Version): ((event: Event) => boolean) | null {
  const trigger = services.registry.triggers.get(version.triggerKey)?.trigger;
  if (!trigger) {
    services.log.warn({ workflowId: version.workflowId, trigger: version.triggerKey }, 'workflow trigger no longer provided; event ignored');
    return null;
  }
  const filter = trigger.filter.parse(version.triggerFilter);
  return (event) => trigger.matches(filter, trigger.payload.parse(event.payload));
}

function newRun(version: Version, event: Event): NewRun {
  const contactId = contactOf(event.payload);
  const id = randomUUID();
  return {
    id,
    contextData: { event: { id: event.id, type: event.type, payload: event.payload, occurredAt: event.occurredAt } },
    contactId,
    eventId: event.id,
    dedupeKey: version.allowReentry || !contactId ? event.id : `contact:${contactId}`,
    depth: event.depth,
    goals: contactId ? version.goals.map((g) => ({ id: randomUUID(), stepId: g.id, eventType: g.event, filter: g.filter })) : [],
    job: stepJobOf({ tenantId: version.tenantId, executionId: id, workflowId: version.workflowId, position: 0, contactId, dealId: dealOf(event.payload), depth: event.depth }, version, version.entry),
  };
}

/** Whether a step can run inside the start's transaction: anything but an action with effects outside the database. */
function runsInline(services: EngineServices, step: Step | undefined): boolean {
  if (!step) return false;
  if (step.type !== 'action') return true;
  return services.registry.actions.get(step.action)?.action.transactional === true;
}

/**
 * Records the runs and, when their first step allows it, takes that step for each at a
 * savepoint of the batch's transaction. A step failing in a way worth retrying undoes the
 * savepoint, and the runs start the plain way, their first steps queued as jobs that retry
 * with backoff (a failure that is final is recorded like any other and commits). Answers
 * the runs recorded.
 */
async function startRuns(services: EngineServices, tx: TenantTx, version: Version, runs: NewRun[], start: StartHelpers): Promise<number> {
  const entry = version.steps.get(version.entry);
  if (runsInline(services, entry)) {
    // The step's attempt is the start's: a start interrupted mid-step (its transaction rolled
    // back) takes the step again as attempt 2, as a step job would.
    const helpers = { job: { attempts: start.job.attempts, max_attempts: attemptsFor(services.registry, entry) }, abortSignal: start.abortSignal } as JobHelpers;
    try {
      return await (tx as unknown as TenantDb).$transaction(async (sp) => {
        const started = await recordRuns(sp as unknown as Raw, version, runs);
        const inTransaction = { ...withTransaction(services, version.tenantId, sp), firstSteps: [] as FinishedStep[] };
        const since = Date.now();
        const left: NewRun[] = [];
        let slow = false;
        for (const run of runs) {
          if (!started.has(run.id)) continue;
          // A slow step (a busy action) would hold the batch open for the others: after one, or
          // past the batch's budget, the rest are queued as step jobs and run side by side.
          if (slow || Date.now() - since > inlineBudgetMs) {
            left.push(run);
            continue;
          }
          const stepStarted = Date.now();
          await runStep(inTransaction, run.job, helpers);
          slow = Date.now() - stepStarted > slowStepMs;
        }
        await finishFirstSteps(services, sp as unknown as Raw, version, inTransaction.firstSteps);
        if (left.length) await queueFirstSteps(services, sp as unknown as Raw, version, left);
        return started.size;
      });
    } catch (error) {
      services.log.debug({ workflowId: version.workflowId, err: error }, 'first steps queued after an inline attempt failed');
    }
  }
  const started = await recordRuns(tx as unknown as Raw, version, runs);
  if (started.size) await queueFirstSteps(services, tx as unknown as Raw, version, runs.filter((run) => started.has(run.id)));
  return started.size;
}

/** The engine's services with the tenant's data reached through `tx`, so a step run with them is part of that transaction. */
function withTransaction(services: EngineServices, tenantId: string, tx: TenantTx): EngineServices {
  const db = tx as unknown as TenantDb; // a transaction's client: its $transaction is a savepoint
  return {
    ...services,
    tenantContext: (plugin, id) => (id === tenantId ? { ...services.tenantContext(plugin, id), db: actingAs(db, plugin) } : services.tenantContext(plugin, id)),
  };
}

/**
 * One statement: the runs (once per dedupe key: two events of one contact in a batch make
 * one run) and their goals. Answers the runs recorded.
 */
async function recordRuns(db: Raw, version: Version, runs: NewRun[]): Promise<Set<string>> {
  const { workflowId, tenantId } = version;
  const rows = await db.$queryRaw<{ id: string }[]>`
    with r as (
      select * from json_to_recordset(${JSON.stringify(runs)}::json)
        as r(id text, "contextData" jsonb, "contactId" text, "eventId" text, "dedupeKey" text, depth int, goals jsonb, job json)),
    e as (
      insert into "WorkflowExecution" (id, "workflowId", "versionId", "userId", status, "contextData", "contactId", "eventId", "dedupeKey", depth)
      select r.id, ${workflowId}, ${version.id}, ${tenantId}, 'RUNNING', r."contextData", r."contactId", r."eventId", r."dedupeKey", r.depth from r
      on conflict ("workflowId", "dedupeKey") do nothing
      returning id),
    goals as (
      insert into "WorkflowWait" (id, "userId", "executionId", "stepId", kind, "eventType", "contactId", filter)
      select g.id, ${tenantId}, e.id, g."stepId", 'GOAL', g."eventType", r."contactId", g.filter
      from e join r on r.id = e.id, jsonb_to_recordset(r.goals) as g(id text, "stepId" text, "eventType" text, filter jsonb))
    select e.id from e`;
  return new Set(rows.map((row) => row.id));
}

/** Queues the first steps of recorded runs as step jobs. */
async function queueFirstSteps(services: EngineServices, db: Raw, version: Version, runs: NewRun[]): Promise<void> {
  await db.$executeRaw`select ${queueSteps(services.registry, version, runs.map((run) => ({ run: run.job, stepId: version.entry })))}`;
}

/**
 * The workflow's counter, last in the batch's transaction, which then commits without
 * waiting for its WAL flush: every start of a workflow updates this one row, and it stays
 * locked until the commit returns, so waiting for the disk there capped a workflow at about
 * one start per flush (~200/s). Safe to lose in a crash: the start job's completion commits
 * after it and flushes it too (WAL is flushed in order), and a start whose commit was lost is
 * run again by its job; whatever a run does outside the database is preceded by a commit of
 * its own that waits for the flush.
 */
async function countRuns(db: Raw, workflowId: string, tenantId: string, count: number): Promise<void> {
  if (!count) return;
  await db.$executeRaw`update "Workflow" set "executionCount" = "executionCount" + ${count}, "lastExecutedAt" = now()
    from (select set_config('synchronous_commit', 'off', true)) as async_commit
    where id = ${workflowId} and "userId" = ${tenantId}`;
}

/** Runs that cannot start (the loop guard stopped them, or their start kept failing): recorded FAILED (once per event) with why, so it shows in the run log. */
async function recordFailed(db: Raw, version: Version, runs: (NewRun & { error: string })[]): Promise<number> {
  const { workflowId, tenantId } = version;
  return db.$executeRaw`
    insert into "WorkflowExecution" (id, "workflowId", "versionId", "userId", status, error, "contextData", "contactId", "eventId", "dedupeKey", depth, "completedAt")
    select r.id, ${workflowId}, ${version.id}, ${tenantId}, 'FAILED', r.error, r."contextData", r."contactId", r."eventId", r."eventId", r.depth, now()
    from json_to_recordset(${JSON.stringify(runs)}::json) as r(id text, error text, "contextData" jsonb, "contactId" text, "eventId" text, depth int)
    on conflict ("workflowId", "dedupeKey") do nothing`;
}
