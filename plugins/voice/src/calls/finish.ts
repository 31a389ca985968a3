// How a call ends, whoever tells us (the post-call webhook, the sandbox's script): its
// status through status.ts (only forward), what the agent heard and collected, and the
// call_completed / call_failed event, raised once per call in the same transaction; and the
// call's entry in the contact's conversation, which messaging writes (messaging.record_call).
import { tenantSql, type Actions, type Events, type TenantTx } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import { callRank, reportCall, type CallReport } from './status.ts';

export interface Turn {
  role: string;
  message: string | null;
  timeInCallSecs: number | null;
}

export interface CallEnding extends CallReport {
  transcript?: Turn[];
  summary?: string | null;
  /** ElevenLabs' call_successful: success, failure or unknown. */
  outcome?: string | null;
  collectedData?: Record<string, unknown>;
  /** Why it did not connect. */
  error?: string | null;
}

export interface FinishScope {
  tenantId: string;
  tx: TenantTx;
  events: Events;
  actions: Actions;
}

/** The stored turns as messaging's call entry takes them: what the agent and the caller said, in order. */
function inboxTurns(stored: Prisma.JsonValue): { role: 'agent' | 'user'; text: string; atSecond: number | null }[] {
  const turns = Array.isArray(stored) ? (stored as unknown as Partial<Turn>[]) : [];
  // Turns with no words (a tool call the agent made) have nothing to read in the inbox.
  return turns
    .filter((t) => (t.role === 'agent' || t.role === 'user') && typeof t.message === 'string' && t.message.trim())
    .map((t) => ({ role: t.role as 'agent' | 'user', text: t.message!, atSecond: typeof t.timeInCallSecs === 'number' && t.timeInCallSecs >= 0 ? t.timeInCallSecs : null }));
}

/** Applies the ending to the call; returns whether it gave the call its outcome. */
export async function finishCall({ tenantId, tx, events, actions }: FinishScope, callId: string, ending: CallEnding): Promise<boolean> {
  // The row is locked first: two reports racing (a failure and a transcript) read the
  // status one after the other, so the event is raised exactly once.
  const t = tenantSql(tenantId);
  const [before] = await tx.$queryRaw<{ status: keyof typeof callRank }[]>(t`select status from "Call" where id = ${callId} and ${t.owns()} for update`);
  if (!before) return false;
  const moved = await reportCall(tx, tenantId, callId, ending);
  const facts: Prisma.CallUpdateInput = {
    ...(ending.transcript?.length ? { transcript: ending.transcript as unknown as Prisma.InputJsonArray } : {}),
    ...(ending.summary ? { summary: ending.summary } : {}),
    ...(ending.outcome ? { outcome: ending.outcome } : {}),
    ...(ending.collectedData && Object.keys(ending.collectedData).length ? { collectedData: ending.collectedData as Prisma.InputJsonObject } : {}),
    ...(ending.error ? { error: ending.error } : {}),
  };
  const call = Object.keys(facts).length ? await tx.call.update({ where: { id: callId }, data: facts }) : await tx.call.findUniqueOrThrow({ where: { id: callId } });
  if (callRank[call.status] < callRank.COMPLETED) return false;
  const status = call.status as 'COMPLETED' | 'VOICEMAIL' | 'BUSY' | 'NO_ANSWER' | 'FAILED';
  if (call.contactId && (moved || Object.keys(facts).length)) {
    const entry = {
      contactId: call.contactId,
      callId: call.id,
      direction: call.direction,
      from: call.from,
      to: call.to,
      status,
      duration: call.duration,
      summary: call.summary,
      outcome: call.outcome,
      transcript: inboxTurns(call.transcript),
      recordingUrl: call.recordingUrl,
      sandbox: call.sandbox,
      at: (call.startedAt ?? call.createdAt).toISOString(),
    };
    await actions.run(tx, 'messaging.record_call', entry, { tenantId, idempotencyKey: `voice-call:${call.id}` });
  }
  const ended = moved && callRank[before.status] < callRank.COMPLETED;
  if (!ended) return false;
  const payload = {
    callId: call.id,
    agentId: call.voiceAgentId,
    contactId: call.contactId,
    direction: call.direction,
    status,
    outcome: call.outcome,
    duration: call.duration,
    summary: call.summary,
    collectedData: (call.collectedData ?? {}) as Record<string, unknown>,
    reason: status === 'COMPLETED' || status === 'VOICEMAIL' ? null : (call.error ?? call.rawStatus),
  };
  await events.raise(tx, status === 'COMPLETED' || status === 'VOICEMAIL' ? 'voice.call_completed' : 'voice.call_failed', payload, { tenantId });
  return true;
}
