// ElevenLabs' post-call webhook at each tenant's own URL
// (/webhooks/voice/<tenant>/elevenlabs): verified over the raw bytes with the tenant's
// webhook secret before anything parses them (signature.ts), deduplicated by the core
// (one delivery per event type and conversation), then applied to the call in the
// delivery's transaction: found by the id we passed as a dynamic variable, its
// conversation id or its call SID; an unknown conversation is an inbound call, matched
// to a contact by phone (crm.find_or_create_contact). finishCall moves the status
// forward only and raises call_completed / call_failed once, in the same transaction.
import { defineWebhook, refuse, type WebhookRequest } from '@soshogle/core';
import type { CallStatus } from '@soshogle/db';
import { z } from 'zod';
import { finishCall, type CallEnding, type Turn } from '../calls/finish.ts';
import { recordingPath } from '../calls/recording.ts';
import { voiceConfig } from '../config.ts';
import { verifyElevenlabsSignature } from './signature.ts';

const text = z.string().max(100_000);
const phoneCall = z
  .object({
    direction: z.string().optional(),
    agent_number: z.string().max(40).optional(),
    external_number: z.string().max(40).optional(),
    call_sid: z.string().max(100).optional(),
    call_result: z.string().max(40).optional(),
  })
  .partial();

const event = z.object({
  type: z.string().min(1).max(100),
  event_timestamp: z.number().optional(),
  data: z.object({
    conversation_id: z.string().min(1).max(200),
    agent_id: z.string().max(200).optional(),
    status: z.string().max(40).optional(),
    failure_reason: z.string().max(200).nullish(),
    transcript: z.array(z.object({ role: z.string().max(40), message: text.nullish(), time_in_call_secs: z.number().nullish() })).max(5000).optional(),
    metadata: z
      .object({
        start_time_unix_secs: z.number().int().optional(),
        call_duration_secs: z.number().int().min(0).optional(),
        phone_call: phoneCall.nullish(),
        body: z.object({ CallSid: z.string().max(100).optional() }).partial().nullish(),
      })
      .partial()
      .nullish(),
    analysis: z
      .object({
        call_successful: z.string().max(40).optional(),
        transcript_summary: text.nullish(),
        data_collection_results: z.record(z.string(), z.object({ value: z.unknown() }).partial()).optional(),
      })
      .partial()
      .nullish(),
    conversation_initiation_client_data: z.object({ dynamic_variables: z.record(z.string(), z.unknown()).nullish() }).partial().nullish(),
    /** ElevenLabs kept the call's audio (GET /v1/convai/conversations/:id/audio). */
    has_audio: z.boolean().nullish(),
  }),
});
type PostCall = z.output<typeof event>;

function parse(request: WebhookRequest): PostCall {
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw refuse(400, 'Malformed webhook body: not JSON');
  }
  const parsed = event.safeParse(json);
  if (!parsed.success) throw refuse(400, 'Malformed webhook body: not an ElevenLabs post-call event');
  return parsed.data;
}

const resultStatus: Record<string, CallStatus> = { answered: 'COMPLETED', voicemail: 'VOICEMAIL', busy: 'BUSY', no_answer: 'NO_ANSWER', failed: 'FAILED' };
const failureStatus: Record<string, CallStatus> = { busy: 'BUSY', 'no-answer': 'NO_ANSWER' };

