// The inbox: conversations by last activity with their unread counts and last message,
// a conversation's messages, marking it read, and replying on its channel. Everything is
// read through the tenant-scoped client, so another tenant's ids are 404s.
import { defineRoute, notFound, type TenantDb } from '@soshogle/core';
import { MessageChannel } from '@soshogle/db';
import { z } from 'zod';
import { sendOnce } from '../sending/service.ts';

const id = z.object({ id: z.string().min(1).max(64) });
const limit = z.coerce.number().int().min(1).max(100).default(30);
const messageBody = z.object({
  body: z.string().trim().min(1).max(10_000),
  subject: z.string().trim().max(300).optional(),
  html: z.string().max(200_000).optional(),
  /** Repeat a request with the same key and the message is sent once. */
  idempotencyKey: z.string().min(1).max(200).optional(),
});

/** Keyset cursor: the last row's (time, id). */
const cursorOf = (at: Date | null, rowId: string) => Buffer.from(JSON.stringify([at?.toISOString() ?? null, rowId])).toString('base64url');
function readCursor(cursor: string | undefined): { at: Date | null; id: string } | null {
  if (!cursor) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, rowId] = value as unknown[];
    if (typeof rowId !== 'string' || (at !== null && typeof at !== 'string')) return null;
    const date = at === null ? null : new Date(at);
    return date && Number.isNaN(date.getTime()) ? null : { at: date, id: rowId };
  } catch {
    return null;
  }
}
const contactSummary = { select: { id: true, firstName: true, lastName: true, email: true, phone: true } } as const;

/** Inbound messages after the conversation was last read. */
const unreadCount = (db: TenantDb, conversation: { id: string; lastReadAt: Date | null }) =>
  db.message.count({ where: { conversationId: conversation.id, direction: 'INBOUND', ...(conversation.lastReadAt ? { createdAt: { gt: conversation.lastReadAt } } : {}) } });

const cursorQuery = z.string().max(300).refine((c) => readCursor(c) !== null, 'Not a cursor from this list').optional();

export const conversationRoutes = [
  defineRoute({
    method: 'GET',
    path: '/conversations',
    summary: "The inbox: conversations by last activity, with unread counts and the last message (or one contact's)",
    query: z.object({ channel: z.enum(MessageChannel).optional(), contactId: z.string().min(1).max(64).optional(), cursor: cursorQuery, limit }),
    async handler({ query, db }) {
      const after = readCursor(query.cursor);
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
          contact: contactSummary,
          messages: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 1 },
        },
      });
      const page = rows.slice(0, query.limit);
      const unread = await Promise.all(page.map((c) => unreadCount(db, c)));
      const items = page.map(({ messages, ...c }, i) => ({ ...c, unreadCount: unread[i]!, lastMessage: messages[0] ?? null }));
      const last = page.at(-1);
      return { items, nextCursor: rows.length > query.limit && last ? cursorOf(last.lastMessageAt, last.id) : null };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/conversations/:id',
    summary: 'One conversation with its contact and unread count',
    params: id,
    async handler({ params, db }) {
      const conversation = await db.conversation.findUnique({ where: { id: params.id }, include: { contact: contactSummary } });
      if (!conversation) throw notFound('Conversation');
      return { ...conversation, unreadCount: await unreadCount(db, conversation) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/conversations/:id/messages',
    summary: "A conversation's messages, newest first",
    params: id,
    query: z.object({ cursor: cursorQuery, limit }),
    async handler({ params, query, db }) {
      if (!(await db.conversation.findUnique({ where: { id: params.id }, select: { id: true } }))) throw notFound('Conversation');
      const after = readCursor(query.cursor);
      const rows = await db.message.findMany({
        where: { conversationId: params.id, ...(after?.at ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
        include: { events: { orderBy: { occurredAt: 'asc' }, take: 50, select: { type: true, occurredAt: true, data: true } } },
      });
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > query.limit && last ? cursorOf(last.createdAt, last.id) : null };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/conversations/:id/read',
    summary: 'Mark a conversation read up to now',
    params: id,
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
    async handler({ params, body, db, tenantId, jobs, providers }) {
      const conversation = await db.conversation.findUnique({ where: { id: params.id }, select: { contactId: true, channel: true } });
      if (!conversation) throw notFound('Conversation');
      return sendOnce(db, { tenantId, jobs, providers }, { ...body, contactId: conversation.contactId, channel: conversation.channel });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/messages',
    summary: 'Send a message to a contact on a channel (queued; quiet hours may defer it)',
    status: 202,
    body: messageBody.extend({ contactId: z.string().min(1).max(64), channel: z.enum(MessageChannel) }),
    async handler({ body, db, tenantId, jobs, providers }) {
      return sendOnce(db, { tenantId, jobs, providers }, body);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/messages/:id',
    summary: 'One message with its delivery events',
    params: id,
    async handler({ params, db }) {
      const message = await db.message.findUnique({ where: { id: params.id }, include: { events: { orderBy: { occurredAt: 'asc' }, take: 500 } } });
      if (!message) throw notFound('Message');
      return message;
    },
  }),
];
