// Agents and calls as the voice API answers them, and the one way screens word them.
import type { QueryOf, Schema } from '../api.ts';

export type Agent = Schema<'VoiceAgent'>;
export type Call = Schema<'Call'>;
export type CallDetail = Schema<'CallDetail'>;
export type CallStatus = Call['status'];
export type CallDirection = Call['direction'];
export type CallFilters = Pick<QueryOf<'/voice/calls'>, 'status' | 'direction' | 'agentId' | 'contactId'>;

export const callStatusLabel: Record<CallStatus, string> = {
  QUEUED: 'Queued',
  RINGING: 'Ringing',
  IN_PROGRESS: 'In progress',
  COMPLETED: 'Answered',
  VOICEMAIL: 'Voicemail',
  BUSY: 'Busy',
  NO_ANSWER: 'No answer',
  FAILED: 'Failed',
};
export const callStatusClass: Record<CallStatus, string> = {
  QUEUED: '',
  RINGING: 'accent',
  IN_PROGRESS: 'accent',
  COMPLETED: 'ok',
  VOICEMAIL: 'warn',
  BUSY: 'warn',
  NO_ANSWER: 'warn',
  FAILED: 'danger',
};
export const directionLabel: Record<CallDirection, string> = { INBOUND: 'Incoming', OUTBOUND: 'Outgoing' };

export const pushLabel: Record<Agent['push']['status'], string> = { PENDING: 'Pushing…', SYNCED: 'Synced', FAILED: 'Push failed', REVIEW: 'Needs review' };
export const pushClass: Record<Agent['push']['status'], string> = { PENDING: 'accent', SYNCED: 'ok', FAILED: 'danger', REVIEW: 'warn' };

/** 75 -> "1 min 15 s"; nothing known -> "—". */
export function durationLabel(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const m = Math.floor(seconds / 60);
  return m ? `${m} min ${seconds % 60} s` : `${seconds} s`;
}

/** ElevenLabs' judgement of the call in words: the inbox's words, one way for both. */
export { callOutcomeLabel as outcomeLabel } from '../inbox/types.ts';

/** The list's filters as a stable string (a change reloads the list). */
export function filterKey(filters: CallFilters): string {
  return JSON.stringify(Object.entries(filters).filter(([, v]) => v));
}
