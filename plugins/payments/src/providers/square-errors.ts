// Square's failures as the PaymentProviderFailure every payments caller understands (retry,
// give up, or flag for a person), made by providers/errors.ts.
import { SquareError } from 'square';
import type { PaymentProviderFailure } from '../capabilities.ts';
import { noAnswerError, paymentProviderError } from './errors.ts';

/**
 * What a call through the square SDK threw, as a PaymentProviderFailure. Square answers
 * `{errors: [{category, code, detail, field}]}`; 429 and 5xx may pass on a retry (our
 * idempotency key makes the retry safe); other 4xx will not. No answer at all (a timeout, a
 * reset) leaves the outcome unknown: a person checks before anything is repeated.
 */
export function squareError(error: unknown): PaymentProviderFailure {
  if (error instanceof SquareError && typeof error.statusCode === 'number') {
    const first = error.errors[0];
    const status = error.statusCode;
    const detail = first ? `${first.code}${first.detail ? `: ${first.detail}` : ''}${first.field ? ` (${first.field})` : ''}` : error.message;
    return paymentProviderError({
      provider: 'SQUARE',
      status,
      code: first?.code ?? null,
      message: `Square answered ${status}: ${detail}`,
      retryable: status === 408 || status === 429 || status >= 500,
      outcomeUnknown: false,
      cause: error,
    });
  }
  return noAnswerError('SQUARE', error);
}
