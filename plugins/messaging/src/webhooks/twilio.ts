// Twilio's webhooks at each tenant's own URL: inbound SMS and WhatsApp messages, and the
// status callbacks of the messages we sent. Twilio signs every request with the account's
// auth token (X-Twilio-Signature: HMAC-SHA1 over the URL and the sorted form fields).
import { defineWebhook, tenantSql, type WebhookRequest, type WebhookVerifyContext } from '@soshogle/core';
import type { MessageStatus } from '@soshogle/db';
import twilio from 'twilio';
import { z } from 'zod';
import type { TwilioCredentials } from '../connections.ts';
import { receiveMessage } from '../conversations/inbound.ts';
import { applyStatus, statusAfter } from '../conversations/status.ts';
import { raiseMessageEvents, reportedFields, type MessageEventKind, type MessageFact } from '../message-events.ts';

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
    await applyStatus({ tx, tenantId, events }, message, { status: next, event: form.MessageStatus, kind: kindOf[form.MessageStatus], error: errorOf(form), ...(form.ErrorCode ? { data: { errorCode: form.ErrorCode } } : {}) });
  },
  // A batch of callbacks (a campaign's deliveries) as one read of the messages, one UPDATE of
  // them, one INSERT of their MessageEvents and one raiseMany: what `handle` does for each,
  // in the order they came (a late "sent" still never moves a delivered message back).
  async handleMany(requests, { tx, tenantId, events }) {
    const reports = requests.flatMap((request) => {
      const form = status.parse(formOf(request));
      const next = statusOf[form.MessageStatus];
      return next ? [{ form, next, named: new URL(request.url).searchParams.get('m') }] : [];
    });
    if (!reports.length) return;
    const select = { ...reportedFields, twilioSid: true } as const;
    const named = reports.flatMap((r) => (r.named ? [r.named] : []));
    const sids = reports.flatMap((r) => (r.named ? [] : [r.form.MessageSid]));
    const found = await tx.message.findMany({ where: { direction: 'OUTBOUND', OR: [{ id: { in: named } }, { twilioSid: { in: sids } }] }, select });
    const byId = new Map(found.map((m) => [m.id, { ...m, was: m.status, sidWas: m.twilioSid }]));
    const bySid = new Map(found.filter((m) => m.twilioSid).map((m) => [m.twilioSid!, byId.get(m.id)!]));
    const occurredAt = new Date();
    const recorded: { messageId: string; type: string; occurredAt: Date; data?: { errorCode: string } }[] = [];
    const facts: MessageFact[] = [];
    const failures = new Map<string, string>();
    for (const { form, next, named: id } of reports) {
      const message = id ? byId.get(id) : bySid.get(form.MessageSid);
      // As `handle`: a named message takes the sid if it has none yet, and only that sid after.
      if (!message || (id && message.twilioSid !== null && message.twilioSid !== form.MessageSid)) continue;
      message.twilioSid = form.MessageSid;
      const error = errorOf(form);
      recorded.push({ messageId: message.id, type: form.MessageStatus, occurredAt, ...(form.ErrorCode ? { data: { errorCode: form.ErrorCode } } : {}) });
      facts.push({ message, kind: kindOf[form.MessageStatus]!, occurredAt, error });
      const moved = statusAfter(message.status, next);
      if (moved !== message.status && moved === 'FAILED') failures.set(message.id, error ?? 'The provider reported a failure');
      message.status = moved;
    }
    if (!recorded.length) return;
    await tx.messageEvent.createMany({ data: recorded.map((r) => ({ ...r, userId: tenantId })) });
    await raiseMessageEvents({ tx, tenantId, events }, facts);
    const changed = [...byId.values()]
      .filter((m) => m.status !== m.was || m.twilioSid !== m.sidWas)
      .map((m) => ({ id: m.id, was: m.was, status: m.status, sid: m.twilioSid, error: failures.get(m.id) ?? null }));
    if (!changed.length) return;
    // Each status moves only from the one read (as `applyStatus`): a writer in between wins.
    const t = tenantSql(tenantId);
    await tx.$executeRaw(t`
      update "Message" m set
        "twilioSid" = coalesce(m."twilioSid", c.sid),
        status = case when m.status::text = c.was then c.status::"MessageStatus" else m.status end,
        error = case when m.status::text = c.was and c.error is not null then c.error else m.error end
      from json_to_recordset(${JSON.stringify(changed)}::json) as c(id text, was text, status text, sid text, error text)
      where m.id = c.id and ${t.owns('m')}`);
  },
});

const errorOf = (form: z.output<typeof status>) => (form.ErrorCode ? `Twilio error ${form.ErrorCode}${form.ErrorMessage ? `: ${form.ErrorMessage}` : ''}` : null);
