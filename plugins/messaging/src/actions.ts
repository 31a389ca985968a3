// Workflow steps that message the run's contact. Each queues the message in the step's
// own transaction (transactional: the step and its message commit together), keyed by
// the step's idempotency key, and the delivery job sends it: a retried step never sends
// twice. A contact who opted out, or has no address on the channel, is skipped with the
// reason rather than failing the run.
import { defineAction, PermanentFailure, type ActionContext } from '@soshogle/core';
import { z } from 'zod';
import { sendChannels, type SendChannel } from './channels.ts';
import { recordConsent } from './consent/actions.ts';
import { contactPolicy } from './consent/policy.ts';
import { recordCall } from './conversations/record-call.ts';
import { queueMessage, queueMessages, SendRefused } from './sending/service.ts';

const output = z.object({
  messageId: z.string().nullable(),
  status: z.enum(['queued', 'skipped']),
  /** Why it was skipped. */
  reason: z.string().optional(),
  /** Set when quiet hours defer the send. */
  sendAfter: z.string().nullable().optional(),
});

async function send(ctx: ActionContext<{ body: string; subject?: string; html?: string }>, channel: SendChannel) {
  if (!ctx.run.contactId) throw new PermanentFailure('This run is about no contact: there is nobody to message');
  try {
    const message = await queueMessage(
      { tx: ctx.db, tenantId: ctx.tenantId, jobs: ctx.jobs, providers: ctx.providers },
      { contactId: ctx.run.contactId, channel, body: ctx.props.body, subject: ctx.props.subject ?? null, html: ctx.props.html ?? null, idempotencyKey: ctx.idempotencyKey },
    );
    return { messageId: message.id, status: 'queued' as const, sendAfter: message.sendAfter?.toISOString() ?? null };
  } catch (error) {
    if (error instanceof SendRefused) return { messageId: null, status: 'skipped' as const, reason: error.message };
    throw error;
  }
}

const text = (max: number) => z.string().trim().min(1).max(max);

function messageAction<const N extends string>(name: N, channel: SendChannel, displayName: string, maxLength: number) {
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

const channel = z.enum(sendChannels);

/**
 * A batch of messages on one channel, for other plugins (a campaign's recipients, a
 * calendar's reminders): each goes through the same consent and quiet-hours policy as a
 * single send, keyed by its own idempotency key, in the caller's transaction. Refused ones
 * (opted out, no address, expired) come back skipped with the reason.
 */
export const queueBatch = defineAction({
  name: 'queue_messages',
  version: 1,
  displayName: 'Queue messages',
  description: 'Queues a batch of messages on one channel, each to a contact (or, for a test send, to an address).',
  internal: true,
  transactional: true,
  idempotent: true,
  props: z.object({
    channel,
    /** Marks the batch (e.g. `campaign:<id>`) so cancel_messages can stop its unsent rest. */
    sendGroup: z.string().min(1).max(200).optional(),
    messages: z
      .array(
        z.object({
          contactId: z.string().min(1).max(64).optional(),
          to: z.string().trim().min(1).max(320).optional(),
          body: text(100_000),
          subject: z.string().max(300).optional(),
          html: z.string().max(200_000).optional(),
          idempotencyKey: z.string().min(1).max(200),
          expiresAt: z.iso
            .datetime({ offset: true })
            .optional()
            .describe('Pointless after this (a reminder of an appointment that has begun): skipped as expired if quiet hours hold it until then, not sent if its delivery comes later'),
        }),
      )
      .min(1)
      .max(1000),
  }),
  output: z.object({ results: z.array(output) }),
  async run(ctx) {
    const { channel, sendGroup, messages } = ctx.props;
    const outcomes = await queueMessages(
      { tx: ctx.db, tenantId: ctx.tenantId, jobs: ctx.jobs, providers: ctx.providers },
      messages.map((m) => ({ ...m, channel, sendGroup: sendGroup ?? null, expiresAt: m.expiresAt ? new Date(m.expiresAt) : null })),
    );
    return {
      results: outcomes.map((o) =>
        o.refused
          ? { messageId: null, status: 'skipped' as const, reason: o.refused.message }
          : { messageId: o.message.id, status: 'queued' as const, sendAfter: o.message.sendAfter?.toISOString() ?? null },
      ),
    };
  },
});

/** Stops the messages of a batch that have not gone to the provider yet. */
export const cancelBatch = defineAction({
  name: 'cancel_messages',
  version: 1,
  displayName: 'Cancel queued messages',
  description: 'Cancels the messages of a send group that are still queued; those already handed to the provider go on.',
  internal: true,
  transactional: true,
  idempotent: true,
  props: z.object({ sendGroup: z.string().min(1).max(200) }),
  output: z.object({ cancelled: z.array(z.string()) }),
  async run(ctx) {
    const cancelled = await ctx.db.message.updateManyAndReturn({
      where: { sendGroup: ctx.props.sendGroup, status: 'QUEUED', providerCalled: null, direction: 'OUTBOUND' },
      data: { status: 'CANCELLED', error: 'Cancelled before it was sent' },
      select: { id: true },
    });
    return { cancelled: cancelled.map((m) => m.id) };
  },
});

export const messagingActions = [sendSms, sendWhatsapp, sendEmail, sendMessenger, sendInstagram, queueBatch, cancelBatch, recordConsent, contactPolicy, recordCall];
