import type Router from '@koa/router';
import { listMigrationNames, type PrismaClient } from '@soshogle/db';

/** /healthz: the process answers. /readyz: the database answers and every migration is applied. */
export function mountHealth(router: Router, db: PrismaClient): void {
  // The migrations this build ships are fixed: read the folder once, not on every probe.
  const shipped = listMigrationNames();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const checks: Record<string, string> = {};
    try {
      const applied = await db.$queryRaw<{ migration_name: string }[]>`
        select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null`;
      checks.database = 'ok';
      const done = new Set(applied.map((r) => r.migration_name));
      const pending = (await shipped).filter((n) => !done.has(n));
      checks.migrations = pending.length ? `pending: ${pending.join(', ')}` : 'ok';
    } catch (error) {
      checks.database = `unreachable: ${(error as Error).message.split('\n')[0]}`;
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready', checks };
  });
}
