// SendGrid's webhooks at each tenant's own URL: the Event Webhook (what happened to the
// mail we sent, signed with the account's ECDSA key), Inbound Parse (replies, unsigned:
// a secret token in the URL instead), and the unsubscribe link every email carries.
import { randomUUID } from 'node:crypto';
import { defineWebhook, refuse, type WebhookDefinition, type WebhookRequest, type WebhookVerifyContext } from '@soshogle/core';
import type { SendgridCredentials } from '../connections.ts';
import { changeConsent } from '../consent/service.ts';
import { receiveMessage } from '../conversations/inbound.ts';
import { applyEvent, eventsDeliveryId, parseEvents, verifyEventSignature } from '../email/events.ts';
import { inboundDeliveryId, readInboundMail } from '../email/inbound-parse.ts';
import { confirmationPage, doneAnswer, isUnsubscribeKey, unsubscribePath } from '../email/unsubscribe.ts';
import { raiseMessageEvents, reportedFields } from '../message-events.ts';
import { sameSecret } from './same-secret.ts';

const header = (request: WebhookRequest, name: string) => request.headers[name];
const queryOf = (request: WebhookRequest) => new URL(request.url).searchParams;
const accountOf = (ctx: WebhookVerifyContext) => ctx.credentials?.get<SendgridCredentials>('sendgrid') ?? null;


export const sendgridEvents = defineWebhook({
  summary: "SendGrid's Event Webhook: deliveries, opens, clicks, bounces, spam reports and unsubscribes",
  path: '/:tenant/sendgrid/events',
  async verify(request, ctx) {
    const account = await accountOf(ctx);
    if (!account) return false;
    return verifyEventSignature({
      rawBody: request.rawBody,
      signature: header(request, 'x-twilio-email-event-webhook-signature'),
      timestamp: header(request, 'x-twilio-email-event-webhook-timestamp'),
      publicKey: account.eventWebhookKey,
    });
  },
  deliveryId: (request) => eventsDeliveryId(parseEvents(request.rawBody)),
  async handle(request, { tx, tenantId, events }) {
    // In order within the batch; each event is applied at most once, whatever batch it came in.
    for (const event of parseEvents(request.rawBody)) await applyEvent({ tx, tenantId, events }, event);
  },
});

export const sendgridInbound = defineWebhook({
  summary: "SendGrid's Inbound Parse: replies to our emails",
  path: '/:tenant/sendgrid/inbound',
  async verify(request, ctx) {
    const account = await accountOf(ctx);
    const token = queryOf(request).get('token');
    return Boolean(account && token && sameSecret(token, account.inboundToken));
  },
  // Inbound Parse posts the whole mail, attachments included, up to 30 MB.
  maxBytes: 35 * 1024 * 1024,
  async deliveryId(request) {
    const contentType = String(header(request, 'content-type') ?? '');
    const id = inboundDeliveryId(request.rawBody, contentType);
    // Read whole before the answer: a form the strict parser refuses is the sender's fault, a 400 now.
    await readInboundMail(request.rawBody, contentType).catch(() => {
      throw refuse(400, 'Malformed webhook body: not a readable multipart form');
    });
    return id;
  },
  async handle(request, { tx, tenantId, events, actions }) {
    const mail = await readInboundMail(request.rawBody, String(header(request, 'content-type') ?? ''));
    if (!mail) return;
    await receiveMessage(
      { tx, tenantId, events, actions },
      { channel: 'EMAIL', from: mail.from.address, to: mail.to, body: mail.body, subject: mail.subject || null, name: mail.from.name, providerIds: {} },
    );
  },
});

export const emailUnsubscribe = defineWebhook({
  summary: 'The unsubscribe link of our emails: GET shows a page that asks, POST (the page, or one-click List-Unsubscribe) unsubscribes',
  path: '/:tenant/email/unsubscribe',
  // The link opens a page that asks; only its POST unsubscribes (scanners and previews GET links).
  handshake(query, ctx) {
    const key = query.get('key');
    if (!isUnsubscribeKey(key) || !ctx.tenantId) return null;
    return { type: 'text/html', body: confirmationPage(ctx.publicUrl(unsubscribePath(ctx.tenantId, key))) };
  },
  // The key is the secret: there is no signature, only a key we may have made.
  verify: (request) => isUnsubscribeKey(queryOf(request).get('key')),
  // Every click counts: after a person was subscribed again, the same link must work
  // again (changeConsent ignores a repeat of the state it already has).
  deliveryId: () => `unsubscribe:${randomUUID()}`,
  reply: doneAnswer,
  async handle(request, { tx, tenantId, events }) {
    const key = queryOf(request).get('key')!;
    // Only this tenant's mail: a key of another tenant's finds nothing here.
    const message = await tx.message.findFirst({ where: { unsubscribeKey: key, channel: 'EMAIL' }, select: { ...reportedFields, subject: true } });
    if (!message?.contactId) return;
    await raiseMessageEvents({ tx, tenantId, events }, [{ message, kind: 'unsubscribed' }]);
    await changeConsent(tx, tenantId, {
      contactId: message.contactId,
      channel: 'EMAIL',
      doNotDisturb: true,
      source: 'unsubscribe_link',
      reason: `Clicked the unsubscribe link in "${message.subject ?? ''}"`,
      messageId: message.id,
    });
  },
});

export const sendgridWebhooks: WebhookDefinition[] = [sendgridEvents, sendgridInbound, emailUnsubscribe];
