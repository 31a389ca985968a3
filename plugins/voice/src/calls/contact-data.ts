// Voice's part of a contact's data export and erasure: the contact's calls with their
// transcripts, summaries and collected data. Erasure keeps each call's row for the call
// log's counts (direction, status, duration, times) and clears what is the person's: their
// number, the transcript, summary, collected data and recording. The conversations (with
// their audio) made at ElevenLabs are deleted there by a job, through the tenant's key.
import { defineContactData, defineJob, type ProviderRecordErasure } from '@soshogle/core';
import { z } from 'zod';
import { voiceConfig } from '../config.ts';
import { elevenlabsAccount } from '../connection.ts';
import { elevenlabsClient, voiceFailure } from '../elevenlabs.ts';

export const contactData = defineContactData({
  name: 'calls',
  async export({ db }, contactId) {
    const calls = await db.call.findMany({
      where: { contactId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: {
        id: true, direction: true, from: true, to: true, status: true, duration: true, transcript: true, summary: true, outcome: true,
        collectedData: true, conversationId: true, callSid: true, startedAt: true, endedAt: true, createdAt: true,
      },
    });
    return { calls };
  },
  async erase(ctx, contactId, tx) {
    const calls = await tx.call.findMany({ where: { contactId }, select: { id: true, direction: true, conversationId: true, callSid: true, sandbox: true } });
    // The contact's side of the line: the caller of an inbound call, the one called of an outbound one.
    const inbound = calls.filter((c) => c.direction === 'INBOUND').map((c) => c.id);
    const outbound = calls.filter((c) => c.direction !== 'INBOUND').map((c) => c.id);
    const scrub = { contactId: null, transcript: [], summary: null, collectedData: {}, recordingUrl: null, error: null };
    await tx.call.updateMany({ where: { id: { in: inbound } }, data: { ...scrub, from: '' } });
    await tx.call.updateMany({ where: { id: { in: outbound } }, data: { ...scrub, to: '' } });
    const conversationIds = calls.filter((c) => !c.sandbox && c.conversationId).map((c) => c.conversationId!);
    if (conversationIds.length) await ctx.jobs.enqueue(tx, 'voice.delete_conversations', { conversationIds }, { tenantId: ctx.tenantId });
    const twilioCalls = calls.filter((c) => !c.sandbox && c.callSid).length;
    const providers: ProviderRecordErasure[] = [];
    if (conversationIds.length) providers.push({ provider: 'elevenlabs', record: 'conversation', count: conversationIds.length, outcome: 'delete_queued' });
    if (twilioCalls) {
      providers.push({
        provider: 'twilio',
        record: 'call log',
        count: twilioCalls,
        outcome: 'not_possible',
        reason: "The calls ran on the business's Twilio account through ElevenLabs: Soshogle holds no Twilio key to delete them; remove them in Twilio's console if needed",
      });
    }
    return { erased: { callsAnonymised: calls.length }, kept: ['calls: direction, status, duration and times, for the call log'], providers };
  },
});

/** Deletes conversations (transcript and audio) at ElevenLabs; one already gone counts as deleted. */
export const deleteConversations = defineJob({
  name: 'delete_conversations',
  config: voiceConfig,
  payload: z.object({ conversationIds: z.array(z.string().min(1)).min(1) }),
  async run(ctx, { conversationIds }) {
    const account = await elevenlabsAccount(ctx);
    if (!account) {
      // Disconnected since: nothing can reach those conversations any more.
      ctx.log.warn({ count: conversationIds.length }, 'ElevenLabs is not connected: erased conversations not deleted there');
      return;
    }
    const client = elevenlabsClient(ctx.config, account);
    for (const id of conversationIds) {
      await client.conversationalAi.conversations.delete(id).catch((error: unknown) => {
        if (voiceFailure(error).status !== 404) throw error;
      });
    }
  },
});
