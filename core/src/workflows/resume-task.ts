// workflow_resume: an event about a contact reaches that contact's paused runs (waits
// for an event, goals).
import { Prisma } from '@soshogle/db';
import { contactOf } from '../events.ts';
import type { GoalStep, WaitStep } from './definition.ts';
import { tenantDb, type EngineServices, type Raw } from './engine-services.ts';
import { live, readState } from './run-state.ts';
import { finishStep } from './step-record.ts';
import { resumeJob } from './task-payloads.ts';
import { loadVersion } from './version-cache.ts';
import { runOf, selectWaits } from './waits.ts';

export async function resume(services: EngineServices, payload: unknown): Promise<void> {
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
      // The waits it jumped over (for an event, for a time) are left behind with their step.
      await raw.$executeRaw`delete from "WorkflowWait" where "executionId" = ${run.executionId} and "userId" = ${event.tenantId} and kind <> 'GOAL'`;
      await finishStep(services, raw, { ...run, position: moved.position }, version, step, { attempt: 1, startedAt: new Date(), output: { met: true, event: heard } }, (step as GoalStep).next);
    });
  }
}
