// A wait step: for a duration, until a time of day in the contact's zone, or for an event
// about the run's contact (with a timeout job).
import { randomUUID } from 'node:crypto';
import type { WaitStep } from './definition.ts';
import { tenantDb, type EngineServices, type Raw } from './engine-services.ts';
import { readState, stillToRun } from './run-state.ts';
import { finishStep, recordStep } from './step-record.ts';
import { waitTimeoutTask, type StepJob } from './task-payloads.ts';
import { nextTimeOfDay, zoneOf } from './time-zone.ts';
import type { Version } from './version-cache.ts';

const unitMs = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

export async function wait(
  services: EngineServices,
  job: StepJob,
  version: Version,
  step: WaitStep,
  record: { attempt: number; startedAt: Date },
): Promise<void> {
  const w = step.wait;
  const db = tenantDb(services, job.tenantId);
  const raw = db as unknown as Raw;
  if (w.mode === 'duration' || w.mode === 'time_of_day') {
    let until: Date;
    if (w.mode === 'duration') until = new Date(Date.now() + w.amount * unitMs[w.unit]);
    else {
      const zone = await zoneOf(db, services.registry.runContext, job);
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
