// The one way the UI talks to the API: JSON in and out, the session's CSRF token on
// every state change, and RFC 9457 problems turned into ApiError with field messages.
import type { components, paths } from './api-types';

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  status: number;
  problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.status = problem.status;
    this.problem = problem;
  }
  /** The message for one field, matched on the last part of its path (`body.email` -> `email`). */
  field(name: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === name || e.field.endsWith(`.${name}`))?.message;
  }
}

/** The field messages keyed by path without its prefix (`body.credentials.accountSid` -> `accountSid`): an ApiError's problem, or the form rules' own check. */
export function fieldErrors(problem: { errors?: FieldError[] } | undefined, prefix: RegExp): Record<string, string> {
  return Object.fromEntries((problem?.errors ?? []).map((e) => [e.field.replace(prefix, ''), e.message]));
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API says the session is gone (401); the layout sends the user to log in. */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

interface CallInit {
  signal?: AbortSignal;
  raw?: BodyInit;
  contentType?: string;
  /** A public page's call: no cookie, no CSRF token, and a 401 sends no one to log in. */
  anonymous?: boolean;
  /** Extra headers, such as an `Idempotency-Key`. */
  headers?: Record<string, string>;
}

async function request<T = unknown>(method: string, path: string, body?: unknown, init: CallInit = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...init.headers };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken && !init.anonymous) headers['x-csrf-token'] = csrfToken;
  let payload: BodyInit | undefined;
  if (init.raw !== undefined) {
    payload = init.raw;
    if (init.contentType) headers['content-type'] = init.contentType;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method, headers, body: payload, signal: init.signal, credentials: init.anonymous ? 'omit' : 'same-origin' });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ status: 0, title: 'Network error', detail: 'Could not reach the server. Check your connection and try again.' });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const problem: Problem =
      data && typeof data === 'object' && 'title' in data ? (data as Problem) : { status: res.status, title: res.statusText || 'Error', detail: text.slice(0, 200) };
    problem.status ??= res.status;
    if (res.status === 429) problem.detail ??= 'Too many tries from here: wait a little and try again.';
    if (res.status === 401 && !path.startsWith('/auth/') && !init.anonymous) onUnauthorized();
    // Two-factor sign-in became required of this account while it was signed in: set it up first.
    if (res.status === 403 && (data as { twoFactorSetupRequired?: unknown } | undefined)?.twoFactorSetupRequired === true && !init.anonymous) {
      location.assign('/two-factor-setup');
    }
    throw new ApiError(problem);
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// ---- Typed calls: every path, its parameters, body and answer come from api-types.ts,
// generated from the server's OpenAPI document (`npx -y pnpm@10 api:types`).

/** Every API path without its `/api` prefix, e.g. `/crm/contacts/{id}`. */
type Paths = { [P in keyof paths as P extends `/api${infer Rest}` ? Rest : never]: paths[P] };
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** The paths that answer `M`. */
export type PathsFor<M extends Method> = { [P in keyof Paths]: [NonNullable<Paths[P][M & keyof Paths[P]]>] extends [never] ? never : P }[keyof Paths];
type Operation<P extends keyof Paths, M extends Method> = NonNullable<Paths[P][M & keyof Paths[P]]>;
type Field<T, K extends string> = T extends { [_ in K]?: infer V } ? V : never;
type Success<R> = R extends { 200: infer A } ? A : R extends { 201: infer A } ? A : R extends { 202: infer A } ? A : never;
/** What a call of `M` on `P` answers (undefined for 204). */
export type Reply<P extends keyof Paths, M extends Method = 'get'> = Field<Field<Success<Field<Operation<P, M>, 'responses'>>, 'content'>, 'application/json'>;
/** The JSON body `M` on `P` takes. */
export type RequestBody<P extends keyof Paths, M extends Method> = Field<Field<NonNullable<Field<Operation<P, M>, 'requestBody'>>, 'content'>, 'application/json'>;
/** The query `M` on `P` takes. */
export type QueryOf<P extends keyof Paths, M extends Method = 'get'> = NonNullable<Field<Field<Operation<P, M>, 'parameters'>, 'query'>>;
/** A shared schema of the API by name, e.g. `Schema<'Contact'>`. */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];
/** One item of a list route's answer. */
export type ItemOf<P extends keyof Paths> = Reply<P> extends { items: (infer I)[] } ? I : never;

