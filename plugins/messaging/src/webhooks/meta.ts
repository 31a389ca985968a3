// Meta's webhook for Facebook Messenger and Instagram, at each tenant's own URL (both
// products deliver to the one callback of the tenant's app). Meta signs the raw body with
// the app secret (X-Hub-Signature-256) and answers its subscription check with a GET.
// A delivery batches events: messages from users, echoes of our own sends, delivery and
// read receipts. Meta re-sends, sometimes re-batched, so messages are also deduplicated
// by their mid, not only by the delivery.
import { createHash } from 'node:crypto';
import { defineWebhook, type WebhookRequest, type WebhookVerifyContext } from '@soshogle/core';
import type { MessageChannel, MessageStatus } from '@soshogle/db';
import { z } from 'zod';
import type { MetaCredentials } from '../connections.ts';
import { receiveMessage, type InboundScope } from '../conversations/inbound.ts';
import { applyStatus } from '../conversations/status.ts';
import { reportedFields } from '../message-events.ts';
import { verifyMetaSignature } from '../providers/meta-client.ts';
import { sameSecret } from './same-secret.ts';

const participant = z.object({ id: z.string().min(1).optional() });

const messagingEvent = z
  .object({
    sender: participant.optional(),
    recipient: participant.optional(),
    timestamp: z.number().int().nonnegative().optional(),
    message: z.object({ mid: z.string().min(1), text: z.string().optional(), is_echo: z.boolean().optional(), is_deleted: z.boolean().optional() }).optional(),
    delivery: z.object({ mids: z.array(z.string().min(1)).optional(), watermark: z.number().int().nonnegative().optional() }).optional(),
    // Messenger reports reads with a watermark; Instagram with the mid of the message seen.
    read: z.object({ watermark: z.number().int().nonnegative().optional(), mid: z.string().min(1).optional() }).optional(),
  })
  // Other events (postbacks, reactions, opt-ins with a user_ref) are acknowledged and ignored,
  // so only the ones we act on must name who and when.
  .refine((e) => !(e.message || e.delivery || e.read) || (e.sender?.id && e.recipient?.id && e.timestamp !== undefined), {
    message: 'A message, delivery or read event names its sender, recipient and timestamp',
  });
type MessagingEvent = z.output<typeof messagingEvent>;

const delivery = z.object({
  object: z.enum(['page', 'instagram']),
  entry: z.array(z.object({ id: z.string().min(1), messaging: z.array(messagingEvent).default([]) })).min(1),
});
type Delivery = z.output<typeof delivery>;

const channelOf: Record<Delivery['object'], MessageChannel> = { page: 'FACEBOOK', instagram: 'INSTAGRAM' };

const parseDelivery = (request: WebhookRequest): Delivery => delivery.parse(JSON.parse(request.rawBody.toString('utf8')));
const eventsOf = (body: Delivery): MessagingEvent[] => body.entry.flatMap((entry) => entry.messaging);


async function verifyMeta(request: WebhookRequest, { credentials }: WebhookVerifyContext): Promise<boolean> {
  const account = await credentials?.get<MetaCredentials>('meta');
  const signature = request.headers['x-hub-signature-256'];
  if (!account || typeof signature !== 'string') return false;
  return verifyMetaSignature(account.appSecret, request.rawBody, signature);
}

