// The workflow engine: four graphile-worker tasks, each parsing its payload on entry.
//
// - workflow_start: an event (or a manual start) meets a live workflow: trigger filter,
//   loop guard, entry condition; then one statement records the run, counts it, registers
//   its goals and queues its first step.
// - workflow_step: runs one step. A step's success and the queueing of the next step
//   commit together, so a step that succeeded is never run again and a run never stalls.
// - workflow_resume: an event about a contact reaches that contact's paused runs (waits
//   for an event, goals).
// - workflow_wait_timeout: a wait for an event ran out of time.
//
// Every statement here carries the tenant from the job (`"userId" = tenantId`); actions
// get the tenant-scoped client. Nothing is kept in memory that another process needs:
// the only cache holds published versions, which never change.
import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '@soshogle/db';
import type { JobHelpers, Task } from 'graphile-worker';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { contactOf, resumeWorkflowsTask, startWorkflowTask } from '../events.ts';
import { Problem } from '../http/problem.ts';
import { PermanentFailure, type DeliveredEvent, type Events, type TenantContext } from '../plugin.ts';
import type { CoreServices } from '../services.ts';
import type { TenantTx } from '../tenancy.ts';
import { evaluateCondition } from './conditions.ts';
import { stepsSchema, type ActionStep, type GoalStep, type Step, type WaitStep } from './definition.ts';
import { WebhookRefused } from './outbound-webhook.ts';
import { renderValue, TemplateError } from './templates.ts';

export const stepTask = 'workflow_step';
export const waitTimeoutTask = 'workflow_wait_timeout';

type Raw = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;
export type EngineServices = Pick<CoreServices, 'config' | 'log' | 'registry' | 'events' | 'tenantContext'>;

const eventSchema = z.object({
  id: z.string(),
  type: z.string(),
  tenantId: z.string(),
  payload: z.unknown(),
  occurredAt: z.string(),
  depth: z.number().int().min(0).default(0),
});
const startJob = z.object({ workflowId: z.string(), version: z.number().int(), event: eventSchema });
const stepJob = z.object({ tenantId: z.string(), executionId: z.string(), versionId: z.string(), stepId: z.string(), position: z.number().int() });
const resumeJob = z.object({ event: eventSchema });
const timeoutJob = z.object({ tenantId: z.string(), waitId: z.string() });
type StepJob = z.output<typeof stepJob>;

/** A published version, parsed once: versions never change, so every process may cache them. */
export interface Version {
  id: string;
  workflowId: string;
  tenantId: string;
  version: number;
  name: string;
  triggerKey: string;
  triggerFilter: Record<string, unknown>;
  conditions: unknown;
  allowReentry: boolean;
  steps: Map<string, Step>;
  entry: string;
  goals: GoalStep[];
  /** Whether runs can leave wait rows behind (event waits or goals) to clean up at the end. */
  hasWaits: boolean;
}

const versionCache = new Map<string, Version>();
function remember(version: Version): Version {
  if (versionCache.size > 2000) versionCache.delete(versionCache.keys().next().value!);
  versionCache.set(version.id, version);
  versionCache.set(`${version.workflowId}@${version.version}`, version);
  return version;
}

interface VersionRow {
  id: string;
  workflowId: string;
  userId: string;
  version: number;
  name: string;
  triggerKey: string;
  triggerFilter: Record<string, unknown>;
  conditions: unknown;
  actions: unknown;
  allowReentry: boolean;
}

export function compileVersion(row: VersionRow): Version {
  const steps = stepsSchema.parse(row.actions);
  const goals = steps.filter((s): s is GoalStep => s.type === 'goal');
  return {
    id: row.id,
    workflowId: row.workflowId,
    tenantId: row.userId,
    version: row.version,
    name: row.name,
    triggerKey: row.triggerKey,
    triggerFilter: row.triggerFilter ?? {},
    conditions: row.conditions ?? null,
    allowReentry: row.allowReentry,
    steps: new Map(steps.map((s) => [s.id, s])),
    entry: steps[0]!.id,
    goals,
    hasWaits: goals.length > 0 || steps.some((s) => s.type === 'wait' && s.wait.mode === 'event'),
  };
}

