// Writing contacts: every change and the events it raises commit in one transaction.
// Routes, the CSV import, merges and lead conversion all write through here.
import type { EventPayloadInput, Events, EventType, TenantTx } from '@soshogle/core';
import { invalid, notFound, tenantSql } from '@soshogle/core';
import type { Contact, CustomField, Prisma } from '@soshogle/db';
import { hasTag, storedTags, tagSpeller } from '../tags/spelling.ts';
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

/**
 * Keeps a Tag record (name, colour) for every tag contacts carry. Inserted in name order:
 * two transactions adding the same new tags wait for each other instead of deadlocking.
 */
export async function ensureTags(tx: TenantTx, tags: string[]): Promise<void> {
  if (!tags.length) return;
  await tx.tag.createMany({ data: [...new Set(tags)].sort().map((name) => ({ name, userId: '' })), skipDuplicates: true });
}

async function raise<T extends EventType>(scope: CrmScope, type: T, payload: EventPayloadInput<T>) {
  if (scope.raise === false) return;
  await scope.events.raise(scope.tx, type, payload, { tenantId: scope.tenantId });
}

async function raiseTagChanges(scope: CrmScope, contactId: string, before: string[], after: string[]) {
  for (const tag of after.filter((t) => !before.includes(t))) await raise(scope, 'core.tag_added', { contactId, tag });
  for (const tag of before.filter((t) => !after.includes(t))) await raise(scope, 'core.tag_removed', { contactId, tag });
}

/** createContacts for one contact. */
export async function createContact(
  scope: CrmScope,
  fields: ContactFields,
  options: { definitions?: Definitions; id?: string } = {},
): Promise<Contact> {
  const [contact] = await createContacts(scope, [{ ...fields, ...(options.id ? { id: options.id } : {}) }], options);
  return contact!;
}

/**
 * Creates contacts in one INSERT, their tags in the tenant's spelling (one lookup for all),
 * and raises core.contact_created and core.tag_added for them with one raiseMany each.
 * Refuses them all (422) when one's custom fields do not check: callers that must fail one
 * alone check first (checkCustomFields).
 */
export async function createContacts(
  scope: CrmScope,
  list: (ContactFields & { id?: string })[],
  options: { definitions?: Definitions } = {},
): Promise<Contact[]> {
  if (!list.length) return [];
  const definitions = options.definitions ?? (await customFieldDefinitions(scope.tx));
  const customs = list.map((fields) => {
    const custom = checkCustomFields(fields.customFields, definitions);
    if (custom.problems.length) throw invalid(custom.problems);
    return custom.values;
  });
  const spell = await tagSpeller(scope.tx, list.flatMap((fields) => fields.tags));
  // One INSERT ... VALUES: PostgreSQL returns its rows in the order given.
  const contacts = await scope.tx.contact.createManyAndReturn({
    data: list.map((fields, i) => ({
      ...(fields.id ? { id: fields.id } : {}),
      userId: scope.tenantId,
      firstName: fields.firstName,
      lastName: fields.lastName ?? null,
      email: fields.email ?? null,
      phone: fields.phone ?? null,
      company: fields.company ?? null,
      tags: fields.tags.length ? spell(fields.tags) : [],
      source: fields.source ?? 'manual',
      customFields: withoutNulls(customs[i]!) as Prisma.InputJsonObject,
    })),
  });
  await ensureTags(scope.tx, [...new Set(contacts.flatMap((c) => c.tags))]);
  if (scope.raise !== false) {
    await scope.events.raiseMany(scope.tx, 'core.contact_created', contacts.map((c) => ({ contactId: c.id, source: c.source })), { tenantId: scope.tenantId });
    await scope.events.raiseMany(scope.tx, 'core.tag_added', contacts.flatMap((c) => c.tags.map((tag) => ({ contactId: c.id, tag }))), { tenantId: scope.tenantId });
  }
  return contacts;
}

const plainFields = ['firstName', 'lastName', 'email', 'phone', 'company', 'source'] as const;

