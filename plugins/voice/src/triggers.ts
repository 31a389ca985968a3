// What happens to a call, as workflows hear it. Raised by calls/finish.ts in the
// transaction that gives the call its outcome, once per call.
import { defineTrigger } from '@soshogle/core';
import { z } from 'zod';

const id = z.string().min(1);

export const callPayload = z.object({
  callId: id,
  agentId: id.nullable(),
  contactId: id.nullable(),
  direction: z.enum(['INBOUND', 'OUTBOUND']),
  status: z.enum(['COMPLETED', 'VOICEMAIL', 'BUSY', 'NO_ANSWER', 'FAILED']),
  /** ElevenLabs' judgement of the conversation: success, failure or unknown. */
  outcome: z.string().nullable(),
  duration: z.number().int().nullable(),
  summary: z.string().nullable(),
  /** What the agent collected (data collection id -> value). */
  collectedData: z.record(z.string(), z.unknown()),
  /** Why a call failed (busy, no-answer, the provider's words). */
  reason: z.string().nullable(),
});
type CallPayload = z.output<typeof callPayload>;

const agentFilter = id.optional().describe('Only calls with this agent');

export const callCompleted = defineTrigger({
  name: 'call_completed',
  displayName: 'Call completed',
  description: 'A call with a voice agent ended after it was answered (by the contact or their voicemail), with its transcript, summary and what the agent collected.',
  payload: callPayload,
  filter: z.object({
    agentId: agentFilter,
    outcome: z.enum(['success', 'failure', 'unknown']).optional().describe("Only calls ElevenLabs judged so"),
    dataField: z.string().trim().min(1).max(100).optional().describe('Only calls where the agent collected this field'),
    dataValue: z.string().max(500).optional().describe('... with this value (compared as text)'),
  }),
  matches(filter, payload: CallPayload) {
    if (filter.agentId && filter.agentId !== payload.agentId) return false;
    if (filter.outcome && filter.outcome !== payload.outcome) return false;
    if (filter.dataField) {
      const value = payload.collectedData[filter.dataField];
      if (value === undefined || value === null) return false;
      if (filter.dataValue !== undefined && String(value) !== filter.dataValue) return false;
    }
    return true;
  },
});

export const callFailed = defineTrigger({
  name: 'call_failed',
  displayName: 'Call failed',
  description: 'A call with a voice agent did not connect: busy, no answer, or failed.',
  payload: callPayload,
  filter: z.object({
    agentId: agentFilter,
    status: z.enum(['BUSY', 'NO_ANSWER', 'FAILED']).optional().describe('Only this way of failing'),
  }),
  matches: (filter, payload: CallPayload) => (!filter.agentId || filter.agentId === payload.agentId) && (!filter.status || filter.status === payload.status),
});

