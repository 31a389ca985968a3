// What every benchmark starts with: a throwaway embedded PostgreSQL (or DATABASE_URL), a
// Soshogle on it with the given plugins, listening on a free port with its worker, and
// one stop() that takes it all down again.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPrismaClient, openDatabaseServer, type PrismaClient } from '@soshogle/db';
import { freePort } from '@soshogle/db/testing';
import { run } from 'graphile-worker';
import pg from 'pg';
import { startSoshogle, type Soshogle } from '../boot.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import type { PluginDefinition } from '../plugin.ts';
import { runnerOptions } from '../worker.ts';

export { shuffled } from './shuffle.ts';
export { webhooksApplied } from '../workflows/testing.ts';

/** A figure as a bench prints it: grouped thousands, two decimals below 10. */
export const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : 0 });

/** Runs `work(i)` for i in [0, count), `width` at a time. */
export async function pool(count: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, count) }, async () => {
    for (let i = next++; i < count; i = next++) await work(i);
  }));
}

/**
 * CPU seconds used so far by this process and by the processes it started (the embedded
 * PostgreSQL server and its backends, living or exited), read from /proc: a bench prints
 * them per unit of work to say which side a figure is bound by. Zero where /proc is absent.
 */
export function cpuSeconds(): { node: number; children: number } {
  const { user, system } = process.cpuUsage();
  const node = (user + system) / 1e6;
  let stats: { pid: number; ppid: number; ticks: number }[] = [];
  try {
    stats = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
      try {
        // Fields after the command name (which may hold spaces): state ppid ... utime(14) stime cutime cstime.
        const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
        return [{ pid: Number(pid), ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]) }];
      } catch {
        return []; // gone meanwhile
      }
    });
  } catch {
    return { node, children: 0 };
  }
  const mine = new Set([process.pid]);
  let children = 0;
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) {
      if (!mine.has(s.pid) && mine.has(s.ppid)) {
        mine.add(s.pid);
        children += s.ticks;
        grew = true;
      }
    }
  }
  return { node, children: children / 100 }; // USER_HZ is 100 on Linux
}

/** CPU seconds used so far by one process (a bench's worker child, say), from /proc; zero where absent. */
export function processCpuSeconds(pid: number): number {
  try {
    const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * BENCH_CPU_PROFILE=<file>: `profiled()` records a CPU profile of this process while the work
 * runs (open it in Chrome's DevTools), so a profile holds the measured phase, not the
 * setup and the baseline. Without it, it only runs the work.
 */
export async function profiled<T>(work: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the phase written to ${file}`);
  }
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * A bench's HTTP client: node:http on kept-alive sockets. The load generator runs in the
 * bench's process, beside the server it measures, and fetch() (undici's web streams) cost
 * that process about as much CPU per request as a short route does.
 */
export function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
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

/**
 * BENCH_PG_STATS=1: the embedded server counts every statement (pg_stat_statements), and
 * stop() prints the ones that took the most of its time: where PostgreSQL's share of a
 * figure goes, by statement.
 */
export const pgStats = process.env.BENCH_PG_STATS === '1';
/** The embedded server's settings for BENCH_PG_STATS. */
export const pgStatsSettings = { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track_planning': 'on' };

export async function printTopStatements(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ calls: string; total_ms: number; mean_ms: number; rows: string; query: string }>(
      `select calls, total_exec_time + total_plan_time as total_ms, (total_exec_time + total_plan_time) / greatest(calls, 1) as mean_ms, rows, query
         from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
        order by total_ms desc limit 25`,
    );
    console.log('\nPostgreSQL statements by total time (BENCH_PG_STATS):');
    for (const r of rows) console.log(`${r.total_ms.toFixed(0).padStart(8)} ms ${r.calls.padStart(8)} calls ${r.mean_ms.toFixed(3).padStart(8)} ms/call  ${r.query.replace(/\s+/g, ' ').slice(0, 220)}`);
  } finally {
    await client.end();
  }
}

/** The bench's database: a throwaway embedded PostgreSQL (or DATABASE_URL), with pg_stat_statements for BENCH_PG_STATS. */
async function openBenchDatabase(name: string, options: BenchOptions) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `soshogle-bench-${name}-`));
  const database = await openDatabaseServer({
    databaseUrl: process.env.DATABASE_URL,
    dataDir,
    port: await freePort(),
    database: `bench_${name}`,
    ...(options.sharedBuffers ? { sharedBuffers: options.sharedBuffers } : {}),
    ...(pgStats ? { settings: pgStatsSettings } : {}),
  });
  if (pgStats) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('create extension if not exists pg_stat_statements').finally(() => client.end());
  }
  return { dataDir, database };
}

export async function startBenchSoshogle(name: string, plugins: PluginDefinition[], options: BenchOptions = {}): Promise<Bench> {
  const { dataDir, database } = await openBenchDatabase(name, options);
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
      if (pgStats) await printTopStatements(database.url);
      await soshogle.stop();
      await database.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface BenchProcesses {
  /** The API process's address. */
  url: string;
  /** A client of the bench's database, for the bench's setup and counts (not tenant-scoped). */
  db: PrismaClient;
  databaseUrl: string;
  /** Process ids, for processCpuSeconds (cpuSeconds().children counts them too). */
  pids: { api: number; worker: number };
  stop(): Promise<void>;
}

/** Starts `node --import tsx bench-process.ts` with `env`; resolves with its address once it says `ready`. */
function startBenchProcess(role: string, env: Record<string, string | undefined>): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_CPU_PROFILE=<file>: each process writes its profiles into the folder `<file>.<role>` as
  // it exits, one per thread (tsx's loader has one): the largest is the process's main thread.
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(`${process.env.BENCH_CPU_PROFILE}.${role}`)}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', fileURLToPath(new URL('./bench-process.ts', import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const ready = /^ready (\S+)$/m.exec(out);
      if (!ready) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve({ child, url: ready[1]! });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`bench ${role} process exited (${code}) before it was ready`)));
  });
}

/**
 * The bench's Soshogle as deployed: an API process (WORKER_ENABLED=false) and a worker
 * process, each a child of this one (which stays the load generator), on one throwaway
 * database. `plugins` are package names; their settings are `options.pluginEnv`. Each
 * process's CPU is processCpuSeconds(bench.pids.api), and so on.
 */
export async function startBenchProcesses(name: string, plugins: string[], options: BenchOptions = {}): Promise<BenchProcesses> {
  const { dataDir, database } = await openBenchDatabase(name, options);
  const env = { ...options.pluginEnv, ...options.config, DATABASE_URL: database.url, DATA_DIR: dataDir, BENCH_PLUGINS: plugins.join(',') };
  const started: ChildProcess[] = [];
  const stopChild = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const db = createPrismaClient(database.url);
  const stop = async () => {
    if (pgStats) await printTopStatements(database.url);
    await db.$disconnect();
    // The API first: the worker finishes what it runs.
    for (const child of started) await stopChild(child);
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    // The API first: it migrates the database (and makes the keys file the worker reads).
    const api = await startBenchProcess('api', { ...env, WORKER_ENABLED: 'false' });
    started.push(api.child);
    const worker = await startBenchProcess('worker', { ...env, WORKER_ENABLED: 'true' });
    started.push(worker.child);
    return { url: api.url, db, databaseUrl: database.url, pids: { api: api.child.pid!, worker: worker.child.pid! }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
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
    // The statements counted are the bench's own, not the baseline's.
    if (pgStats) await pool.query('select pg_stat_statements_reset()');
    return perSecond;
  } finally {
    await pool.end();
  }
}
