// Workflow steps that message the run's contact. Each queues the message in the step's
// own transaction (transactional: the step and its message commit together), keyed by
// the step's idempotency key, and the delivery job sends it: a retried step never sends
// twice. A contact who opted out, or has no address on the channel, is skipped with the
// reason rather than failing the run.
import { defineAction, PermanentFailure, type ActionContext } from '@soshogle/core';
import type { MessageChannel } from '@soshogle/db';
import { z } from 'zod';
import { queueMessage, SendRefused } from './sending/service.ts';

const output = z.object({
  messageId: z.string().nullable(),
  status: z.enum(['queued', 'skipped']),
  /** Why it was skipped. */
  reason: z.string().optional(),
  /** Set when quiet hours defer the send. */
  sendAfter: z.string().nullable().optional(),
});

async function send(ctx: ActionContext<{ body: string; subject?: string; html?: string }>, channel: MessageChannel) {
  if (!ctx.run.contactId) throw new PermanentFailure('This run is about no contact: there is nobody to message');
  try {
    const message = await queueMessage(
      { tx: ctx.db, tenantId: ctx.tenantId, jobs: ctx.jobs, credentials: ctx.credentials },
      { contactId: ctx.run.contactId, channel, body: ctx.props.body, subject: ctx.props.subject ?? null, html: ctx.props.html ?? null, idempotencyKey: ctx.idempotencyKey },
    );
    return { messageId: message.id, status: 'queued' as const, sendAfter: message.sendAfter?.toISOString() ?? null };
  } catch (error) {
    if (error instanceof SendRefused) return { messageId: null, status: 'skipped' as const, reason: error.message };
    throw error;
  }
}

const text = (max: number) => z.string().trim().min(1).max(max);

function messageAction(name: string, channel: MessageChannel, displayName: string, maxLength: number) {
  return defineAction({
    name,
    version: 1,
    displayName,
    description: `Sends the run's contact a ${displayName.replace(/^Send (an? )?/i, '')}. Templates such as {{ contact.firstName }} are filled in.`,
    props: z.object({ body: text(maxLength).describe('The message') }),
    output,
    idempotent: true,
    transactional: true,
    describe: (props) => `Send ${channel.toLowerCase()}: "${props.body.slice(0, 80)}"`,
    run: (ctx) => send(ctx, channel),
  });
}

export const sendSms = messageAction('send_sms', 'SMS', 'Send an SMS', 1600);
export const sendWhatsapp = messageAction('send_whatsapp', 'WHATSAPP', 'Send a WhatsApp message', 4096);
export const sendMessenger = messageAction('send_messenger', 'FACEBOOK', 'Send a Facebook message', 2000);
export const sendInstagram = messageAction('send_instagram', 'INSTAGRAM', 'Send an Instagram message', 1000);

export const sendEmail = defineAction({
  name: 'send_email',
  version: 1,
  displayName: 'Send an email',
  description: "Sends the run's contact an email, with an unsubscribe link. Templates such as {{ contact.firstName }} are filled in.",
  props: z.object({
    subject: text(300).describe('Subject'),
    body: text(100_000).describe('Text body'),
    html: z.string().max(200_000).optional().describe('HTML body (optional)'),
  }),
  output,
  idempotent: true,
  transactional: true,
  describe: (props) => `Send email "${props.subject.slice(0, 80)}"`,
  run: (ctx) => send(ctx, 'EMAIL'),
});

export const messagingActions = [sendSms, sendWhatsapp, sendEmail, sendMessenger, sendInstagram];
