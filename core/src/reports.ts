// Dashboard reports of the core: workflow runs and their failures per day. Days are the
// tenant's own (User.timezone), so "today" on the chart is the business's today.
import { z } from 'zod';
import { defineRoute, type AnyRoute } from './plugin.ts';
import type { CoreServices } from './services.ts';

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
        // One range scan of (userId, startedAt); the series fills the days without runs.
        const rows = await db.$queryRaw<RunRow[]>`
          with bounds as (
            select date_trunc('day', now() at time zone ${tz}) - make_interval(days => ${query.days - 1}::int) as first_day,
                   date_trunc('day', now() at time zone ${tz}) as last_day
          ), runs as (
            select (("startedAt" at time zone 'UTC') at time zone ${tz})::date as day,
                   count(*)::int as started,
                   count(*) filter (where status = 'COMPLETED')::int as completed,
                   count(*) filter (where status = 'FAILED')::int as failed,
                   count(*) filter (where status = 'NEEDS_REVIEW')::int as "needsReview"
            from "WorkflowExecution"
            where "userId" = ${tenantId}
              and "startedAt" >= ((date_trunc('day', now() at time zone ${tz}) - make_interval(days => ${query.days - 1}::int)) at time zone ${tz}) at time zone 'UTC'
            group by 1
          )
          select to_char(d, 'YYYY-MM-DD') as day, coalesce(r.started, 0)::int as started, coalesce(r.completed, 0)::int as completed,
                 coalesce(r.failed, 0)::int as failed, coalesce(r."needsReview", 0)::int as "needsReview"
          from bounds b cross join generate_series(b.first_day, b.last_day, interval '1 day') d
          left join runs r on r.day = d::date
          order by d`;
        const totals = { started: 0, completed: 0, failed: 0, needsReview: 0 };
        for (const row of rows) for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += row[key];
        return { timezone: tz, from: rows[0]?.day ?? null, to: rows.at(-1)?.day ?? null, days: rows, totals };
      },
    }),
  ];
}
