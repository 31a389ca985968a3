// Queueing a message: the one way every sender (the inbox, a workflow step, a campaign)
// sends. The consent and quiet-hours policy is checked here, the message is recorded
// QUEUED with its conversation, and the delivery job is enqueued in the same transaction:
// a rolled-back send leaves no message and no job.
import { randomBytes } from 'node:crypto';
import { notFound, Problem, type Credentials, type Jobs, type TenantDb, type TenantTx } from '@soshogle/core';
import { Prisma } from '@soshogle/db';
import type { Message, MessageChannel } from '@soshogle/db';
import { contactAddress, providerOf } from '../channels.ts';
import { doNotDisturb } from '../consent/service.ts';
import { isTimeZone, sendableAt } from './quiet-hours.ts';

export interface SendRequest {
  contactId: string;
  channel: MessageChannel;
  /** The text (for email, the text body). */
  body: string;
  /** Email only; required there. */
  subject?: string | null;
  /** Email only: the HTML body. */
  html?: string | null;
  /** One message per key: a retried step or request finds the first one. */
  idempotencyKey?: string | null;
}

export interface SendScope {
  tenantId: string;
  tx: TenantTx;
  jobs: Jobs;
  credentials: Credentials;
}

/** Why a send is refused, on the field that says so (409 for consent, 422 for a missing address). */
export class SendRefused extends Problem {}

const refused = (status: number, field: string, message: string) =>
  new SendRefused(status, status === 409 ? 'Conflict' : 'Validation failed', message, { errors: [{ field, message }] });

/**
 * When the tenant's quiet hours let a contact be messaged: now, or their end on the
 * contact's clock (customFields.timezone, else the tenant's setting, else the account's).
 * Asked when a message is queued and again when it goes out.
 */
export async function sendableFor(db: TenantDb | TenantTx, tenantId: string, customFields: unknown, now = new Date()): Promise<Date> {
  const settings = await db.messagingSettings.findFirst();
  if (!(settings?.quietHoursEnabled ?? true)) return now;
  const own = (customFields as Record<string, unknown> | null)?.timezone;
  const zone = isTimeZone(own)
    ? own
    : isTimeZone(settings?.timezone)
      ? settings.timezone
      : ((await db.user.findUnique({ where: { id: tenantId }, select: { timezone: true } }))?.timezone ?? 'UTC');
  return sendableAt(now, isTimeZone(zone) ? zone : 'UTC', settings?.quietHoursStart ?? '21:00', settings?.quietHoursEnd ?? '08:00');
}

/** Records the message QUEUED and enqueues its delivery; a message already sent with the same key is returned as it is. */
export async function queueMessage(scope: SendScope, request: SendRequest): Promise<Message> {
  const { tx, tenantId } = scope;
  if (request.idempotencyKey) {
    const earlier = await tx.message.findUnique({ where: { userId_idempotencyKey: { userId: tenantId, idempotencyKey: request.idempotencyKey } } });
    if (earlier) return earlier;
  }
  const contact = await tx.contact.findUnique({ where: { id: request.contactId }, select: { id: true, phone: true, email: true, customFields: true } });
  if (!contact) throw notFound('Contact');
  const { channel } = request;
  const conversation = await tx.conversation.findUnique({ where: { contactId_channel: { contactId: contact.id, channel } } });
  const to = contactAddress(channel, contact, conversation?.address);
  if (!to) {
    const missing = channel === 'EMAIL' ? 'an email address' : channel === 'SMS' || channel === 'WHATSAPP' ? 'a phone number' : `a ${channel.toLowerCase()} conversation to reply in`;
    throw refused(422, 'body.contactId', `The contact has no ${missing}`);
  }
  if (channel === 'EMAIL' && !request.subject?.trim()) throw refused(422, 'body.subject', 'An email needs a subject');
  if (await doNotDisturb(tx, contact.id, channel)) throw refused(409, 'body.contactId', `The contact asked not to be messaged by ${channel.toLowerCase()}`);

  const now = new Date();
  const at = await sendableFor(tx, tenantId, contact.customFields, now);
  const connected = await scope.credentials.get(providerOf[channel]);
  const thread =
    conversation ?? (await tx.conversation.create({ data: { userId: tenantId, contactId: contact.id, channel, address: to } }));
  const message = await tx.message.create({
    data: {
      userId: tenantId,
      contactId: contact.id,
      conversationId: thread.id,
      channel,
      direction: 'OUTBOUND',
      status: 'QUEUED',
      content: request.body,
      subject: request.subject ?? null,
      html: request.html ?? null,
      from: '',
      to,
      sandbox: !connected,
      sendAfter: at > now ? at : null,
      idempotencyKey: request.idempotencyKey ?? null,
      unsubscribeKey: channel === 'EMAIL' ? randomBytes(24).toString('base64url') : null,
    },
  });
  await tx.conversation.update({ where: { id: thread.id }, data: { lastMessageAt: now } });
  await scope.jobs.enqueue(tx, 'messaging.deliver', { messageId: message.id }, { tenantId, ...(at > now ? { runAt: at } : {}) });
  return message;
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
    const duplicate = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
    if (!duplicate || !request.idempotencyKey) throw error;
    return db.message.findUniqueOrThrow({ where: { userId_idempotencyKey: { userId: scope.tenantId, idempotencyKey: request.idempotencyKey } } });
  }
}
