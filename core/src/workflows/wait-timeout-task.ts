// workflow_wait_timeout: a wait for an event ran out of time.
import { Prisma } from '@soshogle/db';
import type { WaitStep } from './definition.ts';
import { tenantDb, type EngineServices, type Raw } from './engine-services.ts';
import { live, readState } from './run-state.ts';
import { finishStep } from './step-record.ts';
import { timeoutJob } from './task-payloads.ts';
import { loadVersion } from './version-cache.ts';
import { selectWaits, runOf } from './waits.ts';

export async function timeout(services: EngineServices, payload: unknown): Promise<void> {
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
