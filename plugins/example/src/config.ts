import { z } from 'zod';

/** EXAMPLE_GREETING, EXAMPLE_WEBHOOK_SECRET. */
export const exampleConfig = z.object({
  greeting: z.string().min(1).default('Hello'),
  /** Shared secret for the inbound webhook; unset, every delivery is refused. */
  webhookSecret: z.string().min(16).optional(),
});
