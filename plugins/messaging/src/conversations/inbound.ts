// A message a contact sent, from any channel: it finds its contact (by phone, email, or
// the conversation of a Messenger/Instagram id), or creates one (source "inbound"); lands
// in the contact's conversation on that channel; applies STOP/START keywords (chat
// channels); and raises core.message_received, all in the webhook's transaction.
import type { EventPayloadInput, Events, EventType, TenantTx } from '@soshogle/core';
import type { Message, MessageChannel, Prisma } from '@soshogle/db';
import { changeConsent, consentKeyword } from '../consent/service.ts';
import { raiseMessageEvents, reportedFields } from '../message-events.ts';

export interface InboundMessage {
  channel: MessageChannel;
  /** The sender: an E.164 number, an email address, or a Meta page-scoped id. */
  from: string;
  /** Our number, address or page. */
  to: string;
  body: string;
  subject?: string | null;
  /** The sender's name, when the provider tells it (WhatsApp profile, email From). */
  name?: string | null;
  providerIds?: Partial<Pick<Message, 'twilioSid' | 'sendgridId' | 'metaMid'>>;
}

export interface InboundScope {
  tenantId: string;
  tx: TenantTx;
  events: Events;
}

const newContactName: Record<MessageChannel, string> = {
  SMS: 'SMS contact',
  WHATSAPP: 'WhatsApp contact',
  EMAIL: 'Email contact',
  FACEBOOK: 'Facebook user',
  INSTAGRAM: 'Instagram user',
};

async function findContact(tx: TenantTx, inbound: InboundMessage): Promise<string | null> {
  const { channel, from } = inbound;
  if (channel === 'FACEBOOK' || channel === 'INSTAGRAM') {
    return (await tx.conversation.findFirst({ where: { channel, address: from }, select: { contactId: true } }))?.contactId ?? null;
  }
  const where: Prisma.ContactWhereInput = channel === 'EMAIL' ? { email: from } : { phone: from };
  // The oldest contact with the address: duplicates are merged in the CRM, not guessed here.
  return (await tx.contact.findFirst({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } }))?.id ?? null;
}

export async function receiveMessage(scope: InboundScope, inbound: InboundMessage): Promise<Message> {
  const { tx, tenantId, events } = scope;
  const raise = <T extends EventType>(type: T, payload: EventPayloadInput<T>) => events.raise(tx, type, payload, { tenantId });
  // Arrival time, not the provider's: a retried delivery must not move the conversation
  // back in time, or slip under its last read mark.
  const at = new Date();
  // One sender's messages one at a time: two first messages at once must find one
  // contact and one conversation, not make two (or fail on the unique pair).
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`inbound:${tenantId}:${inbound.channel}:${inbound.from}`}))`;
  let contactId = await findContact(tx, inbound);
  if (!contactId) {
    const address = inbound.channel === 'EMAIL' ? { email: inbound.from } : inbound.channel === 'SMS' || inbound.channel === 'WHATSAPP' ? { phone: inbound.from } : {};
    const contact = await tx.contact.create({
      data: { userId: tenantId, firstName: inbound.name?.trim().slice(0, 100) || newContactName[inbound.channel], source: 'inbound', ...address },
    });
    contactId = contact.id;
    await raise('core.contact_created', { contactId, source: 'inbound' });
  }
  const conversation = await tx.conversation.upsert({
    where: { contactId_channel: { contactId, channel: inbound.channel } },
    create: { userId: tenantId, contactId, channel: inbound.channel, address: inbound.from, lastMessageAt: at, lastInboundAt: at },
    update: { address: inbound.from, lastMessageAt: at, lastInboundAt: at },
  });
  const message = await tx.message.create({
    data: {
      userId: tenantId,
      contactId,
      conversationId: conversation.id,
      channel: inbound.channel,
      direction: 'INBOUND',
      status: 'DELIVERED',
      content: inbound.body,
      subject: inbound.subject ?? null,
      from: inbound.from,
      to: inbound.to,
      createdAt: at,
      ...inbound.providerIds,
    },
  });
  // Chat channels take STOP / START in the message; email opts out by its unsubscribe link.
  if (inbound.channel !== 'EMAIL') {
    const keyword = consentKeyword(inbound.body);
    if (keyword) {
      const changed = await changeConsent(tx, tenantId, {
        contactId,
        channel: inbound.channel,
        doNotDisturb: keyword === 'stop',
        source: 'keyword',
        reason: `Replied ${inbound.body.trim().toUpperCase()}`,
        messageId: message.id,
      });
      // A STOP answers the last message we sent in the conversation (within a week):
      // that message's sender (a campaign) counts the unsubscribe.
      const answered = changed && keyword === 'stop'
        ? await tx.message.findFirst({
            where: { conversationId: conversation.id, direction: 'OUTBOUND', createdAt: { gte: new Date(at.getTime() - 7 * 24 * 60 * 60 * 1000) } },
            orderBy: { createdAt: 'desc' },
            select: reportedFields,
          })
        : null;
      if (answered) await raiseMessageEvents(scope, [{ message: answered, kind: 'unsubscribed', occurredAt: at }]);
    }
  }
  await raise('core.message_received', { messageId: message.id, contactId, channel: inbound.channel, body: inbound.body });
  return message;
}
