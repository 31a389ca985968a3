// The one refusal of a public endpoint over its rate limit (ctx.rateLimit): a 429 with
// Retry-After, naming what came too often and when to try again.
import type { PluginContext } from '../plugin.ts';
import { Problem } from './problem.ts';

/** A limit a public endpoint keeps: `what` names what came too often ("submissions from this address"). */
export interface HitLimit {
  key: string;
  limit: number;
  windowSeconds: number;
  what: string;
}

/**
 * Counts one hit on each key (ctx.rateLimits, one statement for all) and refuses with a 429
 * naming the first limit, in the order given, that its window already holds; each key counts
 * the hit either way.
 */
export async function limitHits(ctx: Pick<PluginContext, 'rateLimits'>, limits: HitLimit[]): Promise<void> {
  const results = await ctx.rateLimits(limits);
  const refused = limits.findIndex((_, i) => !results[i]!.allowed);
  if (refused < 0) return;
  const { retryAfter } = results[refused]!;
  throw new Problem(429, 'Too Many Requests', `Too many ${limits[refused]!.what}: try again in ${retryAfter} s`, { retryAfter });
}
