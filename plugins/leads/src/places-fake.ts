// A local stand-in for the Places API (New) text search, for tests: the real endpoint
// (POST /v1/places:searchText), the real headers (X-Goog-Api-Key, X-Goog-FieldMask), the
// real response shape (places filtered to the field mask, nextPageToken) and Google's
// error body ({ error: { code, message, status } }), including 429 RESOURCE_EXHAUSTED. The
// server, request log and failure scripting come from the core's fake-provider kit.
import { FakePageTokenError, pageOf, route, startFakeProvider, type FakeProvider, type FakeRequest } from '@soshogle/core/testing';
import type { Place } from './places.ts';

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export interface SearchTextBody {
  textQuery?: string;
  pageSize?: number;
  pageToken?: string;
  locationBias?: unknown;
}

/** A request the fake received; `body` is the parsed JSON (undefined when it is not JSON). */
export type PlacesFakeRequest = FakeRequest<SearchTextBody | undefined>;

export interface PlacesFake extends FakeProvider<SearchTextBody | undefined> {
  /** The key it accepts; change it to make the configured key "invalid". */
  apiKey: string;
  /** What each textQuery finds, in rank order (Google returns at most 60). */
  results: Map<string, Place[]>;
  /** The next `times` searches (after `after` more that succeed) answer `status` with Google's error body. */
  failNext(times: number, status: number, options?: { after?: number; message?: string }): void;
}

const searchText = '/v1/places:searchText';

/** Keeps the fields the mask asks for, as Google does (`places.*` keeps all). */
function masked(place: Place, mask: string[]): Place {
  if (mask.includes('*') || mask.includes('places') || mask.includes('places.*')) return place;
  const fields = new Set(mask.filter((m) => m.startsWith('places.')).map((m) => m.slice('places.'.length).split('.')[0]));
  return Object.fromEntries(Object.entries(place).filter(([key]) => fields.has(key))) as Place;
}

/** Google's error answer: { error: { code, message, status } }. */
function googleError(status: number, message: string) {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    body: { error: { code: status, message, status: statusNames[status] ?? 'UNKNOWN' } },
  };
}

export async function startPlacesFake(apiKey: string): Promise<PlacesFake> {
  const results = new Map<string, Place[]>();
  const kit = await startFakeProvider<SearchTextBody | undefined>({
    name: 'places',
    routes: [
      route('POST', searchText, (request) => {
        const body = request.raw.length === 0 ? {} : request.body;
        if (!body || typeof body !== 'object') return googleError(400, 'Invalid JSON payload received.');
        const key = request.headers['x-goog-api-key'];
        if (!key) return googleError(403, 'The request is missing a valid API key.');
        if (key !== fake.apiKey) return googleError(400, 'API key not valid. Please pass a valid API key.');
        const mask = String(request.headers['x-goog-fieldmask'] ?? '').split(',').map((f) => f.trim()).filter(Boolean);
        if (!mask.length) {
          return googleError(400, "FieldMask is a required parameter. See https://cloud.google.com/apis/docs/system-parameters on how to provide it. As an example, you can set the header 'X-Goog-FieldMask' to 'displayName' in order to request the display name of places.");
        }
        if (!body.textQuery) return googleError(400, 'Empty text_query.');
        const all = (results.get(body.textQuery) ?? []).slice(0, 60);
        let found: { items: Place[]; next: string | undefined };
        try {
          // Google: all parameters but page_token, page_size and max_result_count must match the first call.
          found = pageOf(all, { size: Math.min(body.pageSize || 20, 20), token: body.pageToken, query: body.textQuery });
        } catch (error) {
          if (!(error instanceof FakePageTokenError)) throw error;
          return googleError(400, error.reason === 'other-query' ? 'Request parameters must match the initial SearchText request.' : 'Invalid page token.');
        }
        const page: { places?: Place[]; nextPageToken?: string } = {};
        // Google leaves out empty lists and unasked fields altogether.
        if (found.items.length) page.places = found.items.map((p) => masked(p, mask));
        if (found.next && mask.includes('nextPageToken')) page.nextPageToken = found.next;
        return { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: page };
      }),
    ],
    notFound: (request) => googleError(404, `No route for ${request.method} ${request.path}`),
  });
  const fake: PlacesFake = Object.assign(kit, {
    apiKey,
    results,
    failNext(times: number, status: number, options: { after?: number; message?: string } = {}) {
      const message =
        options.message ??
        (status === 429
          ? "Quota exceeded for quota metric 'SearchTextRequest' and limit 'SearchTextRequest per minute' of service 'places.googleapis.com'."
          : 'The service is currently unavailable.');
      kit.fail({ method: 'POST', path: searchText }, { ...googleError(status, message), times, after: options.after ?? 0 });
    },
  });
  return fake;
}