/** What the event says about how the call ended. */
function endingOf({ type, data }: PostCall): CallEnding | null {
  if (type === 'call_initiation_failure') {
    const reason = data.failure_reason ?? 'unknown';
    return { status: failureStatus[reason] ?? 'FAILED', rawStatus: reason, error: `The call did not connect: ${reason}` };
  }
  if (type !== 'post_call_transcription') return null;
  const metadata = data.metadata ?? {};
  const result = metadata.phone_call?.call_result;
  const start = metadata.start_time_unix_secs;
  const duration = metadata.call_duration_secs;
  const transcript: Turn[] = (data.transcript ?? []).map((t) => ({ role: t.role, message: t.message ?? null, timeInCallSecs: t.time_in_call_secs ?? null }));
  const collected = Object.entries(data.analysis?.data_collection_results ?? {}).map(([key, r]) => [key, r.value ?? null] as const);
  return {
    status: (result && resultStatus[result]) || (data.status === 'failed' ? 'FAILED' : 'COMPLETED'),
    rawStatus: result ?? data.status ?? null,
    duration: duration ?? null,
    startedAt: start ? new Date(start * 1000) : null,
    endedAt: start && duration !== undefined ? new Date((start + duration) * 1000) : null,
    transcript,
    summary: data.analysis?.transcript_summary ?? null,
    outcome: data.analysis?.call_successful ?? null,
    collectedData: Object.fromEntries(collected),
  };
}

export const elevenlabsPostCall = defineWebhook({
  summary: "ElevenLabs' post-call webhook: the transcript, summary and collected data of each call, or why it did not connect",
  path: '/:tenant/elevenlabs',
  config: voiceConfig,
  maxBytes: 5_000_000,
  async verify(request, { credentials, config }) {
    const account = await credentials?.get<{ webhookSecret: string }>('elevenlabs');
    return !!account && verifyElevenlabsSignature(request.rawBody, request.headers['elevenlabs-signature'], account.webhookSecret, config.webhookToleranceSeconds);
  },
  // ElevenLabs sends one event of each type per conversation; its retries repeat it.
  deliveryId: (request) => {
    const { type, data } = parse(request);
    return `${type}:${data.conversation_id}`;
  },
  async handle(request, ctx) {
    const posted = parse(request);
    const ending = endingOf(posted);
    if (!ending) return; // post_call_audio and future types: nothing we keep yet
    const { tx, tenantId } = ctx;
    const { data } = posted;
    const phone = data.metadata?.phone_call ?? {};
    const ourId = data.conversation_initiation_client_data?.dynamic_variables?.soshogle_call_id;
    const callSid = phone.call_sid ?? data.metadata?.body?.CallSid;
    let call =
      (typeof ourId === 'string' ? await tx.call.findFirst({ where: { id: ourId } }) : null) ??
      (await tx.call.findFirst({ where: { conversationId: data.conversation_id } })) ??
      (callSid ? await tx.call.findFirst({ where: { callSid } }) : null);
    if (!call) {
      // Not one we placed: a caller reached an agent's number.
      if (posted.type !== 'post_call_transcription' || !phone.external_number) {
        ctx.log.info({ conversationId: data.conversation_id, type: posted.type }, 'post-call event for no call of ours: ignored');
        return;
      }
      const agent = data.agent_id ? await tx.voiceAgent.findFirst({ where: { elevenLabsAgentId: data.agent_id } }) : null;
      const { contactId } = await ctx.actions.run(
        tx,
        'crm.find_or_create_contact',
        { phone: phone.external_number, firstName: '' },
        { tenantId, idempotencyKey: `voice:inbound:${data.conversation_id}` },
      );
      call = await tx.call.create({
        data: {
          userId: tenantId,
          voiceAgentId: agent?.id ?? null,
          contactId,
          direction: 'INBOUND',
          from: phone.external_number,
          to: phone.agent_number ?? agent?.twilioPhoneNumber ?? 'unknown',
          conversationId: data.conversation_id,
          callSid: callSid ?? null,
        },
      });
    } else if (!call.conversationId || (!call.callSid && callSid)) {
      // The webhook came before the dial's answer was recorded (or with more than it had).
      await tx.call.update({ where: { id: call.id }, data: { conversationId: call.conversationId ?? data.conversation_id, callSid: call.callSid ?? callSid ?? null } });
    }
    // The audio needs the account's key: the call points at our route that streams it.
    const recordingUrl = posted.type === 'post_call_transcription' && data.has_audio ? recordingPath(call.id) : null;
    await finishCall({ tenantId, tx, events: ctx.events, actions: ctx.actions }, call.id, { ...ending, recordingUrl });
  },
});
