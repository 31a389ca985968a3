// Duplicate detection: a tenant's contacts that share an email address (regardless of
// case: older rows and imports may not be lower-cased) or a phone number (stored in
// E.164, so the same number is the same string). One group per shared value; a contact
// sharing both its email and its phone with others appears in two groups, so the UI can
// say why each group is a likely duplicate.
import { invalid, tenantSql, type TenantDb } from '@soshogle/core';

export type MatchKind = 'email' | 'phone';

export interface DuplicateContact {
  id: string;
  firstName: string;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  createdAt: Date;
}

export interface DuplicateGroup {
  match: MatchKind;
  /** The shared value (emails in lower case). */
  value: string;
  /** How many contacts share it; `contacts` holds the oldest `contactsPerGroup` of them. */
  size: number;
  contacts: DuplicateContact[];
}

/** A shared value such as info@ can hold hundreds of contacts: the page stays small. */
export const contactsPerGroup = 50;

const contactColumns = { id: true, firstName: true, lastName: true, email: true, phone: true, createdAt: true } as const;

/** The opaque cursor of a page of groups: the (match, value) of its last group. */
export function encodeGroupCursor(group: Pick<DuplicateGroup, 'match' | 'value'>): string {
  return Buffer.from(JSON.stringify([group.match, group.value])).toString('base64url');
}

export function decodeGroupCursor(cursor: string): { match: MatchKind; value: string } {
  try {
    const [match, value] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if ((match === 'email' || match === 'phone') && typeof value === 'string') return { match, value };
  } catch {
    // Falls through to the 422 below.
  }
  throw invalid('query.cursor', 'Not a cursor from this list');
}

interface GroupRow {
  match: MatchKind;
  value: string;
  size: bigint;
  ids: string[];
}

/**
 * One page of duplicate groups, ordered by (match, value). Raw SQL for the GROUP BY, so
 * the tenant predicate is written out on each branch.
 */
export async function duplicateGroups(
  db: TenantDb,
  tenantId: string,
  page: { after: { match: MatchKind; value: string } | null; limit: number },
): Promise<{ items: DuplicateGroup[]; nextCursor: string | null }> {
  const after = page.after;
  const t = tenantSql(tenantId);
  const rows = await db.$queryRaw<GroupRow[]>(t`
    select match, value, size, ids from (
      select 'email'::text as match, lower(email) as value, count(*) as size,
        (array_agg(id order by "createdAt", id))[1:${contactsPerGroup}::int] as ids
      from "Contact"
      where ${t.owns()} and email is not null and email <> ''
      group by lower(email) having count(*) > 1
      union all
      select 'phone'::text, phone, count(*),
        (array_agg(id order by "createdAt", id))[1:${contactsPerGroup}::int]
      from "Contact"
      where ${t.owns()} and phone is not null and phone <> ''
      group by phone having count(*) > 1
    ) g
    where ${after?.match ?? null}::text is null or (g.match, g.value) > (${after?.match ?? null}::text, ${after?.value ?? null}::text)
    order by g.match, g.value
    limit ${page.limit + 1}`);
  const groups = rows.slice(0, page.limit);
  const contacts = await contactsById(db, groups.flatMap((g) => g.ids));
  const items = groups.map((g) => ({
    match: g.match,
    value: g.value,
    size: Number(g.size),
    contacts: g.ids.map((id) => contacts.get(id)).filter((c): c is DuplicateContact => c !== undefined),
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeGroupCursor(last) : null };
}

async function contactsById(db: TenantDb, ids: string[]): Promise<Map<string, DuplicateContact>> {
  if (!ids.length) return new Map();
  const rows = await db.contact.findMany({ where: { id: { in: [...new Set(ids)] } }, select: contactColumns });
  return new Map(rows.map((c) => [c.id, c]));
}

/**
 * The likely duplicates of one contact: the tenant's other contacts with its email or
 * phone, oldest first, each saying what it shares. 404 for an unknown contact.
 */
export async function duplicatesOf(db: TenantDb, tenantId: string, id: string): Promise<(DuplicateContact & { matchedOn: MatchKind[] })[]> {
  const contact = await db.contact.findUniqueOrThrow({ where: { id }, select: contactColumns });
  const email = contact.email ? contact.email.toLowerCase() : null;
  const phone = contact.phone || null;
  if (!email && !phone) return [];
  // Scans the tenant's contacts (the userId index) rather than an index on lower(email):
  // a tenant's contacts number thousands, and this runs for one contact at a time.
  const t = tenantSql(tenantId);
  const rows = await db.$queryRaw<{ id: string; email: boolean; phone: boolean }[]>(t`
    select id, coalesce(lower(email) = ${email}::text, false) as email, coalesce(phone = ${phone}::text, false) as phone
    from "Contact"
    where ${t.owns()} and id <> ${id} and (lower(email) = ${email}::text or phone = ${phone}::text)
    order by "createdAt", id
    limit 200`);
  const contacts = await contactsById(db, rows.map((r) => r.id));
  return rows.flatMap((row) => {
    const found = contacts.get(row.id);
    if (!found) return [];
    const matchedOn: MatchKind[] = [...(row.email ? (['email'] as const) : []), ...(row.phone ? (['phone'] as const) : [])];
    return [{ ...found, matchedOn }];
  });
}
