// Duplicate contacts and merging them. Mounted before /contacts/:id, so the fixed paths
// (/contacts/duplicates, /contacts/merge) are not read as contact ids.
import { defineRoute, itemsOf, listOf, listQuery, type AnyRoute } from '@soshogle/core';
import { z } from 'zod';
import { decodeGroupCursor, duplicateGroups, duplicatesOf } from './duplicates.ts';
import { contactMergeResponse, duplicateGroup, likelyDuplicate, mergeResult } from './schemas.ts';
import { mergeContacts, mergeRequest, mergesInto } from './service.ts';

const id = z.object({ id: z.string().min(1).max(64) });

export const mergeRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/contacts/duplicates',
    summary: 'Groups of contacts sharing an email (any case) or a phone number, paged',
    query: listQuery({ cursor: z.string().min(1).max(1000), size: 20, max: 100 }),
    response: listOf(duplicateGroup),
    handler: ({ query, db, tenantId }) =>
      duplicateGroups(db, tenantId, { after: query.cursor ? decodeGroupCursor(query.cursor) : null, limit: query.limit }),
  }),
  defineRoute({
    method: 'GET',
    path: '/contacts/:id/duplicates',
    summary: "A contact's likely duplicates: other contacts with its email or phone",
    params: id,
    response: itemsOf(likelyDuplicate),
    handler: async ({ params, db, tenantId }) => ({ items: await duplicatesOf(db, tenantId, params.id) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/contacts/merge',
    summary: 'Merge one contact into another: its records move over, tags and custom fields combine, the merge is recorded',
    body: mergeRequest,
    response: mergeResult,
    handler: ({ body, db, tenantId, events, auth }) =>
      db.$transaction((tx) => mergeContacts({ tx, tenantId, events, actorId: auth.userId }, body), { timeout: 30_000 }),
  }),
  defineRoute({
    method: 'GET',
    path: '/contacts/:id/merges',
    summary: 'The contacts merged into this one, newest first, each as it was before the merge',
    params: id,
    response: itemsOf(contactMergeResponse),
    handler: async ({ params, db }) => ({ items: await mergesInto(db, params.id) }),
  }),
];
