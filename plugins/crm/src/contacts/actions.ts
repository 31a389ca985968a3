// Internal actions for other plugins choosing contacts (a campaign's audience): a smart
// list and/or any of some tags, read page by page in id order, or counted. They only
// read, through the caller's tenant-scoped transaction; they are no workflow steps.
import { defineAction, tenantSql, type TenantTx } from '@soshogle/core';
import { Prisma, type Contact } from '@soshogle/db';
import { z } from 'zod';
import { andSql, anyTagSql, filterSql, resolveFilter } from './filter.ts';
import { countContacts } from './list.ts';

const target = z.object({
  tags: z.array(z.string().trim().min(1).max(100)).max(50).optional().describe('Contacts with any of these tags'),
  smartListId: z.string().min(1).max(64).optional().describe('A smart list; tags narrow it'),
  ids: z.array(z.string().min(1).max(64)).max(1000).optional().describe('Only these contacts (e.g. one, for a preview)'),
});
type Target = z.output<typeof target>;

/**
 * The target as the smart list's filter plus extra SQL conditions. The tags are a
 * condition of their own rather than the filter's tagsAny, which would replace the smart
 * list's tagsAny instead of narrowing it. No tags (or none given) narrow nothing; tags
 * match in any case (tags/spelling.ts).
 */
async function audience(db: TenantTx, { tags, smartListId, ids }: Target) {
  const filter = await resolveFilter(db, { smartListId }, 'props.smartListId');
  return { filter, also: [...(tags?.length ? [await anyTagSql(db, tags)] : []), ...(ids ? [Prisma.sql`id = any(${ids}::text[])`] : [])] };
}

/** A row as JSON: dates as ISO strings. */
function plain(contact: Contact): { id: string } & Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(contact)) out[key] = value instanceof Date ? value.toISOString() : value;
  return { ...out, id: contact.id };
}

export const findContacts = defineAction({
  name: 'find_contacts',
  version: 1,
  internal: true,
  displayName: 'Find contacts',
  description: 'The contacts of a smart list and/or with any of some tags, a page at a time in id order, with every field.',
  props: target.extend({
    after: z.string().min(1).max(64).optional().describe('The `next` of the previous page'),
    limit: z.number().int().min(1).max(1000).default(500),
  }),
  output: z.object({
    contacts: z.array(z.looseObject({ id: z.string() })),
    /** The last id of a full page (pass it as `after`); null on the last page. */
    next: z.string().nullable(),
  }),
  idempotent: true,
  transactional: true,
  async run({ db, tenantId, props }) {
    const { filter, also } = await audience(db, props);
    const after = props.after === undefined ? [] : [Prisma.sql`id > ${props.after}`];
    // Raw SQL skips the tenant-scoped client's filter: the tenant's condition is explicit.
    const t = tenantSql(tenantId);
    const rows = await db.$queryRaw<Contact[]>(t`
      SELECT * FROM "Contact" WHERE ${t.owns()} AND ${andSql([filterSql(filter), ...also, ...after])}
      ORDER BY id LIMIT ${props.limit}`);
    return { contacts: rows.map(plain), next: rows.length === props.limit ? rows.at(-1)!.id : null };
  },
});

export const countTargetContacts = defineAction({
  name: 'count_contacts',
  version: 1,
  internal: true,
  displayName: 'Count contacts',
  description: 'How many contacts a smart list and/or any of some tags reach (what find_contacts would page through).',
  props: target,
  output: z.object({ count: z.number().int() }),
  idempotent: true,
  transactional: true,
  async run({ db, tenantId, props }) {
    const { filter, also } = await audience(db, props);
    return { count: await countContacts(db, tenantId, filter, also) };
  },
});

export const contactActions = [findContacts, countTargetContacts];
