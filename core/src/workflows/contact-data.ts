// The core's part of a contact's data export and erasure: the workflow runs about the
// contact. Erasure keeps each run (the workflows' counts and run lists stay true) and drops
// what it carried of the person: the triggering event's payload, each step's input and
// output, error texts (which quote addresses). Runs still going stop (their queued steps
// see a finished run and do nothing), their waits go, and events about the contact still
// waiting to start runs are dropped.
import { Prisma } from '@soshogle/db';
import { defineContactData } from '../plugin.ts';
import { tenantSql } from '../tenant-sql.ts';
import { live } from './run-state.ts';

export const workflowRunsContactData = defineContactData({
  name: 'workflow_runs',
  async export({ db }, contactId) {
    const runs = await db.workflowExecution.findMany({
      where: { contactId },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
      select: {
        id: true, workflowId: true, status: true, error: true, contextData: true, startedAt: true, completedAt: true,
        workflow: { select: { name: true } },
        steps: { select: { stepId: true, type: true, actionKey: true, status: true, input: true, output: true, error: true, startedAt: true, finishedAt: true }, orderBy: { startedAt: 'asc' } },
      },
    });
    return { runs: runs.map(({ workflow, ...run }) => ({ workflowName: workflow.name, ...run })) };
  },
  async erase(ctx, contactId, tx) {
    const runs = await tx.workflowExecution.findMany({ where: { contactId }, select: { id: true, status: true, eventId: true, contextData: true } });
    const ids = runs.map((r) => r.id);
    const stopped = runs.filter((r) => live.includes(r.status)).map((r) => r.id);
    if (stopped.length) {
      await tx.workflowExecution.updateMany({ where: { id: { in: stopped } }, data: { status: 'FAILED', completedAt: new Date() } });
    }
    const waits = (await tx.workflowWait.deleteMany({ where: { OR: [{ executionId: { in: ids } }, { contactId }] } })).count;
    const steps = (await tx.workflowStepRun.updateMany({ where: { executionId: { in: ids } }, data: { input: Prisma.DbNull, output: Prisma.DbNull, error: null } })).count;
    // The event's id and type stay (what started the run); its payload goes.
    for (const run of runs) {
      const event = (run.contextData as { event?: { id?: unknown; type?: unknown } } | null)?.event;
      await tx.workflowExecution.update({
        where: { id: run.id },
        data: { contextData: { event: { id: event?.id ?? run.eventId, type: event?.type ?? null } }, error: stopped.includes(run.id) ? 'The contact was erased' : null },
      });
    }
    const t = tenantSql(ctx.tenantId);
    const starts = await tx.$executeRaw(t`
      delete from "WorkflowStart" s
      where ${t.owns('s')} and s.event->'payload'->>'contactId' = ${contactId}`);
    return {
      erased: { runsAnonymised: runs.length, runsStopped: stopped.length, stepsAnonymised: steps, waits, pendingStarts: starts },
      kept: ['workflow runs: which workflow, status and times, for its counts'],
    };
  },
});
