// A merged contact's workflow runs move with the person: whoever merges contacts raises
// core.contact_merged in the merge's transaction (before deleting the merged contact), and
// this subscriber points the runs and their waits at the kept contact in that same
// transaction. Paused runs then hear the kept contact's events, and run history shows on
// the kept contact instead of vanishing with the merged one.
import { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { defineSubscriber, defineTrigger, type SubscriberDefinition, type TenantContext } from '../plugin.ts';
import type { TenantTx } from '../tenancy.ts';
import { tenantSql } from '../tenant-sql.ts';
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

/**
 * The subscriber a plugin declares so its rows that name a contact (`contactId`) follow a
 * merge: in the merge's transaction, one set-based update per table, scoped to the tenant.
 * For plain moves only; a plugin with rows to combine (one conversation per channel) writes
 * its own.
 */
export function moveContactRowsOnMerge(name: string, tables: readonly string[]): SubscriberDefinition<'core.contact_merged'> {
  for (const table of tables) {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(table)) throw new Error(`moveContactRowsOnMerge: ${JSON.stringify(table)} is not a model's table name`);
  }
  return defineSubscriber({
    name,
    event: 'core.contact_merged',
    transactional: true,
    async run({ db, tenantId }, event) {
      const { contactId: keepId, mergedContactId: mergeId } = event.payload;
      // A set-based move of a foreign key: raw SQL naming the tenant.
      const tx = db as unknown as Pick<TenantTx, '$executeRaw'>;
      const t = tenantSql(tenantId);
      for (const table of tables) {
        await tx.$executeRaw(t`update ${Prisma.raw(`"${table}"`)} set "contactId" = ${keepId} where "contactId" = ${mergeId} and ${t.owns()}`);
      }
    },
  });
}
