import { z } from 'zod';

/** CRM_DEFAULT_COUNTRY. */
export const crmConfig = z.object({
  /** The country assumed for phone numbers written without a +country code (ISO 3166 alpha-2). */
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('US'),
});
export type CrmConfig = z.output<typeof crmConfig>;
