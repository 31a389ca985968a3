// A whole Soshogle process (API, worker, supervisor) for workflows/durability.test.ts,
// with a test plugin whose action writes one note through the step's transaction and
// can then sleep, so a test can kill the process while steps are running.
//
// Usage: DATABASE_URL=... WORKER_CONCURRENCY=4 node --import tsx core/src/testing/engine-worker-child.ts
// stdout, one line each: `ready <pid>` once started; `wrote <label> <contactId>` when an
// action has written its note (uncommitted, before its sleep); `stopped` after a SIGTERM
// stopped everything (the process then exits 0).
// Imported (by the test), it only exports the plugin.
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { startSoshogle } from '../boot.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { defineAction, definePlugin, PermanentFailure } from '../plugin.ts';

export interface DurabilityPluginOptions {
  /** Called after the note is written, inside the step's transaction, before the sleep. */
  onWrote?(label: string, contactId: string): void;
}

/**
 * Plugin `durability`, action `durability.write_note`: adds the note `<label> pid=<pid>`
 * to the run's contact through ctx.db (so it commits with the step), then sleeps `sleepMs`.
 */
export function durabilityPlugin(options: DurabilityPluginOptions = {}) {
  return definePlugin({
    name: 'durability',
    displayName: 'Durability test kit',
    description: 'A transactional action for the engine durability tests',
    actions: [
      defineAction({
        name: 'write_note',
        version: 1,
        displayName: 'Write note',
        description: 'Writes one note on the contact, then sleeps',
        props: z.object({ label: z.string().min(1), sleepMs: z.number().int().min(0).max(60_000).default(0) }),
        output: z.object({ noteId: z.string() }),
        idempotent: true,
        transactional: true,
        async run(ctx) {
          const contactId = ctx.run.contactId;
          if (!contactId) throw new PermanentFailure('no contact');
          const note = await ctx.db.note.create({
            data: { userId: ctx.tenantId, contactId, content: `${ctx.props.label} pid=${process.pid}` },
            select: { id: true },
          });
          options.onWrote?.(ctx.props.label, contactId);
          // Deliberately deaf to ctx.signal: the step holds its transaction open for the whole sleep.
          if (ctx.props.sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.props.sleepMs));
          return { noteId: note.id };
        },
      }),
    ],
  });
}

async function main(): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.DATABASE_URL,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.CHILD_LOG_LEVEL ?? 'silent',
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '4',
  });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const soshogle = await startSoshogle(
    config,
    [durabilityPlugin({ onWrote: (label, contactId) => say(`wrote ${label} ${contactId}`) })],
    createLogger(config.LOG_LEVEL),
  );
  // As main.ts does: a SIGTERM stops the server and the worker (running jobs finish), then exits.
  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    soshogle.stop().then(
      () => {
        say('stopped');
        process.exit(0);
      },
      () => process.exit(1),
    );
  });
  // Orphaned (the test process died and closed our stdin): do not keep working on the queue.
  process.stdin.on('end', () => process.exit(1));
  process.stdin.resume();
  say(`ready ${process.pid}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
