import type { PrismaClient } from '@soshogle/db';

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the current window ends. */
  retryAfter: number;
}

/** One hit to count: on `key`, in a fixed window of `windowSeconds`, allowed within `limit`. */
export interface RateLimitHit {
  key: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Counts one hit on `key` in a fixed window shared by every process (a row in
 * RateLimit, which records the window's length so the lifecycle job forgets it once the
 * window has ended). Allowed while the count is within `limit`.
 */
export async function hitRateLimit(db: PrismaClient, key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  const [result] = await hitRateLimits(db, [{ key, limit, windowSeconds }]);
  return result!;
}

/**
 * hitRateLimit for several keys (a public POST counted per address and per form) in one
 * statement: one round trip and one commit instead of one each. The keys must differ. The
 * answers are in the order given.
 */
export async function hitRateLimits(db: PrismaClient, hits: RateLimitHit[]): Promise<RateLimitResult[]> {
  if (!hits.length) return [];
  const now = Date.now();
  const windows = hits.map(({ windowSeconds }) => new Date(Math.floor(now / (windowSeconds * 1000)) * windowSeconds * 1000));
  // Rows upserted in key order: two requests sharing keys wait for each other instead of deadlocking.
  const order = hits.map((_, i) => i).sort((a, b) => (hits[a]!.key < hits[b]!.key ? -1 : hits[a]!.key > hits[b]!.key ? 1 : 0));
  // A counter, not a record: its commit need not wait for the WAL to reach the disk (that wait
  // was most of a public read's database time; a crash forgets at most the last fraction of a
  // second of hits). set_config(..., true) holds for this statement's own transaction only.
  const rows = await db.$queryRaw<{ key: string; count: number }[]>`
    insert into "RateLimit" ("key", "windowStart", "windowSeconds", "count")
    select h.key, h."windowStart", h."windowSeconds", 1
    from (select set_config('synchronous_commit', 'off', true)) as async_commit,
      unnest(${order.map((i) => hits[i]!.key)}::text[], ${order.map((i) => windows[i]!.toISOString())}::timestamp[], ${order.map((i) => hits[i]!.windowSeconds)}::int[]) with ordinality as h(key, "windowStart", "windowSeconds", n)
    order by h.n
    on conflict ("key", "windowStart") do update set "count" = "RateLimit"."count" + 1
    returning "key", "count"`;
  const counts = new Map(rows.map((row) => [row.key, row.count]));
  return hits.map(({ key, limit, windowSeconds }, i) => ({
    allowed: (counts.get(key) ?? 1) <= limit,
    retryAfter: Math.ceil((windows[i]!.getTime() + windowSeconds * 1000 - now) / 1000),
  }));
}

/** Forgets `key`'s current count (after a successful login, say). */
export async function resetRateLimit(db: PrismaClient, key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}
