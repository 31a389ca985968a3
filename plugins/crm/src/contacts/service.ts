// Writing contacts: every change and the events it raises commit in one transaction.
// Routes, the CSV import, merges and lead conversion all write through here.
import type { EventPayloadInput, Events, EventType, TenantTx } from '@soshogle/core';
import { invalid, notFound } from '@soshogle/core';
import type { Contact, CustomField, Prisma } from '@soshogle/db';
import { checkCustomFields, type ContactFields } from './fields.ts';

/** A tenant's transaction and the event bus: what every CRM write needs. */
export interface CrmScope {
  tx: TenantTx;
  tenantId: string;
  events: Events;
  /** False for imports told not to trigger workflows: the change raises no events. */
  raise?: boolean;
}

type Definitions = Pick<CustomField, 'key' | 'label' | 'type' | 'options' | 'required'>[];

export const customFieldDefinitions = (tx: TenantTx): Promise<Definitions> =>
  tx.customField.findMany({ select: { key: true, label: true, type: true, options: true, required: true } });

const withoutNulls = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));

/** Keeps a Tag record (name, colour) for every tag a contact carries. */
export async function ensureTags(tx: TenantTx, tags: string[]): Promise<void> {
  if (!tags.length) return;
  await tx.tag.createMany({ data: tags.map((name) => ({ name, userId: '' })), skipDuplicates: true });
}

async function raise<T extends EventType>(scope: CrmScope, type: T, payload: EventPayloadInput<T>) {
  if (scope.raise === false) return;
  await scope.events.raise(scope.tx, type, payload, { tenantId: scope.tenantId });
}

async function raiseTagChanges(scope: CrmScope, contactId: string, before: string[], after: string[]) {
  for (const tag of after.filter((t) => !before.includes(t))) await raise(scope, 'core.tag_added', { contactId, tag });
  for (const tag of before.filter((t) => !after.includes(t))) await raise(scope, 'core.tag_removed', { contactId, tag });
}

export async function createContact(
  scope: CrmScope,
  fields: ContactFields,
  options: { definitions?: Definitions; id?: string } = {},
): Promise<Contact> {
  const definitions = options.definitions ?? (await customFieldDefinitions(scope.tx));
  const custom = checkCustomFields(fields.customFields, definitions);
  if (custom.problems.length) throw invalid(custom.problems);
  const contact = await scope.tx.contact.create({
    data: {
      ...(options.id ? { id: options.id } : {}),
      userId: scope.tenantId,
      firstName: fields.firstName,
      lastName: fields.lastName ?? null,
      email: fields.email ?? null,
      phone: fields.phone ?? null,
      company: fields.company ?? null,
      tags: fields.tags,
      source: fields.source ?? 'manual',
      customFields: withoutNulls(custom.values) as Prisma.InputJsonObject,
    },
  });
  await ensureTags(scope.tx, contact.tags);
  await raise(scope, 'core.contact_created', { contactId: contact.id, source: contact.source });
  await raiseTagChanges(scope, contact.id, [], contact.tags);
  return contact;
}

const plainFields = ['firstName', 'lastName', 'email', 'phone', 'company', 'source'] as const;

/** Locks the contact row for the rest of the transaction: concurrent tag edits queue up instead of overwriting each other. */
export async function lockContact(scope: Pick<CrmScope, 'tx' | 'tenantId'>, id: string): Promise<Contact> {
  const [row] = await scope.tx.$queryRaw<{ id: string }[]>`select id from "Contact" where id = ${id} and "userId" = ${scope.tenantId} for update`;
  if (!row) throw notFound('Contact');
  return scope.tx.contact.findUniqueOrThrow({ where: { id } });
}

/**
 * Applies `patch` (only the fields given change); raises core.contact_updated naming the
 * changed fields, and core.tag_added / core.tag_removed for each tag that changed.
 */
export async function updateContact(
  scope: CrmScope,
  id: string,
  patch: Partial<ContactFields>,
  options: { definitions?: Definitions } = {},
): Promise<Contact> {
  const current = await lockContact(scope, id);
  const data: Prisma.ContactUpdateInput = {};
  const changed: string[] = [];
  for (const field of plainFields) {
    const value = patch[field];
    if (value === undefined || value === current[field]) continue;
    if (field === 'firstName' && value === null) continue;
    (data as Record<string, unknown>)[field] = value;
    changed.push(field);
  }
  if (patch.customFields) {
    const existing = (current.customFields ?? {}) as Record<string, unknown>;
    const definitions = options.definitions ?? (await customFieldDefinitions(scope.tx));
    const custom = checkCustomFields(patch.customFields, definitions, existing);
    if (custom.problems.length) throw invalid(custom.problems);
    const next = withoutNulls({ ...existing, ...custom.values });
    for (const key of new Set([...Object.keys(existing), ...Object.keys(next)])) {
      if (JSON.stringify(existing[key]) !== JSON.stringify(next[key])) changed.push(`customFields.${key}`);
    }
    data.customFields = next as Prisma.InputJsonObject;
  }
  const tagsChanged = patch.tags !== undefined && JSON.stringify(patch.tags) !== JSON.stringify(current.tags);
  if (tagsChanged) data.tags = patch.tags!;
  if (!changed.length && !tagsChanged) return current;
  const contact = await scope.tx.contact.update({ where: { id }, data });
  if (tagsChanged) await ensureTags(scope.tx, contact.tags);
  if (changed.length) await raise(scope, 'core.contact_updated', { contactId: id, changed });
  await raiseTagChanges(scope, id, current.tags, contact.tags);
  return contact;
}

/** Adds and removes tags on one contact; returns the contact after the change. */
export async function changeTags(scope: CrmScope, id: string, change: { add?: string[]; remove?: string[] }): Promise<Contact> {
  const current = await lockContact(scope, id);
  const remove = new Set(change.remove ?? []);
  const tags = [...new Set([...current.tags.filter((t) => !remove.has(t)), ...(change.add ?? [])])];
  return updateContact(scope, id, { tags });
}
