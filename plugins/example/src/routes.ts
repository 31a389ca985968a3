import { defineRoute, keysetCursor, keysetOf, listOf, listQuery, olderThan, notFound, page } from '@soshogle/core';
import { z } from 'zod';
import { exampleConfig } from './config.ts';
import { pingResponse, pingView, recordedPingResponse, recordPing } from './pings.ts';

export const greetingRoute = defineRoute({
  config: exampleConfig,
  method: 'GET',
  path: '/greeting',
  summary: 'A greeting for a name, using the configured salutation',
  access: 'public',
  query: z.object({ name: z.string().trim().min(1).max(100) }),
  response: z.object({ message: z.string() }),
  handler: ({ query, config }) => ({ message: `${config.greeting}, ${query.name}!` }),
});

// Records a ping for the signed-in tenant; the ping, its event and its delivery job commit together.
export const pingRoute = defineRoute({
  method: 'POST',
  path: '/pings',
  summary: 'Send a ping: it is recorded, raises example.pinged and is delivered to the provider',
  status: 202,
  body: z.object({ message: z.string().min(1).max(500), contactId: z.string().min(1).max(64).optional() }),
  response: recordedPingResponse,
  async handler(ctx) {
    const { body, db } = ctx;
    // Read, never written: contacts are the CRM's, and another tenant's id is "not found".
    if (body.contactId && !(await db.contact.count({ where: { id: body.contactId } }))) throw notFound('Contact');
    return db.$transaction((tx) => recordPing(tx, ctx, { message: body.message, contactId: body.contactId, source: 'api' }));
  },
});

export const listPingsRoute = defineRoute({
  method: 'GET',
  path: '/pings',
  summary: 'Pings, newest first, with how each was delivered (sandbox: never left this server)',
  // The one list shape: ?cursor=&limit=, answered as { items, nextCursor }.
  query: listQuery({ cursor: keysetCursor, size: 50, max: 100 }),
  response: listOf(pingResponse),
  async handler({ db, query }) {
    const after = query.cursor;
    const rows = await db.examplePing.findMany({
      where: olderThan(after),
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const { items, nextCursor } = page(rows, query.limit, (last) => keysetOf(last.createdAt, last.id));
    return { items: items.map(pingView), nextCursor };
  },
});

export const getPingRoute = defineRoute({
  method: 'GET',
  path: '/pings/:id',
  summary: 'One ping',
  params: z.object({ id: z.string().min(1).max(64) }),
  response: pingResponse,
  async handler({ db, params }) {
    const ping = await db.examplePing.findUnique({ where: { id: params.id } });
    if (!ping) throw notFound('Ping');
    return pingView(ping);
  },
});
