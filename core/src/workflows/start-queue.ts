// The start queue: an event that may start runs of a live workflow is appended to
// "WorkflowStart" in the raiser's transaction, and the workflow's start jobs take the queue
// in batches (start-task.ts). A burst of single raises (a form's visitors, a campaign's
// replies, an import) then costs a job per batch, not per event.
//
// Each workflow has `startShards` keyed start jobs (the row's id picks one), so a busy
// workflow starts on several workers at once; any of them takes any of its rows. A raise
// that finds its job waiting writes no job row (enqueue_keyed_job, prisma/schema/core.sql),
// and the job waits for such writers to commit before it reads the queue.
import { Prisma } from '@soshogle/db';

export const startWorkflowTask = 'workflow_start';
/** Start jobs per workflow that may run at once. */
export const startShards = 4;
/** The start job's own attempts: for the database failing under it (each queued event counts its own). */
export const startJobAttempts = 25;

/** The key of a workflow's start job for one shard. */
export const startKey = (workflowId: string, shard: number) => `workflow_start:${workflowId}:${shard}`;

/**
 * The query that queues the start jobs for the rows a statement appended: `appended` names
 * its CTE, whose rows have the queue's `id` and `workflowId`. One job per workflow and shard.
 */
export function queueStartJobs(tenantId: string, appended: string, runAt: Prisma.Sql = Prisma.sql`now()`): Prisma.Sql {
  return Prisma.sql`
    select enqueue_keyed_job(${startWorkflowTask}, json_build_object('workflowId', s."workflowId", 'tenantId', ${tenantId}::text, 'shard', s.shard),
      'workflow_start:' || s."workflowId" || ':' || s.shard, ${runAt}, ${startJobAttempts}::int)
    from (select distinct "workflowId", (id % ${startShards})::int as shard from ${Prisma.raw(`"${appended}"`)}) s`;
}
