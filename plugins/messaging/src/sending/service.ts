// Queueing messages: the one way every sender (the inbox, a workflow step, a campaign)
// sends. The consent and quiet-hours policy is checked here, each message is recorded
// QUEUED with its conversation, and the delivery jobs are enqueued in the same
// transaction: a rolled-back send leaves no message and no job. A campaign's thousands
// of messages take the same path as one reply, a few statements per batch.
import { randomBytes, randomUUID } from 'node:crypto';
import { isUniqueViolation, notFound, Problem, type Jobs, type Providers, type TenantDb, type TenantTx } from '@soshogle/core';
import { Prisma } from '@soshogle/db';
import type { Message, MessageChannel } from '@soshogle/db';
import { capabilityOf } from '../capabilities.ts';
import { contactAddress, type SendChannel } from '../channels.ts';
import { optedOutAmong } from '../consent/service.ts';
import { isTimeZone, sendableAt } from './quiet-hours.ts';

export interface SendRequest {
  /** The contact to message; or `to`, for a test send to someone who is not a contact. */
  contactId?: string | null;
  /** An address (phone or email) to send to without a contact: no conversation, no consent ledger. */
  to?: string | null;
  channel: SendChannel;
  /** The text (for email, the text body). */
  body: string;
  /** Email only; required there. */
  subject?: string | null;
  /** Email only: the HTML body. */
  html?: string | null;
  /** One message per key: a retried step or request finds the first one. */
  idempotencyKey?: string | null;
  /** The batch it belongs to (`campaign:<id>`), so its unsent rest can be cancelled together. */
  sendGroup?: string | null;
  /**
   * After this it is pointless (a reminder of an appointment that has begun): refused when
   * quiet hours would hold it until then, and not sent when its delivery comes later.
   */
  expiresAt?: Date | null;
}

export interface SendScope {
  tenantId: string;
  tx: TenantTx;
  jobs: Jobs;
  /** Whether each channel has a connected provider (else its messages are sandbox ones). */
  providers: Providers;
}

/** Why a send is refused, on the field that says so (409 for consent, 422 for a missing address). */
export class SendRefused extends Problem {}

const refused = (status: number, field: string, message: string) =>
  new SendRefused(status, status === 409 ? 'Conflict' : 'Validation failed', message, { errors: [{ field, message }] });

/** Messages per delivery job: sent together, paced by the tenant's rate. */
export const deliveryBatch = 100;

/**
 * When the tenant's quiet hours let a contact be messaged: now, or their end on the
 * contact's clock (customFields.timezone, else the tenant's setting, else the account's).
 * The settings are read once; the answer is asked per contact.
 */
export async function quietHoursOf(db: TenantDb | TenantTx, tenantId: string): Promise<(customFields: unknown, now?: Date) => Date> {
  const settings = await db.messagingSettings.findFirst();
  if (!(settings?.quietHoursEnabled ?? true)) return (_fields, now = new Date()) => now;
  const fallback = isTimeZone(settings?.timezone)
    ? settings.timezone
    : ((await db.user.findUnique({ where: { id: tenantId }, select: { timezone: true } }))?.timezone ?? 'UTC');
  const start = settings?.quietHoursStart ?? '21:00';
  const end = settings?.quietHoursEnd ?? '08:00';
  return (customFields, now = new Date()) => {
    const own = (customFields as Record<string, unknown> | null)?.timezone;
    const zone = isTimeZone(own) ? own : fallback;
    return sendableAt(now, isTimeZone(zone) ? zone : 'UTC', start, end);
  };
}

/** A request's outcome: the message (queued now or earlier under the same key), or why not. */
export type Queued = { message: Message; refused: null } | { message: null; refused: SendRefused };

/** Refused because it could not go before it expires: quiet hours hold it past then, or it has expired already. */
function expired(at: Date, expiresAt: Date, now: Date): SendRefused {
  const why = expiresAt > now ? `quiet hours hold it until ${at.toISOString()}, past its expiry at ${expiresAt.toISOString()}` : `it expired at ${expiresAt.toISOString()}`;
  return refused(409, 'body.expiresAt', `Expired: ${why}`);
}

const missingAddress = (channel: MessageChannel) =>
  channel === 'EMAIL' ? 'email address' : channel === 'SMS' || channel === 'WHATSAPP' ? 'phone number' : `${channel.toLowerCase()} conversation to reply in`;

/**
 * Records each sendable message QUEUED (in its contact's conversation for the channel)
 * and enqueues their delivery; refused ones (consent, no address, no such contact) come
 * back with the reason, in the order of `requests`.
 */
