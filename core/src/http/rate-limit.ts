// The one refusal of a public endpoint over its rate limit (ctx.rateLimit): a 429 with
// Retry-After, naming what came too often and when to try again.
import type { PluginContext } from '../plugin.ts';
import { Problem } from './problem.ts';

/**
 * Counts one hit on `key` (ctx.rateLimit) and refuses with a 429 when the window already
 * holds `limit`; `what` names what came too often ("submissions from this address").
 */
export async function limitHits(ctx: Pick<PluginContext, 'rateLimit'>, key: string, limit: number, windowSeconds: number, what: string): Promise<void> {
  const { allowed, retryAfter } = await ctx.rateLimit(key, limit, windowSeconds);
  if (!allowed) throw new Problem(429, 'Too Many Requests', `Too many ${what}: try again in ${retryAfter} s`, { retryAfter });
}
