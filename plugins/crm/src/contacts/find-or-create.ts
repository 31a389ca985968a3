// Finding or making the contacts for people another plugin met (a booking, a batch of form
// submissions), set-based: one lock statement, one match query and one INSERT for the
// whole batch, however many people. The CRM's matching rule, the import's: the oldest
// contact with the email, else with the phone (E.164). A match keeps what it has and only
// gains the fields it lacks (or, with `overwrite`, takes the given ones); tags given are
// added either way. People are taken in order, so two in one batch with one email end as
// one contact: the second finds the first.
import { invalid, parseOrThrow, Problem, type TenantTx } from '@soshogle/core';
import type { Contact } from '@soshogle/db';
import { checkCustomFields, contactFields, normalisePhone, type ContactFields } from './fields.ts';
import { changeContact, createContacts, customFieldDefinitions, type CrmScope } from './service.ts';

/** A person to find or make, as the find-or-create actions take them. */
export interface Person {
  email?: string | null;
  phone?: string | null;
  country?: string;
  firstName: string;
  lastName?: string | null;
  company?: string | null;
  customFields?: Record<string, unknown>;
  tags?: string[];
  overwrite?: boolean;
  source?: string | null;
}

/** What became of one person: their contact, or why the CRM refused them (that person only). */
export type FoundOrCreated = { contactId: string; created: boolean } | { problem: Problem };

interface Prepared {
  index: number;
  fields: ContactFields;
  email: string | null;
  phone: string | null;
  /** Whether the person gave a first name (one made up from the email never renames a match). */
  named: boolean;
  overwrite: boolean;
}

/** A contact a person may match: one found in the database, or one this batch makes (`slot`). */
interface Candidate {
  id?: string;
  slot?: number;
  email: string | null;
  phone: string | null;
}

/** The person's fields as the CRM stores them, or the 422 naming the field under `prefix`. */
function prepare(person: Person, index: number, defaultCountry: string, prefix: string): Prepared {
  const country = person.country ?? defaultCountry;
  const phone = person.phone ? normalisePhone(person.phone, country) : null;
  const named = person.firstName.trim();
  const fields = parseOrThrow(
    contactFields(country),
    {
      firstName: named || person.email?.trim().split('@')[0] || phone || person.phone || '', lastName: person.lastName, email: person.email, phone, company: person.company, source: person.source,
      tags: person.tags ?? [], customFields: person.customFields ?? {},
    },
    prefix,
  );
  const email = fields.email ?? null;
  if (!email && !fields.phone) {
    throw invalid(person.phone ? `${prefix}.phone` : `${prefix}.email`, 'An email or a valid phone number is needed to find the contact');
  }
  return { index, fields, email, phone: fields.phone ?? null, named: Boolean(named), overwrite: Boolean(person.overwrite) };
}

/**
 * One finder at a time per email and per phone of the tenant: two callers with one new
 * person at once must find one contact, not make two. The keys are locked in one order
 * (sorted), in one statement, so two callers sharing some of them queue up instead of deadlocking.
 */
