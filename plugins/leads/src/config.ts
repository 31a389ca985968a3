import { z } from 'zod';

/** LEADS_DEFAULT_COUNTRY, LEADS_GOOGLE_PLACES_URL. The Places API key is each tenant's, saved as a connection (see connections.ts). */
export const leadsConfig = z.object({
  /** The country of a place whose address names none, and of lead phones written without a +country code (ISO 3166 alpha-2). */
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('US'),
  /** Where the Places API lives (tests point it at a local fake). */
  googlePlacesUrl: z.url().default('https://places.googleapis.com/'),
});
export type LeadsConfig = z.output<typeof leadsConfig>;
