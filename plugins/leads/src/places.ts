// Google Places API (New) text search, and the one parser that turns a place into lead
// fields (the sandbox's sample places go through it too).
// The places module alone, not the `googleapis` index: the index loads every Google API
// (over a second at boot) for the one we use.
import { places as placesApi, type places_v1 } from 'googleapis/build/src/apis/places/index.js';
import { toE164 } from './phone.ts';

export type Place = places_v1.Schema$GoogleMapsPlacesV1Place;

/** Only what a lead stores: Google bills text search by the fields asked for. */
export const fieldMask = [
  'places.id',
  'places.displayName',
  'places.formattedAddress',
  'places.addressComponents',
  'places.rating',
  'places.userRatingCount',
  'places.primaryType',
  'places.primaryTypeDisplayName',
  'places.nationalPhoneNumber',
  'places.internationalPhoneNumber',
  'places.websiteUri',
  'nextPageToken',
].join(',');

/** Google's largest page; a text search returns at most 60 places over three pages. */
export const maxPageSize = 20;
/** Google requires a radius with a location bias; without one we bias to about a town's size. */
export const defaultRadiusMeters = 10_000;

export interface SearchRequest {
  query: string;
  location?: { latitude: number; longitude: number } | undefined;
  radiusMeters?: number | undefined;
}

export interface SearchPage {
  places: Place[];
  nextPageToken: string | null;
}

/** One page of a text search: the live API or the sandbox. */
export type PlacesSearch = (request: SearchRequest, page: { pageSize: number; pageToken: string | null }) => Promise<SearchPage>;

/** A refused or failed call; `retryable` for quota (429), Google's own failures (5xx) and the network. */
export class PlacesError extends Error {
  override name = 'PlacesError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
  get retryable(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

interface GoogleErrorShape {
  status?: number;
  response?: { status?: number; data?: { error?: { message?: string; status?: string } } };
  message?: string;
}

/**
 * Google's own message ("API key not valid..."), never gaxios's: its error carries the
 * request, and with it the key.
 */
function placesError(error: unknown): PlacesError {
  const e = (error ?? {}) as GoogleErrorShape;
  const status = e.response?.status ?? e.status ?? null;
  const google = e.response?.data?.error;
  if (google?.message) return new PlacesError(`Google Places: ${google.status ? `${google.status}: ` : ''}${google.message}`, status);
  return new PlacesError(status ? `Google Places answered HTTP ${status}` : `Google Places could not be reached (${e.message ?? 'network error'})`, status);
}

/** The live API, through googleapis. `rootUrl` is Google's, or a local fake's in tests. */
export function livePlaces(apiKey: string, rootUrl: string): PlacesSearch {
  const api = placesApi({ version: 'v1', rootUrl });
  return async (request, { pageSize, pageToken }) => {
    const requestBody: places_v1.Schema$GoogleMapsPlacesV1SearchTextRequest = { textQuery: request.query, pageSize };
    if (pageToken) requestBody.pageToken = pageToken;
    if (request.location) {
      requestBody.locationBias = { circle: { center: request.location, radius: request.radiusMeters ?? defaultRadiusMeters } };
    }
    try {
      const res = await api.places.searchText(
        { requestBody },
        {
          // The key as a header, not googleapis' `auth: key` (a ?key= query parameter that ends up in logged URLs).
          headers: { 'X-Goog-Api-Key': apiKey, 'X-Goog-FieldMask': fieldMask },
          // Our job retries with backoff and resumes from its last stored page; gaxios retrying inside would hide 429s.
          retry: false,
          timeout: 30_000,
        },
      );
      return { places: res.data.places ?? [], nextPageToken: res.data.nextPageToken || null };
    } catch (error) {
      throw placesError(error);
    }
  };
}

/** The columns of a Lead a search writes. */
export interface PlaceLead {
  googlePlaceId: string;
  businessName: string;
  address: string;
  city: string;
  state: string;
  zipCode: string;
  country: string;
  phone: string | null;
  website: string | null;
  rating: number | null;
  reviewCount: number | null;
  category: string;
}

type Component = places_v1.Schema$GoogleMapsPlacesV1PlaceAddressComponent;

function component(components: Component[], type: string, form: 'longText' | 'shortText' = 'longText'): string | undefined {
  const found = components.find((c) => c.types?.includes(type));
  return (found?.[form] ?? found?.longText) || undefined;
}

/** Lead fields of a place; null for a place without id or name (nothing to deduplicate or show). */
export function parsePlace(place: Place, defaultCountry: string): PlaceLead | null {
  const name = place.displayName?.text?.trim();
  if (!place.id || !name) return null;
  const parts = place.addressComponents ?? [];
  const country = component(parts, 'country', 'shortText') ?? defaultCountry;
  // Short forms ("Congress Ave"), as Google's own formatted address writes a street.
  const street = [component(parts, 'street_number', 'shortText'), component(parts, 'route', 'shortText')].filter(Boolean).join(' ');
  // International first: it names its country, so it reads right whatever the default.
  const phones = [place.internationalPhoneNumber, place.nationalPhoneNumber].filter((p): p is string => !!p);
  const e164 = phones.map((p) => toE164(p, country)).find(Boolean);
  return {
    googlePlaceId: place.id,
    businessName: name.slice(0, 200),
    // A place without a street (a mall unit, a rural business): its formatted address says the most.
    address: street || place.formattedAddress || '',
    // postal_town is the UK's and Sweden's city; sublocality serves boroughs (Brooklyn).
    city: component(parts, 'locality') ?? component(parts, 'postal_town') ?? component(parts, 'sublocality_level_1') ?? '',
    state: component(parts, 'administrative_area_level_1', 'shortText') ?? '',
    zipCode: component(parts, 'postal_code') ?? '',
    country,
    phone: e164 ?? phones[0] ?? null,
    website: place.websiteUri || null,
    rating: place.rating ?? null,
    reviewCount: place.userRatingCount ?? null,
    category: place.primaryTypeDisplayName?.text || place.primaryType || 'unknown',
  };
}