/** Locks the contact row for the rest of the transaction: concurrent tag edits queue up instead of overwriting each other. */
export async function lockContact(scope: Pick<CrmScope, 'tx' | 'tenantId'>, id: string): Promise<Contact> {
  const t = tenantSql(scope.tenantId);
  const [row] = await scope.tx.$queryRaw<{ id: string }[]>(t`select id from "Contact" where id = ${id} and ${t.owns()} for update`);
  if (!row) throw notFound('Contact');
  return scope.tx.contact.findUniqueOrThrow({ where: { id } });
}

/** What a change did: the contact after it, the fields that changed, and the tags it gained and lost. */
export interface ContactChange {
  contact: Contact;
  /** Plain fields and `customFields.<key>`; tags are in `tagsAdded` / `tagsRemoved`. */
  changed: string[];
  tagsAdded: string[];
  tagsRemoved: string[];
}

/** Tags to add and remove whatever their case (see changeTags). */
export interface TagChange {
  add?: string[];
  remove?: string[];
}

/** `tags` after `change`: a removal takes a tag in any spelling; one carried in another spelling is not added again. */
function withTagChange(tags: string[], change: TagChange): string[] {
  const remove = change.remove ?? [];
  const kept = tags.filter((t) => !remove.some((r) => hasTag([r], t)));
  return [...kept, ...(change.add ?? []).filter((t) => !hasTag(kept, t))];
}

/**
 * Applies `patch` (only the fields given change; tags are stored in the tenant's
 * spelling, see tags/spelling.ts), then `options.tags` to the tags the contact carries
 * once it is locked; raises core.contact_updated naming the changed fields, and
 * core.tag_added / core.tag_removed for each tag that changed.
 */
export async function changeContact(
  scope: CrmScope,
  id: string,
  patch: Partial<ContactFields>,
  options: { definitions?: Definitions; tags?: TagChange } = {},
): Promise<ContactChange> {
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
  const wanted = options.tags ? withTagChange(patch.tags ?? current.tags, options.tags) : patch.tags;
  const tags = wanted === undefined ? undefined : await storedTags(scope.tx, wanted, current.tags);
  const tagsChanged = tags !== undefined && JSON.stringify(tags) !== JSON.stringify(current.tags);
  if (tagsChanged) data.tags = tags;
  if (!changed.length && !tagsChanged) return { contact: current, changed, tagsAdded: [], tagsRemoved: [] };
  const contact = await scope.tx.contact.update({ where: { id }, data });
  if (tagsChanged) await ensureTags(scope.tx, contact.tags);
  if (changed.length) await raise(scope, 'core.contact_updated', { contactId: id, changed });
  await raiseTagChanges(scope, id, current.tags, contact.tags);
  return {
    contact,
    changed,
    tagsAdded: contact.tags.filter((t) => !current.tags.includes(t)),
    tagsRemoved: current.tags.filter((t) => !contact.tags.includes(t)),
  };
}

/** changeContact, answering the contact after the change. */
export async function updateContact(scope: CrmScope, id: string, patch: Partial<ContactFields>, options: { definitions?: Definitions } = {}): Promise<Contact> {
  return (await changeContact(scope, id, patch, options)).contact;
}

/**
 * Adds and removes tags on one contact, whatever their case: a tag it already carries in
 * another spelling is not added again, and a removal takes the tag in any spelling.
 */
export function changeTags(scope: CrmScope, id: string, change: TagChange): Promise<ContactChange> {
  return changeContact(scope, id, {}, { tags: change });
}

/**
 * Deletes contacts with their notes, messages, appointments and deal links (cascade); returns
 * how many there were. core.contact_deleted is raised for each first, in the same transaction
 * and even for an import told not to trigger workflows: other plugins' transactional
 * subscribers settle their rows (the calendar cancels appointments) while the contact exists.
 */
export async function deleteContacts(scope: CrmScope, ids: string[]): Promise<number> {
  const found = await scope.tx.contact.findMany({ where: { id: { in: ids } }, select: { id: true } });
  for (const { id } of found) await scope.events.raise(scope.tx, 'core.contact_deleted', { contactId: id }, { tenantId: scope.tenantId });
  return (await scope.tx.contact.deleteMany({ where: { id: { in: found.map((c) => c.id) } } })).count;
}
