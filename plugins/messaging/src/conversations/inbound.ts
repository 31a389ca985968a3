// A message a contact sent, from any channel: it finds its contact (by phone, email, or
// the conversation of a Messenger/Instagram id), or has the CRM create one (source
// "inbound", through crm.create_contact); lands in the contact's conversation on that
// channel; applies STOP/START keywords (chat channels); and raises core.message_received,
// all in the webhook's transaction.
import { Problem, type Actions, type EventPayloadInput, type Events, type EventType, type TenantTx } from '@soshogle/core';
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
  actions: Actions;
}

const newContactName: Record<MessageChannel, string> = {
  SMS: 'SMS contact',
  WHATSAPP: 'WhatsApp contact',
  EMAIL: 'Email contact',
  FACEBOOK: 'Facebook user',
  INSTAGRAM: 'Instagram user',
  VOICE: 'Caller',
};

async function findContact(tx: TenantTx, inbound: InboundMessage): Promise<string | null> {
  const { channel, from } = inbound;
  if (channel !== 'FACEBOOK' && channel !== 'INSTAGRAM') {
    const where: Prisma.ContactWhereInput = channel === 'EMAIL' ? { email: from } : { phone: from };
    // The oldest contact with the address: duplicates are merged in the CRM, not guessed here.
    const contact = await tx.contact.findFirst({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } });
    if (contact) return contact.id;
  }
  // A Messenger/Instagram id, or an address the CRM did not keep on the contact (a short
  // code, an email it refuses): the sender is known by their conversation on the channel.
  const conversation = await tx.conversation.findFirst({ where: { channel, address: from }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { contactId: true } });
  return conversation?.contactId ?? null;
}

/**
 * The CRM adds the sender (it raises core.contact_created) under its own rules: a phone it
 * cannot read is left out, an email it refuses fails its props, and the message must not
 * be lost for it, so the contact is then made without the email.
 */
async function createContact(scope: InboundScope, inbound: InboundMessage): Promise<string> {
  const { tx, tenantId, actions } = scope;
  const { channel, from } = inbound;
  const contact = { firstName: inbound.name?.trim().slice(0, 100) || newContactName[channel], source: 'inbound' };
  const address = channel === 'EMAIL' ? { email: from } : channel === 'SMS' || channel === 'WHATSAPP' ? { phone: from } : {};
  const options = { tenantId, idempotencyKey: `inbound:${channel}:${from}` };
  try {
    return (await actions.run(tx, 'crm.create_contact', { ...contact, ...address }, options)).contact.id;
  } catch (error) {
    if (!(error instanceof Problem) || !error.errors?.some((e) => e.field === 'props.email')) throw error;
    return (await actions.run(tx, 'crm.create_contact', contact, options)).contact.id;
  }
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
  const contactId = (await findContact(tx, inbound)) ?? (await createContact(scope, inbound));
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
