import type { PrismaClient } from '@soshogle/db';

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the current window ends. */
  retryAfter: number;
}

/**
 * Counts one hit on `key` in a fixed window shared by every process (a row in
 * RateLimit). Allowed while the count is within `limit`.
 */
export async function hitRateLimit(db: PrismaClient, key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  const now = Date.now();
  const windowStart = new Date(Math.floor(now / (windowSeconds * 1000)) * windowSeconds * 1000);
  // A counter, not a record: its commit need not wait for the WAL to reach the disk (that wait
  // was most of a public read's database time; a crash forgets at most the last fraction of a
  // second of hits). set_config(..., true) holds for this statement's own transaction only.
  const [row] = await db.$queryRaw<{ count: number }[]>`
    insert into "RateLimit" ("key", "windowStart", "count")
    select ${key}, ${windowStart}, 1 from (select set_config('synchronous_commit', 'off', true)) as async_commit
    on conflict ("key", "windowStart") do update set "count" = "RateLimit"."count" + 1
    returning "count"`;
  const retryAfter = Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now) / 1000);
  return { allowed: (row?.count ?? 1) <= limit, retryAfter };
}

/** Forgets `key`'s current count (after a successful login, say). */
export async function resetRateLimit(db: PrismaClient, key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}
