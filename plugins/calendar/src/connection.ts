// The tenant's account at the provider, entered in Settings and stored encrypted by the
// core (PUT /api/connections/calendar/calendar_account). Until it is saved, the plugin
// runs in sandbox mode: nothing leaves the server.
import { defineConnection } from '@soshogle/core';
import { z } from 'zod';

const credentials = z.object({
  apiKey: z.string().trim().min(8).max(200),
  /** Where the provider's API is; tests point it at a local fake. */
  baseUrl: z.url().default('https://api.provider.example'),
});

export type Account = z.output<typeof credentials>;

export const account = defineConnection({
  provider: 'calendar_account',
  displayName: 'Calendar account',
  description: 'Your account at the provider. Without it, pings are not sent anywhere (sandbox mode).',
  credentials,
  visible: ['baseUrl'],
});
