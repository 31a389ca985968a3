// A call's status only moves forward: Twilio's and ElevenLabs' reports arrive late, twice
// and out of order, and every order must end in the same state. Ranks: QUEUED < RINGING <
// IN_PROGRESS < an outcome (COMPLETED, BUSY, NO_ANSWER, FAILED, VOICEMAIL). The first outcome
// stays, except that VOICEMAIL refines COMPLETED (a voicemail is a completed call at Twilio).
// A report that does not move the status is dropped, rawStatus included: rawStatus is the
// provider's word for the status the call has, not a history.
import { tenantSql, type TenantTx } from '@soshogle/core';
import { Prisma, type CallStatus } from '@soshogle/db';

export const callRank: Record<CallStatus, number> = {
  QUEUED: 0,
  RINGING: 1,
  IN_PROGRESS: 2,
  COMPLETED: 3,
  BUSY: 3,
  NO_ANSWER: 3,
  FAILED: 3,
  VOICEMAIL: 3,
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
 * Applies a report to the call in one statement: the status if it is a step forward, and
 * the facts it brings (duration, recording, times), which never erase what an earlier
 * report gave. Returns whether the status moved.
 */
export async function reportCall(tx: TenantTx, tenantId: string, callId: string, report: CallReport): Promise<boolean> {
  const t = tenantSql(tenantId);
  const moves = Prisma.sql`status = any(${movableFrom(report.status)}::"CallStatus"[])`;
  const rows = await tx.$queryRaw<{ moved: boolean }[]>(t`
    update "Call" set
      status = case when ${moves} then ${report.status}::"CallStatus" else status end,
      "rawStatus" = case when ${moves} then ${report.rawStatus ?? null} else "rawStatus" end,
      duration = coalesce(duration, ${report.duration ?? null}),
      "recordingUrl" = coalesce("recordingUrl", ${report.recordingUrl ?? null}),
      "startedAt" = coalesce("startedAt", ${report.startedAt ?? null}),
      "endedAt" = coalesce("endedAt", ${report.endedAt ?? null}),
      "updatedAt" = now()
    where id = ${callId} and ${t.owns()}
    returning old.status is distinct from new.status as moved`);
  return rows[0]?.moved ?? false;
}
