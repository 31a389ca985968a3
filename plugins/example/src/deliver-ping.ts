// The job that delivers a recorded ping to the provider, after the commit that recorded
// it, on whichever worker takes it; retried with backoff while the provider is down.
import { defineJob, PermanentFailure } from '@soshogle/core';
import { z } from 'zod';
import { exampleAccount, type ExampleAccount } from './connection.ts';
import { deliver } from './provider.ts';

export const deliverPing = defineJob({
  name: 'deliver_ping',
  payload: z.object({ pingId: z.string().min(1) }),
  maxAttempts: 5,
  async run({ db, credentials, log }, { pingId }) {
    const ping = await db.examplePing.findUnique({ where: { id: pingId } });
    // Delivered by an earlier attempt (jobs run at least once), or deleted since.
    if (!ping || ping.deliveredAt) return;
    try {
      // The ping's id is the idempotency key: a retry after a lost answer is not a second ping.
      const delivered = await deliver(await credentials.get<ExampleAccount>(exampleAccount.provider), { message: ping.message, idempotencyKey: ping.id });
      await db.examplePing.update({ where: { id: ping.id }, data: { ...delivered, deliveredAt: new Date() } });
    } catch (error) {
      if (!(error instanceof PermanentFailure)) throw error;
      log.warn({ pingId, err: error.message }, 'ping refused by the provider; not retried');
    }
  },
});
