// Smart lists: named contact filters the contacts screen, campaigns and bulk actions reuse.
import { defineRoute, itemsOf, noContent } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { contactFilter } from './filter.ts';
import { smartListResponse } from './schemas.ts';

const id = z.object({ id: z.string().min(1).max(64) });
const name = z.string().trim().min(1).max(100);
// Stored as JSON: dates as ISO strings, parsed again when used.
const toJson = (filter: z.output<typeof contactFilter>) => JSON.parse(JSON.stringify(filter)) as Prisma.InputJsonObject;

export const smartListRoutes = [
  defineRoute({
    method: 'GET',
    path: '/smart-lists',
    summary: 'Saved contact filters',
    response: itemsOf(smartListResponse),
    handler: async ({ db }) => ({ items: await db.smartList.findMany({ orderBy: { name: 'asc' } }) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/smart-lists',
    summary: 'Save a contact filter under a name',
    status: 201,
    body: z.object({ name, filter: contactFilter }),
    response: smartListResponse,
    handler: ({ body, db, tenantId }) => db.smartList.create({ data: { userId: tenantId, name: body.name, filter: toJson(body.filter) } }),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/smart-lists/:id',
    summary: 'Rename a smart list or change its filter',
    params: id,
    body: z.object({ name: name.optional(), filter: contactFilter.optional() }),
    response: smartListResponse,
    handler: ({ params, body, db }) =>
      db.smartList.update({ where: { id: params.id }, data: { name: body.name, filter: body.filter ? toJson(body.filter) : undefined } }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/smart-lists/:id',
    summary: 'Delete a smart list (its contacts stay)',
    params: id,
    response: noContent,
    async handler({ params, db }) {
      await db.smartList.delete({ where: { id: params.id } });
    },
  }),
];
