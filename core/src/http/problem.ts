// Every error leaves as application/problem+json (RFC 9457). Validation problems list
// each failing field, so a form can show the message beside the input.
import type { Context, Next } from 'koa';
import { z } from 'zod';
import { dataProblem, isExclusionViolation } from './data-errors.ts';

export interface FieldError {
  /** Dotted path of the failing field, e.g. `props.to` or `contacts.0.email`. */
  field: string;
  message: string;
}

/** The members every problem has; extensions may not take these names. */
const standardMembers = new Set(['type', 'title', 'status', 'detail', 'instance', 'requestId', 'errors']);

export interface ProblemOptions {
  errors?: FieldError[];
  type?: string;
  /** Seconds, sent as Retry-After (429, 503). */
  retryAfter?: number;
  /**
   * RFC 9457 extension members, sent beside the standard ones: what a client needs to act
   * on the refusal without another request (the free slots beside a 409 "just booked").
   * JSON-plain; the standard names (type, title, status, detail, instance, requestId, errors) are refused.
   */
  extensions?: Record<string, unknown>;
}

export class Problem extends Error {
  readonly status: number;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly type: string;
  /** Seconds, sent as Retry-After (429, 503). */
  readonly retryAfter: number | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(status: number, title: string, detail?: string, options: ProblemOptions = {}) {
    super(detail ?? title);
    const taken = Object.keys(options.extensions ?? {}).filter((k) => standardMembers.has(k));
    // A programming mistake, caught by the first test that builds it.
    if (taken.length) throw new TypeError(`Problem extensions may not be named ${taken.join(', ')}: those are standard members`);
    this.status = status;
    this.title = title;
    this.errors = options.errors;
    this.type = options.type ?? 'about:blank';
    this.retryAfter = options.retryAfter;
    this.extensions = options.extensions;
  }
}

// The one way core and plugins refuse a request: build the Problem with these and throw it.

/** A refusal with any status: what went wrong, and the failing fields when there are some. */
export function refuse(status: number, detail: string, errors?: FieldError[]): Problem {
  return new Problem(status, statusTitles[status] ?? (status >= 500 ? 'Server Error' : 'Bad Request'), detail, errors ? { errors } : {});
}

/** A 422 naming the failing field (`invalid('body.email', 'Not an email address')`), or several. */
export function invalid(field: string, message: string): Problem;
export function invalid(errors: FieldError[]): Problem;
export function invalid(field: string | FieldError[], message = ''): Problem {
  const errors = typeof field === 'string' ? [{ field, message }] : field;
  return refuse(422, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

export function notFound(what = 'Resource'): Problem {
  return refuse(404, `${what} not found`);
}

/** A 409: the request is fine but the record's state refuses it; `field` names the state that does. */
export function conflict(detail: string, field?: string): Problem {
  return refuse(409, detail, field ? [{ field, message: detail }] : undefined);
}

/** A 422 naming each field that failed; `prefix` places the fields (e.g. `query`). */
export function validationProblem(error: z.ZodError, prefix?: string): Problem {
  const errors = error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
  const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return new Problem(422, 'Validation failed', detail, { errors });
}

/** Parses `value` with `schema`, throwing a 422 Problem that names the failing fields. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationProblem(parsed.error, prefix);
  return parsed.data;
}

const statusTitles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Validation failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function sendProblem(ctx: Context, problem: Problem): void {
  ctx.status = problem.status;
  if (problem.retryAfter !== undefined) ctx.set('Retry-After', String(problem.retryAfter));
  ctx.type = 'application/problem+json';
  ctx.body = {
    ...problem.extensions,
    type: problem.type,
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    instance: ctx.path,
    requestId: ctx.state.requestId as string | undefined,
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
}

/** Outermost error middleware: known errors keep their status, anything else is a logged 500. */
/** A unique key refused the write: P2002 from a model query, or 23505 under a raw query's P2010. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; clientVersion?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { kind?: unknown } } } };
  if (!e?.clientVersion) return false;
  return e.code === 'P2002' || (e.code === 'P2010' && (e.meta?.code === '23505' || e.meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation'));
}

/** A foreign key refused the write: P2003 from a model query, or 23503 under a raw query's P2010. */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: unknown; clientVersion?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { kind?: unknown } } } };
  if (!e?.clientVersion) return false;
  return e.code === 'P2003' || (e.code === 'P2010' && (e.meta?.code === '23503' || e.meta?.driverAdapterError?.cause?.kind === 'ForeignKeyConstraintViolation'));
}

