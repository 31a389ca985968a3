// The contact filter: one shape shared by the contacts list, counts, smart lists, bulk
// actions and exports. Each condition is written once, as a Prisma `where` and as the
// same SQL side by side: `filterWhere` for Prisma queries, `filterSql` for the contact
// list's raw queries (which choose their own plan, see list.ts).
import { invalid, type TenantTx } from '@soshogle/core';
import { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { tagSpellings } from '../tags/spelling.ts';
import { tagName } from './fields.ts';

const when = z.coerce.date();
const tagList = z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(tagName).max(50));

export const contactFilter = z.object({
  /**
   * Prefix of first or last name, email, company ("Ada Lov": first and last name
   * prefixes); digits anywhere in a phone number when the search has no letters. The
   * contact list adds fuzzy matches (typos) when prefixes find next to nothing.
   */
  q: z.string().trim().min(1).max(100).optional(),
  tagsAny: tagList.optional(),
  tagsAll: tagList.optional(),
  tagsNone: tagList.optional(),
  source: z.string().trim().min(1).max(50).optional(),
  createdAfter: when.optional(),
  createdBefore: when.optional(),
  updatedAfter: when.optional(),
  updatedBefore: when.optional(),
  /** Custom field values that must match exactly, e.g. { plan: "pro" }. */
  customFields: z.record(z.string().min(1).max(64), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
});
export type ContactFilter = z.output<typeof contactFilter>;

/**
 * A filter ready to query: each tag turned into the spellings the tenant stores it under
 * (see resolveTags), so the tag conditions compare exactly and the GIN index serves them.
 */
export interface QueryFilter extends Omit<ContactFilter, 'tagsAny' | 'tagsAll' | 'tagsNone'> {
  /** Every spelling of every tag: the contact carries one of them. */
  tagsAny?: string[];
  /** One list per tag, of its spellings: the contact carries one of each. */
  tagsAll?: string[][];
  /** Every spelling of every tag: the contact carries none of them. */
  tagsNone?: string[];
}

/** The filter with its tags in the tenant's spellings, whatever case they were given in. */
export async function resolveTags(db: TenantTx, filter: ContactFilter): Promise<QueryFilter> {
  const { tagsAny, tagsAll, tagsNone, ...rest } = filter;
  const given = [...(tagsAny ?? []), ...(tagsAll ?? []), ...(tagsNone ?? [])];
  if (!given.length) return rest;
  // One lookup for the three lists, cut back into them.
  const spellings = await tagSpellings(db, given);
  const any = spellings.splice(0, tagsAny?.length ?? 0);
  const all = spellings.splice(0, tagsAll?.length ?? 0);
  return { ...rest, ...(tagsAny ? { tagsAny: any.flat() } : {}), ...(tagsAll ? { tagsAll: all } : {}), ...(tagsNone ? { tagsNone: spellings.flat() } : {}) };
}

export const sortFields = ['createdAt', 'updatedAt', 'firstName'] as const;
export type SortField = (typeof sortFields)[number];

/** `value` with LIKE's wildcards escaped: a search for "a_b" finds "a_b", not "axb". */
export const escapeLike = (value: string) => value.replace(/[\\%_]/g, '\\$&');

/** A timestamp parameter for the `timestamp(3)` columns, which hold UTC. */
export const sqlTimestamp = (date: Date) => Prisma.sql`${date.toISOString()}::timestamp`;

interface Condition {
  /** Which part of the filter this is: the search, a range on a column, or another condition. */
  kind: 'q' | 'range' | 'other';
  /** For ranges: the column, so a list sorted by it can walk its index from the range's end. */
  column?: SortField;
  where: Prisma.ContactWhereInput;
  sql: Prisma.Sql;
  /**
   * The same test, cheaper row by row but unable to use the trigram indexes (lower(col)
   * LIKE lower(p) is what ILIKE does, without ILIKE's per-call overhead: a third faster).
   */
  rowSql?: Prisma.Sql;
}

function range(column: 'createdAt' | 'updatedAt', after: Date | undefined, before: Date | undefined): Condition[] {
  const col = Prisma.raw(`"${column}"`);
  const out: Condition[] = [];
  if (after) out.push({ kind: 'range', column, where: { [column]: { gte: after } }, sql: Prisma.sql`${col} >= ${sqlTimestamp(after)}` });
  if (before) out.push({ kind: 'range', column, where: { [column]: { lt: before } }, sql: Prisma.sql`${col} < ${sqlTimestamp(before)}` });
  return out;
}

/** The filter's conditions, every one in both forms; a contact matches when all hold. */
export function filterConditions(filter: QueryFilter): Condition[] {
  const out: Condition[] = [];
  if (filter.q) {
    const q = filter.q;
    const prefix = escapeLike(q);
    const email = escapeLike(q.toLowerCase());
    const digits = q.replace(/\D/g, '');
    const words = q.split(/\s+/);
    const where: Prisma.ContactWhereInput[] = [
      { firstName: { startsWith: prefix, mode: 'insensitive' } },
      { lastName: { startsWith: prefix, mode: 'insensitive' } },
      { email: { startsWith: email } },
      { company: { startsWith: prefix, mode: 'insensitive' } },
    ];
    const like = `${prefix}%`;
    // Both forms of each test: ILIKE (what the trigram indexes serve) and lower() LIKE.
    const ilike = (column: string, pattern: string) => [Prisma.sql`${Prisma.raw(column)} ILIKE ${pattern}`, Prisma.sql`lower(${Prisma.raw(column)}) LIKE lower(${pattern})`] as const;
    const tests: (readonly [Prisma.Sql, Prisma.Sql])[] = [
      ilike('"firstName"', like),
      ilike('"lastName"', like),
      [Prisma.sql`email LIKE ${`${email}%`}`, Prisma.sql`email LIKE ${`${email}%`}`],
      ilike('company', like),
    ];
    // "Ada Lov": first name and last name prefixes.
    if (words.length === 2) {
      const [first, last] = words.map((w) => `${escapeLike(w)}%`) as [string, string];
      where.push({ firstName: { startsWith: escapeLike(words[0]!), mode: 'insensitive' }, lastName: { startsWith: escapeLike(words[1]!), mode: 'insensitive' } });
      const [f, l] = [ilike('"firstName"', first), ilike('"lastName"', last)];
      tests.push([Prisma.sql`(${f[0]} AND ${l[0]})`, Prisma.sql`(${f[1]} AND ${l[1]})`]);
    }
    // Phone digits when the search is a number ("(512) 555-01"), not when it is an email
    // or name that contains some ("rrivera611" is not a search for phones containing 611).
    if (digits.length >= 3 && !/\p{L}/u.test(q)) {
      where.push({ phone: { contains: digits } });
      const contains = Prisma.sql`phone LIKE ${`%${digits}%`}`;
      tests.push([contains, contains]);
    }
    out.push({
      kind: 'q',
      where: { OR: where },
      sql: Prisma.sql`(${Prisma.join(tests.map((t) => t[0]), ' OR ')})`,
      rowSql: Prisma.sql`(${Prisma.join(tests.map((t) => t[1]), ' OR ')})`,
    });
  }
  if (filter.tagsAny?.length) out.push({ kind: 'other', where: { tags: { hasSome: filter.tagsAny } }, sql: Prisma.sql`tags && ${filter.tagsAny}::text[]` });
  if (filter.tagsAll?.length) {
    // Tags with one spelling (the usual case) in one containment test; a tag stored in
    // several spellings (data older than the one-spelling rule) is a test of its own.
    const single = filter.tagsAll.filter((s) => s.length === 1).map((s) => s[0]!);
    if (single.length) out.push({ kind: 'other', where: { tags: { hasEvery: single } }, sql: Prisma.sql`tags @> ${single}::text[]` });
    for (const spellings of filter.tagsAll.filter((s) => s.length > 1)) {
      out.push({ kind: 'other', where: { tags: { hasSome: spellings } }, sql: Prisma.sql`tags && ${spellings}::text[]` });
    }
  }
  if (filter.tagsNone?.length) out.push({ kind: 'other', where: { NOT: { tags: { hasSome: filter.tagsNone } } }, sql: Prisma.sql`NOT (tags && ${filter.tagsNone}::text[])` });
  if (filter.source) out.push({ kind: 'other', where: { source: filter.source }, sql: Prisma.sql`source = ${filter.source}` });
  out.push(...range('createdAt', filter.createdAfter, filter.createdBefore));
  out.push(...range('updatedAt', filter.updatedAfter, filter.updatedBefore));
  for (const [key, value] of Object.entries(filter.customFields ?? {})) {
    out.push({
      kind: 'other',
      where: { customFields: { path: [key], equals: value } },
      sql: Prisma.sql`"customFields" #> ${[key]}::text[] = ${JSON.stringify(value)}::jsonb`,
    });
  }
  return out;
}

export function filterWhere(filter: QueryFilter): Prisma.ContactWhereInput {
  const and = filterConditions(filter).map((c) => c.where);
  return and.length ? { AND: and } : {};
}

/** The same filter as SQL over "Contact" columns (unqualified); `true` when empty. Add the tenant condition yourself. */
export function filterSql(filter: QueryFilter): Prisma.Sql {
  return andSql(filterConditions(filter).map((c) => c.sql));
}

/** Contacts carrying any of `tags` in any case, as the filter's tagsAny (served by the GIN index on tags). */
export const anyTagSql = async (db: TenantTx, tags: string[]) => Prisma.sql`tags && ${(await tagSpellings(db, tags)).flat()}::text[]`;

export const andSql = (parts: Prisma.Sql[]) => (parts.length ? Prisma.sql`(${Prisma.join(parts, ' AND ')})` : Prisma.sql`true`);

/** An opaque keyset cursor: the sort value and id of the last row of a page. */
export function encodeCursor(value: Date | string, id: string): string {
  return Buffer.from(JSON.stringify([value instanceof Date ? value.toISOString() : value, id])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: SortField): { value: Date | string; id: string } | null {
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof value !== 'string' || typeof id !== 'string') return null;
    if (sort === 'firstName') return { value, id };
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : { value: date, id };
  } catch {
    return null;
  }
}