/** What makes a delivery what it is: its message ids and receipts, however Meta batches them. */
function deliveryKeys(body: Delivery): string[] {
  const keys = eventsOf(body).flatMap((event) => {
    const who = event.sender?.id ?? '';
    if (event.message) return [`message:${event.message.mid}`];
    if (event.delivery) return event.delivery.mids?.length ? event.delivery.mids.map((mid) => `delivered:${mid}`) : [`delivered:${who}:${event.delivery.watermark ?? ''}`];
    if (event.read) return [event.read.mid ? `read:${event.read.mid}` : `read:${who}:${event.read.watermark ?? ''}`];
    return [];
  });
  return [...new Set(keys)].sort().map((key) => `${body.object}:${key}`);
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * Serialises deliveries that carry the same mids for a tenant, so "already stored?" cannot
 * race (Message.metaMid is not unique). Locked in one order, so they cannot deadlock.
 */
async function lockMids(scope: InboundScope, body: Delivery): Promise<void> {
  const mids = new Set(eventsOf(body).flatMap((event) => (event.message ? [event.message.mid] : [])));
  for (const mid of [...mids].sort()) await scope.tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`meta:${scope.tenantId}:${mid}`}))`;
}

async function receive(scope: InboundScope, channel: MessageChannel, event: MessagingEvent): Promise<void> {
  const message = event.message!;
  // An echo is our own page's message sent back to us; a deletion notice repeats a mid we hold.
  if (message.is_echo || message.is_deleted) return;
  if (await scope.tx.message.findFirst({ where: { metaMid: message.mid }, select: { id: true } })) return;
  await receiveMessage(scope, {
    channel,
    from: event.sender!.id!,
    to: event.recipient!.id!,
    body: message.text ?? '[attachment]',
    providerIds: { metaMid: message.mid },
  });
}

/** This tenant's conversation with the person (scoped: another tenant's PSID finds nothing). */
const conversationWith = (scope: InboundScope, channel: MessageChannel, address: string) =>
  scope.tx.conversation.findFirst({ where: { channel, address }, select: { id: true } });

/** This tenant's outbound messages sent to the person up to `until`, among those still in `below`. */
async function sentUntil(scope: InboundScope, channel: MessageChannel, address: string, until: Date, below: MessageStatus[]) {
  const conversation = await conversationWith(scope, channel, address);
  if (!conversation) return [];
  // providerCalled is set just before the Send API call, so it is never later than Meta's own send time.
  return scope.tx.message.findMany({
    where: { conversationId: conversation.id, direction: 'OUTBOUND', status: { in: below }, providerCalled: { lte: until } },
    select: reportedFields,
  });
}

async function markDelivered(scope: InboundScope, channel: MessageChannel, event: MessagingEvent): Promise<void> {
  const { mids, watermark } = event.delivery!;
  const at = new Date(event.timestamp!);
  const messages = mids?.length
    ? await scope.tx.message.findMany({ where: { channel, direction: 'OUTBOUND', metaMid: { in: mids } }, select: reportedFields })
    : watermark === undefined
      ? []
      : await sentUntil(scope, channel, event.sender!.id!, new Date(watermark), ['SENT']);
  for (const message of messages) await applyStatus(scope, message, { status: 'DELIVERED', event: 'delivered', kind: 'delivered', occurredAt: at });
}

async function markRead(scope: InboundScope, channel: MessageChannel, event: MessagingEvent): Promise<void> {
  const { mid, watermark } = event.read!;
  // Instagram names the last message seen: everything we sent up to it was read.
  const seen = mid ? await scope.tx.message.findFirst({ where: { channel, direction: 'OUTBOUND', metaMid: mid }, select: { providerCalled: true } }) : null;
  const until = seen?.providerCalled ?? (watermark === undefined ? null : new Date(watermark));
  if (!until) return;
  const messages = await sentUntil(scope, channel, event.sender!.id!, until, ['SENT', 'DELIVERED']);
  const at = new Date(event.timestamp!);
  for (const message of messages) await applyStatus(scope, message, { status: 'READ', event: 'read', kind: 'opened', occurredAt: at });
}

async function handleEvent(scope: InboundScope, channel: MessageChannel, event: MessagingEvent): Promise<void> {
  if (event.message) return receive(scope, channel, event);
  if (event.delivery) return markDelivered(scope, channel, event);
  if (event.read) return markRead(scope, channel, event);
}

export const metaInbound = defineWebhook({
  summary: "Meta's Messenger and Instagram webhook: incoming messages, deliveries and reads (GET: the subscription handshake)",
  path: '/:tenant/meta',
  verify: verifyMeta,
  // Malformed JSON or an object other than page/instagram throws here: the core answers 400.
  deliveryId(request) {
    const keys = deliveryKeys(parseDelivery(request));
    // Nothing we act on (postbacks, reactions): the bytes themselves tell deliveries apart.
    return sha256(keys.length ? keys.join('\n') : request.rawBody);
  },
  async handshake(query, { credentials }) {
    const account = await credentials?.get<MetaCredentials>('meta');
    const challenge = query.get('hub.challenge');
    if (!account || query.get('hub.mode') !== 'subscribe' || !challenge) return null;
    return sameSecret(query.get('hub.verify_token') ?? '', account.verifyToken) ? challenge : null;
  },
  async handle(request, { tx, tenantId, events, actions }) {
    const body = parseDelivery(request);
    const scope: InboundScope = { tx, tenantId, events, actions };
    const channel = channelOf[body.object];
    await lockMids(scope, body);
    for (const event of eventsOf(body)) await handleEvent(scope, channel, event);
  },
});

export const metaWebhooks = [metaInbound];
