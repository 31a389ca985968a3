// Merging two contacts that are the same person: one is kept, everything the other one
// has moves to it (notes, deal links, earlier merge records), tags and custom fields are
// combined, the merged contact's row is recorded as it was, and the merged contact is
// deleted. core.contact_merged is raised in the same transaction, before the delete, so
// other plugins move what they own (the core moves workflow runs, messaging moves
// conversations, messages and consent, the calendar moves appointments). One
// transaction: a merge happens entirely or not at all.
import { invalid, notFound, tenantSql, type EventPayloadInput, type EventType } from '@soshogle/core';
import type { Contact, ContactMerge, Prisma } from '@soshogle/db';
import { z } from 'zod';
import { ensureTags, type CrmScope } from '../contacts/service.ts';
import { hasTag, uniqueTags } from '../tags/spelling.ts';

const choice = z.enum(['keep', 'merge']);
const rowId = z.string().min(1).max(64);

/** The fields whose winner the user can pick; tags and custom fields are combined instead. */
export const mergeableFields = ['firstName', 'lastName', 'email', 'phone', 'company', 'source'] as const;
type MergeableField = (typeof mergeableFields)[number];

export const mergeRequest = z.object({
  keepId: rowId,
  mergeId: rowId,
  /** Per field, which contact's value wins (default: the kept contact's). */
  fields: z
    .object({
      firstName: choice.optional(),
      lastName: choice.optional(),
      email: choice.optional(),
      phone: choice.optional(),
      company: choice.optional(),
      source: choice.optional(),
    })
    .strict()
    .default({}),
});
export type MergeRequest = z.output<typeof mergeRequest>;

export interface MergeScope extends CrmScope {
  /** Who merged (the signed-in user, maybe an agency user working in the account). */
  actorId: string;
}

/** How many rows of each kind moved to the kept contact. */
export interface Moved {
  notes: number;
  /** The merged contact's appointments, which the calendar moves on core.contact_merged. */
  appointments: number;
  dealLinks: number;
}

export async function mergeContacts(scope: MergeScope, request: MergeRequest): Promise<{ contact: Contact; merge: ContactMerge; moved: Moved }> {
  if (request.keepId === request.mergeId) {
    throw invalid('body.mergeId', 'A contact cannot be merged into itself');
  }
  const { keep, merge } = await lockPair(scope, request.keepId, request.mergeId);
  const moved = await moveRecords(scope, keep.id, merge.id);
  // Before the delete: transactional subscribers move their rows while the merged contact still exists.
  await scope.events.raise(scope.tx, 'core.contact_merged', { contactId: keep.id, mergedContactId: merge.id }, { tenantId: scope.tenantId });
  const record = await scope.tx.contactMerge.create({
    data: { userId: scope.tenantId, keptContactId: keep.id, mergedContactId: merge.id, mergedContact: snapshot(merge), actorId: scope.actorId },
  });
  // Nothing points at it any more: deleting it cascades to nothing.
  await scope.tx.contact.delete({ where: { id: merge.id } });
  const contact = await combineFields(scope, keep, merge, request.fields);
  return { contact, merge: record, moved };
}

/**
 * Locks both contacts, always in id order, so two merges of the same pair (in either
 * direction) queue up instead of deadlocking; the second then finds one contact gone
 * and answers 404. Another tenant's id looks exactly like an unknown one.
 */
async function lockPair(scope: MergeScope, keepId: string, mergeId: string): Promise<{ keep: Contact; merge: Contact }> {
  const ids = [keepId, mergeId].sort();
  const t = tenantSql(scope.tenantId);
  const locked = await scope.tx.$queryRaw<{ id: string }[]>(t`
    select id from "Contact" where ${t.owns()} and id = any(${ids}::text[]) order by id for update`);
  if (locked.length !== 2) throw notFound('Contact');
  const rows = await scope.tx.contact.findMany({ where: { id: { in: ids } } });
  const keep = rows.find((c) => c.id === keepId);
  const merge = rows.find((c) => c.id === mergeId);
  if (!keep || !merge) throw notFound('Contact');
  return { keep, merge };
}

/** The merged contact's row as JSON (dates as ISO strings), for the merge record. */
const snapshot = (contact: Contact) => JSON.parse(JSON.stringify(contact)) as Prisma.InputJsonObject;

/**
 * Points every row of the merged contact that the CRM owns at the kept one. Raw SQL:
 * these are set-based moves of a foreign key, which the scoped client only allows row by
 * row; each statement names the tenant itself. Calls and payments have no contact
 * column, so nothing of theirs is linked to a contact.
 *
 * Appointments are the calendar's: its transactional subscriber to core.contact_merged
 * moves them (raised next, before the delete). They are only counted here, for the answer.
 */
