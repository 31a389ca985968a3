// Progress of CRM jobs (bulk actions, imports, lead searches), for the UI to poll.
import { defineRoute } from '@soshogle/core';
import { z } from 'zod';

const id = z.object({ id: z.string().min(1).max(64) });

export const jobRoutes = [
  defineRoute({
    method: 'GET',
    path: '/jobs/:id',
    summary: 'A job: status, total, processed, succeeded and failed counts, result',
    params: id,
    handler: ({ params, db }) => db.crmJob.findUniqueOrThrow({ where: { id: params.id } }),
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:id/errors',
    summary: 'The items a job could not process (an import: row, field, message)',
    params: id,
    query: z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
    async handler({ params, query, db }) {
      await db.crmJob.findUniqueOrThrow({ where: { id: params.id }, select: { id: true } });
      const items = await db.crmJobError.findMany({
        where: { jobId: params.id, item: { gt: query.after } },
        orderBy: [{ item: 'asc' }, { field: 'asc' }],
        take: query.limit,
        select: { item: true, field: true, message: true },
      });
      return { items };
    },
  }),
];
