import { defineRoute, invalid, listOf, listQuery, noContent, notFound, validationProblem } from '@soshogle/core';
import { z } from 'zod';
import { crmConfig } from '../config.ts';
import { contactFields, tagName } from './fields.ts';
import { decodeCursor, filterQuery, resolveFilter, sortFields } from './filter.ts';
import { countContacts, fuzzyBelow, fuzzyContacts, listContacts, type ListRequest } from './list.ts';
import { contactCount, contactResponse } from './schemas.ts';
import { changeTags, createContact, deleteContacts, updateContact } from './service.ts';

const id = z.object({ id: z.string().min(1).max(64) });
const contactsQuery = filterQuery.extend({
  sort: z.enum(sortFields).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  // A cursor holds the sort column's value: a long name makes a long cursor.
  ...listQuery({ cursor: z.string().min(1).max(500) }).shape,
});

/** A new contact: tags and custom fields may be left out. */
export function newContact(country: string) {
  const fields = contactFields(country);
  return fields.extend({ tags: fields.shape.tags.default([]), customFields: fields.shape.customFields.default({}) });
}

export const contactRoutes = [
  defineRoute({
    config: crmConfig,
    method: 'POST',
    path: '/contacts',
    summary: 'Create a contact',
    status: 201,
    body: z.object({}).passthrough(),
    response: contactResponse,
    async handler({ body, db, events, tenantId, config }) {
      const fields = newContact(config.defaultCountry).safeParse(body);
      if (!fields.success) throw validationProblem(fields.error, 'body');
      return db.$transaction((tx) => createContact({ tx, tenantId, events }, fields.data));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/contacts',
    summary: 'List contacts: search (prefix, then fuzzy), filters, a smart list, sorting and keyset pagination',
    query: contactsQuery,
    response: listOf(contactResponse),
    async handler({ query, db, tenantId }) {
      const filter = await resolveFilter(db, query);
      const after = query.cursor ? decodeCursor(query.cursor, query.sort) : null;
      if (query.cursor && !after) throw invalid('query.cursor', 'Not a cursor from this list');
      const request: ListRequest = { filter, sort: query.sort, order: query.order, after, limit: query.limit };
      const page = await listContacts(db, tenantId, request);
      // Prefixes found next to nothing: the rest of the first page is fuzzy matches, best first.
      if (filter.q && !after && page.items.length < Math.min(query.limit, fuzzyBelow)) {
        const fuzzy = await fuzzyContacts(db, tenantId, request, new Set(page.items.map((c) => c.id)));
        if (fuzzy.length) return { items: [...page.items, ...fuzzy], nextCursor: null };
      }
      return page;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/contacts/count',
    summary: 'Count the contacts a filter or smart list matches (prefix search: fuzzy matches are not counted)',
    query: contactsQuery.pick({ q: true, tagsAny: true, tagsAll: true, tagsNone: true, source: true, createdAfter: true, createdBefore: true, updatedAfter: true, updatedBefore: true, customFields: true, smartListId: true }),
    response: contactCount,
    async handler({ query, db, tenantId }) {
      return { count: await countContacts(db, tenantId, await resolveFilter(db, query)) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/contacts/:id',
    summary: 'One contact',
    params: id,
    response: contactResponse,
    handler: ({ params, db }) => db.contact.findUniqueOrThrow({ where: { id: params.id } }),
  }),
  defineRoute({
    config: crmConfig,
    method: 'PATCH',
    path: '/contacts/:id',
    summary: 'Change fields of a contact (only those given)',
    params: id,
    body: z.object({}).passthrough(),
    response: contactResponse,
    async handler({ params, body, db, events, tenantId, config }) {
      const patch = contactFields(config.defaultCountry).partial().safeParse(body);
      if (!patch.success) throw validationProblem(patch.error, 'body');
      return db.$transaction((tx) => updateContact({ tx, tenantId, events }, params.id, patch.data));
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/contacts/:id',
    summary: 'Delete a contact with its notes, messages and deal links',
    params: id,
    response: noContent,
    async handler({ params, db, events, tenantId }) {
      const deleted = await db.$transaction((tx) => deleteContacts({ tx, tenantId, events }, [params.id]));
      if (!deleted) throw notFound('Contact');
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/contacts/:id/tags',
    summary: 'Add and remove tags on a contact',
    params: id,
    body: z
      .object({ add: z.array(tagName).max(100).default([]), remove: z.array(tagName).max(100).default([]) })
      .refine((b) => b.add.length || b.remove.length, { message: 'Give tags to add or remove', path: ['add'] }),
    response: contactResponse,
    handler: ({ params, body, db, events, tenantId }) => db.$transaction(async (tx) => (await changeTags({ tx, tenantId, events }, params.id, body)).contact),
  }),
];
