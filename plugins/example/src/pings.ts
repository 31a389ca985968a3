// A ping is written in one place: the row, the example.pinged event and the job that
// delivers it commit in the caller's transaction, or none of them does.
import type { Events, Jobs, TenantTx } from '@soshogle/core';

export interface NewPing {
  message: string;
  source: 'api' | 'webhook' | 'contact_created';
  contactId?: string | null;
  /** What made it (an event id): a repeat of it finds the ping already there and adds nothing. */
  key?: string;
}

export async function recordPing(tx: TenantTx, ctx: { tenantId: string; events: Events; jobs: Jobs }, ping: NewPing): Promise<{ pingId: string; eventId: string | null }> {
  const { tenantId } = ctx;
  if (ping.key) {
    const seen = await tx.examplePing.findUnique({ where: { userId_key: { userId: tenantId, key: ping.key } }, select: { id: true } });
    if (seen) return { pingId: seen.id, eventId: null };
  }
  const row = await tx.examplePing.create({
    data: { userId: tenantId, message: ping.message, source: ping.source, contactId: ping.contactId ?? null, key: ping.key ?? null },
  });
  const eventId = await ctx.events.raise(tx, 'example.pinged', { pingId: row.id, message: row.message, contactId: row.contactId }, { tenantId });
  await ctx.jobs.enqueue(tx, 'example.deliver_ping', { pingId: row.id }, { tenantId });
  return { pingId: row.id, eventId };
}

/** A ping as the API shows it; `sandbox: true` says it never left this server. */
export function pingView(p: { id: string; message: string; source: string; contactId: string | null; sandbox: boolean | null; providerId: string | null; deliveredAt: Date | null; createdAt: Date }) {
  const { id, message, source, contactId, sandbox, providerId, deliveredAt, createdAt } = p;
  return { id, message, source, contactId, sandbox, providerId, deliveredAt, createdAt };
}
