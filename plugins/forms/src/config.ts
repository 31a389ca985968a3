import { z } from 'zod';

/**
 * FORMS_* settings of the installation: the public endpoints' limits and the spam timing.
 * The defaults suit one small business's site; a busy one raises the per-form limit.
 */
export const formsConfig = z.object({
  /** Submissions one address may send per hour (all forms). */
  submissionsPerIpHour: z.coerce.number().int().min(1).default(20),
  /** Submissions one form takes per minute, from everyone. */
  submissionsPerFormMinute: z.coerce.number().int().min(1).default(600),
  /** Form loads (GET) per address per minute. */
  readsPerIpMinute: z.coerce.number().int().min(1).default(120),
  /** A form sent back sooner than this after it loaded is a bot's (stored as SPAM). */
  minFillSeconds: z.coerce.number().min(0).max(60).default(3),
  /** A form open longer than this must be reloaded (its token has expired). */
  maxFormAgeHours: z.coerce.number().min(1).max(168).default(24),
  /** Submissions the processing job takes per transaction (a burst gathered for 250 ms fits in one). */
  processBatch: z.coerce.number().int().min(1).max(1000).default(100),
});

export type FormsConfig = z.output<typeof formsConfig>;