/** 404 naming the referencing column: `Note_contactId_userId_fkey` -> contactId. */
function foreignKeyProblem(error: unknown): Problem {
  const meta = (error as { meta?: Record<string, unknown> }).meta ?? {};
  const text = [meta.field_name, meta.constraint, (meta.driverAdapterError as { cause?: { constraint?: unknown } } | undefined)?.cause?.constraint, (error as Error).message]
    .map((v) => (typeof v === 'string' ? v : v && typeof v === 'object' ? JSON.stringify(v) : ''))
    .join(' ');
  const field = /_(\w+?Id)(?:_userId)?_fkey/.exec(text)?.[1];
  return field ? new Problem(404, 'Not Found', `${field}: not found`) : new Problem(404, 'Not Found', 'Not found');
}

/**
 * The database went away (a restart, a failover, a dropped connection, no connection to be
 * had): nothing the client did, and worth retrying, so 503 with Retry-After rather than a
 * 500. Looks through Prisma's wrapping (`cause`, the driver adapter's error) for the socket
 * error codes, PostgreSQL's connection and shutdown SQLSTATEs and node-postgres' messages.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOENT', 'EHOSTUNREACH']);
  const seen = new Set<unknown>();
  for (let e = error as Record<string, unknown> | undefined; e && typeof e === 'object' && !seen.has(e); ) {
    seen.add(e);
    const code = typeof e.code === 'string' ? e.code : '';
    if (code === 'P1001' || code === 'P1017' || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300' || code.startsWith('08')) return true;
    // A socket's error passed through by Prisma, or the driver's on PostgreSQL's own socket (a
    // provider's refused connection is not the database's, so a bare ECONNREFUSED is not enough).
    if (socketCodes.has(code) && (e.clientVersion !== undefined || (typeof e.address === 'string' && e.address.includes('.s.PGSQL.')))) return true;
    if (typeof e.message === 'string' && /Connection terminated|terminating connection due to administrator command|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/.test(e.message)) return true;
    const meta = e.meta as { code?: unknown; driverAdapterError?: unknown } | undefined;
    if (meta && typeof meta.code === 'string' && /^(57P0[123]|08...|53300)$/.test(meta.code)) return true;
    e = (e.cause ?? meta?.driverAdapterError) as Record<string, unknown> | undefined;
  }
  return false;
}

export async function problemMiddleware(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      sendProblem(ctx, new Problem(404, 'Not Found', `No route for ${ctx.method} ${ctx.path}`));
    } else if (ctx.status === 405 && ctx.body === undefined) {
      sendProblem(ctx, new Problem(405, 'Method Not Allowed', `${ctx.method} is not allowed on ${ctx.path}`));
    }
  } catch (error) {
    if (error instanceof Problem) return sendProblem(ctx, error);
    if (error instanceof z.ZodError) return sendProblem(ctx, validationProblem(error));
    const prismaCode = (error as { code?: unknown; clientVersion?: unknown }).clientVersion ? (error as { code?: string }).code : undefined;
    // Not found, including a row of another tenant: the same answer as a missing id.
    if (prismaCode === 'P2025') return sendProblem(ctx, new Problem(404, 'Not Found', 'Not found'));
    // A reference to a row that is missing or another tenant's (composite foreign keys
    // include the tenant): answered like a missing row, naming the field when known.
    if (isForeignKeyViolation(error)) return sendProblem(ctx, foreignKeyProblem(error));
    if (isUniqueViolation(error)) return sendProblem(ctx, new Problem(409, 'Conflict', 'A record with these values already exists'));
    // Routes that can overlap (a booking) catch this themselves and say more; this is the floor.
    if (isExclusionViolation(error)) return sendProblem(ctx, new Problem(409, 'Conflict', 'This overlaps another record'));
    const refused = dataProblem(error);
    if (refused) return sendProblem(ctx, refused);
    // Errors from Koa and its body parser carry a 4xx status and a safe message.
    const status = (error as { status?: unknown }).status;
    const expose = (error as { expose?: unknown }).expose;
    if (typeof status === 'number' && status >= 400 && status < 500 && expose !== false) {
      return sendProblem(ctx, new Problem(status, statusTitles[status] ?? 'Bad Request', (error as Error).message));
    }
    if (isDatabaseUnavailable(error)) {
      ctx.state.log?.warn({ err: error }, 'database unavailable');
      ctx.set('Retry-After', '5');
      return sendProblem(ctx, new Problem(503, 'Service Unavailable', 'The database cannot be reached just now; try again in a few seconds.'));
    }
    ctx.state.log?.error({ err: error }, 'unhandled error');
    sendProblem(ctx, new Problem(500, 'Internal Server Error', 'Something went wrong on our side. The request id helps us find it.'));
  }
}
