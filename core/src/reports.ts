// Dashboard reports of the core: workflow runs and their failures per day. Days are the
// tenant's own (User.timezone), so "today" on the chart is the business's today.
import { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from './plugin.ts';
import type { CoreServices } from './services.ts';
import { tenantSql, type TenantSql } from './tenant-sql.ts';

/** `?days=` of every report: how many days back, today included (default 30). */
export const reportQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });

/** The tenant's time zone, or UTC when the saved one is unknown to this runtime (the SQL would fail). */
export function reportTimeZone(timezone: string | null | undefined): string {
  try {
    if (timezone) new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return timezone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** A table or column name put in a statement as is: plain letters only. */
function name(identifier: string): Prisma.Sql {
  if (!/^[A-Za-z]+$/.test(identifier)) throw new Error(`not a plain identifier: ${identifier}`);
  return Prisma.raw(`"${identifier}"`);
}

/**
 * The statement of a per-day report: each day of the last `days` in `tz` (today included,
 * oldest first) as `day` (YYYY-MM-DD), with `counts` (aggregates, e.g. `count(*)`) over the
 * tenant's rows of `table` (and `where`) whose `at` falls on that day; 0 for a day without
 * any. One range scan of (userId, at); the series fills the quiet days.
 */
export function perDaySql(
  t: TenantSql,
  report: { table: string; at: string; where?: Prisma.Sql; tz: string; days: number; counts: Record<string, Prisma.Sql> },
): Prisma.Sql {
  const { tz, days } = report;
  const at = name(report.at);
  const names = Object.keys(report.counts);
  const aggregates = Prisma.join(names.map((n) => Prisma.sql`(${report.counts[n]!})::int as ${name(n)}`));
  const filled = Prisma.join(names.map((n) => Prisma.sql`coalesce(r.${name(n)}, 0)::int as ${name(n)}`));
  return t`
    with bounds as (
      select date_trunc('day', now() at time zone ${tz}) - make_interval(days => ${days - 1}::int) as first_day,
             date_trunc('day', now() at time zone ${tz}) as last_day
    ), counted as (
      select ((${at} at time zone 'UTC') at time zone ${tz})::date as day, ${aggregates}
      from ${name(report.table)}
      where ${t.owns()} ${report.where ? Prisma.sql`and ${report.where}` : Prisma.empty}
        and ${at} >= ((date_trunc('day', now() at time zone ${tz}) - make_interval(days => ${days - 1}::int)) at time zone ${tz}) at time zone 'UTC'
      group by 1
    )
    select to_char(d, 'YYYY-MM-DD') as day, ${filled}
    from bounds b cross join generate_series(b.first_day, b.last_day, interval '1 day') d
    left join counted r on r.day = d::date
    order by d`;
}

const runCounts = { started: z.number().int(), completed: z.number().int(), failed: z.number().int(), needsReview: z.number().int() };

const workflowRunsReport = z
  .object({
    /** The time zone the days are in (the account's, or UTC). */
    timezone: z.string(),
    /** The first and last day (YYYY-MM-DD). */
    from: z.string().nullable(),
    to: z.string().nullable(),
    /** Every day of the range, oldest first, days without runs included. */
    days: z.array(z.object({ day: z.string(), ...runCounts })),
    totals: z.object(runCounts),
  })
  .meta({ id: 'WorkflowRunsReport', description: 'Workflow runs started per day, with how many completed, failed or need review' });

type RunRow = z.output<typeof workflowRunsReport>['days'][number];

export function reportRoutes(services: CoreServices): AnyRoute[] {
  const { db } = services;
  return [
    defineRoute({
      method: 'GET',
      path: '/reports/workflow-runs',
      summary: "Workflow runs started per day (the account's time zone), with how many completed, failed or need review",
      query: reportQuery,
      response: workflowRunsReport,
      async handler({ query, tenantId }) {
        const user = await db.user.findUniqueOrThrow({ where: { id: tenantId }, select: { timezone: true } });
        const tz = reportTimeZone(user.timezone);
        const rows = await db.$queryRaw<RunRow[]>(
          perDaySql(tenantSql(tenantId), {
            table: 'WorkflowExecution',
            at: 'startedAt',
            tz,
            days: query.days,
            counts: {
              started: Prisma.sql`count(*)`,
              completed: Prisma.sql`count(*) filter (where status = 'COMPLETED')`,
              failed: Prisma.sql`count(*) filter (where status = 'FAILED')`,
              needsReview: Prisma.sql`count(*) filter (where status = 'NEEDS_REVIEW')`,
            },
          }),
        );
        const totals = { started: 0, completed: 0, failed: 0, needsReview: 0 };
        for (const row of rows) for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += row[key];
        return { timezone: tz, from: rows[0]?.day ?? null, to: rows.at(-1)?.day ?? null, days: rows, totals };
      },
    }),
  ];
}
