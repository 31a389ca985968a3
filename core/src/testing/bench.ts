// What every benchmark starts with: a throwaway embedded PostgreSQL (or DATABASE_URL), a
// Soshogle on it with the given plugins, listening on a free port with its worker, and
// one stop() that takes it all down again.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabaseServer } from '@soshogle/db';
import { freePort } from '@soshogle/db/testing';
import { startSoshogle, type Soshogle } from '../boot.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import type { PluginDefinition } from '../plugin.ts';

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
