// One Soshogle process of a bench run as deployed (startBenchProcesses in bench.ts): the API
// (WORKER_ENABLED=false) or a worker, on the bench's database, with the plugins named in
// BENCH_PLUGINS (comma-separated package names). Plugin settings come from the environment.
// stdout: `ready <url>` once started; on SIGTERM it stops (running jobs finish) and exits 0,
// so `node --cpu-prof` writes its profile.
import { startSoshogle } from '../boot.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { importPlugins } from '../plugin-host.ts';

const config = loadConfig({
  NODE_ENV: 'test',
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  DATABASE_URL: process.env.DATABASE_URL,
  DATA_DIR: process.env.DATA_DIR,
  WORKER_ENABLED: process.env.WORKER_ENABLED ?? 'true',
  ...(process.env.WORKER_CONCURRENCY ? { WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY } : {}),
});
const plugins = await importPlugins((process.env.BENCH_PLUGINS ?? '').split(',').filter(Boolean));
const soshogle = await startSoshogle(config, plugins, createLogger(config.LOG_LEVEL));
let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  soshogle.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
// Orphaned (the bench died and closed our stdin): stop working on its database.
process.stdin.on('end', () => process.exit(1));
process.stdin.resume();
process.stdout.write(`ready ${soshogle.url}\n`);