async function lockMatching(tx: TenantTx, tenantId: string, people: Prepared[]): Promise<void> {
  const keys = new Set(people.flatMap((p) => [...(p.email ? [`email:${p.email}`] : []), ...(p.phone ? [`phone:${p.phone}`] : [])]));
  const sorted = [...keys].sort().map((key) => `contact-match:${tenantId}:${key}`);
  if (sorted.length) await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(k)) from unnest(${sorted}::text[]) k`;
}

/** What a match takes from the person: by default only the fields it lacks (what the CRM user keeps wins over what a form said). */
function patchFor(found: Contact, person: Prepared): Partial<ContactFields> {
  const { fields, overwrite } = person;
  const take = <K extends 'firstName' | 'lastName' | 'company'>(key: K) =>
    fields[key] && (overwrite || !found[key]) && fields[key] !== found[key] ? { [key]: fields[key] } : {};
  const existing = (found.customFields ?? {}) as Record<string, unknown>;
  const customs = Object.fromEntries(Object.entries(fields.customFields).filter(([key, value]) => value !== null && value !== '' && (overwrite || existing[key] === undefined)));
  return {
    ...(overwrite && person.named ? take('firstName') : {}),
    ...take('lastName'),
    ...take('company'),
    ...(!found.email && person.email ? { email: person.email } : {}),
    ...(!found.phone && person.phone ? { phone: person.phone } : {}),
    ...(Object.keys(customs).length ? { customFields: customs } : {}),
  };
}

const oldestFirst = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

/** A refusal is the person's; anything else (the database went away) is the caller's to retry. */
function refusal(error: unknown): Problem {
  if (error instanceof Problem && error.status < 500) return error;
  throw error;
}

/**
 * Finds or makes the contact of each person, in the caller's transaction; the answers are in
 * the people's order. `prefix(i)` names person i's fields in a refusal (e.g. `props.items.3`).
 */
export async function findOrCreateContacts(scope: CrmScope, defaultCountry: string, people: Person[], prefix: (index: number) => string): Promise<FoundOrCreated[]> {
  const { tx, tenantId } = scope;
  const results: FoundOrCreated[] = new Array(people.length);
  const prepared: Prepared[] = [];
  people.forEach((person, i) => {
    try {
      prepared.push(prepare(person, i, defaultCountry, prefix(i)));
    } catch (error) {
      results[i] = { problem: refusal(error) };
    }
  });
  if (!prepared.length) return results;
  // The person filled in a form, not the tenant's required custom fields: those are the CRM
  // user's to complete, and must not make the booking (or whatever called) fail.
  const definitions = prepared.some((p) => Object.keys(p.fields.customFields).length)
    ? (await customFieldDefinitions(tx)).map((d) => ({ ...d, required: false }))
    : [];
  await lockMatching(tx, tenantId, prepared);
  const emails = [...new Set(prepared.flatMap((p) => (p.email ? [p.email] : [])))];
  const phones = [...new Set(prepared.flatMap((p) => (p.phone ? [p.phone] : [])))];
  const known = await tx.contact.findMany({ where: { OR: [{ email: { in: emails } }, { phone: { in: phones } }] }, orderBy: oldestFirst });

  // Who matches whom, in order: the contacts this batch makes come after every stored one
  // (they are the newest), and a match gains the email or phone it lacked, as it will below.
  const candidates: Candidate[] = known.map((c) => ({ id: c.id, email: c.email, phone: c.phone }));
  const matches: { person: Prepared; target: Candidate }[] = [];
  const made: Prepared[] = [];
  for (const person of prepared) {
    const match = (person.email ? candidates.find((c) => c.email === person.email) : undefined) ?? (person.phone ? candidates.find((c) => c.phone === person.phone) : undefined);
    if (match) {
      match.email ??= person.email;
      match.phone ??= person.phone;
      matches.push({ person, target: match });
      continue;
    }
    const custom = checkCustomFields(person.fields.customFields, definitions);
    if (custom.problems.length) {
      results[person.index] = { problem: invalid(custom.problems.map((p) => ({ ...p, field: `${prefix(person.index)}.${p.field}` }))) };
      continue;
    }
    candidates.push({ slot: made.length, email: person.email, phone: person.phone });
    made.push(person);
  }

  const created = await createContacts(scope, made.map((p) => p.fields), { definitions });
  made.forEach((person, slot) => (results[person.index] = { contactId: created[slot]!.id, created: true }));
  const current = new Map([...known, ...created].map((c) => [c.id, c]));
  const idOf = (c: Candidate) => c.id ?? created[c.slot!]!.id;
  // Matches change one at a time, in order, each under the lock of its contact: the fields,
  // then the tags added to those the locked row carries.
  for (const { person, target } of matches) {
    const { index } = person;
    const id = idOf(target);
    const patch = patchFor(current.get(id)!, person);
    try {
      if (Object.keys(patch).length || person.fields.tags.length) {
        const change = await changeContact(scope, id, patch, { ...(patch.customFields ? { definitions } : {}), ...(person.fields.tags.length ? { tags: { add: person.fields.tags } } : {}) });
        current.set(id, change.contact);
      }
      results[index] = { contactId: id, created: false };
    } catch (error) {
      results[index] = { problem: refusal(error) };
    }
  }
  return results;
}
