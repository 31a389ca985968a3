import { z } from 'zod';

/**
 * MESSAGING_TWILIO_API_URL, MESSAGING_SENDGRID_API_URL, MESSAGING_META_API_URL: where the
 * providers' APIs live (tests point them at local fakes). Credentials are each tenant's,
 * saved as connections (see connections.ts).
 */
export const messagingConfig = z.object({
  twilioApiUrl: z.url().optional(),
  sendgridApiUrl: z.url().optional(),
  metaApiUrl: z.url().default('https://graph.facebook.com'),
  /** Graph API version for Messenger and Instagram sends. */
  metaApiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v21.0'),
});
export type MessagingConfig = z.output<typeof messagingConfig>;
