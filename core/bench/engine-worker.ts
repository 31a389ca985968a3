// The engine benchmark's worker process. Deployed, workers run apart from the API and from
// whatever raises events; so does the bench (BENCH_WORKER=inline keeps it in the bench's
// own process, to compare). Started with fork(): it boots Soshogle on DATABASE_URL without
// a worker, says `ready`, starts its worker on `start`, and reports each action's start
// time (ms since the epoch) in batches, for the latency figures.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { z } from 'zod';
import { startSoshogle } from '../src/boot.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { defineAction, definePlugin } from '../src/plugin.ts';
import { startWorker } from '../src/worker.ts';

/**
 * The action under test: one row written through the tenant-scoped client, inside the
 * step's transaction. `started` is told the run's contact when it starts.
 */
export function benchPlugin(started: (contactId: string) => void) {
  return definePlugin({
    name: 'bench',
    displayName: 'Benchmark',
    description: 'The engine benchmark',
    actions: [
      defineAction({
        name: 'write_note',
        version: 1,
        displayName: 'Write a note',
        description: 'Writes one note for the contact',
        props: z.object({ content: z.string() }),
        output: z.object({ noteId: z.string() }),
        idempotent: true,
        transactional: true,
        async run(ctx) {
          started(ctx.run.contactId!);
          const note = await ctx.db.note.create({ data: { userId: ctx.tenantId, content: ctx.props.content, contactId: ctx.run.contactId }, select: { id: true } });
          return { noteId: note.id };
        },
      }),
    ],
  });
}

/** Messages between the bench and this process. */
export type ToWorker = { start: true } | { stop: true };
export type FromWorker = { ready: true } | { started: [contactId: string, at: number][] } | { stopped: true };

if (process.send && process.argv.includes('--bench-worker')) {
  const send = (message: FromWorker) => process.send!(message);
  const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 10);
  const log = createLogger('warn');
  const pending: [string, number][] = [];
  const flush = setInterval(() => {
    if (pending.length) send({ started: pending.splice(0) });
  }, 20);
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: process.env.DATABASE_URL, WORKER_ENABLED: 'false' });
  const soshogle = await startSoshogle(config, [benchPlugin((contactId) => pending.push([contactId, performance.timeOrigin + performance.now()]))], log);
  const pgPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: concurrency + 2 });
  pgPool.on('error', () => {}).on('connect', (client) => client.on('error', () => {}));
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  process.on('message', (message: ToWorker) => {
    if ('start' in message) {
      void startWorker({ pgPool, concurrency, services: soshogle, log }).then((w) => (worker = w));
    } else {
      void (async () => {
        await worker?.stop();
        await pgPool.end();
        await soshogle.stop();
        clearInterval(flush);
        if (pending.length) send({ started: pending.splice(0) });
        send({ stopped: true });
        process.disconnect();
      })();
    }
  });
  // Orphaned (the bench died): stop working on the queue.
  process.on('disconnect', () => process.exit(0));
  send({ ready: true });
}