async function loadVersion(db: Raw, tenantId: string, by: { id: string } | { workflowId: string; version: number }): Promise<Version | null> {
  const cached = versionCache.get('id' in by ? by.id : `${by.workflowId}@${by.version}`);
  if (cached) return cached.tenantId === tenantId ? cached : null;
  const where =
    'id' in by ? Prisma.sql`v.id = ${by.id}` : Prisma.sql`v."workflowId" = ${by.workflowId} and v.version = ${by.version}`;
  const [row] = await db.$queryRaw<VersionRow[]>`
    select v.id, v."workflowId", v."userId", v.version, w.name, v."triggerKey", v."triggerFilter", v.conditions, v.actions, v."allowReentry"
    from "WorkflowVersion" v join "Workflow" w on w.id = v."workflowId"
    where ${where} and v."userId" = ${tenantId}`;
  return row ? remember(compileVersion(row)) : null;
}

/** What a step's conditions and templates may read: see docs/workflows.md. */
export type RunContext = Record<string, unknown>;

const needsCache = new WeakMap<object, { contact: boolean; deal: boolean; steps: boolean }>();
function needsOf(value: unknown): { contact: boolean; deal: boolean; steps: boolean } {
  if (value === null || typeof value !== 'object') {
    const text = String(value ?? '');
    return { contact: /contact|has_tag/.test(text), deal: text.includes('deal'), steps: text.includes('steps') };
  }
  let needs = needsCache.get(value);
  if (!needs) {
    const text = JSON.stringify(value);
    needs = { contact: /contact|has_tag/.test(text), deal: text.includes('deal'), steps: text.includes('steps') };
    needsCache.set(value, needs);
  }
  return needs;
}

/** Plain JSON (dates as ISO strings, decimals as strings), as conditions and templates see it. */
const plain = (row: unknown) => (row === null || row === undefined ? null : (JSON.parse(JSON.stringify(row)) as Record<string, unknown>));

export interface RunSubject {
  tenantId: string;
  executionId: string | null;
  workflowId: string;
  workflowName: string;
  contactId: string | null;
  event: Pick<DeliveredEvent, 'id' | 'type' | 'payload' | 'occurredAt'>;
}

/** Loads what `used` (a rule, a step's props) reads: only the contact, deal or step outputs it mentions. */
export async function loadContext(db: TenantTx, subject: RunSubject, used: unknown, force: { contact?: boolean } = {}): Promise<RunContext> {
  const needs = needsOf(used);
  const dealId = (subject.event.payload as { dealId?: unknown } | null)?.dealId;
  const [contact, deal, steps] = await Promise.all([
    (needs.contact || force.contact) && subject.contactId ? db.contact.findUnique({ where: { id: subject.contactId } }) : null,
    needs.deal && typeof dealId === 'string' ? db.deal.findUnique({ where: { id: dealId } }) : null,
    needs.steps && subject.executionId
      ? (db as unknown as Raw).$queryRaw<{ stepId: string; output: unknown }[]>`
          select "stepId", output from "WorkflowStepRun"
          where "executionId" = ${subject.executionId} and "userId" = ${subject.tenantId} and status = 'SUCCEEDED'`
      : [],
  ]);
  return {
    contact: plain(contact),
    deal: plain(deal),
    event: subject.event,
    steps: Object.fromEntries(steps.map((s) => [s.stepId, s.output ?? {}])),
    workflow: { id: subject.workflowId, name: subject.workflowName },
    now: new Date().toISOString(),
  };
}

interface RunRow {
  id: string;
  workflowId: string;
  versionId: string;
  status: string;
  position: number;
  contactId: string | null;
  contextData: { event: RunSubject['event'] };
  depth: number;
  stepStatus: string | null;
}

async function readRun(db: Raw, tenantId: string, executionId: string, stepId: string, lock: boolean): Promise<RunRow | undefined> {
  const [row] = await db.$queryRaw<RunRow[]>`
    select e.id, e."workflowId", e."versionId", e.status::text as status, e.position, e."contactId", e."contextData", e.depth,
      s.status::text as "stepStatus"
    from "WorkflowExecution" e left join "WorkflowStepRun" s on s."executionId" = e.id and s."stepId" = ${stepId}
    where e.id = ${executionId} and e."userId" = ${tenantId}
    ${lock ? Prisma.sql`for update of e` : Prisma.empty}`;
  return row;
}

