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
import { chainedActions, chainedEvents, contactOf, resumeWorkflowsTask, startWorkflowTask } from '../events.ts';
import { Problem } from '../http/problem.ts';
import { PermanentFailure, type DeliveredEvent, type TenantContext } from '../plugin.ts';
import type { CoreServices } from '../services.ts';
import { actingAs, type TenantTx } from '../tenancy.ts';
import { evaluateCondition } from './conditions.ts';
import { linksOf, stepsSchema, type ActionStep, type GoalStep, type Step, type WaitStep } from './definition.ts';
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
// A step job carries the facts of its run that never change, so the common step needs
// no read of the run before doing its work.
const stepJob = z.object({
  tenantId: z.string(),
  executionId: z.string(),
  workflowId: z.string(),
  versionId: z.string(),
  stepId: z.string(),
  position: z.number().int(),
  contactId: z.string().nullable(),
  dealId: z.string().nullable(),
  depth: z.number().int(),
});
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
  /** For each step, the goals still ahead of a run standing there: a goal only ever moves a run forward. */
  goalsAhead: Map<string, string[]>;
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
    goalsAhead: goalsAhead(steps),
    hasWaits: goals.length > 0 || steps.some((s) => s.type === 'wait' && s.wait.mode === 'event'),
  };
}

/** The goal steps reachable from each step (itself included), following next/then/else/timeoutNext. */
function goalsAhead(steps: Step[]): Map<string, string[]> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const ahead = new Map<string, string[]>();
  const visit = (id: string): string[] => {
    const known = ahead.get(id);
    if (known) return known;
    const step = byId.get(id)!;
    const found = new Set(step.type === 'goal' ? [id] : []);
    for (const { to } of linksOf(step)) for (const goal of visit(to)) found.add(goal);
    ahead.set(id, [...found]);
    return ahead.get(id)!;
  };
  for (const step of steps) visit(step.id);
  // A goal no path leads to is a pure jump target: it stays ahead of every step.
  const linked = new Set(ahead.get(steps[0]!.id));
  const floating = steps.filter((s) => s.type === 'goal' && !linked.has(s.id)).map((s) => s.id);
  if (floating.length) for (const [id, goals] of ahead) ahead.set(id, [...new Set([...goals, ...floating])]);
  return ahead;
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

interface Needs {
  contact: boolean;
  deal: boolean;
  steps: boolean;
  event: boolean;
}
const needsCache = new WeakMap<object, Needs>();
function scan(text: string): Needs {
  return { contact: /contact|has_tag/.test(text), deal: text.includes('deal'), steps: text.includes('steps'), event: text.includes('event') };
}
/** Which parts of the context a rule or a step's props mention, so only those are loaded. */
function needsOf(value: unknown): Needs {
  if (value === null || typeof value !== 'object') return scan(String(value ?? ''));
  let needs = needsCache.get(value);
  if (!needs) {
    needs = scan(JSON.stringify(value));
    needsCache.set(value, needs);
  }
  return needs;
}

/** Plain JSON (dates as ISO strings, decimals as strings), as conditions and templates see it. */
const plain = (row: unknown) => (row === null || row === undefined ? null : (JSON.parse(JSON.stringify(row)) as Record<string, unknown>));

type RunEvent = Pick<DeliveredEvent, 'id' | 'type' | 'payload' | 'occurredAt'>;

export interface RunSubject {
  tenantId: string;
  executionId: string | null;
  workflowId: string;
  workflowName: string;
  contactId: string | null;
  dealId?: string | null;
  /** The triggering event; a function when it is read from the run only if a template asks for it. */
  event: RunEvent | (() => Promise<RunEvent>);
}

const dealOf = (payload: unknown): string | null => {
  const id = (payload as { dealId?: unknown } | null)?.dealId;
  return typeof id === 'string' && id ? id : null;
};