export async function queueMessages(scope: SendScope, requests: SendRequest[]): Promise<Queued[]> {
  const { tx, tenantId } = scope;
  const keys = requests.flatMap((r) => (r.idempotencyKey ? [r.idempotencyKey] : []));
  const earlier = new Map(
    (keys.length ? await tx.message.findMany({ where: { idempotencyKey: { in: keys } } }) : []).map((m) => [m.idempotencyKey!, m]),
  );
  const contactIds = [...new Set(requests.flatMap((r) => (r.contactId && !earlier.has(r.idempotencyKey ?? '') ? [r.contactId] : [])))];
  const contacts = new Map(
    (contactIds.length
      ? await tx.contact.findMany({ where: { id: { in: contactIds } }, select: { id: true, phone: true, email: true, customFields: true } })
      : []
    ).map((c) => [c.id, c]),
  );
  const channels = [...new Set(requests.map((r) => r.channel))];
  const conversations = new Map(
    (contacts.size ? await tx.conversation.findMany({ where: { contactId: { in: [...contacts.keys()] }, channel: { in: channels } } }) : []).map((c) => [
      `${c.contactId}:${c.channel}`,
      c,
    ]),
  );
  const optedOut = new Map<MessageChannel, Set<string>>();
  for (const channel of channels) optedOut.set(channel, await optedOutAmong(tx, [...contacts.keys()], channel));
  const sendable = await quietHoursOf(tx, tenantId);
  const connected = new Map<SendChannel, boolean>();
  for (const channel of channels) connected.set(channel, Boolean(await scope.providers.get(capabilityOf[channel], { tx })));

  const now = new Date();
  // Refusals now; the queued rows' places, filled once their conversations are known.
  const outcomes: (Queued | Prisma.MessageCreateManyInput)[] = [];
  const rows: Prisma.MessageCreateManyInput[] = [];
  // No column holds the expiry: the delivery job carries it (see deliver.ts).
  const expiries = new Map<string, Date>();
  const newThreads = new Map<string, Prisma.ConversationCreateManyInput>();
  for (const request of requests) {
    const { channel } = request;
    const done = request.idempotencyKey ? earlier.get(request.idempotencyKey) : undefined;
    if (done) {
      outcomes.push({ message: done, refused: null });
      continue;
    }
    const contact = request.contactId ? contacts.get(request.contactId) : null;
    if (request.contactId && !contact) {
      outcomes.push({ message: null, refused: notFound('Contact') as SendRefused });
      continue;
    }
    const thread = contact ? conversations.get(`${contact.id}:${channel}`) : undefined;
    const to = contact ? contactAddress(channel, contact, thread?.address) : request.to?.trim() || null;
    const refusal = !to
      ? refused(422, 'body.contactId', `The contact has no ${missingAddress(channel)}`)
      : channel === 'EMAIL' && !request.subject?.trim()
        ? refused(422, 'body.subject', 'An email needs a subject')
        : contact && optedOut.get(channel)!.has(contact.id)
          ? refused(409, 'body.contactId', `The contact asked not to be messaged by ${channel.toLowerCase()}`)
          : null;
    if (refusal || !to) {
      outcomes.push({ message: null, refused: refusal! });
      continue;
    }
    if (contact && !thread && !newThreads.has(`${contact.id}:${channel}`)) {
      newThreads.set(`${contact.id}:${channel}`, { id: randomUUID(), userId: tenantId, contactId: contact.id, channel, address: to, lastMessageAt: now, createdAt: now, updatedAt: now });
    }
    // Test sends to a person who is not a contact skip quiet hours: they asked for it now.
    const at = contact ? sendable(contact.customFields, now) : now;
    if (request.expiresAt && at >= request.expiresAt) {
      outcomes.push({ message: null, refused: expired(at, request.expiresAt, now) });
      continue;
    }
    const row: Prisma.MessageCreateManyInput = {
      id: randomUUID(),
      userId: tenantId,
      contactId: contact?.id ?? null,
      conversationId: thread?.id ?? null,
      channel,
      direction: 'OUTBOUND',
      status: 'QUEUED',
      content: request.body,
      subject: request.subject ?? null,
      html: request.html ?? null,
      from: '',
      to,
      sandbox: !connected.get(channel),
      sendAfter: at > now ? at : null,
      idempotencyKey: request.idempotencyKey ?? null,
      unsubscribeKey: channel === 'EMAIL' ? randomBytes(24).toString('base64url') : null,
      sendGroup: request.sendGroup ?? null,
      needsReview: false,
      createdAt: now,
      updatedAt: now,
    };
    rows.push(row);
    outcomes.push(row);
    if (request.expiresAt) expiries.set(row.id!, request.expiresAt);
  }
  if (rows.length) {
    // Raw inserts: the tenant is stamped on every row here, and every contact and
    // conversation id was read through the tenant's scope or made in this transaction
    // (the scoped createMany checks references outside the transaction).
    if (newThreads.size) {
      // Another send may have opened the same conversation meanwhile: keep theirs.
      await tx.$executeRaw`
        insert into "Conversation" select * from json_populate_recordset(null::"Conversation", ${JSON.stringify([...newThreads.values()])}::json)
        on conflict ("contactId", channel) do nothing`;
      // By (contactId, channel): the unique index answers it, however many conversations the tenant has.
      const kept = await tx.conversation.findMany({
        where: { contactId: { in: [...new Set([...newThreads.values()].map((t) => t.contactId))] }, channel: { in: channels } },
        select: { id: true, contactId: true, channel: true },
      });
      const threadOf = new Map(kept.map((c) => [`${c.contactId}:${c.channel}`, c.id]));
      for (const row of rows) if (row.contactId && !row.conversationId) row.conversationId = threadOf.get(`${row.contactId}:${row.channel}`) ?? null;
    }
    await tx.$executeRaw`insert into "Message" select * from json_populate_recordset(null::"Message", ${JSON.stringify(rows)}::json)`;
    const threads = [...new Set(rows.flatMap((r) => (r.conversationId ? [r.conversationId] : [])))];
    if (threads.length) await tx.conversation.updateMany({ where: { id: { in: threads } }, data: { lastMessageAt: now } });
    await enqueueDelivery(scope, rows, expiries);
  }
  return outcomes.map((o) => ('refused' in o ? o : { message: asMessage(o), refused: null }));
}

