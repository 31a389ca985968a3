// Tags with colours. A contact's tags are names in Contact.tags; the Tag record holds the
// colour. Renaming or deleting a tag changes every contact carrying it, and raises
// core.tag_renamed / core.tag_deleted so workflows (and campaigns) follow, all in one
// transaction.
import { defineRoute, itemsOf, noContent, refuse, tenantSql, type TenantTx } from '@soshogle/core';
import { z } from 'zod';
import { tagName } from '../contacts/fields.ts';
import { tagResponse } from './schemas.ts';
import { tagKey } from './spelling.ts';

const id = z.object({ id: z.string().min(1).max(64) });
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour as #RRGGBB').nullable();

/** A 409 when another tag has `name` in any case: "vip" and "VIP" are one tag (see spelling.ts). */
async function refuseTaken(tx: TenantTx, name: string, except?: string): Promise<void> {
  const rows = await tx.tag.findMany({ where: { name: { equals: name, mode: 'insensitive' }, ...(except ? { NOT: { id: except } } : {}) }, select: { name: true } });
  const taken = rows.find((row) => tagKey(row.name) === tagKey(name));
  if (taken) throw refuse(409, `body.name: the tag "${taken.name}" exists already (tags match whatever their case)`, [{ field: 'body.name', message: `The tag "${taken.name}" exists already` }]);
}

export const tagRoutes = [
  defineRoute({
    method: 'GET',
    path: '/tags',
    summary: 'The tags, with their colours and how many contacts carry each (counts=false: without the counts, which read every contact)',
    query: z.object({ counts: z.enum(['true', 'false']).default('true') }),
    response: itemsOf(tagResponse),
    async handler({ db, tenantId, query }) {
      const tags = await db.tag.findMany({ orderBy: { name: 'asc' } });
      if (query.counts === 'false') return { items: tags };
      const t = tenantSql(tenantId);
      const counts = await db.$queryRaw<{ tag: string; contacts: number }[]>(t`
        select t.tag, count(*)::int as contacts from "Contact" c, unnest(c.tags) as t(tag)
        where ${t.owns('c')} group by t.tag`);
      const byName = new Map(counts.map((c) => [c.tag, c.contacts]));
      return { items: tags.map((t) => ({ ...t, contacts: byName.get(t.name) ?? 0 })) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/tags',
    summary: 'Create a tag',
    status: 201,
    body: z.object({ name: tagName, color: color.default(null) }),
    response: tagResponse,
    handler: ({ body, db, tenantId }) =>
      db.$transaction(async (tx) => {
        await refuseTaken(tx, body.name);
        return tx.tag.create({ data: { userId: tenantId, name: body.name, color: body.color } });
      }),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/tags/:id',
    summary: 'Rename a tag (on every contact, workflow filter and campaign target) or change its colour',
    params: id,
    body: z.object({ name: tagName.optional(), color: color.optional() }),
    response: tagResponse,
    handler: ({ params, body, db, tenantId, events }) =>
      db.$transaction(async (tx) => {
        const current = await tx.tag.findUniqueOrThrow({ where: { id: params.id } });
        // A name already taken, in any case, answers 409 before any contact changes.
        if (body.name !== undefined) await refuseTaken(tx, body.name, params.id);
        const tag = await tx.tag.update({ where: { id: params.id }, data: body });
        if (body.name !== undefined && body.name !== current.name) {
          // Keeps each contact's tag order; a contact can't end up with the name twice.
          const t = tenantSql(tenantId);
          await tx.$executeRaw(t`update "Contact" set "updatedAt" = now(), tags = (
              select array_agg(t order by i) from (
                select t, min(i) as i from unnest(array_replace(tags, ${current.name}, ${body.name})) with ordinality as u(t, i) group by t) kept)
            where ${t.owns()} and tags @> array[${current.name}]::text[]`);
          await events.raise(tx, 'core.tag_renamed', { from: current.name, to: body.name }, { tenantId });
        }
        return tag;
      }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/tags/:id',
    summary: 'Delete a tag and remove it from every contact',
    params: id,
    response: noContent,
    async handler({ params, db, tenantId, events }) {
      await db.$transaction(async (tx) => {
        const tag = await tx.tag.delete({ where: { id: params.id } });
        const t = tenantSql(tenantId);
        await tx.$executeRaw(t`update "Contact" set "updatedAt" = now(), tags = array_remove(tags, ${tag.name})
          where ${t.owns()} and tags @> array[${tag.name}]::text[]`);
        await events.raise(tx, 'core.tag_deleted', { tag: tag.name }, { tenantId });
      });
    },
  }),
];
