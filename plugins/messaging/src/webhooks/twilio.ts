// Twilio's webhooks at each tenant's own URL: inbound SMS and WhatsApp messages, and the
// status callbacks of the messages we sent. Twilio signs every request with the account's
// auth token (X-Twilio-Signature: HMAC-SHA1 over the URL and the sorted form fields).
import { defineWebhook, type WebhookRequest, type WebhookVerifyContext } from '@soshogle/core';
import type { MessageStatus } from '@soshogle/db';
import twilio from 'twilio';
import { z } from 'zod';
import type { TwilioCredentials } from '../connections.ts';
import { receiveMessage } from '../conversations/inbound.ts';
import { applyStatus } from '../conversations/status.ts';
import { reportedFields, type MessageEventKind } from '../message-events.ts';

const formOf = (request: WebhookRequest) => Object.fromEntries(new URLSearchParams(request.rawBody.toString('utf8')));

async function verifyTwilio(request: WebhookRequest, { credentials }: WebhookVerifyContext): Promise<boolean> {
  const account = await credentials?.get<TwilioCredentials>('twilio');
  const signature = request.headers['x-twilio-signature'];
  if (!account || typeof signature !== 'string') return false;
  // The form fields are what Twilio signs, so reading them is part of checking the signature.
  const form = formOf(request);
  return twilio.validateRequest(account.authToken, signature, request.url, form) && form.AccountSid === account.accountSid;
}

const sid = z.string().regex(/^(SM|MM|IM)[0-9a-f]{32}$/);
const inbound = z.object({ MessageSid: sid, From: z.string().min(1), To: z.string().min(1), Body: z.string().default(''), ProfileName: z.string().optional() });
const status = z.object({ MessageSid: sid, MessageStatus: z.string().min(1), ErrorCode: z.string().optional(), ErrorMessage: z.string().optional() });

// Twilio's statuses as ours; queued, accepted, sending and scheduled say nothing new.
const statusOf: Record<string, MessageStatus> = { sent: 'SENT', delivered: 'DELIVERED', read: 'READ', undelivered: 'FAILED', failed: 'FAILED' };
const kindOf: Record<string, MessageEventKind> = { sent: 'sent', delivered: 'delivered', read: 'opened', undelivered: 'failed', failed: 'failed' };

/** An empty TwiML answer: "received, reply nothing". */
const twiml = { type: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' };

export const twilioInbound = defineWebhook({
  summary: "Twilio's incoming SMS and WhatsApp messages",
  path: '/:tenant/twilio/inbound',
  verify: verifyTwilio,
  deliveryId: (request) => inbound.parse(formOf(request)).MessageSid,
  reply: twiml,
  async handle(request, { tx, tenantId, events, actions, credentials }) {
    const form = inbound.parse(formOf(request));
    const whatsapp = form.From.startsWith('whatsapp:');
    const strip = (address: string) => address.replace(/^whatsapp:/, '');
    // Only messages to this tenant's own numbers: an account shared by several tenants
    // cannot point one tenant's number at another's URL.
    const account = await credentials.get<TwilioCredentials>('twilio', { tx });
    if (!account || ![account.smsFrom, account.whatsappFrom].includes(strip(form.To))) return;
    await receiveMessage(
      { tx, tenantId, events, actions },
      {
        channel: whatsapp ? 'WHATSAPP' : 'SMS',
        from: strip(form.From),
        to: strip(form.To),
        body: form.Body,
        name: form.ProfileName ?? null,
        providerIds: { twilioSid: form.MessageSid },
      },
    );
  },
});

export const twilioStatus = defineWebhook({
  summary: "Twilio's SMS and WhatsApp status callbacks (sent, delivered, read, failed)",
  path: '/:tenant/twilio/status',
  verify: verifyTwilio,
  deliveryId: (request) => {
    const form = status.parse(formOf(request));
    return `${form.MessageSid}:${form.MessageStatus}`;
  },
  async handle(request, { tx, tenantId, events }) {
    const form = status.parse(formOf(request));
    const next = statusOf[form.MessageStatus];
    // Only this tenant's messages: another tenant's sid or id finds nothing here. The
    // callback URL names the message (?m=), since it may come before the sid is stored.
    const named = new URL(request.url).searchParams.get('m');
    const select = { ...reportedFields, twilioSid: true } as const;
    const found = named
      ? await tx.message.findFirst({ where: { id: named, direction: 'OUTBOUND', OR: [{ twilioSid: form.MessageSid }, { twilioSid: null }] }, select })
      : await tx.message.findFirst({ where: { twilioSid: form.MessageSid, direction: 'OUTBOUND' }, select });
    if (!found || !next) return;
    if (!found.twilioSid) await tx.message.update({ where: { id: found.id }, data: { twilioSid: form.MessageSid } });
    const message = found;
    const error = form.ErrorCode ? `Twilio error ${form.ErrorCode}${form.ErrorMessage ? `: ${form.ErrorMessage}` : ''}` : null;
    await applyStatus({ tx, tenantId, events }, message, { status: next, event: form.MessageStatus, kind: kindOf[form.MessageStatus], error, ...(form.ErrorCode ? { data: { errorCode: form.ErrorCode } } : {}) });
  },
});
