import type { Call } from '@soshogle/db';
import type { z } from 'zod';
import type { callDetailResponse, callResponse } from './schemas.ts';

export function callJson(call: Call): z.output<typeof callResponse> {
  return {
    id: call.id,
    agentId: call.voiceAgentId,
    contactId: call.contactId,
    direction: call.direction,
    from: call.from,
    to: call.to,
    status: call.status,
    rawStatus: call.rawStatus,
    callSid: call.callSid,
    conversationId: call.conversationId,
    duration: call.duration,
    recordingUrl: call.recordingUrl,
    summary: call.summary,
    outcome: call.outcome,
    collectedData: (call.collectedData ?? {}) as Record<string, unknown>,
    sandbox: call.sandbox,
    needsReview: call.needsReview,
    error: call.error,
    dialAt: call.dialAt,
    startedAt: call.startedAt,
    endedAt: call.endedAt,
    createdAt: call.createdAt,
  };
}

type Turn = z.output<typeof callDetailResponse>['transcript'][number];

/** Stored turns as the API shows them; anything unexpected in the JSON is left out, not a 500. */
export function callDetailJson(call: Call): z.output<typeof callDetailResponse> {
  const turns = Array.isArray(call.transcript) ? (call.transcript as Record<string, unknown>[]) : [];
  const transcript: Turn[] = turns
    .filter((t) => t && typeof t === 'object' && typeof t.role === 'string')
    .map((t) => ({ role: t.role as string, message: typeof t.message === 'string' ? t.message : null, timeInCallSecs: typeof t.timeInCallSecs === 'number' ? t.timeInCallSecs : null }));
  return { ...callJson(call), transcript };
}
