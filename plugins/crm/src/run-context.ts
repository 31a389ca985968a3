// What workflow runs read of the CRM: the run's contact and deal (conditions, templates,
// the contact's own time zone for time-of-day waits), which contacts a manual start
// reaches, and the agency roll-up's counts of contacts and deals.
import { countsByTenant, defineCount, defineRunContext, tenantSql } from '@soshogle/core';
import { Prisma } from '@soshogle/db';

export const contactContext = defineRunContext({
  name: 'contact',
  load: (db, id) => db.contact.findUnique({ where: { id } }),
  async find(db, selection, tenantId) {
    if ('ids' in selection) return (await db.contact.findMany({ where: { id: { in: selection.ids } }, select: { id: true } })).map((c) => c.id);
    // Tags case-insensitively, as a person typing them in a start dialog means them.
    const tags = 'tags' in selection ? selection.tags.map((t) => t.toLowerCase()) : null;
    const t = tenantSql(tenantId);
    const rows = await db.$queryRaw<{ id: string }[]>(t`
      select c.id from "Contact" c
      where ${t.owns('c')}
        and (${tags}::text[] is null or exists (select 1 from unnest(c.tags) t where lower(t) = any(${tags}::text[])))`);
    return rows.map((r) => r.id);
  },
  timeZone: (contact) => {
    const own = (contact.customFields as { timezone?: unknown } | null)?.timezone;
    return typeof own === 'string' ? own : null;
  },
  fields: { names: Object.keys(Prisma.ContactScalarFieldEnum), objects: ['customFields'] },
});

export const dealContext = defineRunContext({
  name: 'deal',
  load: (db, id) => db.deal.findUnique({ where: { id } }),
  fields: { names: Object.keys(Prisma.DealScalarFieldEnum) },
});

export const crmCounts = [
  defineCount({
    name: 'contacts',
    async count(db, tenantIds) {
      const rows = await db.contact.groupBy({ by: ['userId'], where: { userId: { in: tenantIds } }, _count: { _all: true } });
      return countsByTenant(rows);
    },
  }),
  defineCount({
    name: 'deals',
    async count(db, tenantIds) {
      const rows = await db.deal.groupBy({ by: ['userId'], where: { userId: { in: tenantIds } }, _count: { _all: true } });
      return countsByTenant(rows);
    },
  }),
];
