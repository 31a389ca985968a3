// A worker process for worker-supervisor.test.ts: a supervised graphile-worker runner
// whose `block` task never finishes, so the test can SIGKILL it while it holds a job.
// Usage: DATABASE_URL=... node --import tsx core/src/testing/worker-child.ts
import { Logger, run } from 'graphile-worker';
import pg from 'pg';
import { createLogger } from '../logger.ts';
import { superviseWorkers } from '../worker-supervisor.ts';

const pgPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
pgPool.on('error', () => {});
pgPool.on('connect', (client) => client.on('error', () => {}));
const runner = await run({
  pgPool,
  concurrency: 1,
  noHandleSignals: true,
  parsedCronItems: [],
  pollInterval: 100,
  logger: new Logger(() => () => {}),
  taskList: { block: () => new Promise<void>(() => {}) },
  preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
});
superviseWorkers({ pgPool, runner, log: createLogger('silent'), heartbeatMs: 200, deadAfterMs: 1000 });
process.stdout.write('ready\n');
