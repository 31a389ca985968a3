// Bulk actions on contacts: a selection, a filter or a smart list; add or remove tags,
// delete, start a workflow. They run as a CrmJob the UI polls (GET /jobs/:id) for
// progress. Mounted before /contacts/:id.
import { conflict, defineRoute, invalid, notFound, type AnyRoute, type TenantDb } from '@soshogle/core';
import { jobStarted } from '../jobs/schemas.ts';
import { bulkJobKey } from './jobs.ts';
import { bulkRequest, paramsJson, resolveTarget, targetWhere, type BulkParams } from './params.ts';

/**
 * Refuses, at request time, a workflow that cannot be started (the job would only fail):
 * 404 unknown (or another tenant's), 409 never published. The same checks the core
 * makes when the job starts it.
 */
async function checkWorkflow(db: TenantDb, workflowId: string): Promise<void> {
  const workflow = await db.workflow.findFirst({ where: { id: workflowId }, select: { publishedVersion: true } });
  if (!workflow) throw notFound('Workflow');
  if (workflow.publishedVersion === null) throw conflict('Publish the workflow before starting it');
}

export const bulkRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/contacts/bulk',
    summary: 'Start a bulk action (add or remove tags, delete, start a workflow) on selected contacts, a filter or a smart list',
    status: 202,
    body: bulkRequest,
    response: jobStarted,
    async handler({ body, db, tenantId, jobs }) {
      const { action } = body;
      if (action.type === 'export') {
        // Exports stream instead of queueing: the UI downloads them with the same filter.
        throw invalid('body.action.type', 'Exports are downloaded from GET /api/crm/contacts/export with the same filter');
      }
      if (action.type === 'start_workflow') await checkWorkflow(db, action.workflowId);
      const job = await db.$transaction(async (tx) => {
        const params: BulkParams = { target: await resolveTarget(tx, body.target), action };
        const total = await tx.contact.count({ where: await targetWhere(tx, params.target) });
        const created = await tx.crmJob.create({ data: { userId: tenantId, kind: 'BULK_ACTION', params: paramsJson(params), total } });
        await jobs.enqueue(tx, bulkJobKey, { jobId: created.id }, { tenantId });
        return created;
      });
      return { job };
    },
  }),
];
