// The official SDK, made for a tenant's account, and what its failures mean for us.
// The SDK retries twice by default; we set it to 0: a create or a dial repeated blindly
// after a timeout could make two agents or ring a contact twice. Our durable jobs retry
// instead, only when the answer says nothing happened.
import { ElevenLabsClient, ElevenLabsError, ElevenLabsTimeoutError } from '@elevenlabs/elevenlabs-js';
import type { VoiceConfig } from './config.ts';
import type { ElevenlabsCredentials } from './connection.ts';

export function elevenlabsClient(config: VoiceConfig, account: ElevenlabsCredentials): ElevenLabsClient {
  return new ElevenLabsClient({ apiKey: account.apiKey, baseUrl: config.elevenlabsApiUrl.replace(/\/$/, ''), maxRetries: 0, timeoutInSeconds: 30 });
}

/** What a failed ElevenLabs call means for what we do next. */
export interface VoiceFailure {
  message: string;
  status: number | null;
  /** Nothing happened there (throttled, unavailable, refused connection): try again later. */
  retryable: boolean;
  /** It may have happened (no answer after sending, an answer we cannot read): never repeat blindly. */
  outcomeUnknown: boolean;
}

const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

function causeCode(error: unknown): string | undefined {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause && typeof cause === 'object'; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** ElevenLabs' own words from an error body ({detail: {message}} or {detail: "..."}), else the SDK's. */
function messageOf(error: ElevenLabsError): string {
  const detail = (error.body as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === 'string') return detail;
  if (detail && typeof detail === 'object' && typeof (detail as { message?: unknown }).message === 'string') return (detail as { message: string }).message;
  return error.message;
}

export function voiceFailure(error: unknown): VoiceFailure {
  if (error instanceof ElevenLabsTimeoutError) return { message: 'ElevenLabs did not answer in time', status: null, retryable: false, outcomeUnknown: true };
  if (error instanceof ElevenLabsError) {
    const status = error.statusCode ?? null;
    if (status === null) {
      // No answer at all: refused before sending is safe to retry; a dropped connection is not.
      const notSent = notSentCodes.has(causeCode(error) ?? '');
      return { message: error.message, status, retryable: notSent, outcomeUnknown: !notSent };
    }
    if (status === 429 || status === 503) return { message: messageOf(error), status, retryable: true, outcomeUnknown: false };
    if (status >= 500) return { message: messageOf(error), status, retryable: false, outcomeUnknown: true };
    return { message: messageOf(error), status, retryable: false, outcomeUnknown: false };
  }
  // The SDK's strict parsing refused a 2xx answer: it happened there, we cannot tell what.
  const message = error instanceof Error ? error.message : String(error);
  return { message: `ElevenLabs answered something we could not read: ${message}`, status: null, retryable: false, outcomeUnknown: true };
}
