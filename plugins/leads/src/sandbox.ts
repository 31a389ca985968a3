// Sandbox mode: without a Google Places key, searches answer with sample places derived
// from the query, so the whole flow (job, paging, dedupe, conversion) works offline.
// The samples are shaped like the API's places and go through the same parser; their
// ids start with `sandbox_` and their phones are 555-01xx numbers, reserved for fiction.
import { createHash } from 'node:crypto';
import type { Place, PlacesSearch } from './places.ts';

/** Results of every sandbox search: three pages of 20, the last one short. */
export const sandboxResultCount = 45;

const prefixes = ['Bright', 'Riverside', 'Summit', 'Oak Hill', 'Lakeside', 'Main Street', 'Sunrise', 'Cedar', 'Pioneer'];
const suffixes = ['Co.', 'Studio', 'Group', 'Center', 'Partners'];
const streets = ['Congress Ave', 'Main St', 'Oak Dr', 'Elm St', 'Lamar Blvd', 'Park Rd'];

const titleCase = (text: string) => text.replace(/\b\p{L}/gu, (c) => c.toUpperCase());

/** "dentist in Austin, TX" -> dentist / Austin / TX; anything else gets a made-up town. */
function readQuery(query: string): { subject: string; city: string; state: string } {
  const match = /^(.+?)\s+(?:in|near)\s+([^,]+?)(?:,\s*([A-Za-z]{2}))?\s*$/i.exec(query.trim());
  const subject = (match?.[1] ?? query).trim().toLowerCase() || 'business';
  return { subject, city: match?.[2] ? titleCase(match[2].trim()) : 'Springfield', state: match?.[3]?.toUpperCase() ?? 'IL' };
}

/** The `index`-th sample place of `query`: the same query always gives the same places. */
export function samplePlace(query: string, index: number): Place {
  const { subject, city, state } = readQuery(query);
  const digest = createHash('sha256').update(`${query.trim().toLowerCase()}#${index}`).digest();
  const pick = <T>(list: T[], byte: number) => list[digest[byte]! % list.length]!;
  const name = `${pick(prefixes, 0)} ${titleCase(subject)} ${pick(suffixes, 1)} ${index + 1}`;
  const number = String(100 + digest.readUInt16BE(2) % 9800);
  const street = pick(streets, 4);
  const zip = String(10_000 + digest.readUInt16BE(5) % 89_999);
  const line = String(100 + index).padStart(4, '0').slice(-2);
  return {
    id: `sandbox_${digest.subarray(8, 20).toString('hex')}`,
    displayName: { text: name, languageCode: 'en' },
    formattedAddress: `${number} ${street}, ${city}, ${state} ${zip}, USA`,
    addressComponents: [
      { longText: number, shortText: number, types: ['street_number'], languageCode: 'en' },
      { longText: street, shortText: street, types: ['route'], languageCode: 'en' },
      { longText: city, shortText: city, types: ['locality', 'political'], languageCode: 'en' },
      { longText: state, shortText: state, types: ['administrative_area_level_1', 'political'], languageCode: 'en' },
      { longText: 'United States', shortText: 'US', types: ['country', 'political'], languageCode: 'en' },
      { longText: zip, shortText: zip, types: ['postal_code'], languageCode: 'en' },
    ],
    rating: Math.round((3 + (digest[7]! % 21) / 10) * 10) / 10,
    userRatingCount: digest.readUInt16BE(20) % 500,
    primaryTypeDisplayName: { text: titleCase(subject), languageCode: 'en' },
    nationalPhoneNumber: `(201) 555-01${line}`,
    internationalPhoneNumber: `+1 201-555-01${line}`,
    websiteUri: `https://example.com/sandbox/${digest.subarray(8, 14).toString('hex')}`,
  };
}

/** Pages of sample places; the page token is the offset of the next page. */
export const sandboxPlaces: PlacesSearch = async (request, { pageSize, pageToken }) => {
  const start = pageToken ? Number(pageToken.replace(/^sandbox:/, '')) || 0 : 0;
  const end = Math.min(start + pageSize, sandboxResultCount);
  const places = Array.from({ length: Math.max(0, end - start) }, (_, i) => samplePlace(request.query, start + i));
  return { places, nextPageToken: end < sandboxResultCount ? `sandbox:${end}` : null };
};