/** Loads what `used` (a rule, a step's props) reads: only the contact, deal, event or step outputs it mentions. */
export async function loadContext(db: TenantTx, subject: RunSubject, used: unknown, force: { contact?: boolean } = {}): Promise<RunContext> {
  const needs = needsOf(used);
  const event = typeof subject.event === 'function' ? (needs.event ? await subject.event() : null) : subject.event;
  const dealId = subject.dealId ?? (event ? dealOf(event.payload) : null);
  const [contact, deal, steps] = await Promise.all([
    (needs.contact || force.contact) && subject.contactId ? db.contact.findUnique({ where: { id: subject.contactId } }) : null,
    needs.deal && dealId ? db.deal.findUnique({ where: { id: dealId } }) : null,
    needs.steps && subject.executionId
      ? (db as unknown as Raw).$queryRaw<{ stepId: string; output: unknown }[]>`
          select "stepId", output from "WorkflowStepRun"
          where "executionId" = ${subject.executionId} and "userId" = ${subject.tenantId} and status = 'SUCCEEDED'`
      : [],
  ]);
  return {
    contact: plain(contact),
    deal: plain(deal),
    event,
    steps: Object.fromEntries(steps.map((s) => [s.stepId, s.output ?? {}])),
    workflow: { id: subject.workflowId, name: subject.workflowName },
    now: new Date().toISOString(),
  };
}

const live = ['PENDING', 'RUNNING', 'WAITING'];
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

type StepStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'WAITING' | 'NEEDS_REVIEW';
interface StepRecord {
  status: StepStatus;
  attempt: number;
  startedAt: Date;
  input?: unknown;
  output?: unknown;
  error?: string | null;
}

/** Writes the step log row (one per step of a run, holding its last attempt), unless the step already succeeded. */
function recordStep(db: Raw, tenantId: string, executionId: string, step: Step, r: StepRecord) {
  const finished = r.status === 'SUCCEEDED' || r.status === 'FAILED' || r.status === 'NEEDS_REVIEW';
  return db.$executeRaw`
    insert into "WorkflowStepRun" (id, "userId", "executionId", "stepId", type, "actionKey", status, attempt, input, output, error, "startedAt", "finishedAt")
    values (${randomUUID()}, ${tenantId}, ${executionId}, ${step.id}, ${step.type}, ${step.type === 'action' ? step.action : null},
      ${r.status}::"StepRunStatus", ${r.attempt}, ${json(r.input)}::jsonb, ${json(r.output)}::jsonb, ${r.error ?? null}, ${r.startedAt}, ${finished ? new Date() : null})
    on conflict ("executionId", "stepId") do update set status = excluded.status, attempt = excluded.attempt,
      input = coalesce(excluded.input, "WorkflowStepRun".input), output = excluded.output, error = excluded.error,
      "startedAt" = excluded."startedAt", "finishedAt" = excluded."finishedAt"
    where "WorkflowStepRun".status <> 'SUCCEEDED'`;
}

function attemptsFor(services: EngineServices, step: Step | undefined): number {
  return step?.type === 'action' ? (services.registry.actions.get(step.action)?.action.maxAttempts ?? 5) : 5;
}

/** What a step job needs to know about its run. */
type RunRef = Omit<StepJob, 'stepId' | 'versionId'>;

/**
 * Records a step's success and moves its run on, in one statement: to `next` (at
 * `runAt`, default now) or, with no next step, to its end. It does nothing, and
 * answers false, when the step had already succeeded or the run is no longer at this
 * position (finished, or moved on by a goal): the caller then rolls back.
 */
