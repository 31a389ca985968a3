// workflow_start: the events of one raise (or manual starts) meet a live workflow: trigger
// filter, loop guard and entry condition for each; then one statement records the runs,
// counts them, registers their goals and queues their first steps.
//
// One job per workflow and batch of events, not per event: a form's burst of submissions
// starts its runs in a few jobs, and events the filter turns away cost no job of their own.
// A retried job starts nothing twice: each run is recorded once per dedupe key.
//
// A run whose first step needs no provider (a database-only action, a branch, a wait, a
// goal) takes that step in the start's own transaction: the run's start and first step cost
// one job, not two, and commit together.
import { randomUUID } from 'node:crypto';
import type { JobHelpers } from 'graphile-worker';
import { contactOf } from '../events.ts';
import { evaluateCondition } from './conditions.ts';
import { tenantDb, type EngineServices, type Raw } from './engine-services.ts';
import type { TenantContext } from '../plugin.ts';
import { actingAs, type TenantTx } from '../tenancy.ts';
import { dealOf, loadContext, type RunEvent } from './run-context.ts';
import type { Step } from './definition.ts';
import { attemptsFor, stepJobOf } from './queue-step.ts';
import { runStep } from './step-task.ts';
import { startJob, stepTask } from './task-payloads.ts';
import { loadVersion, type Version } from './version-cache.ts';

type TenantDb = TenantContext['db'];
type Event = ReturnType<typeof startJob.parse>['events'][number];

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

