// messaging.record_call: how the voice plugin puts a call in the contact's conversation,
// beside their texts and emails. Messaging writes its own tables: the call becomes a VOICE
// entry (a Message on the VOICE channel, never sent) in the contact's VOICE conversation,
// with the call's id as its provider id (the link to the call), once per call: a repeat
// updates the entry (a transcript's summary arriving after the outcome). The call itself
// (outcome, transcript turn by turn, recording) is kept on the entry (`Message.call`), so the
// inbox shows it from messaging's own rows, never reading the voice plugin's.
import { defineAction } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { callTurn, type callEntry } from './schemas.ts';

const outcomes = { COMPLETED: 'answered', VOICEMAIL: 'went to voicemail', BUSY: 'busy', NO_ANSWER: 'not answered', FAILED: 'failed' } as const;

function minutes(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return m ? `${m} min ${seconds % 60} s` : `${seconds} s`;
}

export const recordCall = defineAction({
  name: 'record_call',
  version: 1,
  internal: true,
  displayName: 'Record a call',
  description: "Puts a phone call in the contact's conversation (direction, duration, outcome, summary, the transcript turn by turn, the recording, the call's id).",
  props: z.object({
    contactId: z.string().min(1).max(64),
    callId: z.string().min(1).max(64),
    direction: z.enum(['INBOUND', 'OUTBOUND']),
    from: z.string().min(1).max(40),
    to: z.string().min(1).max(40),
    status: z.enum(['COMPLETED', 'VOICEMAIL', 'BUSY', 'NO_ANSWER', 'FAILED']),
    duration: z.number().int().min(0).nullish(),
    summary: z.string().max(10_000).nullish(),
    /** The agent's judgement (ElevenLabs' call_successful): success, failure or unknown. */
    outcome: z.string().max(40).nullish(),
    transcript: z.array(callTurn).max(5000).optional(),
    /** Where the browser plays the recording (it must not need a provider's key). */
    recordingUrl: z.string().max(2000).nullish(),
    /** A simulated call (no provider credentials): the entry is marked sandbox like any message never sent. */
    sandbox: z.boolean().optional(),
    at: z.iso.datetime({ offset: true }),
  }),
  output: z.object({ messageId: z.string().nullable() }),
  idempotent: true,
  transactional: true,
  async run({ db, tenantId, props }) {
    if (!(await db.contact.findUnique({ where: { id: props.contactId }, select: { id: true } }))) return { messageId: null };
    const at = new Date(props.at);
    const inbound = props.direction === 'INBOUND';
    const address = inbound ? props.from : props.to;
    const headline = `${inbound ? 'Incoming' : 'Outgoing'} call, ${outcomes[props.status]}${props.duration ? ` (${minutes(props.duration)})` : ''}`;
    const content = props.summary ? `${headline}: ${props.summary}` : headline;
    const conversation = await db.conversation.upsert({
      where: { contactId_channel: { contactId: props.contactId, channel: 'VOICE' } },
      create: { userId: tenantId, contactId: props.contactId, channel: 'VOICE', address, lastMessageAt: at, ...(inbound ? { lastInboundAt: at } : {}) },
      update: { address, lastMessageAt: at, ...(inbound ? { lastInboundAt: at } : {}) },
    });
    const call: z.input<typeof callEntry> = {
      callId: props.callId,
      status: props.status,
      duration: props.duration ?? null,
      outcome: props.outcome ?? null,
      summary: props.summary ?? null,
      transcript: props.transcript ?? [],
      recordingUrl: props.recordingUrl ?? null,
    };
    const entry = {
      content,
      call: call as Prisma.InputJsonObject,
      sandbox: props.sandbox ?? false,
      status: props.status === 'COMPLETED' || props.status === 'VOICEMAIL' ? ('DELIVERED' as const) : ('FAILED' as const),
      error: props.status === 'COMPLETED' || props.status === 'VOICEMAIL' ? null : outcomes[props.status],
    };
    const key = `voice-call:${props.callId}`;
    const earlier = await db.message.findFirst({ where: { idempotencyKey: key }, select: { id: true } });
    if (earlier) return { messageId: (await db.message.update({ where: { id: earlier.id }, data: entry })).id };
    const message = await db.message.create({
      data: {
        ...entry,
        userId: tenantId,
        contactId: props.contactId,
        conversationId: conversation.id,
        channel: 'VOICE',
        direction: props.direction,
        from: props.from,
        to: props.to,
        provider: 'voice',
        providerMessageId: props.callId,
        idempotencyKey: key,
        createdAt: at,
      },
    });
    return { messageId: message.id };
  },
});
