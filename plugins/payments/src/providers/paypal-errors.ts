// PayPal's failures as the one PaymentProviderFailure shape (providers/errors.ts), so the
// pay page, the refund job and reconciliation decide retry, give up or review without
// knowing PayPal.
import { ApiError } from '@paypal/paypal-server-sdk';
import type { PaymentProviderFailure } from '../capabilities.ts';
import { isPaymentProviderError, paymentProviderError } from './errors.ts';

/** PayPal's error body: `{ name, message, debug_id, details: [{ issue, description }] }`. */
interface PaypalErrorBody {
  name?: string;
  message?: string;
  debug_id?: string;
  details?: { issue?: string; description?: string }[];
  error?: string;
  error_description?: string;
}

/** PayPal's issue (ORDER_NOT_APPROVED, INSTRUMENT_DECLINED...), or its error name, of a PaymentProviderError from PayPal. */
export const issueOf = (error: unknown): string | null => (isPaymentProviderError(error) ? error.code : null);

/**
 * The PaymentProviderFailure for anything the PayPal SDK threw: an answer (ApiError, with
 * PayPal's issue as the code), or none (network: the request may have reached PayPal, so
 * the outcome is unknown unless `safe` says it changes nothing there).
 */
export function paypalError(error: unknown, safe = false): PaymentProviderFailure {
  if (isPaymentProviderError(error)) return error;
  if (error instanceof ApiError) {
    const body = (error.result ?? parsed(error.body)) as PaypalErrorBody | undefined;
    const issue = body?.details?.[0]?.issue ?? body?.name ?? body?.error ?? null;
    const detail = body?.details?.[0]?.description ?? body?.message ?? body?.error_description ?? error.message;
    const status = error.statusCode;
    return paymentProviderError({
      provider: 'PAYPAL',
      status,
      code: issue,
      message: `PayPal ${status}${issue ? ` ${issue}` : ''}: ${detail}${body?.debug_id ? ` (debug id ${body.debug_id})` : ''}`,
      retryable: status === 408 || status === 409 || status === 429 || status >= 500,
      outcomeUnknown: false,
      cause: error,
    });
  }
  // The SDK gives axios's error when no answer came; an error before sending has no request.
  const sent = typeof error === 'object' && error !== null && 'request' in error && !!(error as { request?: unknown }).request;
  const message = error instanceof Error ? error.message : String(error);
  return paymentProviderError({
    provider: 'PAYPAL',
    status: null,
    code: (error as { code?: string } | null)?.code ?? null,
    message: `PayPal unreachable: ${message}`,
    retryable: true,
    outcomeUnknown: sent && !safe,
    cause: error,
  });
}

function parsed(body: unknown): unknown {
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
