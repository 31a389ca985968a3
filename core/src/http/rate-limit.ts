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
export async function limitHits(ctx: Pick<PluginContext, 'rateLimits'>, limits: HitLimit[]): Promise<void>;
/** Counts one hit on `key` and refuses with a 429 when the window already holds `limit`. */
export async function limitHits(ctx: Pick<PluginContext, 'rateLimits'>, key: string, limit: number, windowSeconds: number, what: string): Promise<void>;
export async function limitHits(ctx: Pick<PluginContext, 'rateLimits'>, ...args: [HitLimit[]] | [string, number, number, string]): Promise<void> {
  const limits = typeof args[0] === 'string' ? [{ key: args[0], limit: args[1]!, windowSeconds: args[2]!, what: args[3]! }] : args[0];
  const results = await ctx.rateLimits(limits);
  const refused = limits.findIndex((_, i) => !results[i]!.allowed);
  if (refused < 0) return;
  const { retryAfter } = results[refused]!;
  throw new Problem(429, 'Too Many Requests', `Too many ${limits[refused]!.what}: try again in ${retryAfter} s`, { retryAfter });
}
