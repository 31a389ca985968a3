// The tenant's account at the example provider: the key its API takes and the secret it
// signs this account's webhooks with. Until one is saved, the plugin runs in sandbox mode.
import { defineConnection } from '@soshogle/core';
import { z } from 'zod';

const credentials = z.object({
  apiKey: z.string().trim().min(8).max(200),
  /** Where the provider's API is; tests point it at the fake in testing/fake.ts. */
  baseUrl: z.url().default('https://api.example-provider.test'),
  webhookSecret: z.string().min(16),
  verifyToken: z.string().min(8),
});

export type ExampleAccount = z.output<typeof credentials>;

export const exampleAccount = defineConnection({
  provider: 'example_account',
  displayName: 'Example account',
  description: 'Your example provider account: pings are delivered with its API key. Without it, pings are kept here (sandbox mode).',
  credentials,
  visible: ['baseUrl'],
});
