// Send rate limits per tenant and provider (by its name), shared by every worker process: a row holds
// the next free send slot, and each batch reserves its slots with a single atomic UPDATE.
import { randomUUID } from 'node:crypto';
import { tenantSql, type TenantDb, type TenantTx } from '@soshogle/core';

// Prisma keeps DateTime columns as UTC timestamps without a zone: the database's clock in
// the same terms, whatever the session's time zone.

/** Milliseconds between two sends at `perSecond` (fractional: 3,000/s is a third of a millisecond). */
export const gapOf = (perSecond: number): number => 1000 / perSecond;

/**
 * Reserves `count` consecutive send slots; returns the first one's time (now, or later
 * when sends are queued ahead). Slot i is at first + i * gapOf(perSecond). The time is
 * rounded up to the millisecond, so a send at it is never before the slot.
 */
export async function reserveSlot(db: TenantDb | TenantTx, tenantId: string, provider: string, perSecond: number, count = 1): Promise<Date> {
  const span = (gapOf(perSecond) * count) / 1000;
  const t = tenantSql(tenantId);
  const [row] = await db.$queryRaw<{ ms: number }[]>(t`
    insert into "SendThrottle" (id, "userId", provider, "nextSendAt")
    values (${randomUUID()}, ${t.id}, ${provider}, (clock_timestamp() at time zone 'UTC') + make_interval(secs => ${span}))
    on conflict ("userId", provider) do update
      set "nextSendAt" = greatest("SendThrottle"."nextSendAt", (clock_timestamp() at time zone 'UTC')) + make_interval(secs => ${span})
    returning (extract(epoch from "nextSendAt" - make_interval(secs => ${span})) * 1000)::float8 as ms`);
  return new Date(Math.ceil(row!.ms));
}

/**
 * After a provider's 429: no send for this tenant and provider before `seconds` from now.
 * New slots start after the hold; sends already holding an earlier slot check heldUntil.
 */
export async function holdSends(db: TenantDb | TenantTx, tenantId: string, provider: string, seconds: number): Promise<void> {
  const t = tenantSql(tenantId);
  await db.$executeRaw(t`
    update "SendThrottle" set
      "heldUntil" = greatest("heldUntil", (clock_timestamp() at time zone 'UTC') + make_interval(secs => ${seconds})),
      "nextSendAt" = greatest("nextSendAt", (clock_timestamp() at time zone 'UTC') + make_interval(secs => ${seconds}))
    where ${t.owns()} and provider = ${provider}`);
}

/** Until when sends are held after a 429, if they are now. */
export async function heldUntil(db: TenantDb | TenantTx, provider: string): Promise<Date | null> {
  const row = await db.sendThrottle.findFirst({ where: { provider, heldUntil: { gt: new Date() } }, select: { heldUntil: true } });
  return row?.heldUntil ?? null;
}