async function finishStep(
  services: EngineServices,
  db: Raw,
  run: RunRef,
  version: Version,
  step: Step,
  r: Omit<StepRecord, 'status'>,
  next: string | null | undefined,
  runAt?: Date,
): Promise<boolean> {
  const done = !next;
  const status = done ? 'COMPLETED' : runAt && runAt.getTime() > Date.now() ? 'WAITING' : 'RUNNING';
  const job = next ? JSON.stringify({ ...run, versionId: version.id, stepId: next }) : null;
  const goalsKept = next ? (version.goalsAhead.get(next) ?? []) : [];
  const [row] = await db.$queryRaw<{ recorded: number }[]>`
    with run as (
      select id from "WorkflowExecution"
      where id = ${run.executionId} and "userId" = ${run.tenantId} and position = ${run.position} and status::text = any(${live})
      for update),
    step as (
      insert into "WorkflowStepRun" (id, "userId", "executionId", "stepId", type, "actionKey", status, attempt, input, output, "startedAt", "finishedAt")
      select ${randomUUID()}, ${run.tenantId}, run.id, ${step.id}, ${step.type}, ${step.type === 'action' ? step.action : null},
        'SUCCEEDED', ${r.attempt}, ${json(r.input)}::jsonb, ${json(r.output)}::jsonb, ${r.startedAt}, now()
      from run
      on conflict ("executionId", "stepId") do update set status = 'SUCCEEDED', attempt = excluded.attempt,
        input = coalesce(excluded.input, "WorkflowStepRun".input), output = excluded.output, error = null,
        "startedAt" = excluded."startedAt", "finishedAt" = excluded."finishedAt"
      where "WorkflowStepRun".status <> 'SUCCEEDED'
      returning "executionId"),
    moved as (
      update "WorkflowExecution" x set status = ${status}::"ExecutionStatus", "completedAt" = case when ${done} then now() else null end
      from step where x.id = step."executionId" and (${done} or x.status <> ${status}::"ExecutionStatus")),
    cleared as (
      -- At the end, every wait of the run; otherwise the goals no longer ahead of it (a goal never pulls a run back).
      delete from "WorkflowWait" w using step
      where w."executionId" = step."executionId"
        and (${done && version.hasWaits} or (${version.goals.length > 0} and w.kind = 'GOAL' and not (w."stepId" = any(${goalsKept}))))),
    queued as (
      select graphile_worker.add_job(${stepTask}, ${job}::json, run_at => ${runAt ?? null}::timestamptz,
        max_attempts => ${attemptsFor(services, next ? version.steps.get(next) : undefined)})
      from step where ${job}::text is not null)
    select (select count(*) from step)::int as recorded, (select count(*) from queued)::int as queued`;
  return row!.recorded > 0;
}

/** Thrown inside a step's transaction to roll back its action when the step turns out to be done already. */
class AlreadyDone extends Error {}

/** A provider action ran, but its success could not be recorded: its outcome is unknown. */
class OutcomeUnrecorded extends Error {}

