// The step log: recording an attempt, and recording a success together with moving the
// run on (or ending it).
import { randomUUID } from 'node:crypto';
import { Prisma } from '@soshogle/db';
import type { Step } from './definition.ts';
import type { EngineServices, Raw } from './engine-services.ts';
import { live } from './run-state.ts';
import { queueStep } from './queue-step.ts';
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
  const done = !next;
  const status = done ? 'COMPLETED' : runAt && runAt.getTime() > Date.now() ? 'WAITING' : 'RUNNING';
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
