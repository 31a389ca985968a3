// Notes on contacts, deals and leads, with their author. A note is reached through its
// parent: the parent is found in the tenant first, so another tenant's id is a 404.
import { defineRoute, keysetCursor, keysetOf, listOf, listQuery, noContent, olderThan, page, type TenantDb } from '@soshogle/core';
import { z } from 'zod';
import { noteResponse } from './schemas.ts';
import { createNote } from './service.ts';

const content = z.string().trim().min(1).max(20_000);
const parents = [
  { path: 'contacts', column: 'contactId', find: (db: TenantDb, id: string) => db.contact.findUniqueOrThrow({ where: { id }, select: { id: true } }) },
  { path: 'deals', column: 'dealId', find: (db: TenantDb, id: string) => db.deal.findUniqueOrThrow({ where: { id }, select: { id: true } }) },
  { path: 'leads', column: 'leadId', find: (db: TenantDb, id: string) => db.lead.findUniqueOrThrow({ where: { id }, select: { id: true } }) },
] as const;

const parentId = z.object({ id: z.string().min(1).max(64) });

export const noteRoutes = [
  ...parents.flatMap((parent) => [
    defineRoute({
      method: 'GET',
      path: `/${parent.path}/:id/notes`,
      summary: `Notes on a ${parent.path.slice(0, -1)}, newest first`,
      params: parentId,
      query: listQuery({ cursor: keysetCursor }),
      response: listOf(noteResponse),
      async handler({ params, query, db }) {
        await parent.find(db, params.id);
        const after = query.cursor;
        const rows = await db.note.findMany({
          where: { [parent.column]: params.id, ...olderThan(after) },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: query.limit + 1,
        });
        return page(rows, query.limit, (last) => keysetOf(last.createdAt, last.id));
      },
    }),
    defineRoute({
      method: 'POST',
      path: `/${parent.path}/:id/notes`,
      summary: `Write a note on a ${parent.path.slice(0, -1)}`,
      status: 201,
      params: parentId,
      body: z.object({ content }),
      response: noteResponse,
      handler: ({ params, body, db, tenantId, auth }) => createNote(db, tenantId, { content: body.content, authorId: auth.userId, [parent.column]: params.id }),
    }),
  ]),
  defineRoute({
    method: 'PATCH',
    path: '/notes/:id',
    summary: 'Edit a note',
    params: parentId,
    body: z.object({ content }),
    response: noteResponse,
    handler: ({ params, body, db }) => db.note.update({ where: { id: params.id }, data: { content: body.content } }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/notes/:id',
    summary: 'Delete a note',
    params: parentId,
    response: noContent,
    async handler({ params, db }) {
      await db.note.delete({ where: { id: params.id } });
    },
  }),
];
