// The delivery job: one queued message to its provider, at most once.
//
// - The message is claimed (providerCalled set and committed) before the provider is
//   called: a second worker, or a retry, finds it claimed and sends nothing.
// - A claimed message with no provider id after a crash or a timeout has an unknown
//   outcome: it is flagged for review, never re-sent (the contact may have it already).
// - A provider answer that says it was not sent (429, 5xx) releases the claim and the job
//   retries; a 429 also holds the tenant's sends to that provider for its Retry-After.
// - Consent is checked again at send time: a STOP during quiet hours wins.
import { setTimeout as sleep } from 'node:timers/promises';
import { defineJob, type JobContext } from '@soshogle/core';
import type { MessageChannel } from '@soshogle/db';
import { z } from 'zod';
import { providerOf, type Provider } from '../channels.ts';
import { messagingConfig, type MessagingConfig } from '../config.ts';
import type { ProviderCredentials } from '../connections.ts';
import { changeConsent, doNotDisturb } from '../consent/service.ts';
import { isProviderError, type ProviderError } from '../providers/errors.ts';
import { sendThroughMeta, sendThroughSendgrid, sendThroughTwilio, type SendContext } from './providers.ts';
import { sendableFor } from './service.ts';
import { defaultRates, heldUntil, holdSends, reserveSlot } from './throttle.ts';

const payload = z.object({
  messageId: z.string().min(1),
  /** A send slot this job already holds (it was rescheduled to it). */
  slot: z.iso.datetime().optional(),
});

const day = 24 * 60 * 60 * 1000;
/** How late a job may start its slot before it takes a new one. */
const slotTolerance = 50;
/** Slots nearer than this are slept to; farther ones are rescheduled. */
const maxSleep = 3000;
const comeBackEarly = 2500;

/** The tenant's sends per second for a provider. */
async function rateOf(ctx: JobContext<MessagingConfig>, provider: Provider): Promise<number> {
  const settings = await ctx.db.messagingSettings.findFirst({ select: { sendRates: true } });
  const rate = (settings?.sendRates as Record<string, unknown> | null)?.[provider];
  return typeof rate === 'number' && rate > 0 ? rate : defaultRates[provider];
}

async function send(ctx: JobContext<MessagingConfig>, channel: MessageChannel, outgoing: Parameters<typeof sendThroughTwilio>[2]) {
  const provider = providerOf[channel];
  const sendCtx: SendContext = { tenantId: ctx.tenantId, config: ctx.config, publicUrl: ctx.publicUrl };
  const account = await ctx.credentials.get<ProviderCredentials[typeof provider]>(provider);
  if (!account) return null;
  if (provider === 'twilio') return sendThroughTwilio(sendCtx, account as ProviderCredentials['twilio'], outgoing);
  if (provider === 'sendgrid') return sendThroughSendgrid(sendCtx, account as ProviderCredentials['sendgrid'], outgoing);
  return sendThroughMeta(sendCtx, account as ProviderCredentials['meta'], outgoing);
}

/**
 * Whether a failure means the provider certainly did not take the message: a refused
 * connection, a 4xx (throttling), or 503 (not serving). Other 5xx answers (a gateway 504)
 * can come after the provider took it: those are flagged, not sent again.
 */
const notTaken = (error: ProviderError) =>
  error.status === null ? error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND' : error.status < 500 || error.status === 503;

const optedOut = (channel: MessageChannel) => `Not sent: the contact asked not to be messaged by ${channel.toLowerCase()}`;

