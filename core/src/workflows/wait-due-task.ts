// workflow_wait_due: a wait until a record's time came due. The record is read again: its
// owner moves the wait when it moves the record, but a move the engine was not told about
// (a missed hook) must not make the run go early.
import { Prisma } from '@soshogle/db';
import type { WaitStep } from './definition.ts';
import { tenantDb, type EngineServices, type Raw } from './engine-services.ts';
import { dueAt, loadSubject, lockSubject, queueDue } from './relative-wait.ts';
import { live, readState } from './run-state.ts';
import { finishStep } from './step-record.ts';
import { dueJob } from './task-payloads.ts';
import { loadVersion } from './version-cache.ts';
import { runOf, selectWaits } from './waits.ts';

export async function due(services: EngineServices, payload: unknown): Promise<void> {
  const { tenantId, waitId, late } = dueJob.parse(payload);
  const db = tenantDb(services, tenantId);
  const [w] = await selectWaits(db as unknown as Raw, tenantId, Prisma.sql`w.id = ${waitId} and w.kind = 'TIME'`);
  if (!w?.subject || !w.subjectId) return; // done already, or the run ended or moved on
  const version = await loadVersion(db as unknown as Raw, tenantId, { id: w.versionId });
  const step = version?.steps.get(w.stepId) as WaitStep | undefined;
  const wait = step?.wait;
  if (!version || !step || wait?.mode !== 'relative') return;
  const { subject, subjectId } = w;
  await db.$transaction(async (tx) => {
    const raw = tx as unknown as Raw;
    // The record first (as a move takes it), then the run, then its wait (as a finishing step takes them).
    await lockSubject(raw, tenantId, subject, subjectId);
    const state = await readState(raw, { executionId: w.executionId, tenantId, stepId: w.stepId }, true);
    if (!state || !live.includes(state.status) || state.position !== w.position) return;
    const until = dueAt(await loadSubject(services.registry, tx, subject, subjectId), wait);
    if (until && until.getTime() > Date.now() + 1000) {
      await raw.$executeRaw`
        with moved as (update "WorkflowWait" set "dueAt" = ${until} where id = ${waitId} and "userId" = ${tenantId} returning id)
        select ${queueDue(tenantId, waitId, until)} from moved`;
      return;
    }
    const deleted = await raw.$executeRaw`delete from "WorkflowWait" where id = ${waitId} and "userId" = ${tenantId}`;
    if (!deleted) return;
    const skipTo = step.timeoutNext ?? null;
    const run = runOf(w, tenantId);
    const attempt = { attempt: 1, startedAt: new Date() };
    if (!until) await finishStep(services, raw, run, version, step, { ...attempt, output: { gone: true } }, skipTo);
    else {
      const output = { until: until.toISOString(), ...(late ? { late: true } : {}) };
      await finishStep(services, raw, run, version, step, { ...attempt, output }, late && wait.late === 'skip' ? skipTo : step.next);
    }
  });
}