const live = new Set(['PENDING', 'RUNNING', 'WAITING']);
/** Whether this step job still has work: the run is live, at this position, and the step not yet done. */
function stillToRun(run: RunRow | undefined, job: StepJob): run is RunRow {
  return !!run && live.has(run.status) && run.position === job.position && run.stepStatus !== 'SUCCEEDED' && run.stepStatus !== 'NEEDS_REVIEW';
}

function subjectOf(run: RunRow, version: Version, tenantId: string): RunSubject {
  return {
    tenantId,
    executionId: run.id,
    workflowId: run.workflowId,
    workflowName: version.name,
    contactId: run.contactId,
    event: run.contextData.event,
  };
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

interface StepRecord {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'WAITING' | 'NEEDS_REVIEW';
  attempt: number;
  startedAt: Date;
  input?: unknown;
  output?: unknown;
  error?: string;
}

/** Writes the step log row: one per step of a run, holding its last attempt. */
function recordStep(db: Raw, tenantId: string, executionId: string, step: Step, r: StepRecord) {
  const finished = r.status === 'SUCCEEDED' || r.status === 'FAILED' || r.status === 'NEEDS_REVIEW';
  return db.$executeRaw`
    insert into "WorkflowStepRun" (id, "userId", "executionId", "stepId", type, "actionKey", status, attempt, input, output, error, "startedAt", "finishedAt")
    values (${randomUUID()}, ${tenantId}, ${executionId}, ${step.id}, ${step.type}, ${step.type === 'action' ? step.action : null},
      ${r.status}::"StepRunStatus", ${r.attempt}, ${json(r.input)}::jsonb, ${json(r.output)}::jsonb, ${r.error ?? null}, ${r.startedAt}, ${finished ? new Date() : null})
    on conflict ("executionId", "stepId") do update set status = excluded.status, attempt = excluded.attempt,
      input = coalesce(excluded.input, "WorkflowStepRun".input), output = excluded.output, error = excluded.error,
      "startedAt" = excluded."startedAt", "finishedAt" = excluded."finishedAt"`;
}

function attemptsFor(services: EngineServices, step: Step | undefined): number {
  return step?.type === 'action' ? (services.registry.actions.get(step.action)?.action.maxAttempts ?? 5) : 5;
}

/**
 * Moves a run on to `next` (at `runAt`, default now), or completes it when there is no
 * next step. Runs in the caller's transaction, with the step's own record.
 */
async function advance(
  services: EngineServices,
  db: Raw,
  tenantId: string,
  run: Pick<RunRow, 'id' | 'status' | 'position'>,
  version: Version,
  next: string | null | undefined,
  runAt?: Date,
): Promise<void> {
  if (!next) {
    await db.$executeRaw`update "WorkflowExecution" set status = 'COMPLETED', "completedAt" = now() where id = ${run.id} and "userId" = ${tenantId}`;
    if (version.hasWaits) await db.$executeRaw`delete from "WorkflowWait" where "executionId" = ${run.id} and "userId" = ${tenantId}`;
    return;
  }
  const status = runAt && runAt.getTime() > Date.now() ? 'WAITING' : 'RUNNING';
  const job = { tenantId, executionId: run.id, versionId: version.id, stepId: next, position: run.position };
  await db.$executeRaw`
    with s as (update "WorkflowExecution" set status = ${status}::"ExecutionStatus"
               where id = ${run.id} and "userId" = ${tenantId} and status <> ${status}::"ExecutionStatus")
    select graphile_worker.add_job(${stepTask}, ${JSON.stringify(job)}::json, run_at => ${runAt ?? null}::timestamptz,
      max_attempts => ${attemptsFor(services, version.steps.get(next))})`;
}

async function failRun(db: Raw, tenantId: string, executionId: string, status: 'FAILED' | 'NEEDS_REVIEW', error: string, hasWaits: boolean) {
  await db.$executeRaw`
    update "WorkflowExecution" set status = ${status}::"ExecutionStatus", error = ${error},
      "completedAt" = case when ${status} = 'FAILED' then now() else null end
    where id = ${executionId} and "userId" = ${tenantId}`;
  if (hasWaits) await db.$executeRaw`delete from "WorkflowWait" where "executionId" = ${executionId} and "userId" = ${tenantId}`;
}

/** Errors that retrying cannot fix: the step fails at once. */
function isPermanent(error: unknown): boolean {
  return (
    error instanceof PermanentFailure ||
    error instanceof TemplateError ||
    error instanceof WebhookRefused ||
    error instanceof z.ZodError ||
    (error instanceof Problem && error.status < 500) ||
    (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025')
  );
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Events raised by a step carry the run's depth + 1: the loop guard counts them. */
function chainedEvents(events: Events, depth: number): Events {
  return { raise: (tx, type, payload, options) => events.raise(tx, type, payload, { ...options, depth }) };
}

function tenantDb(services: EngineServices, tenantId: string): TenantContext['db'] {
  return services.tenantContext('core', tenantId).db;
}

// --- workflow_start ------------------------------------------------------------------

async function start(services: EngineServices, payload: unknown): Promise<void> {
  const { workflowId, version: number, event } = startJob.parse(payload);
  const db = tenantDb(services, event.tenantId);
  const version = await loadVersion(db as unknown as Raw, event.tenantId, { workflowId, version: number });
  if (!version) return; // deleted since the event was raised
  const manual = event.type === 'core.manual';
  if (!manual) {
    const trigger = services.registry.triggers.get(version.triggerKey)?.trigger;
    if (!trigger) return services.log.warn({ workflowId, trigger: version.triggerKey }, 'workflow trigger no longer provided; event ignored');
    if (!trigger.matches(trigger.filter.parse(version.triggerFilter), trigger.payload.parse(event.payload))) return;
  }
  const contactId = contactOf(event.payload);
  const dedupeKey = version.allowReentry || !contactId ? event.id : `contact:${contactId}`;
  const contextData = JSON.stringify({ event: { id: event.id, type: event.type, payload: event.payload, occurredAt: event.occurredAt } });
  const executionId = randomUUID();

  if (event.depth >= services.config.WORKFLOW_MAX_CHAIN_DEPTH) {
    const error = `Stopped by the loop guard: ${event.depth} workflow runs led to this event (limit ${services.config.WORKFLOW_MAX_CHAIN_DEPTH}); workflows are probably triggering each other`;
    services.log.warn({ workflowId, tenantId: event.tenantId, depth: event.depth }, 'workflow loop stopped');
    await db.$executeRaw`
      insert into "WorkflowExecution" (id, "workflowId", "versionId", "userId", status, error, "contextData", "contactId", "eventId", "dedupeKey", depth, "completedAt")
      values (${executionId}, ${workflowId}, ${version.id}, ${event.tenantId}, 'FAILED', ${error}, ${contextData}::jsonb, ${contactId}, ${event.id}, ${event.id}, ${event.depth}, now())
      on conflict ("workflowId", "dedupeKey") do nothing`;
    return;
  }
  if (version.conditions !== null) {
    const subject = { tenantId: event.tenantId, executionId: null, workflowId, workflowName: version.name, contactId, event };
    if (!evaluateCondition(version.conditions, await loadContext(db, subject, version.conditions))) return;
  }
  const goals = contactId && version.goals.length
    ? version.goals.map((g) => ({ id: randomUUID(), stepId: g.id, eventType: g.event, filter: g.filter }))
    : [];
  const first = { tenantId: event.tenantId, executionId, versionId: version.id, stepId: version.entry, position: 0 };
  // One statement: the run (once per dedupe key), its count on the workflow, its goals,
  // and its first step commit together or not at all.
  await db.$executeRaw`
    with e as (
      insert into "WorkflowExecution" (id, "workflowId", "versionId", "userId", status, "contextData", "contactId", "eventId", "dedupeKey", depth)
      values (${executionId}, ${workflowId}, ${version.id}, ${event.tenantId}, 'RUNNING', ${contextData}::jsonb, ${contactId}, ${event.id}, ${dedupeKey}, ${event.depth})
      on conflict ("workflowId", "dedupeKey") do nothing
      returning id),
    counted as (
      update "Workflow" set "executionCount" = "executionCount" + 1, "lastExecutedAt" = now()
      where id = ${workflowId} and "userId" = ${event.tenantId} and exists (select 1 from e)),
    goals as (
      insert into "WorkflowWait" (id, "userId", "executionId", "stepId", kind, "eventType", "contactId", filter)
      select g.id, ${event.tenantId}, e.id, g."stepId", 'GOAL', g."eventType", ${contactId}, g.filter
      from e, jsonb_to_recordset(${JSON.stringify(goals)}::jsonb) as g(id text, "stepId" text, "eventType" text, filter jsonb))
    select graphile_worker.add_job(${stepTask}, ${JSON.stringify(first)}::json,
      max_attempts => ${attemptsFor(services, version.steps.get(version.entry))}) from e`;
}

// --- workflow_step -------------------------------------------------------------------

async function runStep(services: EngineServices, payload: unknown, helpers: JobHelpers): Promise<void> {
  const job = stepJob.parse(payload);
  const db = tenantDb(services, job.tenantId);
  const raw = db as unknown as Raw;
  const version = await loadVersion(raw, job.tenantId, { id: job.versionId });
  const step = version?.steps.get(job.stepId);
  if (!version || !step) return;
  const attempt = helpers.job.attempts;
  const final = attempt >= helpers.job.max_attempts;
  const startedAt = new Date();

  if (step.type === 'action' && services.registry.actions.get(step.action)?.action.transactional) {
    return runTransactionalAction(services, job, version, step, attempt, final, helpers.abortSignal);
  }
  const run = await readRun(raw, job.tenantId, job.executionId, job.stepId, false);
  if (!stillToRun(run, job)) return;
  const subject = subjectOf(run, version, job.tenantId);
  try {
    switch (step.type) {
      case 'action':
        return await runExternalAction(services, job, run, version, step, attempt, helpers.abortSignal);
      case 'branch': {
        const result = evaluateCondition(step.condition, await loadContext(db, subject, step.condition));
        return await complete(services, job, run, version, step, { attempt, startedAt, output: { result } }, result ? step.then : step.else);
      }
      case 'wait':
        return await wait(services, job, run, version, step, subject, attempt, startedAt);
      case 'goal':
        // Reached in sequence, without the goal's event having happened.
        if (step.ifNotMet === 'wait') {
          await db.$transaction([
            recordStep(raw, job.tenantId, run.id, step, { status: 'WAITING', attempt, startedAt }),
            raw.$executeRaw`update "WorkflowExecution" set status = 'WAITING' where id = ${run.id} and "userId" = ${job.tenantId}`,
          ]);
          return;
        }
        return await complete(services, job, run, version, step, { attempt, startedAt, output: { met: false } }, step.ifNotMet === 'end' ? null : step.next);
      case 'end':
        return await complete(services, job, run, version, step, { attempt, startedAt, output: {} }, null);
    }
  } catch (error) {
    await stepFailed(services, job, version, step, error, attempt, final, startedAt);
  }
}

/** Records a step's success and moves the run on, in one transaction. */
async function complete(
  services: EngineServices,
  job: StepJob,
  run: RunRow,
  version: Version,
  step: Step,
  r: { attempt: number; startedAt: Date; output: unknown; input?: unknown },
  next: string | null | undefined,
  runAt?: Date,
): Promise<void> {
  await tenantDb(services, job.tenantId).$transaction(async (tx) => {
    const raw = tx as unknown as Raw;
    // Locked and checked again: a step records its success and moves the run on once.
    if (!stillToRun(await readRun(raw, job.tenantId, run.id, step.id, true), job)) return;
    await recordStep(raw, job.tenantId, run.id, step, { status: 'SUCCEEDED', ...r });
    await advance(services, raw, job.tenantId, run, version, next, runAt);
  });
}

async function stepFailed(
  services: EngineServices,
  job: StepJob,
  version: Version,
  step: Step,
  error: unknown,
  attempt: number,
  final: boolean,
  startedAt: Date,
): Promise<void> {
  const permanent = isPermanent(error);
  const raw = tenantDb(services, job.tenantId) as unknown as Raw;
  await recordStep(raw, job.tenantId, job.executionId, step, { status: 'FAILED', attempt, startedAt, error: message(error) });
  if (permanent || final) {
    services.log.info({ executionId: job.executionId, step: step.id, err: error }, 'workflow step failed');
    await failRun(raw, job.tenantId, job.executionId, 'FAILED', `Step "${step.id}" failed: ${message(error)}`, version.hasWaits);
    return;
  }
  throw error; // graphile-worker retries it with backoff
}

function actionContext(services: EngineServices, job: StepJob, run: RunRow, step: ActionStep, db: TenantTx, props: Record<string, unknown>, signal: AbortSignal) {
  const found = services.registry.actions.get(step.action)!;
  const base = services.tenantContext(found.plugin.definition.name, job.tenantId);
  const dealId = (run.contextData.event.payload as { dealId?: unknown } | null)?.dealId;
  return {
    ...base,
    db,
    events: chainedEvents(base.events, run.depth + 1),
    props,
    idempotencyKey: `${run.id}:${step.id}`,
    signal,
    run: {
      executionId: run.id,
      workflowId: run.workflowId,
      stepId: step.id,
      contactId: run.contactId,
      dealId: typeof dealId === 'string' ? dealId : null,
    },
  };
}

/** Renders the step's templates and checks the result against the action's props. */
async function prepareProps(db: TenantTx, step: ActionStep, subject: RunSubject, services: EngineServices) {
  const action = services.registry.actions.get(step.action)!.action;
  const rendered = renderValue(step.props, await loadContext(db, subject, step.props));
  return action.props.parse(rendered) as Record<string, unknown>;
}

/**
 * A database-only action: it runs in the transaction that records the step, with the
 * run row locked, so it has happened exactly once when the step shows as succeeded.
 */
async function runTransactionalAction(
  services: EngineServices,
  job: StepJob,
  version: Version,
  step: ActionStep,
  attempt: number,
  final: boolean,
  signal: AbortSignal,
): Promise<void> {
  const action = services.registry.actions.get(step.action)!.action;
  const startedAt = new Date();
  try {
    await tenantDb(services, job.tenantId).$transaction(async (tx) => {
      const raw = tx as unknown as Raw;
      const run = await readRun(raw, job.tenantId, job.executionId, job.stepId, true);
      if (!stillToRun(run, job)) return;
      const props = await prepareProps(tx, step, subjectOf(run, version, job.tenantId), services);
      const output = action.output.parse(await action.run(actionContext(services, job, run, step, tx, props, signal)));
      await recordStep(raw, job.tenantId, run.id, step, { status: 'SUCCEEDED', attempt, startedAt, input: props, output });
      await advance(services, raw, job.tenantId, run, version, step.next);
    });
  } catch (error) {
    await stepFailed(services, job, version, step, error, attempt, final, startedAt);
  }
}

/**
 * An action with effects outside the database (a provider call). The attempt is
 * recorded as RUNNING before the call; finding it still RUNNING later means a worker
 * died during the call, and a non-idempotent action is then left for a person to review.
 */
async function runExternalAction(
  services: EngineServices,
  job: StepJob,
  run: RunRow,
  version: Version,
  step: ActionStep,
  attempt: number,
  signal: AbortSignal,
): Promise<void> {
  const db = tenantDb(services, job.tenantId);
  const raw = db as unknown as Raw;
  const action = services.registry.actions.get(step.action)?.action;
  if (!action) throw new PermanentFailure(`The action "${step.action}" is no longer available (is its plugin disabled?)`);
  if (run.stepStatus === 'RUNNING' && !action.idempotent) {
    const error = `Step "${step.id}" (${step.action}) was interrupted: the worker stopped while it ran, so it may or may not have happened. It is not repeated automatically; review it and retry or skip.`;
    await db.$transaction([
      recordStep(raw, job.tenantId, run.id, step, { status: 'NEEDS_REVIEW', attempt, startedAt: new Date(), error }),
      raw.$executeRaw`update "WorkflowExecution" set status = 'NEEDS_REVIEW', error = ${error} where id = ${run.id} and "userId" = ${job.tenantId}`,
    ]);
    services.log.warn({ executionId: run.id, step: step.id }, 'workflow step needs review');
    return;
  }
  const startedAt = new Date();
  const props = await prepareProps(db, step, subjectOf(run, version, job.tenantId), services);
  await recordStep(raw, job.tenantId, run.id, step, { status: 'RUNNING', attempt, startedAt, input: props });
  const output = action.output.parse(await action.run(actionContext(services, job, run, step, db, props, signal)));
  await db.$transaction(async (tx) => {
    const txRaw = tx as unknown as Raw;
    const updated = await txRaw.$executeRaw`
      update "WorkflowStepRun" set status = 'SUCCEEDED', output = ${json(output)}::jsonb, error = null, "finishedAt" = now()
      where "executionId" = ${run.id} and "stepId" = ${step.id} and "userId" = ${job.tenantId} and status = 'RUNNING'`;
    if (updated) await advance(services, txRaw, job.tenantId, run, version, step.next);
  });
}

const unitMs = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The next `HH:MM` (on one of `days`) in `zone`, strictly after `now`. */
export function nextTimeOfDay(now: Date, time: string, zone: string, days?: string[]): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  let at = DateTime.fromJSDate(now, { zone }).set({ hour, minute, second: 0, millisecond: 0 });
  for (let i = 0; i < 8; i++) {
    if (at.toMillis() > now.getTime() && (!days || days.includes(weekdays[at.weekday - 1]!))) return at.toJSDate();
    at = at.plus({ days: 1 }).set({ hour, minute });
  }
  return at.toJSDate();
}

/** The contact's time zone (customFields.timezone, if a real zone), else the account's. */
async function zoneOf(db: TenantTx, tenantId: string, contact: Record<string, unknown> | null): Promise<string> {
  const own = (contact?.customFields as { timezone?: unknown } | null)?.timezone;
  if (typeof own === 'string' && DateTime.local().setZone(own).isValid) return own;
  const user = await db.user.findUnique({ where: { id: tenantId }, select: { timezone: true } });
  return user?.timezone && DateTime.local().setZone(user.timezone).isValid ? user.timezone : 'UTC';
}

async function wait(
  services: EngineServices,
  job: StepJob,
  run: RunRow,
  version: Version,
  step: WaitStep,
  subject: RunSubject,
  attempt: number,
  startedAt: Date,
): Promise<void> {
  const w = step.wait;
  const db = tenantDb(services, job.tenantId);
  if (w.mode === 'duration' || w.mode === 'time_of_day') {
    let until: Date;
    if (w.mode === 'duration') until = new Date(Date.now() + w.amount * unitMs[w.unit]);
    else {
      const context = await loadContext(db, subject, null, { contact: true });
      const zone = await zoneOf(db, job.tenantId, context.contact as Record<string, unknown> | null);
      until = nextTimeOfDay(new Date(), w.time, zone, w.days);
    }
    return complete(services, job, run, version, step, { attempt, startedAt, output: { until: until.toISOString() } }, step.next, until);
  }
  const timeoutNext = step.timeoutNext === undefined ? step.next : step.timeoutNext;
  if (!run.contactId) {
    // Nobody to hear from: it times out at once.
    return complete(services, job, run, version, step, { attempt, startedAt, output: { timedOut: true } }, timeoutNext);
  }
  const expiresAt = new Date(Date.now() + w.timeout.amount * unitMs[w.timeout.unit]);
  const waitId = randomUUID();
  await db.$transaction(async (tx) => {
    const raw = tx as unknown as Raw;
    const inserted = await raw.$executeRaw`
      insert into "WorkflowWait" (id, "userId", "executionId", "stepId", kind, "eventType", "contactId", filter, "expiresAt")
      values (${waitId}, ${job.tenantId}, ${run.id}, ${step.id}, 'EVENT', ${w.event}, ${run.contactId}, ${JSON.stringify(w.filter)}::jsonb, ${expiresAt})
      on conflict ("executionId", "stepId") do nothing`;
    if (!inserted) return;
    await recordStep(raw, job.tenantId, run.id, step, { status: 'WAITING', attempt, startedAt, output: { expiresAt: expiresAt.toISOString() } });
    await raw.$executeRaw`
      with s as (update "WorkflowExecution" set status = 'WAITING' where id = ${run.id} and "userId" = ${job.tenantId})
      select graphile_worker.add_job(${waitTimeoutTask}, ${JSON.stringify({ tenantId: job.tenantId, waitId })}::json, run_at => ${expiresAt}::timestamptz)`;
  });
}

// --- workflow_resume / workflow_wait_timeout -------------------------------------------

interface WaitRow {
  id: string;
  executionId: string;
  stepId: string;
  kind: 'EVENT' | 'GOAL';
  filter: Record<string, unknown>;
  versionId: string;
}

async function resume(services: EngineServices, payload: unknown): Promise<void> {
  const { event } = resumeJob.parse(payload);
  const contactId = contactOf(event.payload);
  const trigger = services.registry.triggers.get(event.type)?.trigger;
  if (!contactId || !trigger) return;
  const db = tenantDb(services, event.tenantId);
  const waits = await (db as unknown as Raw).$queryRaw<WaitRow[]>`
    select w.id, w."executionId", w."stepId", w.kind::text as kind, w.filter, e."versionId"
    from "WorkflowWait" w join "WorkflowExecution" e on e.id = w."executionId"
    where w."userId" = ${event.tenantId} and w."eventType" = ${event.type} and w."contactId" = ${contactId}`;
  const heard = { id: event.id, type: event.type, payload: event.payload, occurredAt: event.occurredAt };
  for (const w of waits) {
    const filter = trigger.filter.safeParse(w.filter);
    if (!filter.success || !trigger.matches(filter.data, trigger.payload.parse(event.payload))) continue;
    const version = await loadVersion(db as unknown as Raw, event.tenantId, { id: w.versionId });
    const step = version?.steps.get(w.stepId);
    if (!version || !step) continue;
    await db.$transaction(async (tx) => {
      const raw = tx as unknown as Raw;
      const run = await readRun(raw, event.tenantId, w.executionId, w.stepId, true);
      if (!run || !live.has(run.status)) return;
      if (w.kind === 'EVENT') {
        // Whoever deletes the wait (this event or the timeout) moves the run on; the other does nothing.
        const deleted = await raw.$executeRaw`delete from "WorkflowWait" where id = ${w.id} and "userId" = ${event.tenantId}`;
        if (!deleted) return;
        await recordStep(raw, event.tenantId, run.id, step, { status: 'SUCCEEDED', attempt: 1, startedAt: new Date(), output: { timedOut: false, event: heard } });
        await advance(services, raw, event.tenantId, run, version, (step as WaitStep).next);
        return;
      }
      // A goal: the run jumps to it. Bumping the position stops the steps queued before the jump.
      await raw.$executeRaw`
        delete from "WorkflowWait" where "executionId" = ${run.id} and "userId" = ${event.tenantId} and (id = ${w.id} or kind = 'EVENT')`;
      const position = run.position + 1;
      await raw.$executeRaw`update "WorkflowExecution" set position = ${position} where id = ${run.id} and "userId" = ${event.tenantId}`;
      await recordStep(raw, event.tenantId, run.id, step, { status: 'SUCCEEDED', attempt: 1, startedAt: new Date(), output: { met: true, event: heard } });
      await advance(services, raw, event.tenantId, { ...run, position }, version, (step as GoalStep).next);
    });
  }
}

async function timeout(services: EngineServices, payload: unknown): Promise<void> {
  const { tenantId, waitId } = timeoutJob.parse(payload);
  await tenantDb(services, tenantId).$transaction(async (tx) => {
    const raw = tx as unknown as Raw;
    const [w] = await raw.$queryRaw<{ executionId: string; stepId: string }[]>`
      delete from "WorkflowWait" where id = ${waitId} and "userId" = ${tenantId} and kind = 'EVENT' returning "executionId", "stepId"`;
    if (!w) return; // the event came first
    const run = await readRun(raw, tenantId, w.executionId, w.stepId, true);
    if (!run || !live.has(run.status)) return;
    const version = await loadVersion(raw, tenantId, { id: run.versionId });
    const step = version?.steps.get(w.stepId) as WaitStep | undefined;
    if (!version || !step) return;
    await recordStep(raw, tenantId, run.id, step, { status: 'SUCCEEDED', attempt: 1, startedAt: new Date(), output: { timedOut: true } });
    await advance(services, raw, tenantId, run, version, step.timeoutNext === undefined ? step.next : step.timeoutNext);
  });
}

/** The engine's graphile-worker tasks. */
export function workflowTasks(services: EngineServices): Record<string, Task> {
  return {
    [startWorkflowTask]: (payload) => start(services, payload),
    [stepTask]: (payload, helpers) => runStep(services, payload, helpers),
    [resumeWorkflowsTask]: (payload) => resume(services, payload),
    [waitTimeoutTask]: (payload) => timeout(services, payload),
  };
}
