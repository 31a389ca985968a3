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
  const [row] = await db.$queryRaw<{ count: number }[]>`
    insert into "RateLimit" ("key", "windowStart", "count") values (${key}, ${windowStart}, 1)
    on conflict ("key", "windowStart") do update set "count" = "RateLimit"."count" + 1
    returning "count"`;
  const retryAfter = Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now) / 1000);
  return { allowed: (row?.count ?? 1) <= limit, retryAfter };
}

/** Forgets `key`'s current count (after a successful login, say). */
export async function resetRateLimit(db: PrismaClient, key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}