async function moveRecords(scope: MergeScope, keepId: string, mergeId: string): Promise<Moved> {
  const { tx, tenantId } = scope;
  const t = tenantSql(tenantId);
  const notes = await tx.$executeRaw(t`update "Note" set "contactId" = ${keepId} where "contactId" = ${mergeId} and ${t.owns()}`);
  const appointments = await tx.appointment.count({ where: { contactId: mergeId } });
  const dealLinks = await mergeDealLinks(scope, keepId, mergeId);
  // Earlier merges into the merged contact are history of the kept one now; left behind,
  // deleting the merged contact would cascade them away.
  await tx.$executeRaw(t`update "ContactMerge" set "keptContactId" = ${keepId} where "keptContactId" = ${mergeId} and ${t.owns()}`);
  return { notes, appointments, dealLinks };
}

/**
 * Deal links move to the kept contact. A deal that already links it keeps one link,
 * primary if either was: the deal keeps its primary contact. DealContact has no tenant
 * column; both contact ids were checked as the tenant's when they were locked.
 */
async function mergeDealLinks({ tx }: MergeScope, keepId: string, mergeId: string): Promise<number> {
  const shared = await tx.$executeRaw`
    update "DealContact" k set "isPrimary" = k."isPrimary" or d."isPrimary"
    from "DealContact" d
    where d."contactId" = ${mergeId} and k."contactId" = ${keepId} and k."dealId" = d."dealId"`;
  await tx.$executeRaw`
    delete from "DealContact" d using "DealContact" k
    where d."contactId" = ${mergeId} and k."contactId" = ${keepId} and k."dealId" = d."dealId"`;
  const moved = await tx.$executeRaw`update "DealContact" set "contactId" = ${keepId} where "contactId" = ${mergeId}`;
  return shared + moved;
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

/** The chosen contact's value, or the other's when the chosen one is empty: a merge never blanks a field. */
export function pickValue(field: MergeableField, keep: Contact, merge: Contact, winner: 'keep' | 'merge' = 'keep') {
  const [first, second] = winner === 'merge' ? [merge, keep] : [keep, merge];
  return isEmpty(first[field]) ? second[field] : first[field];
}

/** The kept contact's tags, then the merged contact's tags it did not have in any case, in their order. */
export const unionTags = (kept: string[], merged: string[]) => [...kept, ...uniqueTags(merged).filter((t) => !hasTag(kept, t))];

type CustomValues = Record<string, unknown>;
const customValues = (contact: Contact) => (contact.customFields ?? {}) as CustomValues;

/**
 * Writes the combined fields on the kept contact and raises what changed:
 * core.contact_updated naming the fields, core.tag_added for each tag it gained.
 * Custom field values are copied as stored, not checked again: they were checked when
 * written, and a definition changed since must not make a merge impossible.
 */
async function combineFields(scope: MergeScope, keep: Contact, merge: Contact, winners: MergeRequest['fields']): Promise<Contact> {
  const data: Prisma.ContactUpdateInput = {};
  const changed: string[] = [];
  for (const field of mergeableFields) {
    const value = pickValue(field, keep, merge, winners[field]);
    if (value === keep[field]) continue;
    (data as Record<string, unknown>)[field] = value;
    changed.push(field);
  }
  const kept = customValues(keep);
  const gaps = Object.entries(customValues(merge)).filter(([key, value]) => isEmpty(kept[key]) && !isEmpty(value));
  if (gaps.length) {
    data.customFields = { ...kept, ...Object.fromEntries(gaps) } as Prisma.InputJsonObject;
    changed.push(...gaps.map(([key]) => `customFields.${key}`));
  }
  const tags = unionTags(keep.tags, merge.tags);
  const gained = tags.slice(keep.tags.length);
  if (gained.length) data.tags = tags;
  if (!changed.length && !gained.length) return keep;
  const contact = await scope.tx.contact.update({ where: { id: keep.id }, data });
  await ensureTags(scope.tx, gained);
  const raise = <T extends EventType>(type: T, payload: EventPayloadInput<T>) => scope.events.raise(scope.tx, type, payload, { tenantId: scope.tenantId });
  if (changed.length) await raise('core.contact_updated', { contactId: keep.id, changed });
  for (const tag of gained) await raise('core.tag_added', { contactId: keep.id, tag });
  return contact;
}

/** The merges into a contact, newest first; 404 for an unknown contact. */
export async function mergesInto(tx: CrmScope['tx'], contactId: string): Promise<ContactMerge[]> {
  await tx.contact.findUniqueOrThrow({ where: { id: contactId }, select: { id: true } });
  return tx.contactMerge.findMany({ where: { keptContactId: contactId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}
