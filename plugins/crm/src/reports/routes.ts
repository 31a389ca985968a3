// Dashboard reports of the CRM: contacts added per day (in the account's time zone) and
// the pipeline's value by stage. Aggregates in PostgreSQL, so they stay quick at a
// million contacts: the per-day counts are one range scan of (userId, createdAt, id).
import { defineRoute, perDaySql, reportQuery, reportTimeZone, tenantSql } from '@soshogle/core';
import { Prisma } from '@soshogle/db';
import { pipeline } from '../deals/stages.ts';
import { contactsReport, pipelineReport } from './schemas.ts';

export const reportRoutes = [
  defineRoute({
    method: 'GET',
    path: '/reports/contacts',
    summary: "Contacts added per day over the last `days` days (the account's time zone), and how many there are in all",
    query: reportQuery,
    response: contactsReport,
    async handler({ db, tenantId, query }) {
      const user = await db.user.findFirstOrThrow({ select: { timezone: true } });
      const tz = reportTimeZone(user.timezone);
      const t = tenantSql(tenantId);
      const rows = await db.$queryRaw<{ day: string; count: number }[]>(
        perDaySql(t, { table: 'Contact', at: 'createdAt', tz, days: query.days, counts: { count: Prisma.sql`count(*)` } }),
      );
      const [all] = await db.$queryRaw<{ total: number }[]>(t`select count(*)::int as total from "Contact" where ${t.owns()}`);
      return { timezone: tz, from: rows[0]?.day ?? null, to: rows.at(-1)?.day ?? null, days: rows, added: rows.reduce((n, r) => n + r.count, 0), total: all?.total ?? 0 };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/reports/pipeline',
    summary: 'Deals and their value per stage, in pipeline order, one total per currency (sums are strings with 4 decimals)',
    response: pipelineReport,
    async handler({ db, tenantId }) {
      const t = tenantSql(tenantId);
      const rows = await db.$queryRaw<{ stage: string; currency: string; count: number; value: string }[]>(t`
        select stage::text as stage, currency, count(*)::int as count, sum(value)::text as value
        from "Deal" where ${t.owns()} group by stage, currency order by currency`);
      return {
        stages: pipeline.map((stage) => {
          const totals = rows.filter((r) => r.stage === stage).map(({ currency, count, value }) => ({ currency, count, value }));
          return { stage, count: totals.reduce((n, t) => n + t.count, 0), totals };
        }),
      };
    },
  }),
];
