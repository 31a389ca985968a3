// Queueing a run's next step: the one place a step job is built, so the payload the step
// task parses and the attempts it gets are decided once.
import { Prisma } from '@soshogle/db';
import type { Registry } from '../plugin-host.ts';
import type { Step } from './definition.ts';
import { stepTask, type RunRef, type StepJob } from './task-payloads.ts';

/** Attempts a step gets before its run fails: its action's `maxAttempts`, else 5. */
export function attemptsFor(registry: Registry, step: Step | undefined): number {
  return step?.type === 'action' ? (registry.actions.get(step.action)?.action.maxAttempts ?? 5) : 5;
}

/**
 * The SQL call that queues step `stepId` of a run (at `runAt`, default now): an
 * expression, so it runs inside the caller's statement and commits with what moved the run.
 */
export function queueStep(registry: Registry, run: RunRef, version: { id: string; steps: Map<string, Step> }, stepId: string, runAt?: Date | null): Prisma.Sql {
  return Prisma.sql`graphile_worker.add_job(${stepTask}, ${JSON.stringify(stepJobOf(run, version, stepId))}::json,
    run_at => ${runAt ?? null}::timestamptz, max_attempts => ${attemptsFor(registry, version.steps.get(stepId))}::int)`;
}

/** What the job of step `stepId` of a run carries (queueStep's payload; set-based callers queue many). */
export function stepJobOf(run: RunRef, version: { id: string }, stepId: string): StepJob {
  return {
    tenantId: run.tenantId,
    executionId: run.executionId,
    workflowId: run.workflowId,
    versionId: version.id,
    stepId,
    position: run.position,
    contactId: run.contactId,
    dealId: run.dealId,
    depth: run.depth,
  };
}

/**
 * The SQL call that queues many steps at once (each of its run, at its `runAt`): an
 * expression like queueStep's. add_job row by row costs about 2 ms a job here; add_jobs
 * takes them in one call.
 */
export function queueSteps(registry: Registry, version: { id: string; steps: Map<string, Step> }, steps: { run: RunRef; stepId: string; runAt?: Date | null }[]): Prisma.Sql {
  const specs = steps.map(({ run, stepId, runAt }) => ({
    identifier: stepTask,
    payload: stepJobOf(run, version, stepId),
    max_attempts: attemptsFor(registry, version.steps.get(stepId)),
    run_at: runAt ?? null,
  }));
  return Prisma.sql`graphile_worker.add_jobs(array(select json_populate_record(null::graphile_worker.job_spec, s) from json_array_elements(${JSON.stringify(specs)}::json) s))`;
}
