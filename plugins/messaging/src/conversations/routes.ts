// The inbox: conversations by last activity with their unread counts and last message,
// a conversation's messages, marking it read, and replying on its channel. Everything is
// read through the tenant-scoped client, so another tenant's ids are 404s.
import { defineRoute, keysetCursor, keysetOf, listOf, listQuery, olderThan, notFound, page, refuse, type TenantDb } from '@soshogle/core';
import { MessageChannel } from '@soshogle/db';
import { z } from 'zod';
import { sendChannels } from '../channels.ts';
import { sendOnce } from '../sending/service.ts';
import { contactColumns, conversationResponse, eventColumns, messageColumns, messageResponse, shownMessage, withCallEntry } from './schemas.ts';

const id = z.object({ id: z.string().min(1).max(64) });
const pageQuery = listQuery({ cursor: keysetCursor, size: 30, max: 100 });
const messageBody = z.object({
  body: z.string().trim().min(1).max(10_000),
  subject: z.string().trim().max(300).optional(),
  html: z.string().max(200_000).optional(),
  /** Repeat a request with the same key and the message is sent once. */
  idempotencyKey: z.string().min(1).max(200).optional(),
});

/** Inbound messages after the conversation was last read. */
const unreadCount = (db: TenantDb, conversation: { id: string; lastReadAt: Date | null }) =>
  db.message.count({ where: { conversationId: conversation.id, direction: 'INBOUND', ...(conversation.lastReadAt ? { createdAt: { gt: conversation.lastReadAt } } : {}) } });

export const conversationRoutes = [
  defineRoute({
    method: 'GET',
    path: '/conversations',
    summary: "The inbox: conversations by last activity, with unread counts and the last message (or one contact's)",
    query: pageQuery.extend({ channel: z.enum(MessageChannel).optional(), contactId: z.string().min(1).max(64).optional() }),
    response: listOf(conversationResponse),
    async handler({ query, db }) {
      const after = query.cursor;
      const rows = await db.conversation.findMany({
        where: {
          lastMessageAt: { not: null },
          ...(query.channel ? { channel: query.channel } : {}),
          ...(query.contactId ? { contactId: query.contactId } : {}),
          ...(after?.at ? { OR: [{ lastMessageAt: { lt: after.at } }, { lastMessageAt: after.at, id: { lt: after.id } }] } : {}),
        },
        orderBy: [{ lastMessageAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
        include: {
          contact: { select: contactColumns },
          // A call's transcript is not needed to list conversations.
          messages: { select: { ...messageColumns, call: false }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 1 },
        },
      });
      const { items, nextCursor } = page(rows, query.limit, (last) => keysetOf(last.lastMessageAt, last.id));
      const unread = await Promise.all(items.map((c) => unreadCount(db, c)));
      return { items: items.map(({ messages, ...c }, i) => ({ ...c, unreadCount: unread[i]!, lastMessage: messages[0] ?? null })), nextCursor };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/conversations/:id',
    summary: 'One conversation with its contact and unread count',
    params: id,
    response: conversationResponse,
    async handler({ params, db }) {
      const conversation = await db.conversation.findUnique({ where: { id: params.id }, include: { contact: { select: contactColumns } } });
      if (!conversation) throw notFound('Conversation');
      return { ...conversation, unreadCount: await unreadCount(db, conversation) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/conversations/:id/messages',
    summary: "A conversation's messages, newest first",
    params: id,
    query: pageQuery,
    response: listOf(messageResponse),
    async handler({ params, query, db }) {
      if (!(await db.conversation.findUnique({ where: { id: params.id }, select: { id: true } }))) throw notFound('Conversation');
      const after = query.cursor;
      const rows = await db.message.findMany({
        where: { conversationId: params.id, ...olderThan(after) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
        select: { ...messageColumns, events: { orderBy: { occurredAt: 'asc' }, take: 50, select: eventColumns } },
      });
      const found = page(rows, query.limit, (last) => keysetOf(last.createdAt, last.id));
      return { items: found.items.map(withCallEntry), nextCursor: found.nextCursor };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/conversations/:id/read',
    summary: 'Mark a conversation read up to now',
    params: id,
    response: z.object({ unreadCount: z.number().int() }),
    async handler({ params, db }) {
      const { count } = await db.conversation.updateMany({ where: { id: params.id }, data: { lastReadAt: new Date() } });
      if (!count) throw notFound('Conversation');
      return { unreadCount: 0 };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/conversations/:id/messages',
    summary: "Reply in a conversation, on its channel (queued; quiet hours may defer it)",
    status: 202,
    params: id,
    body: messageBody,
    response: messageResponse,
    async handler({ params, body, db, tenantId, jobs, providers }) {
      const conversation = await db.conversation.findUnique({ where: { id: params.id }, select: { contactId: true, channel: true } });
      if (!conversation) throw notFound('Conversation');
      const { channel } = conversation;
      if (channel === 'VOICE') throw refuse(409, 'A call is not answered with a message: call the contact from the voice plugin', [{ field: 'params.id', message: 'A conversation of calls' }]);
      return shownMessage(await sendOnce(db, { tenantId, jobs, providers }, { ...body, contactId: conversation.contactId, channel }));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/messages',
    summary: 'Send a message to a contact on a channel (queued; quiet hours may defer it)',
    status: 202,
    body: messageBody.extend({ contactId: z.string().min(1).max(64), channel: z.enum(sendChannels) }),
    response: messageResponse,
    async handler({ body, db, tenantId, jobs, providers }) {
      return shownMessage(await sendOnce(db, { tenantId, jobs, providers }, body));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/messages/:id',
    summary: 'One message with its delivery events',
    params: id,
    response: messageResponse,
    async handler({ params, db }) {
      const message = await db.message.findUnique({ where: { id: params.id }, select: { ...messageColumns, events: { orderBy: { occurredAt: 'asc' }, take: 500, select: eventColumns } } });
      if (!message) throw notFound('Message');
      return withCallEntry(message);
    },
  }),
];