export const deliver = defineJob({
  name: 'deliver',
  config: messagingConfig,
  payload,
  maxAttempts: 12,
  async run(ctx, { messageId, slot }) {
    const { db, tenantId } = ctx;
    const message = await db.message.findUnique({ where: { id: messageId }, include: { conversation: { select: { lastInboundAt: true } } } });
    if (!message || message.direction !== 'OUTBOUND' || message.status !== 'QUEUED' || message.needsReview) return;
    const fail = (error: string) => db.message.update({ where: { id: messageId }, data: { status: 'FAILED', error } });
    const later = (runAt: Date, heldSlot?: Date) =>
      db.$transaction((tx) => ctx.jobs.enqueue(tx, 'messaging.deliver', { messageId, ...(heldSlot ? { slot: heldSlot.toISOString() } : {}) }, { tenantId, runAt }));
    if (message.providerCalled) {
      await db.message.update({
        where: { id: messageId },
        data: { needsReview: true, error: 'The provider was called but its answer was never recorded (a crash or a timeout): not sent again. Check with the provider.' },
      });
      return;
    }
    if (message.sandbox) {
      if (message.contactId && (await doNotDisturb(db, message.contactId, message.channel))) return void (await fail(optedOut(message.channel)));
      await db.message.update({ where: { id: messageId }, data: { status: 'SENT', from: 'sandbox' } });
      return;
    }
    const provider = providerOf[message.channel];
    const reserve = async () => reserveSlot(db, tenantId, provider, await rateOf(ctx, provider));
    let at = slot ? new Date(slot) : await reserve();
    // Came too late for its slot (the queue was busy): sending now could crowd the next
    // slot's message, so take a new one.
    if (slot && Date.now() - at.getTime() > slotTolerance) at = await reserve();
    const wait = at.getTime() - Date.now();
    if (wait > maxSleep) {
      // A far slot: free the worker and come back a little early (the queue may start a
      // scheduled job up to its poll interval late), then sleep to the slot.
      await later(new Date(at.getTime() - comeBackEarly), at);
      return;
    }
    if (wait > 0) await sleep(wait);
    // A 429 since the slot was taken holds this send too: a new slot after the hold.
    const held = await heldUntil(db, provider);
    if (held) {
      const next = await reserve();
      await later(new Date(Math.max(next.getTime() - comeBackEarly, held.getTime())), next);
      return;
    }
    // Checked at the moment of sending: a STOP that came meanwhile wins, and a send that
    // rate limits or retries pushed into quiet hours waits for their end.
    if (message.contactId && (await doNotDisturb(db, message.contactId, message.channel))) return void (await fail(optedOut(message.channel)));
    const contact = message.contactId ? await db.contact.findUnique({ where: { id: message.contactId }, select: { customFields: true } }) : null;
    const allowed = contact ? await sendableFor(db, tenantId, contact.customFields) : new Date();
    if (allowed.getTime() > Date.now()) {
      await db.message.update({ where: { id: messageId }, data: { sendAfter: allowed } });
      await later(allowed);
      return;
    }
    const claimed = await db.message.updateMany({ where: { id: messageId, status: 'QUEUED', providerCalled: null }, data: { providerCalled: new Date() } });
    if (claimed.count !== 1) return;
    const sessionOpen = Boolean(message.conversation?.lastInboundAt && Date.now() - message.conversation.lastInboundAt.getTime() < day);
    try {
      const sent = await send(ctx, message.channel, { ...message, sessionOpen });
      if (!sent) return void (await fail(`Not sent: the ${provider} connection was removed`));
      // A status webhook may have landed while the provider answered (SendGrid finds the
      // message by its own id): keep a newer status, record the provider's id either way.
      const moved = await db.message.updateMany({ where: { id: messageId, status: 'QUEUED' }, data: { ...sent, status: 'SENT', error: null } });
      if (!moved.count) await db.message.update({ where: { id: messageId }, data: sent });
    } catch (error) {
      if (!isProviderError(error)) {
        await db.message.update({ where: { id: messageId }, data: { needsReview: true, error: `Unknown outcome: ${(error as Error).message}` } });
        throw error;
      }
      const reason = `${error.message}${error.code ? ` (${provider} error ${error.code})` : ''}`;
      if (!error.retryable) {
        await db.$transaction(async (tx) => {
          await tx.message.update({ where: { id: messageId }, data: { status: 'FAILED', error: reason } });
          // The carrier says the person opted out (they texted STOP to our number): record
          // it with the failure, so the next send is refused here instead of at Twilio.
          if (provider === 'twilio' && error.code === '21610' && message.contactId) {
            await changeConsent(tx, tenantId, {
              contactId: message.contactId,
              channel: message.channel,
              doNotDisturb: true,
              source: 'unsubscribe',
              reason: 'Twilio: the recipient unsubscribed (error 21610)',
              messageId,
            });
          }
        });
        return;
      }
      if (!notTaken(error)) {
        await db.message.update({ where: { id: messageId }, data: { needsReview: true, error: `Unknown outcome: ${reason}` } });
        return;
      }
      // Throttled with a stated wait (Retry-After, Meta's usage header): hold the tenant's
      // sends to that provider that long and come back then, without using up an attempt.
      if (error.retryAfterSeconds !== undefined || error.status === 429) {
        const seconds = error.retryAfterSeconds ?? 30;
        await db.message.update({ where: { id: messageId }, data: { providerCalled: null, error: reason } });
        await holdSends(db, tenantId, provider, seconds);
        await later(new Date(Date.now() + seconds * 1000));
        return;
      }
      // The last attempt: say so on the message instead of leaving it queued for ever.
      if (ctx.attempt >= ctx.maxAttempts) return void (await db.message.update({ where: { id: messageId }, data: { status: 'FAILED', providerCalled: null, error: `Gave up after ${ctx.attempt} attempts: ${reason}` } }));
      await db.message.update({ where: { id: messageId }, data: { providerCalled: null, error: reason } });
      // Throttled without a stated wait (Meta's 613 is a retryable 4xx): hold the others
      // briefly and retry on the queue's growing backoff.
      if (error.status !== null && error.status < 500) await holdSends(db, tenantId, provider, 5);
      throw error;
    }
  },
});
