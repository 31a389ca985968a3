// Progress of CRM jobs (bulk actions, imports, lead searches), for the UI to poll.
import { defineRoute, listOf, listQuery, page } from '@soshogle/core';
import { z } from 'zod';
import { crmJobResponse, jobErrorResponse } from './schemas.ts';

const id = z.object({ id: z.string().min(1).max(64) });

/** Where a page of errors ended: the last error's (item, field). */
const errorCursor = z
  .string()
  .max(300)
  .transform((value, ctx) => {
    try {
      const [item, field] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
      if (Number.isInteger(item) && (field === null || typeof field === 'string')) return { item: item as number, field: field as string | null };
    } catch {
      // Falls through to the issue below.
    }
    ctx.addIssue({ code: 'custom', message: 'Not a cursor from this list' });
    return z.NEVER;
  });

export const jobRoutes = [
  defineRoute({
    method: 'GET',
    path: '/jobs/:id',
    summary: 'A job: status, total, processed, succeeded and failed counts, result',
    params: id,
    response: crmJobResponse,
    handler: ({ params, db }) => db.crmJob.findUniqueOrThrow({ where: { id: params.id } }),
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:id/errors',
    summary: 'The items a job could not process (an import: row, field, message)',
    params: id,
    query: listQuery({ cursor: errorCursor, size: 200, max: 1000 }),
    response: listOf(jobErrorResponse),
    async handler({ params, query, db }) {
      await db.crmJob.findUniqueOrThrow({ where: { id: params.id }, select: { id: true } });
      const after = query.cursor;
      // (item, field) ascending, a row's field-less error last (nulls sort last in Postgres).
      const rest = after?.field ? { OR: [{ item: { gt: after.item } }, { item: after.item, OR: [{ field: { gt: after.field } }, { field: null }] }] } : after ? { item: { gt: after.item } } : {};
      const rows = await db.crmJobError.findMany({
        where: { jobId: params.id, ...rest },
        orderBy: [{ item: 'asc' }, { field: { sort: 'asc', nulls: 'last' } }],
        take: query.limit + 1,
        select: { item: true, field: true, message: true },
      });
      return page(rows, query.limit, (last) => Buffer.from(JSON.stringify([last.item, last.field])).toString('base64url'));
    },
  }),
];
