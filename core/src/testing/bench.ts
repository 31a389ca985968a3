// What every benchmark starts with: a throwaway embedded PostgreSQL (or DATABASE_URL), a
// Soshogle on it with the given plugins, listening on a free port with its worker, and
// one stop() that takes it all down again.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabaseServer } from '@soshogle/db';
import { freePort } from '@soshogle/db/testing';
import { run } from 'graphile-worker';
import pg from 'pg';
import { startSoshogle, type Soshogle } from '../boot.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import type { PluginDefinition } from '../plugin.ts';
import { runnerOptions } from '../worker.ts';

export { shuffled } from './shuffle.ts';

/** A figure as a bench prints it: grouped thousands, two decimals below 10. */
export const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : 0 });

/** Runs `work(i)` for i in [0, count), `width` at a time. */
export async function pool(count: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, count) }, async () => {
    for (let i = next++; i < count; i = next++) await work(i);
  }));
}

export interface BenchOptions {
  /** Core settings beyond the bench defaults (e.g. BODY_LIMIT); WORKER_CONCURRENCY comes from the environment. */
  config?: Record<string, string>;
  /** Plugin settings on top of the process environment. */
  pluginEnv?: Record<string, string | undefined>;
  /** The embedded server's shared_buffers (e.g. 128MB), instead of its default. */
  sharedBuffers?: string;
}

export interface Bench {
  soshogle: Soshogle;
  databaseUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startBenchSoshogle(name: string, plugins: PluginDefinition[], options: BenchOptions = {}): Promise<Bench> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `soshogle-bench-${name}-`));
  const database = await openDatabaseServer({
    databaseUrl: process.env.DATABASE_URL,
    dataDir,
    port: await freePort(),
    database: `bench_${name}`,
    ...(options.sharedBuffers ? { sharedBuffers: options.sharedBuffers } : {}),
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    ...(process.env.WORKER_CONCURRENCY ? { WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY } : {}),
    ...options.config,
  });
  const soshogle = await startSoshogle(config, plugins, createLogger('warn'), { ...process.env, ...options.pluginEnv });
  return {
    soshogle,
    databaseUrl: database.url,
    dataDir,
    async stop() {
      await soshogle.stop();
      await database.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What the machine does right now without Soshogle: graphile-worker jobs that each do one
 * INSERT, with the runner settings the worker uses, in jobs/s. A bench prints its figures
 * beside this one from the same run, so runs on a busy, shared machine still compare.
 */
export async function insertJobBaseline(databaseUrl: string, options: { jobs?: number; concurrency?: number } = {}): Promise<number> {
  const jobs = options.jobs ?? 20_000;
  const concurrency = options.concurrency ?? Number(process.env.WORKER_CONCURRENCY ?? 10);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency + 4 });
  // graphile-worker wants handlers on the pool and on each client it lends.
  pool.on('error', () => {}).on('connect', (client) => client.on('error', () => {}));
  try {
    await pool.query('create table if not exists bench_baseline (id bigserial primary key, n int not null, at timestamptz not null default now())');
    await pool.query(
      `select graphile_worker.add_jobs(array(select json_populate_record(null::graphile_worker.job_spec,
         json_build_object('identifier', 'bench_baseline_insert', 'payload', json_build_object('n', g))) from generate_series(1, $1::int) g))`,
      [jobs],
    );
    let done = 0;
    const started = performance.now();
    const runner = await run(
      runnerOptions({ pgPool: pool, concurrency, log: createLogger('warn') }, {
        bench_baseline_insert: async (payload) => {
          await pool.query('insert into bench_baseline (n) values ($1)', [(payload as { n: number }).n]);
          done++;
        },
      }),
    );
    while (done < jobs) await new Promise((r) => setTimeout(r, 50));
    const perSecond = jobs / ((performance.now() - started) / 1000);
    await runner.stop();
    return perSecond;
  } finally {
    await pool.end();
  }
}
