// A merged contact's workflow runs move with the person: whoever merges contacts raises
// core.contact_merged in the merge's transaction (before deleting the merged contact), and
// this subscriber points the runs and their waits at the kept contact in that same
// transaction. Paused runs then hear the kept contact's events, and run history shows on
// the kept contact instead of vanishing with the merged one.
import { z } from 'zod';
import { defineSubscriber, defineTrigger, type TenantContext } from '../plugin.ts';
import { stepTask } from './task-payloads.ts';

export const contactMerged = defineTrigger({
  name: 'contact_merged',
  displayName: 'Contacts merged',
  description: 'A duplicate contact was merged into another; its records now belong to the kept contact.',
  payload: z.object({ contactId: z.string().min(1), mergedContactId: z.string().min(1) }),
  filter: z.object({}),
  matches: () => true,
});

export const moveRunsOfMergedContact = defineSubscriber({
  name: 'move_runs_of_merged_contact',
  event: 'core.contact_merged',
  transactional: true,
  async run({ db, tenantId }, event) {
    const { contactId, mergedContactId } = contactMerged.payload.parse(event.payload);
    const raw = db as unknown as Pick<TenantContext['db'], '$executeRaw'>;
    await raw.$executeRaw`update "WorkflowExecution" set "contactId" = ${contactId} where "contactId" = ${mergedContactId} and "userId" = ${tenantId}`;
    await raw.$executeRaw`update "WorkflowWait" set "contactId" = ${contactId} where "contactId" = ${mergedContactId} and "userId" = ${tenantId}`;
    // Steps already scheduled (the end of a delay) carry their run's contact: they must
    // name the kept contact too. A step running right now finishes under the old id.
    await raw.$executeRaw`update graphile_worker._private_jobs j
      set payload = (j.payload::jsonb || jsonb_build_object('contactId', ${contactId}::text))::json
      from graphile_worker._private_tasks t
      where t.id = j.task_id and t.identifier = ${stepTask} and j.locked_at is null
        and j.payload->>'tenantId' = ${tenantId} and j.payload->>'contactId' = ${mergedContactId}`;
  },
});
