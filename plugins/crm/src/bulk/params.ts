// What a bulk action is asked to do, to which contacts: the request the route takes, and
// the CrmJob.params the job reads back (a smart list resolved to its filter at request
// time, so editing the list later does not change a running job).
import { invalid, type TenantTx } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { tagName } from '../contacts/fields.ts';
import { contactFilter, filterWhere, resolveTags } from '../contacts/filter.ts';
import { uniqueTags } from '../tags/spelling.ts';

const rowId = z.string().min(1).max(64);
const tags = z
  .array(tagName)
  .min(1)
  .max(100)
  .transform(uniqueTags);

const addTags = z.object({ type: z.literal('add_tags'), tags });
const removeTags = z.object({ type: z.literal('remove_tags'), tags });
const deleteContacts = z.object({ type: z.literal('delete') });
const startWorkflow = z.object({ type: z.literal('start_workflow'), workflowId: rowId });

/** What a bulk job does to each contact. */
export const jobAction = z.discriminatedUnion('type', [addTags, removeTags, deleteContacts, startWorkflow]);
export type BulkAction = z.output<typeof jobAction>;

export const bulkAction = z.discriminatedUnion('type', [
  addTags,
  removeTags,
  deleteContacts,
  startWorkflow,
  // Accepted only to answer where exports live (see the route): they stream, not queue.
  z.object({ type: z.literal('export') }),
]);

/** Exactly one of: the selected contacts, a filter, a smart list. */
export const bulkTarget = z
  .object({
    contactIds: z
      .array(rowId)
      .min(1)
      .max(10_000)
      .transform((ids) => [...new Set(ids)])
      .optional(),
    filter: contactFilter.optional(),
    smartListId: rowId.optional(),
  })
  .strict()
  .refine((t) => [t.contactIds, t.filter, t.smartListId].filter((v) => v !== undefined).length === 1, {
    message: 'Give exactly one of contactIds, filter or smartListId',
  });

export const bulkRequest = z.object({ target: bulkTarget, action: bulkAction });

/** The contacts of a job: ids, or a filter (with the smart list it came from, for the UI). */
export const jobTarget = z.union([
  z.object({ contactIds: z.array(z.string()) }),
  z.object({ filter: contactFilter, smartListId: z.string().optional() }),
]);
export type JobTarget = z.output<typeof jobTarget>;

/** CrmJob.params of a bulk action. */
export const bulkParams = z.object({ target: jobTarget, action: jobAction });
export type BulkParams = z.output<typeof bulkParams>;

/** The smart list's saved filter, or a 422 naming the field (another tenant's list looks unknown). */
export async function resolveTarget(tx: TenantTx, target: z.output<typeof bulkTarget>): Promise<JobTarget> {
  if (target.contactIds) return { contactIds: target.contactIds };
  if (target.filter) return { filter: target.filter };
  const list = await tx.smartList.findFirst({ where: { id: target.smartListId } });
  if (!list) {
    throw invalid('body.target.smartListId', 'No such smart list');
  }
  return { filter: contactFilter.parse(list.filter), smartListId: list.id };
}

/**
 * The contacts a job works on. `createdBy` is the job's creation: contacts added while
 * it runs are left out, so a job over "everyone" finishes.
 */
export async function targetWhere(tx: TenantTx, target: JobTarget, createdBy?: Date): Promise<Prisma.ContactWhereInput> {
  const matching = 'contactIds' in target ? { id: { in: target.contactIds } } : filterWhere(await resolveTags(tx, target.filter));
  return createdBy ? { AND: [matching, { createdAt: { lte: createdBy } }] } : matching;
}

/** Params as stored: JSON, dates as ISO strings (parsed again by the job). */
export const paramsJson = (params: BulkParams) => JSON.parse(JSON.stringify(params)) as Prisma.InputJsonObject;
