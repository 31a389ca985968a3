// What the calls API takes and answers.
import { isoDate, keysetCursor, listOf, listQuery } from '@soshogle/core';
import { CallDirection, CallStatus } from '@soshogle/db';
import { z } from 'zod';
import { rowId } from '../agents/schemas.ts';

export const callListQuery = listQuery({ cursor: keysetCursor }).extend({
  status: z.enum(CallStatus).optional(),
  direction: z.enum(CallDirection).optional(),
  agentId: rowId.optional(),
  contactId: rowId.optional(),
});

export const callInput = z.object({ agentId: rowId, contactId: rowId });

const turn = z.object({ role: z.string(), message: z.string().nullable(), timeInCallSecs: z.number().nullable() });

export const callResponse = z
  .object({
    id: z.string(),
    agentId: z.string().nullable(),
    contactId: z.string().nullable(),
    direction: z.enum(CallDirection),
    from: z.string(),
    to: z.string(),
    status: z.enum(CallStatus),
    /** The provider's own word for the status. */
    rawStatus: z.string().nullable(),
    callSid: z.string().nullable(),
    conversationId: z.string().nullable(),
    duration: z.number().int().nullable().describe('Seconds'),
    recordingUrl: z.string().nullable(),
    summary: z.string().nullable(),
    /** ElevenLabs' judgement: success, failure or unknown. */
    outcome: z.string().nullable(),
    collectedData: z.record(z.string(), z.unknown()),
    /** Simulated without an ElevenLabs connection. */
    sandbox: z.boolean(),
    /** The dial's outcome is unknown: it is never repeated, a person checks. */
    needsReview: z.boolean(),
    error: z.string().nullable(),
    /** When an outbound call is (or was) dialled: now, or the end of the contact's quiet hours. */
    dialAt: isoDate.nullable(),
    startedAt: isoDate.nullable(),
    endedAt: isoDate.nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'Call', description: 'A phone call with a voice agent, inbound or outbound' });

export const callDetailResponse = callResponse.extend({ transcript: z.array(turn) }).meta({ id: 'CallDetail', description: 'A call with its transcript, turn by turn' });

export const callList = listOf(callResponse);
