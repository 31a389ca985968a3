// Send rate limits per tenant and provider, shared by every worker process: a row holds
// the next free send slot, and each send reserves one with a single atomic UPDATE.
import { randomUUID } from 'node:crypto';
import type { TenantDb, TenantTx } from '@soshogle/core';
import type { Provider } from '../channels.ts';

/** Sends per second when the tenant has not set one (Twilio's long-code rate for SMS). */
export const defaultRates: Record<Provider, number> = { twilio: 1, sendgrid: 10, meta: 5 };

/** Reserves the next send slot; returns its time (now, or later when sends are queued ahead). */
export async function reserveSlot(db: TenantDb | TenantTx, tenantId: string, provider: Provider, perSecond: number): Promise<Date> {
  const gapMs = Math.max(1, Math.round(1000 / perSecond));
  const [row] = await db.$queryRaw<{ slot: Date }[]>`
    insert into "SendThrottle" (id, "userId", provider, "nextSendAt")
    values (${randomUUID()}, ${tenantId}, ${provider}, clock_timestamp() + make_interval(secs => ${gapMs / 1000}))
    on conflict ("userId", provider) do update
      set "nextSendAt" = greatest("SendThrottle"."nextSendAt", clock_timestamp()) + make_interval(secs => ${gapMs / 1000})
    returning "nextSendAt" - make_interval(secs => ${gapMs / 1000}) as slot`;
  return row!.slot;
}

/**
 * After a provider's 429: no send for this tenant and provider before `seconds` from now.
 * New slots start after the hold; sends already holding an earlier slot check heldUntil.
 */
export async function holdSends(db: TenantDb | TenantTx, tenantId: string, provider: Provider, seconds: number): Promise<void> {
  await db.$executeRaw`
    update "SendThrottle" set
      "heldUntil" = greatest("heldUntil", clock_timestamp() + make_interval(secs => ${seconds})),
      "nextSendAt" = greatest("nextSendAt", clock_timestamp() + make_interval(secs => ${seconds}))
    where "userId" = ${tenantId} and provider = ${provider}`;
}

/** Until when sends are held after a 429, if they are now. */
export async function heldUntil(db: TenantDb | TenantTx, provider: Provider): Promise<Date | null> {
  const row = await db.sendThrottle.findFirst({ where: { provider, heldUntil: { gt: new Date() } }, select: { heldUntil: true } });
  return row?.heldUntil ?? null;
}
