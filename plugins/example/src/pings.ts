// A ping is written in one place: the row, the example.pinged event and the job that
// delivers it commit in the caller's transaction, or none of them does.
import { isoDate, type Events, type Jobs, type TenantTx } from '@soshogle/core';
import { z } from 'zod';

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

/** A ping as the API shows it. */
export const pingResponse = z
  .object({
    id: z.string(),
    message: z.string(),
    /** What made it: api, webhook, contact_created or workflow. */
    source: z.string(),
    contactId: z.string().nullable(),
    /** true: it never left this server (no connection saved); null until delivered. */
    sandbox: z.boolean().nullable(),
    /** The provider's id for the delivered ping. */
    providerId: z.string().nullable(),
    deliveredAt: isoDate.nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'ExamplePing', description: 'A ping of the example plugin, with how it was delivered' });

/** What recording a ping answers: the ping, and the event it raised (null when it was there already). */
export const recordedPingResponse = z.object({ pingId: z.string(), eventId: z.string().nullable() });

/** A ping as the API shows it (not its idempotency key). */
export function pingView(p: { id: string; message: string; source: string; contactId: string | null; sandbox: boolean | null; providerId: string | null; deliveredAt: Date | null; createdAt: Date }): z.output<typeof pingResponse> {
  const { id, message, source, contactId, sandbox, providerId, deliveredAt, createdAt } = p;
  return { id, message, source, contactId, sandbox, providerId, deliveredAt, createdAt };
}