/** Rows after the cursor in (sort, id) order. */
export function afterCursor(sort: SortField, order: 'asc' | 'desc', cursor: { value: Date | string; id: string }): Prisma.ContactWhereInput {
  const op = order === 'asc' ? 'gt' : 'lt';
  // The first condition is implied by the second; it gives the planner an index range to start from.
  return {
    AND: [{ [sort]: { [order === 'asc' ? 'gte' : 'lte']: cursor.value } }, { OR: [{ [sort]: { [op]: cursor.value } }, { [sort]: cursor.value, id: { [op]: cursor.id } }] }],
  };
}

/**
 * The filter as a query string takes it: custom fields as a JSON object, and a smart list
 * whose saved filter the given fields narrow (see resolveFilter). Lists, counts and exports share it.
 */
export const filterQuery = contactFilter.extend({
  customFields: z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }, contactFilter.shape.customFields),
  smartListId: z.string().min(1).max(64).optional(),
});

/**
 * The filter of a request, ready to query: a smart list's saved filter, narrowed by the
 * given fields, with its tags in the tenant's spellings. `field` names the smart list in
 * the 422 for an unknown one (`props.smartListId` for actions).
 */
export async function resolveFilter(db: TenantTx, query: ContactFilter & { smartListId?: string }, field = 'query.smartListId'): Promise<QueryFilter> {
  const { smartListId, ...given } = query;
  if (!smartListId) return resolveTags(db, given);
  const list = await db.smartList.findFirst({ where: { id: smartListId } });
  if (!list) throw invalid(field, 'No such smart list');
  return resolveTags(db, { ...contactFilter.parse(list.filter), ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) });
}
