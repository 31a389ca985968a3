// A form's submissions under /api/forms (signed in): the list, the CSV export, and the
// dashboard's count per day.
import { defineRoute, fileResponse, listOf, perDaySql, reportQuery, reportTimeZone, tenantSql, type AnyRoute } from '@soshogle/core';
import { Prisma } from '@soshogle/db';
import { findForm } from '../forms/service.ts';
import { csvQuery, idParams, submissionResponse, submissionsQuery, submissionsReport } from '../schemas.ts';
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
    const days = await db.$queryRaw<{ day: string; count: number }[]>(
      perDaySql(t, { table: 'FormSubmission', at: 'createdAt', where: Prisma.sql`status <> 'SPAM'`, tz, days: query.days, counts: { count: Prisma.sql`count(*)` } }),
    );
    const rows = days.map(({ day, count }) => ({ date: day, count }));
    return { timezone: tz, total: rows.reduce((n, r) => n + r.count, 0), byDay: rows };
  },
});

/** The report first: `/reports/submissions` would otherwise read as the submissions of a form "reports". */
export const reportRoutes: AnyRoute[] = [reportRoute];
export const submissionRoutes: AnyRoute[] = [listRoute, csvRoute];
