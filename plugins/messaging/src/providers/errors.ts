// One error shape for every provider, so the send jobs decide "retry or give up" without
// knowing which SDK failed. It is a plain Error with fields (made by a function, not a
// class), so stack traces and `cause` survive and `instanceof Error` still holds. It is
// the ProviderFailure of capabilities.ts, which providers of other plugins throw too.

/** A provider's name (`twilio`, or one another plugin ships). */
export type Provider = string;

export interface ProviderError extends Error {
  name: 'ProviderError';
  provider: Provider;
  /** The HTTP status the provider answered; null when no answer came (refused, reset, timeout). */
  status: number | null;
  /** The provider's own error code as a string (Twilio "21211", Meta "190"), or null. */
  code: string | null;
  /** Meta's error_subcode (e.g. "2018278"), which tells apart errors that share a code. */
  subcode?: string;
  /** True when sending the same request later may succeed. */
  retryable: boolean;
  /** How long the provider asked us to wait, when it said. */
  retryAfterSeconds?: number;
  /** The recipient opted out at the provider or carrier (Twilio 21610): recorded as their consent. */
  optedOut?: boolean;
}

export interface ProviderErrorFields {
  provider: Provider;
  status: number | null;
  code: string | null;
  subcode?: string;
  message: string;
  retryable: boolean;
  retryAfterSeconds?: number;
  cause?: unknown;
}

export function providerError(fields: ProviderErrorFields): ProviderError {
  const { message, cause, subcode, retryAfterSeconds, ...rest } = fields;
  const error = new Error(message, cause === undefined ? undefined : { cause });
  // Optional fields stay absent rather than undefined, so toEqual/toMatchObject read cleanly.
  return Object.assign(error, {
    name: 'ProviderError' as const,
    ...rest,
    ...(subcode === undefined ? {} : { subcode }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof Error && error.name === 'ProviderError' && 'provider' in error && 'retryable' in error;
}

/**
 * True when retrying cannot help (bad number, unsubscribed, bad credentials, invalid request).
 * Anything that is not a ProviderError is not known to be permanent: the queue's own attempt
 * limit is the backstop for those.
 */
export function isPermanent(error: unknown): boolean {
  return isProviderError(error) && !error.retryable;
}

/** Whether an HTTP status alone says "try again later". */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

// Error codes Node (net, dns, undici) and axios give when no HTTP answer arrived.
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/**
 * The network error code behind an error, looking through `cause` (fetch wraps it) and
 * AggregateError (Node's happy-eyeballs connect wraps one per address). AbortSignal timeouts
 * count as ETIMEDOUT. Undefined when the error did not come from the network.
 */
export function networkErrorCode(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 4) return undefined;
  if (error.name === 'TimeoutError') return 'ETIMEDOUT';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && networkCodes.has(code)) return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = networkErrorCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return networkErrorCode(error.cause, depth + 1);
}

/** The ProviderError for a failure that got no HTTP answer, or for a local (client-side) error. */
export function noAnswerError(provider: Provider, error: unknown): ProviderError {
  const network = networkErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return providerError({
    provider,
    status: null,
    code: network ?? null,
    // A network failure may pass; an error the SDK raised before sending (a missing field) will not.
    retryable: network !== undefined,
    message: network ? `${provider} unreachable (${network}): ${message}` : message,
    cause: error,
  });
}

/**
 * Seconds from a Retry-After header (delta seconds or an HTTP date); undefined when absent
 * or unreadable.
 */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' && typeof text !== 'number') return undefined;
  const raw = String(text).trim();
  if (raw === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number(raw));
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
