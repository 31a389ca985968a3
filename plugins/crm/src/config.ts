import { z } from 'zod';

/** CRM_DEFAULT_COUNTRY, CRM_GOOGLE_PLACES_URL. The Places API key is each tenant's, saved as a connection (see connections.ts). */
export const crmConfig = z.object({
  /** The country assumed for phone numbers written without a +country code (ISO 3166 alpha-2). */
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('US'),
  /** Where the Places API lives (tests point it at a local fake). */
  googlePlacesUrl: z.url().default('https://places.googleapis.com/'),
});
export type CrmConfig = z.output<typeof crmConfig>;
