// The database refusing a value the client sent (text it cannot store, a date or number out
// of its range, values a CHECK constraint refuses) is bad input, whichever route passed it
// on: a 422, not a 500. The input
// guard (input.ts) refuses most of these before any query; this maps what still gets through.

import { Problem } from './problem.ts';

/** Prisma's own codes for a value that does not fit its column. */
const prismaDataCodes = new Set(['P2000', 'P2006', 'P2007', 'P2019', 'P2020', 'P2023', 'P2033']);

/**
 * PostgreSQL's SQLSTATE behind an error: from Prisma's driver adapter (any P-code), an old
 * raw-query P2010, or a pg error thrown as it is (tenantSql).
 */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; severity?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } } } | null;
  const candidates = [e?.meta?.driverAdapterError?.cause?.originalCode, e?.meta?.driverAdapterError?.cause?.code, e?.meta?.code, e?.severity ? e.code : undefined];
  return candidates.find((c): c is string => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c));
}

/** Class 22 (data exception), 23514 (a CHECK constraint refused the row) and 54001 (a value nested too deep for the server to handle). */
const isDataState = (state: string | undefined) => !!state && (state.startsWith('22') || state === '23514' || state === '54001');

/**
 * An exclusion constraint refused the write (SQLSTATE 23P01): two rows that may not overlap
 * (appointments of one calendar) would. The transaction it happened in is aborted: catch it
 * outside `$transaction`, then read anything fresh with the plain `db`.
 */
export function isExclusionViolation(error: unknown): boolean {
  return sqlState(error) === '23P01';
}

/**
 * The database gave up on the transaction because of another one (40P01 deadlock, 40001
 * serialization failure): nothing was written, and running the whole transaction again is
 * safe and usually succeeds. Two concurrent exclusion checks that see each other's rows end so.
 */
export function isTransientConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40P01' || state === '40001';
}

/** The 422 for a value the database refused, or null when the error is something else. */
export function dataProblem(error: unknown): Problem | null {
  const e = error as { code?: unknown; clientVersion?: unknown; meta?: { column_name?: unknown } } | null;
  const prismaCode = e?.clientVersion ? e.code : undefined;
  if (!(typeof prismaCode === 'string' && prismaDataCodes.has(prismaCode)) && !isDataState(sqlState(error))) return null;
  const column = typeof e?.meta?.column_name === 'string' ? e.meta.column_name : undefined;
  const detail =
    sqlState(error) === '23514'
      ? 'The values in the request contradict each other or a rule of the record (an end before its start, say)'
      : 'A value in the request cannot be stored or compared: out of range, too long, or text the database refuses';
  return new Problem(422, 'Validation failed', detail, column ? { errors: [{ field: column, message: 'is out of range or not valid' }] } : {});
}
