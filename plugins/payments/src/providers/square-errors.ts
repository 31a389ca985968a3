// Square's failures as the PaymentProviderFailure every payments caller understands (retry,
// give up, or flag for a person). pay-stripe brings the shared providers/errors.ts; until the
// branches meet, Square makes its failures here with the same fields.
import type { PaymentProviderFailure } from '../capabilities.ts';
import { SquareError, SquareTimeoutError } from 'square';

/** Error codes Node and undici give when the connection was never made: the request cannot have arrived. */
const notSent = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function connectCode(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 4) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && notSent.has(code)) return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = connectCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return connectCode(error.cause, depth + 1);
}

export function squareFailure(fields: { status: number | null; code: string | null; message: string; retryable: boolean; outcomeUnknown: boolean; cause?: unknown }): PaymentProviderFailure {
  const { message, cause, ...rest } = fields;
  const error = new Error(message, cause === undefined ? undefined : { cause });
  return Object.assign(error, { name: 'PaymentProviderError' as const, provider: 'SQUARE' as const, ...rest });
}

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
    return squareFailure({
      status,
      code: first?.code ?? null,
      message: `Square answered ${status}: ${detail}`,
      retryable: status === 408 || status === 429 || status >= 500,
      outcomeUnknown: false,
      cause: error,
    });
  }
  const refused = connectCode(error);
  const timedOut = error instanceof SquareTimeoutError;
  const reason = error instanceof Error ? error.message : String(error);
  return squareFailure({
    status: null,
    code: refused ?? (timedOut ? 'ETIMEDOUT' : null),
    message: refused ? `Square unreachable (${refused}): ${reason}` : `No answer from Square: ${reason}`,
    retryable: true,
    // A connection never made sent nothing; anything else may have reached Square.
    outcomeUnknown: !refused,
    cause: error,
  });
}
