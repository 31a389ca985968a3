// SendGrid's Event Webhook: batches of delivery and engagement events for the mail we
// sent, signed with the account's ECDSA key (P-256, SHA-256 over timestamp + raw body).
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { TenantTx } from '@soshogle/core';
import { EventWebhook } from '@sendgrid/eventwebhook';
import type { MessageStatus, Prisma } from '@soshogle/db';
import { z } from 'zod';
import { changeConsent, type ConsentSource } from '../consent/service.ts';
import { applyStatus, type StatusScope } from '../conversations/status.ts';
import { reportedFields, type MessageEventKind } from '../message-events.ts';

// The helper checks no age: a captured delivery could be replayed forever without this window.
const maxAgeMs = 10 * 60 * 1000;
const maxAheadMs = 5 * 60 * 1000;

export interface SignedEvents {
  rawBody: Buffer;
  signature: unknown;
  timestamp: unknown;
  /** The account's verification key, base64 DER as SendGrid's settings show it. */
  publicKey: string;
  now?: number;
}

/** Whether the batch is signed by the key, recently. Never throws: a malformed signature or key is just false. */
export function verifyEventSignature({ rawBody, signature, timestamp, publicKey, now = Date.now() }: SignedEvents): boolean {
  if (typeof signature !== 'string' || typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return false;
  const at = Number(timestamp) * 1000;
  if (now - at > maxAgeMs || at - now > maxAheadMs) return false;
  // The helper verifies the body as a string: bytes that are not UTF-8 would be checked as what they decode to.
  if (!isUtf8(rawBody)) return false;
  try {
    const webhook = new EventWebhook();
    return webhook.verifySignature(webhook.convertPublicKeyToECDSA(publicKey), rawBody, signature, timestamp);
  } catch {
    // Not base64, not DER, not a point on the curve: a forgery or garbage, never a 500.
    return false;
  }
}

const sendgridEvent = z.looseObject({
  event: z.string().min(1).max(50),
  sg_event_id: z.string().min(1).max(200),
  sg_message_id: z.string().max(500).optional(),
  timestamp: z.number().int().positive(),
  soshogle_message_id: z.string().max(64).optional(),
  type: z.string().optional(),
  reason: z.string().optional(),
  status: z.string().optional(),
  response: z.string().optional(),
  url: z.string().optional(),
});
export type SendgridEvent = z.output<typeof sendgridEvent>;

const eventBatch = z.array(sendgridEvent).min(1);

/** The events of a verified body; throws on anything else (answered 400). */
export function parseEvents(rawBody: Buffer): SendgridEvent[] {
  return eventBatch.parse(JSON.parse(rawBody.toString('utf8')));
}

/** The same events in any order are the same delivery; each event is still applied once on its own. */
export function eventsDeliveryId(events: SendgridEvent[]): string {
  const ids = events.map((e) => e.sg_event_id).sort();
  return `events:${createHash('sha256').update(ids.join('\n')).digest('hex')}`;
}

/** The tenant's mail the event is about: by our custom arg, else by SendGrid's message id ("<x-message-id>.filter..."). */
async function messageOf(tx: TenantTx, event: SendgridEvent): Promise<{ id: string } | null> {
  const select = { id: true } as const;
  const where = { channel: 'EMAIL', direction: 'OUTBOUND' } as const;
  if (event.soshogle_message_id) {
    const byArg = await tx.message.findFirst({ where: { ...where, id: event.soshogle_message_id }, select });
    if (byArg) return byArg;
  }
  const sendgridId = event.sg_message_id?.split('.')[0];
  if (!sendgridId) return null;
  return tx.message.findFirst({ where: { ...where, sendgridId }, orderBy: { createdAt: 'asc' }, select });
}

interface Effect {
  /** Where the event moves the message; null: recorded only. */
  status: MessageStatus | null;
  /** What it means for messaging.message_event; absent: nothing to tell. */
  kind?: MessageEventKind;
  error?: string;
  consent?: { source: ConsentSource; reason: string };
}

/** What each event means for the message and the contact's consent; null: nothing to record. */
function effectOf(event: SendgridEvent): Effect | null {
  const reason = event.reason ?? event.response ?? '';
  switch (event.event) {
    case 'processed':
      return null;
    case 'delivered':
      return { status: 'DELIVERED', kind: 'delivered' };
    case 'open':
      return { status: 'READ', kind: 'opened' };
    case 'click':
      return { status: null, kind: 'clicked' };
    case 'bounce': {
      // "blocked" is a soft bounce (the receiving server refused for now): the address is fine.
      const hard = event.type !== 'blocked';
      const error = `${hard ? 'Bounced' : 'Blocked'}: ${reason || 'no reason given'}`;
      return {
        status: 'FAILED',
        kind: hard ? 'bounced' : 'failed',
        error,
        ...(hard ? { consent: { source: 'bounce', reason: `Hard bounce: ${reason || 'no reason given'}` } } : {}),
      };
    }
    case 'dropped':
      return { status: 'FAILED', kind: 'failed', error: `Dropped: ${reason || 'no reason given'}` };
    case 'spamreport':
      return { status: null, kind: 'spam_reported', consent: { source: 'spam_report', reason: 'Reported the email as spam' } };
    case 'unsubscribe':
    case 'group_unsubscribe':
      return { status: null, kind: 'unsubscribed', consent: { source: 'unsubscribe', reason: 'Unsubscribed through SendGrid' } };
    default:
      // deferred, group_resubscribe, and anything newer: kept as history.
      return { status: null };
  }
}

/** The details worth keeping, with the event id that makes each event count once. */
function dataOf(event: SendgridEvent): Prisma.InputJsonObject {
  const { sg_event_id, type, reason, status, response, url } = event;
  return {
    sgEventId: sg_event_id,
    ...(type === undefined ? {} : { bounceType: type }),
    ...(reason === undefined ? {} : { reason }),
    ...(status === undefined ? {} : { status }),
    ...(response === undefined ? {} : { response }),
    ...(url === undefined ? {} : { url }),
  };
}

/** Applies one event to the tenant's message, at most once however SendGrid batches and repeats it. */
export async function applyEvent(scope: StatusScope, event: SendgridEvent): Promise<void> {
  const { tx, tenantId } = scope;
  const effect = effectOf(event);
  if (!effect) return;
  const found = await messageOf(tx, event);
  // Another tenant's message, or one we no longer have: not found in this tenant's scope.
  if (!found) return;
  // One event at a time per message, so two deliveries carrying the same event cannot both apply it.
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`sendgrid-event:${found.id}`}))`;
  const seen = await tx.messageEvent.findFirst({ where: { messageId: found.id, data: { path: ['sgEventId'], equals: event.sg_event_id } }, select: { id: true } });
  if (seen) return;
  // Read under the lock: the status another delivery or an earlier event just set.
  const current = await tx.message.findUniqueOrThrow({ where: { id: found.id }, select: reportedFields });
  await applyStatus(scope, current, {
    status: effect.status ?? current.status,
    event: event.event,
    kind: effect.kind ?? null,
    url: event.url ?? null,
    error: effect.error ?? null,
    data: dataOf(event),
    occurredAt: new Date(event.timestamp * 1000),
  });
  if (effect.consent && current.contactId) {
    await changeConsent(tx, tenantId, { contactId: current.contactId, channel: 'EMAIL', doNotDisturb: true, ...effect.consent, messageId: current.id });
  }
}
