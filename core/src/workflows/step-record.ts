// The step log: recording an attempt, and recording a success together with moving the
// run on (or ending it).
import { randomUUID } from 'node:crypto';
import { Prisma } from '@soshogle/db';
import type { Step } from './definition.ts';
import type { EngineServices, FinishedStep, Raw } from './engine-services.ts';
import { live } from './run-state.ts';
import { queueStep, queueSteps } from './queue-step.ts';
import type { RunRef, StepJob } from './task-payloads.ts';
import type { Version } from './version-cache.ts';

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

type StepStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'WAITING' | 'NEEDS_REVIEW';
export interface StepRecord {
  status: StepStatus;
  attempt: number;
  startedAt: Date;
  input?: unknown;
  output?: unknown;
  error?: string | null;
}

/** Writes the step log row (one per step of a run, holding its last attempt), unless the step already succeeded. */
export function recordStep(db: Raw, tenantId: string, executionId: string, step: Step, r: StepRecord) {
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

/**
 * Records a step's success and moves its run on, in one statement: to `next` (at
 * `runAt`, default now) or, with no next step, to its end. It does nothing, and
 * answers false, when the step had already succeeded or the run is no longer at this
 * position (finished, or moved on by a goal): the caller then rolls back.
 */
export async function finishStep(
  services: EngineServices,
  db: Raw,
  run: RunRef,
  version: Version,
  step: Step,
  r: Omit<StepRecord, 'status'>,
  next: string | null | undefined,
  runAt?: Date,
): Promise<boolean> {
  // A first step taken in its run's start: the run was recorded in this very transaction, so
  // nothing can have recorded the step or moved the run; recorded with the batch's others (finishFirstSteps).
  if (services.firstSteps) {
    services.firstSteps.push({ run, step, record: r, next, runAt });
    return true;
  }
  const done = !next;
  const status = statusAfter(next, runAt);
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
      select ${next ? queueStep(services.registry, run, version, next, runAt) : Prisma.sql`null`} from step where ${!!next})
    select (select count(*) from step)::int as recorded, (select count(*) from queued)::int as queued`;
  return row!.recorded > 0;
}

const statusAfter = (next: string | null | undefined, runAt?: Date) => (!next ? 'COMPLETED' : runAt && runAt.getTime() > Date.now() ? 'WAITING' : 'RUNNING');

/**
 * Records the successes of first steps taken in their runs' start, in one statement: the
 * step log rows, the runs moved on (or ended), their waits cleared as finishStep would,
 * and their next steps queued.
 */
export async function finishFirstSteps(services: EngineServices, db: Raw, version: Version, finished: FinishedStep[]): Promise<void> {
  if (!finished.length) return;
  const tenantId = version.tenantId;
  const rows = finished.map(({ run, step, record, next, runAt }) => ({
    id: randomUUID(),
    executionId: run.executionId,
    stepId: step.id,
    type: step.type,
    actionKey: step.type === 'action' ? step.action : null,
    attempt: record.attempt,
    input: record.input ?? null,
    output: record.output ?? null,
    startedAt: record.startedAt,
    status: statusAfter(next, runAt),
    goalsKept: next ? (version.goalsAhead.get(next) ?? []) : [],
  }));
  const next = finished.filter((f) => f.next).map((f) => ({ run: f.run, stepId: f.next!, runAt: f.runAt }));
  await db.$executeRaw`
    with f as (
      select * from json_to_recordset(${JSON.stringify(rows)}::json) as f(id text, "executionId" text, "stepId" text, type text, "actionKey" text,
        attempt int, input jsonb, output jsonb, "startedAt" timestamptz, status "ExecutionStatus", "goalsKept" text[])),
    step as (
      insert into "WorkflowStepRun" (id, "userId", "executionId", "stepId", type, "actionKey", status, attempt, input, output, "startedAt", "finishedAt")
      select f.id, ${tenantId}, f."executionId", f."stepId", f.type, f."actionKey", 'SUCCEEDED', f.attempt, f.input, f.output, f."startedAt", now() from f),
    moved as (
      update "WorkflowExecution" x set status = f.status, "completedAt" = case when f.status = 'COMPLETED' then now() end
      from f where x.id = f."executionId" and x."userId" = ${tenantId} and x.status <> f.status),
    cleared as (
      delete from "WorkflowWait" w using f
      where w."executionId" = f."executionId" and w."userId" = ${tenantId}
        and ((f.status = 'COMPLETED' and ${version.hasWaits}) or (${version.goals.length > 0} and w.kind = 'GOAL' and not (w."stepId" = any(f."goalsKept")))))
    select ${next.length ? queueSteps(services.registry, version, next) : Prisma.sql`null`}`;
}

/** Ends a live run at this position as failed (or parks it for review); a run that moved on is left alone. */
export async function failRun(db: Raw, job: StepJob, status: 'FAILED' | 'NEEDS_REVIEW', error: string, hasWaits: boolean) {
  const updated = await db.$executeRaw`
    update "WorkflowExecution" set status = ${status}::"ExecutionStatus", error = ${error},
      "completedAt" = case when ${status} = 'FAILED' then now() else null end
    where id = ${job.executionId} and "userId" = ${job.tenantId} and position = ${job.position} and status::text = any(${live})`;
  if (updated && hasWaits && status === 'FAILED') {
    await db.$executeRaw`delete from "WorkflowWait" where "executionId" = ${job.executionId} and "userId" = ${job.tenantId}`;
  }
  return updated > 0;
}
