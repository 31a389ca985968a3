// A wait step: for a duration, until a time of day in the contact's zone, for an event
// about the run's contact (with a timeout job), or until a time of a record the run is
// about (a due job that follows the record's moves).
import { randomUUID } from 'node:crypto';
import { unitMs, type RelativeWait, type WaitStep } from './definition.ts';
import { tenantDb, type EngineServices, type Raw } from './engine-services.ts';
import { dueAt, loadSubject, lockSubject, queueDue, targetOf } from './relative-wait.ts';
import { recordIdOf, type RunSubject } from './run-context.ts';
import { readState, stillToRun } from './run-state.ts';
import { finishStep, recordStep } from './step-record.ts';
import { waitTimeoutTask, type StepJob } from './task-payloads.ts';
import { nextTimeOfDay, zoneOf } from './time-zone.ts';
import type { Version } from './version-cache.ts';

type Attempt = { attempt: number; startedAt: Date };

export async function wait(services: EngineServices, job: StepJob, version: Version, step: WaitStep, record: Attempt, subject: RunSubject): Promise<void> {
  const w = step.wait;
  const db = tenantDb(services, job.tenantId);
  const raw = db as unknown as Raw;
  if (w.mode === 'relative') return waitRelative(services, job, version, step, w, record, subject);
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

/**
 * Until a time of the record the run is about. Nothing to wait for (no such record, gone,
 * not live) ends the wait at `timeoutNext` (default: the end of the run); a time already
 * passed goes on at once, or at `timeoutNext` when the step says `late: 'skip'`.
 */
async function waitRelative(services: EngineServices, job: StepJob, version: Version, step: WaitStep, w: RelativeWait, record: Attempt, subject: RunSubject) {
  const db = tenantDb(services, job.tenantId);
  const { subject: name } = targetOf(w);
  const id = await recordIdOf(name, subject);
  const waitId = randomUUID();
  await db.$transaction(async (tx) => {
    const raw = tx as unknown as Raw;
    if (id) await lockSubject(raw, job.tenantId, name, id);
    if (!stillToRun(await readState(raw, job, true), job)) return;
    const until = id ? dueAt(await loadSubject(services.registry, tx, name, id), w) : null;
    const skipTo = step.timeoutNext ?? null;
    if (!until) {
      await finishStep(services, raw, job, version, step, { ...record, output: { gone: true } }, skipTo);
      return;
    }
    if (until.getTime() <= Date.now()) {
      const output = { until: until.toISOString(), late: true };
      await finishStep(services, raw, job, version, step, { ...record, output }, w.late === 'skip' ? skipTo : step.next);
      return;
    }
    const inserted = await raw.$executeRaw`
      insert into "WorkflowWait" (id, "userId", "executionId", "stepId", kind, subject, "subjectId", "dueAt")
      values (${waitId}, ${job.tenantId}, ${job.executionId}, ${step.id}, 'TIME', ${name}, ${id}, ${until})
      on conflict ("executionId", "stepId") do nothing`;
    if (!inserted) return;
    await recordStep(raw, job.tenantId, job.executionId, step, { status: 'WAITING', ...record, output: { until: until.toISOString() } });
    await raw.$executeRaw`
      with s as (update "WorkflowExecution" set status = 'WAITING' where id = ${job.executionId} and "userId" = ${job.tenantId})
      select ${queueDue(job.tenantId, waitId, until)}`;
  });
}