export async function start(services: EngineServices, payload: unknown, helpers: Pick<JobHelpers, 'abortSignal' | 'job'>): Promise<void> {
  const { workflowId, version: number, events } = startJob.parse(payload);
  const tenantId = events[0]!.tenantId;
  const db = tenantDb(services, tenantId);
  const version = await loadVersion(db as unknown as Raw, tenantId, { workflowId, version: number });
  if (!version) return; // deleted since the events were raised
  const matches = matcher(services, version);
  if (!matches) return;

  const runs: NewRun[] = [];
  const guarded: NewRun[] = [];
  let failure: unknown = null;
  for (const event of events) {
    try {
      if (event.type !== 'core.manual' && !matches(event)) continue;
      const run = newRun(version, event);
      if (event.depth >= services.config.WORKFLOW_MAX_CHAIN_DEPTH) {
        services.log.warn({ workflowId, tenantId, depth: event.depth }, 'workflow loop stopped');
        guarded.push(run);
        continue;
      }
      if (version.conditions !== null) {
        const subject = { tenantId, executionId: null, workflowId, workflowName: version.name, contactId: run.contactId, event: run.contextData.event };
        if (!evaluateCondition(version.conditions, await loadContext(db, services.registry.runContext, subject, version.conditions))) continue;
      }
      runs.push(run);
    } catch (error) {
      // The others still start; the job fails after, and its retry starts only this one
      // again (the rest are recorded by then).
      failure ??= error;
    }
  }
  if (runs.length) await startRuns(services, db, version, runs, helpers);
  if (guarded.length) await recordGuarded(services, db as unknown as Raw, version, guarded);
  if (failure) throw failure;
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
 * Records the runs and, when their first step allows it, takes that step for each in the
 * same transaction. A step failing in a way worth retrying undoes the whole batch, which
 * then starts the plain way, its first steps queued as jobs that retry with backoff (a
 * failure that is final is recorded like any other and commits).
 */
async function startRuns(services: EngineServices, db: TenantDb, version: Version, runs: NewRun[], start: Pick<JobHelpers, 'abortSignal' | 'job'>): Promise<void> {
  const raw = db as unknown as Raw;
  const entry = version.steps.get(version.entry);
  if (runsInline(services, entry)) {
    // The step's attempt is the start's: a start interrupted mid-step (its transaction rolled
    // back) takes the step again as attempt 2, as a step job would.
    const helpers = { job: { attempts: start.job.attempts, max_attempts: attemptsFor(services.registry, entry) }, abortSignal: start.abortSignal } as JobHelpers;
    try {
      await db.$transaction(async (tx) => {
        const started = await recordRuns(services, tx as unknown as Raw, version, runs, false);
        const inTransaction = withTransaction(services, version.tenantId, tx);
        for (const run of runs) if (started.has(run.id)) await runStep(inTransaction, run.job, helpers);
        // Last, so the workflow's row is held only while the batch commits.
        await countRuns(tx as unknown as Raw, version, started.size);
      });
      return;
    } catch (error) {
      services.log.debug({ workflowId: version.workflowId, err: error }, 'first steps queued after an inline attempt failed');
    }
  }
  await recordRuns(services, raw, version, runs, true);
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
 * one run), their goals and, with `queue`, their count on the workflow and their first
 * steps' jobs commit together or not at all. Answers the runs recorded.
 */
async function recordRuns(services: EngineServices, db: Raw, version: Version, runs: NewRun[], queue: boolean): Promise<Set<string>> {
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
    counted as (
      update "Workflow" set "executionCount" = "executionCount" + (select count(*) from e), "lastExecutedAt" = now()
      where ${queue} and id = ${workflowId} and "userId" = ${tenantId} and exists (select 1 from e)),
    goals as (
      insert into "WorkflowWait" (id, "userId", "executionId", "stepId", kind, "eventType", "contactId", filter)
      select g.id, ${tenantId}, e.id, g."stepId", 'GOAL', g."eventType", r."contactId", g.filter
      from e join r on r.id = e.id, jsonb_to_recordset(r.goals) as g(id text, "stepId" text, "eventType" text, filter jsonb)),
    queued as (
      select graphile_worker.add_job(${stepTask}, r.job, max_attempts => ${attemptsFor(services.registry, version.steps.get(version.entry))}::int)
      from e join r on r.id = e.id where ${queue})
    select e.id, (select count(*) from queued) as queued from e`;
  return new Set(rows.map((row) => row.id));
}

/**
 * The workflow's counter, last in the start's transaction, which then commits without
 * waiting for its WAL flush: every start of a workflow updates this one row, and it stays
 * locked until the commit returns, so waiting for the disk there capped a workflow at about
 * one start per flush (~200/s). Safe to lose in a crash: the start job's completion commits
 * after it and flushes it too (WAL is flushed in order), and a start whose commit was lost is
 * run again by its job; whatever a run does outside the database is preceded by a commit of
 * its own that waits for the flush.
 */
async function countRuns(db: Raw, version: Version, count: number): Promise<void> {
  if (!count) return;
  await db.$executeRaw`update "Workflow" set "executionCount" = "executionCount" + ${count}, "lastExecutedAt" = now()
    from (select set_config('synchronous_commit', 'off', true)) as async_commit
    where id = ${version.workflowId} and "userId" = ${version.tenantId}`;
}

/** Runs the loop guard stopped: recorded FAILED (once per event), so the chain is visible in the run log. */
async function recordGuarded(services: EngineServices, db: Raw, version: Version, runs: NewRun[]): Promise<void> {
  const { workflowId, tenantId } = version;
  const limit = services.config.WORKFLOW_MAX_CHAIN_DEPTH;
  await db.$executeRaw`
    with r as (
      select * from json_to_recordset(${JSON.stringify(runs)}::json) as r(id text, "contextData" jsonb, "contactId" text, "eventId" text, depth int)),
    e as (
      insert into "WorkflowExecution" (id, "workflowId", "versionId", "userId", status, error, "contextData", "contactId", "eventId", "dedupeKey", depth, "completedAt")
      select r.id, ${workflowId}, ${version.id}, ${tenantId}, 'FAILED',
             'Stopped by the loop guard: ' || r.depth || ' workflow runs led to this event (limit ' || ${limit}::int || '); workflows are probably triggering each other',
             r."contextData", r."contactId", r."eventId", r."eventId", r.depth, now() from r
      on conflict ("workflowId", "dedupeKey") do nothing
      returning id)
    update "Workflow" set "executionCount" = "executionCount" + (select count(*) from e), "lastExecutedAt" = now()
    where id = ${workflowId} and "userId" = ${tenantId} and exists (select 1 from e)`;
}
