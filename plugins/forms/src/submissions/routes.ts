// A form's submissions under /api/forms (signed in): the list, the CSV export, and the
// dashboard's count per day.
import { defineRoute, fileResponse, listOf, reportTimeZone, tenantSql, type AnyRoute } from '@soshogle/core';
import { findForm } from '../forms/service.ts';
import { csvQuery, idParams, reportQuery, submissionResponse, submissionsQuery, submissionsReport } from '../schemas.ts';
import { listSubmissions, submissionsCsv } from './read.ts';

const listRoute = defineRoute({
  method: 'GET',
  path: '/:id/submissions',
  summary: "A form's submissions, newest first; filter by status and by text in the answers (`q`)",
  params: idParams,
  query: submissionsQuery,
  response: listOf(submissionResponse),
  async handler({ db, tenantId, params, query }) {
    await findForm(db, params.id);
    return listSubmissions(db, tenantId, params.id, query);
  },
});

const csvRoute = defineRoute({
  method: 'GET',
  path: '/:id/submissions.csv',
  summary: "A form's submissions as CSV: a column per field of its latest version, then when, status, source url and utm_*",
  params: idParams,
  query: csvQuery,
  response: fileResponse('text/csv'),
  async handler({ db, tenantId, params, query, http }) {
    const form = await findForm(db, params.id);
    http.attachment(`form-submissions-${new Date().toISOString().slice(0, 10)}.csv`);
    http.type = 'text/csv; charset=utf-8';
    return await submissionsCsv(db, tenantId, form, query);
  },
});

const reportRoute = defineRoute({
  method: 'GET',
  path: '/reports/submissions',
  summary: "Form submissions (not spam) per day over the last `days` days, in the account's time zone",
  query: reportQuery,
  response: submissionsReport,
  async handler({ db, tenantId, query }) {
    const user = await db.user.findFirstOrThrow({ select: { timezone: true } });
    const tz = reportTimeZone(user.timezone);
    const t = tenantSql(tenantId);
    const rows = await db.$queryRaw<{ date: string; count: number }[]>(t`
      with bounds as (
        select date_trunc('day', now() at time zone ${tz}) - make_interval(days => ${query.days - 1}::int) as first_day,
               date_trunc('day', now() at time zone ${tz}) as last_day
      ), sent as (
        select (("createdAt" at time zone 'UTC') at time zone ${tz})::date as day, count(*)::int as count
        from "FormSubmission"
        where ${t.owns()} and status <> 'SPAM'
          and "createdAt" >= ((select first_day from bounds) at time zone ${tz}) at time zone 'UTC'
        group by 1
      )
      select to_char(d, 'YYYY-MM-DD') as date, coalesce(s.count, 0)::int as count
      from bounds b cross join generate_series(b.first_day, b.last_day, interval '1 day') d
      left join sent s on s.day = d::date
      order by d`);
    return { timezone: tz, total: rows.reduce((n, r) => n + r.count, 0), byDay: rows };
  },
});

/** The report first: `/reports/submissions` would otherwise read as the submissions of a form "reports". */
export const reportRoutes: AnyRoute[] = [reportRoute];
export const submissionRoutes: AnyRoute[] = [listRoute, csvRoute];
