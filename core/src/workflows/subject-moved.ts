// ctx.workflows.subjectMoved: a record that runs wait on ("2 hours before
// appointment.startTime") moved or stopped being live. In the caller's transaction, each
// relative wait on it gets its new due time (now, when there is nothing left to wait
// for) and its due job is re-queued under the same key, so the move and the moved waits
// commit together and a wait never runs twice.
import type { Workflows } from '../plugin.ts';
import type { Registry } from '../plugin-host.ts';
import type { TenantTx } from '../tenancy.ts';
import type { Raw } from './engine-services.ts';
import { dueAt, loadSubject, lockSubject, queueDue } from './relative-wait.ts';
import { live } from './run-state.ts';
import { loadVersion } from './version-cache.ts';

export function subjectMoved(registry: Registry): Workflows['subjectMoved'] {
  return async (tx, subject, id, { tenantId }) => {
    const raw = tx as unknown as Raw;
    await lockSubject(raw, tenantId, subject, id);
    const waits = await raw.$queryRaw<{ id: string; stepId: string; versionId: string; dueAt: Date | null }[]>`
      select w.id, w."stepId", e."versionId", w."dueAt"
      from "WorkflowWait" w join "WorkflowExecution" e on e.id = w."executionId"
      where w."userId" = ${tenantId} and w.kind = 'TIME' and w.subject = ${subject} and w."subjectId" = ${id}
        and e.status::text = any(${live})`;
    if (!waits.length) return { moved: 0 };
    const loaded = await loadSubject(registry, tx as unknown as TenantTx, subject, id);
    let moved = 0;
    for (const w of waits) {
      const step = (await loadVersion(raw, tenantId, { id: w.versionId }))?.steps.get(w.stepId);
      if (step?.type !== 'wait' || step.wait.mode !== 'relative') continue;
      const until = dueAt(loaded, step.wait);
      if ((until?.getTime() ?? null) === (w.dueAt?.getTime() ?? null)) continue; // not moved
      const now = new Date();
      // Gone or past: due now (the due job reads the record and decides); past is late.
      const runAt = until && until > now ? until : now;
      await raw.$executeRaw`
        with moved as (update "WorkflowWait" set "dueAt" = ${until} where id = ${w.id} and "userId" = ${tenantId} returning id)
        select ${queueDue(tenantId, w.id, runAt, !!until && until <= now)} from moved`;
      moved++;
    }
    return { moved };
  };
}
