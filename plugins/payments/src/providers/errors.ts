// One failure shape for Stripe, PayPal and Square (PaymentProviderFailure in
// capabilities.ts), so the checkout, refund and reconciliation callers decide "retry, give
// up or have a person check" without knowing the provider. A plain Error with fields, made
// by a function, so the stack and `cause` survive.
import type { PaymentProvider } from '@soshogle/db';
import type { PaymentProviderFailure } from '../capabilities.ts';

export interface PaymentProviderErrorFields {
  provider: PaymentProvider;
  /** The HTTP status the provider answered; null when no answer came. */
  status: number | null;
  code: string | null;
  message: string;
  /** Default: what the status says (429, 409 and 5xx may pass; other answers will not). */
  retryable?: boolean;
  /** The request may have reached the provider and we do not know what it did. */
  outcomeUnknown?: boolean;
  cause?: unknown;
}

export function paymentProviderError(fields: PaymentProviderErrorFields): PaymentProviderFailure {
  const { message, cause, status, retryable, outcomeUnknown, ...rest } = fields;
  const error = new Error(message, cause === undefined ? undefined : { cause });
  return Object.assign(error, {
    name: 'PaymentProviderError' as const,
    ...rest,
    status,
    retryable: retryable ?? (status !== null && retryableStatus(status)),
    outcomeUnknown: outcomeUnknown ?? false,
  });
}

export function isPaymentProviderError(error: unknown): error is PaymentProviderFailure {
  return error instanceof Error && error.name === 'PaymentProviderError' && 'provider' in error && 'retryable' in error;
}

/**
 * Whether an HTTP status alone says "the same request may pass later": timeouts, rate
 * limits, a concurrent request with the same idempotency key (409), the provider's own errors.
 */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

// Node's codes for a connection that never reached the provider: nothing was sent, so
// trying again is safe and nobody needs to check.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT']);

/** The network error code behind an error, looking through `cause`, `detail` (Stripe) and AggregateError. */
export function networkCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 4) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = networkCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return networkCode((error as { cause?: unknown }).cause, depth + 1) ?? networkCode((error as { detail?: unknown }).detail, depth + 1);
}

/**
 * The failure for a call that got no answer. Refused before sending: retryable. Anything
 * else (reset, timeout after the request went out): the provider may have acted, so the
 * outcome is unknown and a person checks before it is repeated.
 */
export function noAnswerError(provider: PaymentProvider, error: unknown): PaymentProviderFailure {
  const code = networkCode(error) ?? null;
  const notSent = code !== null && notSentCodes.has(code);
  const message = error instanceof Error ? error.message : String(error);
  return paymentProviderError({
    provider,
    status: null,
    code,
    message: `${provider} did not answer${code ? ` (${code})` : ''}: ${message}`,
    retryable: notSent,
    outcomeUnknown: !notSent,
    cause: error,
  });
}