/** Ends a live run at this position as failed (or parks it for review); a run that moved on is left alone. */
async function failRun(db: Raw, job: StepJob, status: 'FAILED' | 'NEEDS_REVIEW', error: string, hasWaits: boolean) {
  const updated = await db.$executeRaw`
    update "WorkflowExecution" set status = ${status}::"ExecutionStatus", error = ${error},
      "completedAt" = case when ${status} = 'FAILED' then now() else null end
    where id = ${job.executionId} and "userId" = ${job.tenantId} and position = ${job.position} and status::text = any(${live})`;
  if (updated && hasWaits && status === 'FAILED') {
    await db.$executeRaw`delete from "WorkflowWait" where "executionId" = ${job.executionId} and "userId" = ${job.tenantId}`;
  }
  return updated > 0;
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

function tenantDb(services: EngineServices, tenantId: string): TenantContext['db'] {
  return services.tenantContext('core', tenantId).db;
}

// --- workflow_start ------------------------------------------------------------------

async function start(services: EngineServices, payload: unknown): Promise<void> {
  const { workflowId, version: number, event } = startJob.parse(payload);
  const db = tenantDb(services, event.tenantId);
  const version = await loadVersion(db as unknown as Raw, event.tenantId, { workflowId, version: number });
  if (!version) return; // deleted since the event was raised
  if (event.type !== 'core.manual') {
    const trigger = services.registry.triggers.get(version.triggerKey)?.trigger;
    if (!trigger) return services.log.warn({ workflowId, trigger: version.triggerKey }, 'workflow trigger no longer provided; event ignored');
    if (!trigger.matches(trigger.filter.parse(version.triggerFilter), trigger.payload.parse(event.payload))) return;
  }
  const contactId = contactOf(event.payload);
  const dedupeKey = version.allowReentry || !contactId ? event.id : `contact:${contactId}`;
  const runEvent: RunEvent = { id: event.id, type: event.type, payload: event.payload, occurredAt: event.occurredAt };
  const contextData = JSON.stringify({ event: runEvent });
  const executionId = randomUUID();

  if (event.depth >= services.config.WORKFLOW_MAX_CHAIN_DEPTH) {
    const error = `Stopped by the loop guard: ${event.depth} workflow runs led to this event (limit ${services.config.WORKFLOW_MAX_CHAIN_DEPTH}); workflows are probably triggering each other`;
    services.log.warn({ workflowId, tenantId: event.tenantId, depth: event.depth }, 'workflow loop stopped');
    await db.$executeRaw`
      with e as (
        insert into "WorkflowExecution" (id, "workflowId", "versionId", "userId", status, error, "contextData", "contactId", "eventId", "dedupeKey", depth, "completedAt")
        values (${executionId}, ${workflowId}, ${version.id}, ${event.tenantId}, 'FAILED', ${error}, ${contextData}::jsonb, ${contactId}, ${event.id}, ${event.id}, ${event.depth}, now())
        on conflict ("workflowId", "dedupeKey") do nothing
        returning id)
      update "Workflow" set "executionCount" = "executionCount" + 1, "lastExecutedAt" = now()
      where id = ${workflowId} and "userId" = ${event.tenantId} and exists (select 1 from e)`;
    return;
  }
  if (version.conditions !== null) {
    const subject = { tenantId: event.tenantId, executionId: null, workflowId, workflowName: version.name, contactId, event: runEvent };
    if (!evaluateCondition(version.conditions, await loadContext(db, subject, version.conditions))) return;
  }
  const goals = contactId && version.goals.length
    ? version.goals.map((g) => ({ id: randomUUID(), stepId: g.id, eventType: g.event, filter: g.filter }))
    : [];
  const first: StepJob = {
    tenantId: event.tenantId,
    executionId,
    workflowId,
    versionId: version.id,
    stepId: version.entry,
    position: 0,
    contactId,
    dealId: dealOf(event.payload),
    depth: event.depth,
  };
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

interface RunState {
  status: string;
  position: number;
  stepStatus: string | null;
}

/**
 * The run's status and this step's, read when a step must decide before acting; `lock`
 * holds the run row to the end of the transaction, so a goal jump cannot slip between
 * the check and the write.
 */
async function readState(db: Raw, job: Pick<StepJob, 'executionId' | 'tenantId' | 'stepId'>, lock = false): Promise<RunState | undefined> {
  const [row] = await db.$queryRaw<RunState[]>`
    select e.status::text as status, e.position, s.status::text as "stepStatus"
    from "WorkflowExecution" e left join "WorkflowStepRun" s on s."executionId" = e.id and s."stepId" = ${job.stepId}
    where e.id = ${job.executionId} and e."userId" = ${job.tenantId}
    ${lock ? Prisma.sql`for update of e` : Prisma.empty}`;
  return row;
}

const stillToRun = (state: RunState | undefined, job: StepJob): state is RunState =>
  !!state && live.includes(state.status) && state.position === job.position && state.stepStatus !== 'SUCCEEDED' && state.stepStatus !== 'NEEDS_REVIEW';

function subjectOf(services: EngineServices, job: StepJob, version: Version): RunSubject {
  return {
    tenantId: job.tenantId,
    executionId: job.executionId,
    workflowId: job.workflowId,
    workflowName: version.name,
    contactId: job.contactId,
    dealId: job.dealId,
    event: async () => {
      const [row] = await (tenantDb(services, job.tenantId) as unknown as Raw).$queryRaw<{ event: RunEvent }[]>`
        select "contextData"->'event' as event from "WorkflowExecution" where id = ${job.executionId} and "userId" = ${job.tenantId}`;
      return row?.event ?? { id: '', type: '', payload: {}, occurredAt: '' };
    },
  };
}

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
  const subject = subjectOf(services, job, version);
  const record = { attempt, startedAt };
  try {
    switch (step.type) {
      case 'action': {
        const action = services.registry.actions.get(step.action)?.action;
        if (!action) throw new PermanentFailure(`The action "${step.action}" is no longer available (is its plugin disabled?)`);
        const work = { services, job, version, step, subject, record, signal: helpers.abortSignal };
        return await (action.transactional ? runTransactionalAction(work) : runExternalAction(work));
      }
      case 'branch': {
        const result = evaluateCondition(step.condition, await loadContext(db, subject, step.condition));
        await finishStep(services, raw, job, version, step, { ...record, output: { result } }, result ? step.then : step.else);
        return;
      }
      case 'wait':
        return await wait(services, job, version, step, subject, record);
      case 'goal':
        // Reached in sequence, without the goal's event having happened.
        // Without a contact no goal event can come: waiting would be forever, so it ends.
        if (step.ifNotMet === 'wait' && !job.contactId) {
          await finishStep(services, raw, job, version, step, { ...record, output: { met: false } }, null);
          return;
        }
        if (step.ifNotMet === 'wait') {
          const state = await readState(raw, job);
          if (!stillToRun(state, job)) return;
          await db.$transaction([
            recordStep(raw, job.tenantId, job.executionId, step, { status: 'WAITING', ...record }),
            raw.$executeRaw`update "WorkflowExecution" set status = 'WAITING'
              where id = ${job.executionId} and "userId" = ${job.tenantId} and position = ${job.position} and status::text = any(${live})`,
          ]);
          return;
        }
        await finishStep(services, raw, job, version, step, { ...record, output: { met: false } }, step.ifNotMet === 'end' ? null : step.next);
        return;
      case 'end':
        await finishStep(services, raw, job, version, step, { ...record, output: {} }, null);
        return;
    }
  } catch (error) {
    await stepFailed(services, job, version, step, error, attempt, final, startedAt);
  }
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
  // A step job left over from before a goal jump (or for a finished run) fails nothing.
  if (!stillToRun(await readState(raw, job), job)) return;
  // The provider call returned but recording it failed (or the worker is stopping): the
  // outcome is unknown, so the attempt stays RUNNING and the retry decides (re-run if
  // idempotent, else review), never a plain re-send.
  const unknownOutcome = error instanceof OutcomeUnrecorded;
  if (!unknownOutcome) {
    await recordStep(raw, job.tenantId, job.executionId, step, { status: 'FAILED', attempt, startedAt, error: message(error) });
  }
  if ((permanent || final) && !unknownOutcome) {
    services.log.info({ executionId: job.executionId, step: step.id, err: error }, 'workflow step failed');
    await failRun(raw, job, 'FAILED', `Step "${step.id}" failed: ${message(error)}`, version.hasWaits);
    return;
  }
  throw unknownOutcome ? error.cause : error; // graphile-worker retries it with backoff
}

function actionContext(services: EngineServices, job: StepJob, step: ActionStep, db: TenantTx, props: Record<string, unknown>, signal: AbortSignal) {
  const found = services.registry.actions.get(step.action)!;
  const base = services.tenantContext(found.plugin.definition.name, job.tenantId);
  return {
    ...base,
    db: actingAs(db, found.plugin.definition.name), // the run's transaction, under the action's plugin's ownership
    events: chainedEvents(base.events, job.depth + 1),
    actions: chainedActions(base.actions, job.depth + 1),
    props,
    idempotencyKey: `${job.executionId}:${step.id}`,
    signal,
    run: { executionId: job.executionId, workflowId: job.workflowId, stepId: step.id, contactId: job.contactId, dealId: job.dealId },
  };
}

/** Renders the step's templates and checks the result against the action's props. */
async function prepareProps(db: TenantTx, step: ActionStep, subject: RunSubject, services: EngineServices) {
  const action = services.registry.actions.get(step.action)!.action;
  const rendered = renderValue(step.props, await loadContext(db, subject, step.props));
  return action.props.parse(rendered) as Record<string, unknown>;
}

/** One action step to run: what both ways of running an action need. */
interface ActionStepWork {
  services: EngineServices;
  job: StepJob;
  version: Version;
  step: ActionStep;
  subject: RunSubject;
  record: { attempt: number; startedAt: Date };
  signal: AbortSignal;
}

/**
 * A database-only action: it runs in the transaction that records the step and moves
 * the run on, so it has happened exactly once when the step shows as succeeded. A
 * repeat (the step was done already, or the run moved on) rolls its writes back.
 */
async function runTransactionalAction({ services, job, version, step, subject, record, signal }: ActionStepWork): Promise<void> {
  const action = services.registry.actions.get(step.action)!.action;
  try {
    await tenantDb(services, job.tenantId).$transaction(async (tx) => {
      const props = await prepareProps(tx, step, subject, services);
      const output = action.output.parse(await action.run(actionContext(services, job, step, tx, props, signal)));
      if (!(await finishStep(services, tx as unknown as Raw, job, version, step, { ...record, input: props, output }, step.next))) throw new AlreadyDone();
    });
  } catch (error) {
    if (!(error instanceof AlreadyDone)) throw error;
  }
}

/**
 * An action with effects outside the database (a provider call). The attempt is
 * recorded as RUNNING before the call; finding it still RUNNING later means a worker
 * died during the call, and a non-idempotent action is then left for a person to review.
 */
async function runExternalAction({ services, job, version, step, subject, record, signal }: ActionStepWork): Promise<void> {
  const db = tenantDb(services, job.tenantId);
  const raw = db as unknown as Raw;
  const action = services.registry.actions.get(step.action)!.action;
  const state = await readState(raw, job);
  if (!stillToRun(state, job)) return;
  if (state.stepStatus === 'RUNNING' && !action.idempotent) {
    const error = `Step "${step.id}" (${step.action}) was interrupted: the worker stopped while it ran, so it may or may not have happened. It is not repeated automatically; review it and retry or skip.`;
    await db.$transaction([
      recordStep(raw, job.tenantId, job.executionId, step, { status: 'NEEDS_REVIEW', ...record, error }),
      raw.$executeRaw`update "WorkflowExecution" set status = 'NEEDS_REVIEW', error = ${error}
        where id = ${job.executionId} and "userId" = ${job.tenantId} and position = ${job.position} and status::text = any(${live})`,
    ]);
    services.log.warn({ executionId: job.executionId, step: step.id }, 'workflow step needs review');
    return;
  }
  const props = await prepareProps(db, step, subject, services);
  await recordStep(raw, job.tenantId, job.executionId, step, { status: 'RUNNING', ...record, input: props });
  let result: unknown;
  try {
    result = await action.run(actionContext(services, job, step, db, props, signal));
  } catch (error) {
    // Interrupted by shutdown: whether the provider acted is unknown.
    throw signal.aborted ? new OutcomeUnrecorded('interrupted', { cause: error }) : error;
  }
  const output = action.output.parse(result);
  try {
    await finishStep(services, raw, job, version, step, { ...record, input: props, output }, step.next);
  } catch (error) {
    throw new OutcomeUnrecorded('the step ran but could not be recorded', { cause: error });
  }
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
  version: Version,
  step: WaitStep,
  subject: RunSubject,
  record: { attempt: number; startedAt: Date },
): Promise<void> {
  const w = step.wait;
  const db = tenantDb(services, job.tenantId);
  const raw = db as unknown as Raw;
  if (w.mode === 'duration' || w.mode === 'time_of_day') {
    let until: Date;
    if (w.mode === 'duration') until = new Date(Date.now() + w.amount * unitMs[w.unit]);
    else {
      const context = await loadContext(db, subject, null, { contact: true });
      const zone = await zoneOf(db, job.tenantId, context.contact as Record<string, unknown> | null);
      until = nextTimeOfDay(new Date(), w.time, zone, w.days);
    }
    await finishStep(services, raw, job, version, step, { ...record, output: { until: until.toISOString() } }, step.next, until);
    return;
  }
  const timeoutNext = step.timeoutNext === undefined ? step.next : step.timeoutNext;
  if (!job.contactId) {
    // Nobody to hear from: it times out at once.
    await finishStep(services, raw, job, version, step, { ...record, output: { timedOut: true } }, timeoutNext);
    return;
  }
  const expiresAt = new Date(Date.now() + w.timeout.amount * unitMs[w.timeout.unit]);
  const waitId = randomUUID();
  await db.$transaction(async (tx) => {
    const txRaw = tx as unknown as Raw;
    if (!stillToRun(await readState(txRaw, job, true), job)) return;
    const inserted = await txRaw.$executeRaw`
      insert into "WorkflowWait" (id, "userId", "executionId", "stepId", kind, "eventType", "contactId", filter, "expiresAt")
      values (${waitId}, ${job.tenantId}, ${job.executionId}, ${step.id}, 'EVENT', ${w.event}, ${job.contactId}, ${JSON.stringify(w.filter)}::jsonb, ${expiresAt})
      on conflict ("executionId", "stepId") do nothing`;
    if (!inserted) return;
    await recordStep(txRaw, job.tenantId, job.executionId, step, { status: 'WAITING', ...record, output: { expiresAt: expiresAt.toISOString() } });
    await txRaw.$executeRaw`
      with s as (update "WorkflowExecution" set status = 'WAITING' where id = ${job.executionId} and "userId" = ${job.tenantId})
      select graphile_worker.add_job(${waitTimeoutTask}, ${JSON.stringify({ tenantId: job.tenantId, waitId })}::json, run_at => ${expiresAt}::timestamptz)`;
  });
}

// --- workflow_resume / workflow_wait_timeout -------------------------------------------

interface WaitRow {
  id: string;
  executionId: string;
  workflowId: string;
  stepId: string;
  kind: 'EVENT' | 'GOAL';
  filter: Record<string, unknown>;
  versionId: string;
  position: number;
  contactId: string | null;
  depth: number;
  dealId: string | null;
}

/** The waits of one run, or of a contact's runs for one event type, with what a step job needs to know of the run. */
function selectWaits(db: Raw, tenantId: string, where: Prisma.Sql) {
  return db.$queryRaw<WaitRow[]>`
    select w.id, w."executionId", e."workflowId", w."stepId", w.kind::text as kind, w.filter, e."versionId", e.position,
      e."contactId", e.depth, e."contextData"->'event'->'payload'->>'dealId' as "dealId"
    from "WorkflowWait" w join "WorkflowExecution" e on e.id = w."executionId"
    where w."userId" = ${tenantId} and e.status::text = any(${live}) and ${where}`;
}

const runOf = (w: WaitRow, tenantId: string): RunRef => ({
  tenantId,
  executionId: w.executionId,
  workflowId: w.workflowId,
  position: w.position,
  contactId: w.contactId,
  dealId: w.dealId,
  depth: w.depth,
});

async function resume(services: EngineServices, payload: unknown): Promise<void> {
  const { event } = resumeJob.parse(payload);
  const contactId = contactOf(event.payload);
  const trigger = services.registry.triggers.get(event.type)?.trigger;
  if (!contactId || !trigger) return;
  const db = tenantDb(services, event.tenantId);
  const waits = await selectWaits(db as unknown as Raw, event.tenantId, Prisma.sql`w."eventType" = ${event.type} and w."contactId" = ${contactId}`);
  const heard = { id: event.id, type: event.type, payload: event.payload, occurredAt: event.occurredAt };
  for (const w of waits) {
    const filter = trigger.filter.safeParse(w.filter);
    if (!filter.success || !trigger.matches(filter.data, trigger.payload.parse(event.payload))) continue;
    const version = await loadVersion(db as unknown as Raw, event.tenantId, { id: w.versionId });
    const step = version?.steps.get(w.stepId);
    if (!version || !step) continue;
    const run = runOf(w, event.tenantId);
    await db.$transaction(async (tx) => {
      const raw = tx as unknown as Raw;
      // The run first, then its wait: the order a finishing step takes them in (no deadlock).
      const state = await readState(raw, { executionId: run.executionId, tenantId: event.tenantId, stepId: w.stepId }, true);
      if (!state || !live.includes(state.status) || state.position !== run.position) return;
      // Whoever deletes the wait (this event, the timeout, a goal) moves the run on; the others do nothing.
      const deleted = await raw.$executeRaw`delete from "WorkflowWait" where id = ${w.id} and "userId" = ${event.tenantId}`;
      if (!deleted) return;
      if (w.kind === 'EVENT') {
        await finishStep(services, raw, run, version, step, { attempt: 1, startedAt: new Date(), output: { timedOut: false, event: heard } }, (step as WaitStep).next);
        return;
      }
      // A goal: the run jumps to it. A new position stops the steps queued before the jump.
      const [moved] = await raw.$queryRaw<{ position: number }[]>`
        update "WorkflowExecution" set position = position + 1, status = 'RUNNING'
        where id = ${run.executionId} and "userId" = ${event.tenantId} and status::text = any(${live}) returning position`;
      if (!moved) return;
      await raw.$executeRaw`delete from "WorkflowWait" where "executionId" = ${run.executionId} and "userId" = ${event.tenantId} and kind = 'EVENT'`;
      await finishStep(services, raw, { ...run, position: moved.position }, version, step, { attempt: 1, startedAt: new Date(), output: { met: true, event: heard } }, (step as GoalStep).next);
    });
  }
}

async function timeout(services: EngineServices, payload: unknown): Promise<void> {
  const { tenantId, waitId } = timeoutJob.parse(payload);
  const db = tenantDb(services, tenantId);
  const [w] = await selectWaits(db as unknown as Raw, tenantId, Prisma.sql`w.id = ${waitId} and w.kind = 'EVENT'`);
  if (!w) return; // the event came first, or the run ended
  const version = await loadVersion(db as unknown as Raw, tenantId, { id: w.versionId });
  const step = version?.steps.get(w.stepId) as WaitStep | undefined;
  if (!version || !step) return;
  await db.$transaction(async (tx) => {
    const raw = tx as unknown as Raw;
    const state = await readState(raw, { executionId: w.executionId, tenantId, stepId: w.stepId }, true);
    if (!state || !live.includes(state.status) || state.position !== w.position) return;
    const deleted = await raw.$executeRaw`delete from "WorkflowWait" where id = ${waitId} and "userId" = ${tenantId}`;
    if (!deleted) return;
    const next = step.timeoutNext === undefined ? step.next : step.timeoutNext;
    await finishStep(services, raw, runOf(w, tenantId), version, step, { attempt: 1, startedAt: new Date(), output: { timedOut: true } }, next);
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
