// The one way the UI talks to the API: JSON in and out, the session's CSRF token on
// every state change, and RFC 9457 problems turned into ApiError with field messages.

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

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API says the session is gone (401); the layout sends the user to log in. */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export async function request<T = unknown>(method: string, path: string, body?: unknown, init: { signal?: AbortSignal; raw?: BodyInit; contentType?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
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
    res = await fetch(`/api${path}`, { method, headers, body: payload, signal: init.signal, credentials: 'same-origin' });
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
    if (res.status === 401 && !path.startsWith('/auth/')) onUnauthorized();
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

/** What every list route answers: a page and where the next one starts (null: the last page). Bounded lists send `items` alone. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type QueryParams = Record<string, string | number | boolean | null | undefined | string[]>;

export const api = {
  get: <T = unknown>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, { signal }),
  /** One page of a list: the route's filters plus `cursor` (from the previous page's nextCursor) and `limit`. */
  list: <T>(path: string, params: QueryParams & { cursor?: string | null; limit?: number } = {}, signal?: AbortSignal) =>
    request<Page<T>>('GET', `${path}${query(params)}`, undefined, { signal }),
  /** Every page of a list, for a picker that needs all of a small one (workflows, accounts). */
  async all<T>(path: string, params: QueryParams = {}, signal?: AbortSignal): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<T> = await api.list<T>(path, { ...params, cursor }, signal);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  },
  post: <T = unknown>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T = unknown>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T = unknown>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  delete: <T = unknown>(path: string) => request<T>('DELETE', path),
};

/** `?a=1&b=x` from an object, leaving out empty values. */
export function query(params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => search.append(key, v));
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
