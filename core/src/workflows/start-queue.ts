// The start queue: an event that may start runs of a live workflow is appended to
// "WorkflowStart" in the raiser's transaction, and the workflow's start jobs take the queue
// in batches (start-task.ts). A burst of single raises (a form's visitors, a campaign's
// replies, an import) then costs a job per batch, not per event.
//
// A raise queues a plain start job for its events (one per `startBatchSize` of them): the job
// takes whatever the workflow's queue holds then, oldest first, skipping rows another job
// holds, so a job that finds its events already taken ends at once. Under a burst the first
// jobs take full batches and the rest find little; when it is quiet each event is started by
// the job its raise queued, with no wait.
import { Prisma } from '@soshogle/db';

export const startWorkflowTask = 'workflow_start';
/** Queued events a start job takes per transaction. */
export const startBatchSize = 50;
/** The start job's own attempts: for the database failing under it (each queued event counts its own). */
export const startJobAttempts = 25;

/**
 * The query that queues the start jobs for the rows a statement appended: `appended` names
 * its CTE, whose rows have the queue's `id` and `workflowId`. One job per workflow and batch.
 */
export function queueStartJobs(tenantId: string, appended: string, runAt: Prisma.Sql = Prisma.sql`now()`): Prisma.Sql {
  // `from`: the job's first event. It reads the queue from there, past the rows jobs before
  // it took (a queue's deleted rows wait for vacuum at its start; reading over them cost
  // ~10 ms a claim after a burst).
  return Prisma.sql`
    select graphile_worker.add_job(${startWorkflowTask}, json_build_object('workflowId', s."workflowId", 'tenantId', ${tenantId}::text, 'from', s.first::text),
      run_at => ${runAt}, max_attempts => ${startJobAttempts}::int)
    from (select "workflowId", min(id) as first from (
            select "workflowId", id, (row_number() over (partition by "workflowId" order by id) - 1) / ${startBatchSize}::int as batch
            from ${Prisma.raw(`"${appended}"`)}) a
          group by "workflowId", batch) s`;
}
