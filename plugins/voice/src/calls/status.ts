// A call's status only moves forward: Twilio's and ElevenLabs' reports arrive late, twice
// and out of order, and every order must end in the same state. Ranks: QUEUED < RINGING <
// IN_PROGRESS < an outcome (COMPLETED, BUSY, NO_ANSWER, FAILED) < VOICEMAIL, which refines
// COMPLETED (a voicemail is a completed call at Twilio). The first outcome stays: a later
// report of another outcome for the same call is kept only as rawStatus history in the log.
import type { TenantTx } from '@soshogle/core';
import type { CallStatus } from '@soshogle/db';

export const callRank: Record<CallStatus, number> = {
  QUEUED: 0,
  RINGING: 1,
  IN_PROGRESS: 2,
  COMPLETED: 3,
  BUSY: 3,
  NO_ANSWER: 3,
  FAILED: 3,
  VOICEMAIL: 4,
};

const statuses = Object.keys(callRank) as CallStatus[];

/** The statuses a call may move to `status` from. */
export function movableFrom(status: CallStatus): CallStatus[] {
  return statuses.filter((s) => callRank[s] < callRank[status] || (status === 'VOICEMAIL' && s === 'COMPLETED'));
}

export interface CallReport {
  status: CallStatus;
  /** The provider's own word (Twilio's CallStatus, ElevenLabs' call_result or failure_reason). */
  rawStatus?: string | null;
  duration?: number | null;
  recordingUrl?: string | null;
  startedAt?: Date | null;
  endedAt?: Date | null;
}

/**
 * Applies a report to the call: the status if it is a step forward, and the facts it
 * brings (duration, recording, times), which never erase what an earlier report gave.
 * Returns whether the status moved.
 */
export async function reportCall(tx: TenantTx, callId: string, report: CallReport): Promise<boolean> {
  const { count } = await tx.call.updateMany({
    where: { id: callId, status: { in: movableFrom(report.status) } },
    data: { status: report.status, rawStatus: report.rawStatus ?? null },
  });
  const facts = { duration: report.duration, recordingUrl: report.recordingUrl, startedAt: report.startedAt, endedAt: report.endedAt };
  for (const [key, value] of Object.entries(facts)) {
    if (value !== undefined && value !== null) await tx.call.updateMany({ where: { id: callId, [key]: null }, data: { [key]: value } });
  }
  return count > 0;
}
