// The contact filter: one shape shared by the contacts list, counts, smart lists, bulk
// actions and exports, turned into one Prisma `where`.
import type { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { tagName } from './fields.ts';

const when = z.coerce.date();
const tagList = z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(tagName).max(50));

export const contactFilter = z.object({
  /** Prefix of first or last name, email, company; digits of a phone number. */
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

export function filterWhere(filter: ContactFilter): Prisma.ContactWhereInput {
  const and: Prisma.ContactWhereInput[] = [];
  if (filter.q) {
    const q = filter.q;
    const digits = q.replace(/\D/g, '');
    const words = q.split(/\s+/);
    const or: Prisma.ContactWhereInput[] = [
      { firstName: { startsWith: q, mode: 'insensitive' } },
      { lastName: { startsWith: q, mode: 'insensitive' } },
      { email: { startsWith: q.toLowerCase() } },
      { company: { startsWith: q, mode: 'insensitive' } },
    ];
    // "Ada Lov": first name and last name prefixes.
    if (words.length === 2) {
      or.push({ firstName: { startsWith: words[0], mode: 'insensitive' }, lastName: { startsWith: words[1], mode: 'insensitive' } });
    }
    if (digits.length >= 3) or.push({ phone: { contains: digits } });
    and.push({ OR: or });
  }
  if (filter.tagsAny?.length) and.push({ tags: { hasSome: filter.tagsAny } });
  if (filter.tagsAll?.length) and.push({ tags: { hasEvery: filter.tagsAll } });
  if (filter.tagsNone?.length) and.push({ NOT: { tags: { hasSome: filter.tagsNone } } });
  if (filter.source) and.push({ source: filter.source });
  if (filter.createdAfter || filter.createdBefore) and.push({ createdAt: { gte: filter.createdAfter, lt: filter.createdBefore } });
  if (filter.updatedAfter || filter.updatedBefore) and.push({ updatedAt: { gte: filter.updatedAfter, lt: filter.updatedBefore } });
  for (const [key, value] of Object.entries(filter.customFields ?? {})) {
    and.push({ customFields: { path: [key], equals: value } });
  }
  return and.length ? { AND: and } : {};
}

export const sortFields = ['createdAt', 'updatedAt', 'firstName'] as const;
export type SortField = (typeof sortFields)[number];

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
  return { OR: [{ [sort]: { [op]: cursor.value } }, { [sort]: cursor.value, id: { [op]: cursor.id } }] };
}
