// Workflow runs on a contact's timeline.
import { defineTimelineSource } from '../plugin.ts';

export const workflowRunsTimeline = defineTimelineSource({
  name: 'workflow_runs',
  async entries({ db }, contactId, { before, limit }) {
    const runs = await db.workflowExecution.findMany({
      where: { contactId, ...(before ? { startedAt: { lt: before.at } } : {}) },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: { id: true, status: true, startedAt: true, error: true, workflowId: true, workflow: { select: { name: true } } },
    });
    return runs.map((run) => ({
      id: run.id,
      kind: 'workflow_run',
      at: run.startedAt,
      title: `Workflow "${run.workflow.name}": ${run.status.toLowerCase().replace('_', ' ')}`,
      body: run.error,
      link: `/workflows/${run.workflowId}/executions/${run.id}`,
      data: { status: run.status, workflowId: run.workflowId },
    }));
  },
});
