// A local stand-in for the Places API (New) text search, for tests: the real endpoint
// (POST /v1/places:searchText), the real headers (X-Goog-Api-Key, X-Goog-FieldMask), the
// real response shape (places filtered to the field mask, nextPageToken) and Google's
// error body ({ error: { code, message, status } }), including 429 RESOURCE_EXHAUSTED.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Place } from './places.ts';

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export interface FakeRequest {
  headers: IncomingHttpHeaders;
  url: string;
  body: { textQuery?: string; pageSize?: number; pageToken?: string; locationBias?: unknown };
  /** The status the fake answered. */
  status: number;
}

export interface PlacesFake {
  /** Where it listens, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  /** The key it accepts; change it to make the configured key "invalid". */
  apiKey: string;
  /** What each textQuery finds, in rank order (Google returns at most 60). */
  results: Map<string, Place[]>;
  /** Every search it received, answered or refused. */
  requests: FakeRequest[];
  /** The next `times` searches (after `after` more that succeed) answer `status` with Google's error body. */
  failNext(times: number, status: number, options?: { after?: number; message?: string }): void;
  close(): Promise<void>;
}

/** Keeps the fields the mask asks for, as Google does (`places.*` keeps all). */
function masked(place: Place, mask: string[]): Place {
  if (mask.includes('*') || mask.includes('places') || mask.includes('places.*')) return place;
  const fields = new Set(mask.filter((m) => m.startsWith('places.')).map((m) => m.slice('places.'.length).split('.')[0]));
  return Object.fromEntries(Object.entries(place).filter(([key]) => fields.has(key))) as Place;
}

function sendError(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify({ error: { code: status, message, status: statusNames[status] ?? 'UNKNOWN' } }));
}

export async function startPlacesFake(apiKey: string): Promise<PlacesFake> {
  const failures: { skip: number; times: number; status: number; message: string | undefined }[] = [];
  const fake: Omit<PlacesFake, 'url' | 'close'> = {
    apiKey,
    results: new Map(),
    requests: [],
    failNext(times, status, options = {}) {
      failures.push({ skip: options.after ?? 0, times, status, message: options.message });
    },
  };

  // Decides the answer to one search: [status, body].
  function answer(headers: IncomingHttpHeaders, body: FakeRequest['body']): [number, unknown] {
    const failure = failures[0];
    if (failure && failure.skip > 0) failure.skip--;
    else if (failure) {
      if (--failure.times <= 0) failures.shift();
      const message =
        failure.message ??
        (failure.status === 429
          ? "Quota exceeded for quota metric 'SearchTextRequest' and limit 'SearchTextRequest per minute' of service 'places.googleapis.com'."
          : 'The service is currently unavailable.');
      return [failure.status, message];
    }
    const key = headers['x-goog-api-key'];
    if (!key) return [403, 'The request is missing a valid API key.'];
    if (key !== fake.apiKey) return [400, 'API key not valid. Please pass a valid API key.'];
    const mask = String(headers['x-goog-fieldmask'] ?? '').split(',').map((f) => f.trim()).filter(Boolean);
    if (!mask.length) {
      return [400, "FieldMask is a required parameter. See https://cloud.google.com/apis/docs/system-parameters on how to provide it. As an example, you can set the header 'X-Goog-FieldMask' to 'displayName' in order to request the display name of places."];
    }
    if (!body.textQuery) return [400, 'Empty text_query.'];
    let offset = 0;
    if (body.pageToken) {
      const token = JSON.parse(Buffer.from(body.pageToken, 'base64url').toString('utf8')) as { q: string; offset: number };
      // Google: all parameters but page_token, page_size and max_result_count must match the first call.
      if (token.q !== body.textQuery) return [400, 'Request parameters must match the initial SearchText request.'];
      offset = token.offset;
    }
    const pageSize = Math.min(body.pageSize || 20, 20);
    const all = (fake.results.get(body.textQuery) ?? []).slice(0, 60);
    const end = Math.min(offset + pageSize, all.length);
    const page: { places?: Place[]; nextPageToken?: string } = {};
    // Google leaves out empty lists and unasked fields altogether.
    if (end > offset) page.places = all.slice(offset, end).map((p) => masked(p, mask));
    if (end < all.length && mask.includes('nextPageToken')) {
      page.nextPageToken = Buffer.from(JSON.stringify({ q: body.textQuery, offset: end })).toString('base64url');
    }
    return [200, page];
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://fake').pathname !== '/v1/places:searchText') {
        return sendError(res, 404, `No route for ${req.method} ${req.url}`);
      }
      let body: FakeRequest['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as FakeRequest['body'];
      } catch {
        return sendError(res, 400, 'Invalid JSON payload received.');
      }
      const [status, payload] = answer(req.headers, body);
      fake.requests.push({ headers: req.headers, url: req.url ?? '', body, status });
      if (status !== 200) return sendError(res, status, String(payload));
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // googleapis keeps connections alive; without this, close would wait for them to time out.
        server.closeAllConnections();
      }),
  });
}
