// One conversation with ElevenLabs about an agent or a call at a time, across workers: a
// transaction's advisory lock held across the provider call (the transaction does nothing
// else), released when it ends, a crash included.
import type { JobContext } from '@soshogle/core';

/** Runs `work` while holding the lock `key`; false, without running it, when another holds it. */
export function whileHolding(db: JobContext['db'], key: string, work: () => Promise<void>): Promise<boolean> {
  return db.$transaction(
    async (lockTx) => {
      const [row] = await lockTx.$queryRaw<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(hashtext(${key})) as locked`;
      if (!row?.locked) return false;
      await work();
      return true;
    },
    { timeout: 90_000 },
  );
}