/** The row as a Message: the columns createMany left to their defaults. */
const asMessage = (row: Prisma.MessageCreateManyInput) =>
  ({ twilioSid: null, sendgridId: null, metaMid: null, provider: null, providerMessageId: null, providerCalled: null, needsReview: false, error: null, templateSid: null, ...row }) as Message;

/** One delivery job per batch of messages due at the same time and expiring at the same time. */
async function enqueueDelivery(scope: SendScope, rows: Prisma.MessageCreateManyInput[], expiries: Map<string, Date>): Promise<void> {
  const due = new Map<string, { at: number; expiresAt: Date | undefined; ids: string[] }>();
  for (const row of rows) {
    const at = (row.sendAfter as Date | null)?.getTime() ?? 0;
    const expiresAt = expiries.get(row.id!);
    const key = `${at}:${expiresAt?.getTime() ?? ''}`;
    const group = due.get(key) ?? { at, expiresAt, ids: [] };
    if (!group.ids.length) due.set(key, group);
    group.ids.push(row.id!);
  }
  for (const { at, expiresAt, ids } of due.values()) {
    for (let i = 0; i < ids.length; i += deliveryBatch) {
      await scope.jobs.enqueue(
        scope.tx,
        'messaging.deliver',
        { messageIds: ids.slice(i, i + deliveryBatch), ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) },
        { tenantId: scope.tenantId, ...(at ? { runAt: new Date(at) } : {}) },
      );
    }
  }
}

/** Records the message QUEUED and enqueues its delivery; a message already sent with the same key is returned as it is. */
export async function queueMessage(scope: SendScope, request: SendRequest): Promise<Message> {
  const [outcome] = await queueMessages(scope, [request]);
  if (outcome!.refused) throw outcome!.refused;
  return outcome!.message!;
}

/**
 * queueMessage in a transaction of its own, for API callers: two requests with the same
 * idempotency key at once both answer with the one message (the second's insert meets the
 * unique key, rolls back, and finds the first's).
 */
export async function sendOnce(db: TenantDb, scope: Omit<SendScope, 'tx'>, request: SendRequest): Promise<Message> {
  try {
    return await db.$transaction((tx) => queueMessage({ ...scope, tx }, request));
  } catch (error) {
    if (!isUniqueViolation(error) || !request.idempotencyKey) throw error;
    return db.message.findUniqueOrThrow({ where: { userId_idempotencyKey: { userId: scope.tenantId, idempotencyKey: request.idempotencyKey } } });
  }
}
