// Dials a queued outbound call, once, whatever retries and extra workers do. As messages
// are sent: the call is claimed (`providerCalled`, committed) before ElevenLabs is asked,
// and a run that finds it claimed without an answer does not know whether the phone rang:
// the call goes to review (`needsReview`), never dialled again. One dial of a call runs at
// a time (a transaction advisory lock held across the provider call), so a second worker
// waits its turn instead of taking an in-flight dial for a lost one. Consent and quiet
// hours are asked again at dial time: the contact may have said no while the call waited.
import { defineJob, type JobContext } from '@soshogle/core';
import type { Call } from '@soshogle/db';
import { z } from 'zod';
import { voiceConfig, type VoiceConfig } from '../config.ts';
import { elevenlabsAccount } from '../connection.ts';
import { elevenlabsClient, voiceFailure } from '../elevenlabs.ts';
import { whileHolding } from '../held-lock.ts';
import { finishCall } from './finish.ts';
import { recordingPath } from './recording.ts';
import { dialCallJob } from './place.ts';

const unanswered = 'ElevenLabs was asked to place this call and its answer was never recorded: check the call at ElevenLabs (or with the contact) before calling again.';

export const dialCall = defineJob({
  name: 'dial_call',
  config: voiceConfig,
  payload: z.object({ callId: z.string().min(1) }),
  maxAttempts: 6,
  async run(ctx, { callId }) {
    // False when another worker is dialling it: that one settles the call.
    await whileHolding(ctx.db, `voice.dial_call:${callId}`, () => dial(ctx, callId));
  },
});

async function fail(ctx: JobContext<VoiceConfig>, call: Call, rawStatus: string, error: string): Promise<void> {
  await ctx.db.$transaction((tx) => finishCall({ tenantId: ctx.tenantId, tx, events: ctx.events, actions: ctx.actions }, call.id, { status: 'FAILED', rawStatus, error }));
}

async function dial(ctx: JobContext<VoiceConfig>, callId: string): Promise<void> {
  const call = await ctx.db.call.findUnique({ where: { id: callId } });
  // Gone, settled, under review, or dialled already (its answer recorded).
  if (!call || call.status !== 'QUEUED' || call.needsReview || call.conversationId || call.callSid) return;
  if (call.providerCalled) {
    ctx.log.warn({ callId }, 'call dial outcome unknown: marked for review, not dialled again');
    return void (await ctx.db.call.updateMany({ where: { id: callId }, data: { needsReview: true, error: unanswered } }));
  }
  if (!call.contactId) return fail(ctx, call, 'not_dialled', 'The contact was deleted before the call was placed');

  const policy = await ctx.db.$transaction((tx) =>
    ctx.actions.run(tx, 'messaging.contact_policy', { contactId: call.contactId!, channel: 'VOICE' }, { tenantId: ctx.tenantId, idempotencyKey: `dial:${call.id}` }),
  );
  if (!policy.allowed) return fail(ctx, call, 'not_dialled', `Not dialled: ${policy.reason ?? 'the contact may not be called'}`);
  const notBefore = new Date(policy.notBefore);
  if (notBefore.getTime() > Date.now() + 60_000) {
    // Quiet hours moved (the settings or the contact's zone changed): wait for their end.
    return void (await ctx.db.$transaction(async (tx) => {
      await tx.call.update({ where: { id: callId }, data: { dialAt: notBefore } });
      await ctx.jobs.enqueue(tx, dialCallJob, { callId }, { tenantId: ctx.tenantId, runAt: notBefore, jobKey: `dial:${callId}` });
    }));
  }

  const agent = call.voiceAgentId ? await ctx.db.voiceAgent.findFirst({ where: { id: call.voiceAgentId, deletedAt: null } }) : null;
  if (!agent || agent.status !== 'ACTIVE') return fail(ctx, call, 'not_dialled', 'Not dialled: the agent was paused or deleted');

  // Claimed and committed before the provider call: see the top of this file.
  const { count } = await ctx.db.call.updateMany({ where: { id: callId, providerCalled: null, status: 'QUEUED' }, data: { providerCalled: new Date() } });
  if (!count) return;

  if (call.sandbox) return sandboxCall(ctx, call);

  const account = await elevenlabsAccount(ctx);
  const release = () => ctx.db.call.updateMany({ where: { id: callId, callSid: null, conversationId: null }, data: { providerCalled: null } });
  if (!account) return void (await release(), await fail(ctx, call, 'not_dialled', 'Not dialled: ElevenLabs is not connected any more'));
  if (!agent.elevenLabsAgentId || !agent.phoneNumberId) {
    // The agent's push has not reached ElevenLabs yet: nothing was dialled, try again later.
    await release();
    if (ctx.attempt < ctx.maxAttempts) throw new Error('The agent or its number is not at ElevenLabs yet: dialled later');
    return fail(ctx, call, 'not_dialled', 'Not dialled: the agent or its number never reached ElevenLabs (see the agent)');
  }
  try {
    const answer = await elevenlabsClient(ctx.config, account).conversationalAi.twilio.outboundCall({
      agentId: agent.elevenLabsAgentId,
      agentPhoneNumberId: agent.phoneNumberId,
      toNumber: call.to,
      // Echoed in the post-call webhook: how a report finds this call whatever order things arrive in.
      conversationInitiationClientData: { dynamicVariables: { soshogle_call_id: call.id, soshogle_contact_id: call.contactId } },
    });
    if (!answer.success) return fail(ctx, call, 'not_dialled', `ElevenLabs did not place the call: ${answer.message}`);
    await ctx.db.call.updateMany({ where: { id: callId }, data: { conversationId: answer.conversationId ?? null, callSid: answer.callSid ?? null, rawStatus: 'initiated' } });
  } catch (error) {
    const failure = voiceFailure(error);
    if (failure.outcomeUnknown) {
      ctx.log.warn({ callId, status: failure.status }, 'call dial outcome unknown: marked for review, not dialled again');
      return void (await ctx.db.call.updateMany({ where: { id: callId }, data: { needsReview: true, error: `${failure.message}. ${unanswered}` } }));
    }
    // Not placed (refused, throttled): the claim is released for the retry.
    await release();
    if (failure.retryable && ctx.attempt < ctx.maxAttempts) throw error;
    return fail(ctx, call, 'not_dialled', failure.status ? `${failure.status}: ${failure.message}` : failure.message);
  }
}

/**
 * Sandbox mode: nothing is dialled; a scripted call ends as a real one would, through
 * finishCall: answered, judged a success by the agent, with a transcript and a (simulated) recording.
 */
async function sandboxCall(ctx: JobContext<VoiceConfig>, call: Call): Promise<void> {
  const startedAt = new Date();
  await ctx.db.$transaction(async (tx) => {
    await tx.call.update({ where: { id: call.id }, data: { conversationId: `sandbox_${call.id}`, callSid: `sandbox_${call.id}` } });
    await finishCall({ tenantId: ctx.tenantId, tx, events: ctx.events, actions: ctx.actions }, call.id, {
      status: 'COMPLETED',
      rawStatus: 'sandbox',
      startedAt,
      endedAt: new Date(startedAt.getTime() + 20_000),
      duration: 20,
      transcript: [
        { role: 'agent', message: 'Hello! This is a simulated call from the sandbox.', timeInCallSecs: 0 },
        { role: 'user', message: 'Hi, thanks for calling.', timeInCallSecs: 4 },
      ],
      summary: 'A simulated call (sandbox mode): nothing was dialled.',
      outcome: 'success',
      recordingUrl: recordingPath(call.id),
    });
  });
}