type PathParams<O> = Field<Field<O, 'parameters'>, 'path'>;
/** `{ path }` is required where the path has parameters; `query` and `body` where the route takes them. */
type Options<O, Extra = object> = ([PathParams<O>] extends [never] | [undefined] ? { path?: undefined } : { path: PathParams<O> }) & {
  query?: NonNullable<Field<Field<O, 'parameters'>, 'query'>>;
  signal?: AbortSignal;
} & Extra;
type WithBody<P extends keyof Paths, M extends Method> = Options<Operation<P, M>, { body?: RequestBody<P, M>; raw?: BodyInit; contentType?: string; headers?: Record<string, string> }>;
type Args<T> = T extends { path: unknown } ? [options: T] : [options?: T];

/** `/crm/contacts/{id}` with `{ id: 'c1' }` -> `/crm/contacts/c1`, each value URL-encoded. */
function fill(path: string, params: Record<string, unknown> | undefined, search: object | undefined): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params?.[name] ?? '')));
  return `${filled}${search ? query(search as QueryParams) : ''}`;
}

function call<R>(method: string, path: string, options: { path?: object; query?: object; body?: unknown; raw?: BodyInit; contentType?: string; signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<R> {
  return request<R>(method, fill(path, options.path as Record<string, unknown>, options.query), options.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {}), options);
}

type Paged = { items: unknown[]; nextCursor: string | null };

export const api = {
  get: <P extends PathsFor<'get'>>(path: P, ...[options]: Args<Options<Operation<P, 'get'>>>) => call<Reply<P>>('GET', path, options),
  /** One page of a list: the route's filters plus `cursor` (from the previous page's nextCursor) and `limit`. */
  list: <P extends PathsFor<'get'>>(path: P, ...[options]: Args<Options<Operation<P, 'get'>>>) => call<Reply<P> & Paged>('GET', path, options),
  /** Every page of a list, for a picker that needs all of a small one (workflows, accounts). */
  async all<P extends PathsFor<'get'>>(path: P, ...[options]: Args<Options<Operation<P, 'get'>>>): Promise<ItemOf<P>[]> {
    const items: ItemOf<P>[] = [];
    let cursor: string | null = null;
    do {
      const page: Paged = await call<Paged>('GET', path, { ...options, query: { ...options?.query, cursor } });
      items.push(...(page.items as ItemOf<P>[]));
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  },
  post: <P extends PathsFor<'post'>>(path: P, ...[options]: Args<WithBody<P, 'post'>>) => call<Reply<P, 'post'>>('POST', path, options),
  put: <P extends PathsFor<'put'>>(path: P, ...[options]: Args<WithBody<P, 'put'>>) => call<Reply<P, 'put'>>('PUT', path, options),
  patch: <P extends PathsFor<'patch'>>(path: P, ...[options]: Args<WithBody<P, 'patch'>>) => call<Reply<P, 'patch'>>('PATCH', path, options),
  delete: <P extends PathsFor<'delete'>>(path: P, ...[options]: Args<WithBody<P, 'delete'>>) => call<Reply<P, 'delete'>>('DELETE', path, options),
};

/**
 * A public page's call (the booking page, the pay page, a hosted form): no cookie is sent, so a signed-in
 * owner opening their own link is a visitor like any other. Type the answer with `Reply<>`.
 */
export function publicRequest<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  return request<T>(method, path, body, { anonymous: true });
}

type QueryParams = Record<string, string | number | boolean | null | undefined | string[] | Record<string, unknown>>;

/** `?a=1&b=x` from an object, leaving out empty values. */
export function query(params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => search.append(key, v));
    // An object goes as JSON, as the API reads it (`?customFields={"plan":"pro"}`).
    else if (typeof value === 'object') search.set(key, JSON.stringify(value));
    else search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.problem.errors?.map((e) => `${e.field.replace(/^(body|query|params)\./, '')}: ${e.message}`).join('; ');
    return fields ? `${error.message} (${fields})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
