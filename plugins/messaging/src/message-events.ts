// What happened to a message we sent, as one event other plugins and workflows listen to:
// a campaign counts its deliveries, opens and clicks from it; a workflow can follow up
// on an opened email. Raised where each fact is learnt: the delivery job (sent, failed)
// and the providers' webhooks (delivered, opened, clicked, bounced, unsubscribed).
import { defineTrigger, type Events, type TenantTx } from '@soshogle/core';
import { MessageChannel, type Message } from '@soshogle/db';
import { z } from 'zod';
import { sendChannels } from './channels.ts';

export const messageEventKinds = ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'failed', 'unsubscribed', 'spam_reported'] as const;
export type MessageEventKind = (typeof messageEventKinds)[number];

const channels = z.enum(sendChannels);

export const messageEvent = defineTrigger({
  name: 'message_event',
  displayName: 'Message sent, delivered, opened, clicked, bounced or failed',
  description: 'A message we sent was accepted by the provider, delivered, opened (or read), clicked, bounced or failed, or its recipient unsubscribed or reported it as spam.',
  payload: z.object({
    messageId: z.string(),
    contactId: z.string().nullable(),
    // Any channel a message row can have; only sent channels ever raise it.
    channel: z.enum(MessageChannel),
    kind: z.enum(messageEventKinds),
    occurredAt: z.iso.datetime(),
    /** The batch the message was queued in (e.g. `campaign:<id>`), if any. */
    sendGroup: z.string().nullable(),
    /** The link clicked. */
    url: z.string().optional(),
    /** Why it failed or bounced. */
    error: z.string().optional(),
  }),
  filter: z.object({
    kinds: z.array(z.enum(messageEventKinds)).optional().describe('Which events (any, when empty)'),
    channel: channels.optional().describe('Only this channel'),
  }),
  matches: (filter, payload) => (!filter.kinds?.length || filter.kinds.includes(payload.kind)) && (!filter.channel || filter.channel === payload.channel),
});

export type ReportedMessage = Pick<Message, 'id' | 'contactId' | 'channel' | 'sendGroup'>;

export interface MessageFact {
  message: ReportedMessage;
  kind: MessageEventKind;
  occurredAt?: Date;
  url?: string | null;
  error?: string | null;
}

/** Raises one `messaging.message_event` per fact, in the caller's transaction. */
export async function raiseMessageEvents(scope: { tx: TenantTx; tenantId: string; events: Events }, facts: MessageFact[]): Promise<void> {
  if (!facts.length) return;
  const now = new Date();
  const payloads = facts.map(({ message, kind, occurredAt, url, error }) => ({
    messageId: message.id,
    contactId: message.contactId,
    channel: message.channel,
    kind,
    occurredAt: (occurredAt ?? now).toISOString(),
    sendGroup: message.sendGroup,
    ...(url ? { url } : {}),
    ...(error ? { error } : {}),
  }));
  await scope.events.raiseMany(scope.tx, 'messaging.message_event', payloads, { tenantId: scope.tenantId });
}

/** Every column a fact needs, for the lookups that find the message. */
export const reportedFields = { id: true, status: true, contactId: true, channel: true, sendGroup: true } as const;
