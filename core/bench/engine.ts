// `pnpm bench:engine`: workflow engine throughput and latency against a graphile-worker
// baseline, in one run on one database (see docs/performance.md).
//
// 1. Baseline: raw graphile-worker, with the runner settings Soshogle uses, for a no-op
//    job and for a job doing one INSERT.
// 2. Engine peak: N events already committed (core.contact_created), each starting a
//    realistic workflow: trigger -> json-logic entry condition -> one action writing a
//    row through the tenant-scoped client -> run and step log written. Executions/s
//    from worker start to the last run completed.
// 3. Latency at about half of that peak: events raised one per transaction at a steady
//    rate; event commit -> action start, p50/p95/p99.
//
// The worker runs in its own process, as deployed (engine-worker.ts); BENCH_WORKER=inline
// runs it in this one, beside the events' producer.
//
// Settings: BENCH_EXECUTIONS (default 20000), BENCH_LATENCY_SECONDS (10), BENCH_LATENCY_RATE (half of peak),
// BENCH_WORKER (process | inline), WORKER_CONCURRENCY (default 10), DATABASE_URL (default: a throwaway embedded PostgreSQL).
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openDatabaseServer } from '@soshogle/db';
import { freePort } from '@soshogle/db/testing';
import { run, type Task } from 'graphile-worker';
import pg from 'pg';
import { startSoshogle } from '../src/boot.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { runnerOptions, startWorker } from '../src/worker.ts';
import { cpuSeconds, pgStats, pgStatsSettings, printTopStatements, processCpuSeconds, profiled } from '../src/testing/bench.ts';
import { definitionIssues } from '../src/workflows/definition.ts';
import { benchPlugin, type FromWorker, type ToWorker } from './engine-worker.ts';

const executions = Number(process.env.BENCH_EXECUTIONS ?? 20_000);
const latencySeconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 10);
const inline = process.env.BENCH_WORKER === 'inline';
const log = createLogger('warn');

// When each run's action started (ms since the epoch), by contact.
const actionStarted = new Map<string, number>();
const now = () => performance.timeOrigin + performance.now();
const bench = benchPlugin((contactId) => actionStarted.set(contactId, now()));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : 0 });

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'soshogle-bench-'));
const database = await openDatabaseServer({ databaseUrl: process.env.DATABASE_URL, dataDir, port: await freePort(), database: 'bench', ...(pgStats ? { settings: pgStatsSettings } : {}) });
const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: database.url, WORKER_ENABLED: 'false' });
const soshogle = await startSoshogle(config, [bench], log);
const quiet = (p: pg.Pool) => p.on('error', () => {}).on('connect', (c) => c.on('error', () => {}));
const pool = quiet(new pg.Pool({ connectionString: database.url, max: concurrency + 4 }));

/** The worker under test: a child process as deployed, or (BENCH_WORKER=inline) in this one. */
async function workerOf(databaseUrl: string) {
  if (inline) {
    const workerPool = quiet(new pg.Pool({ connectionString: databaseUrl, max: concurrency + 2 }));
    let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
    return {
      cpu: () => cpuSeconds().node,
      start: async () => void (worker = await startWorker({ pgPool: workerPool, concurrency, services: soshogle, log })),
      stop: async () => {
        await worker?.stop();
        await workerPool.end();
      },
    };
  }
  const child = fork(fileURLToPath(new URL('./engine-worker.ts', import.meta.url)), ['--bench-worker'], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, DATABASE_URL: databaseUrl, WORKER_CONCURRENCY: String(concurrency) },
  });
  const said = (what: 'ready' | 'stopped') => new Promise<void>((resolve, reject) => {
    const onMessage = (message: FromWorker) => {
      if (what in message) {
        child.off('message', onMessage);
        resolve();
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the worker process exited (${code})`)));
  });
  child.on('message', (message: FromWorker) => {
    if ('started' in message) for (const [contactId, at] of message.started) actionStarted.set(contactId, at);
  });
  const tell = (message: ToWorker) => child.send(message);
  await said('ready');
  return {
    cpu: () => processCpuSeconds(child.pid!),
    start: async () => tell({ start: true }),
    stop: async () => {
      const stopped = said('stopped');
      tell({ stop: true });
      await stopped;
    },
  };
}

try {
  console.log(`engine benchmark: ${executions} executions, worker concurrency ${concurrency} ${inline ? 'in this process' : 'in its own process'}, ${os.cpus().length} CPUs, node ${process.version}`);
  const [{ version }] = (await pool.query<{ version: string }>('show server_version')).rows.map((r) => ({ version: (r as unknown as { server_version: string }).server_version }));
  console.log(`PostgreSQL ${version}${process.env.DATABASE_URL ? ' (DATABASE_URL)' : ' (embedded, default settings)'}\n`);

  // ---- 1. baseline --------------------------------------------------------------------
  await pool.query('create table if not exists bench_baseline (id bigserial primary key, n int not null, at timestamptz not null default now())');
  async function baseline(name: string, task: Task): Promise<number> {
    let done = 0;
    await pool.query(
      `select graphile_worker.add_jobs(array(select json_populate_record(null::graphile_worker.job_spec,
         json_build_object('identifier', $1::text, 'payload', json_build_object('n', g))) from generate_series(1, $2::int) g))`,
      [name, executions],
    );
    const started = performance.now();
    const runner = await run(
      runnerOptions({ pgPool: pool, concurrency, log }, {
        [name]: async (payload, helpers) => {
          await task(payload, helpers);
          done++;
        },
      }),
    );
    await until(() => done >= executions);
    const seconds = (performance.now() - started) / 1000;
    await runner.stop();
    return executions / seconds;
  }
  const noop = await baseline('bench_noop', async () => {});
  console.log(`baseline  no-op job:             ${fmt(noop)} jobs/s`);
  const insert = await baseline('bench_insert', async (payload) => {
    await pool.query('insert into bench_baseline (n) values ($1)', [(payload as { n: number }).n]);
  });
  console.log(`baseline  job with one INSERT:   ${fmt(insert)} jobs/s`);

  // ---- the tenant, its contacts and the workflow ----------------------------------------
  const tenant = await soshogle.db.user.create({ data: { email: `bench-${Date.now()}@example.test` } });
  const definition = {
    triggerKey: 'core.contact_created',
    triggerFilter: {},
    conditions: { '==': [{ var: 'event.payload.source' }, 'bench'] },
    actions: [{ id: 'write', type: 'action', action: 'bench.write_note', props: { content: 'Welcome!' } }],
  };
  const issues = definitionIssues(definition, soshogle.registry);
  if (issues.length) throw new Error(`bench workflow invalid: ${JSON.stringify(issues)}`);
  const workflow = await soshogle.db.workflow.create({
    data: { userId: tenant.id, name: 'Bench', trigger: 'CONTACT_CREATED', ...definition, status: 'ACTIVE', publishedVersion: 1 },
  });
  await soshogle.db.workflowVersion.create({ data: { userId: tenant.id, workflowId: workflow.id, version: 1, ...definition, allowReentry: false } });
  const total = executions + Math.ceil(executions * 2);
  await soshogle.db.$executeRaw`
    insert into "Contact" (id, "userId", "firstName", tags, "updatedAt") select 'bench-' || g, ${tenant.id}, 'Contact ' || g, '{}', now()
    from generate_series(1, ${total}::int) g`;
  const db = soshogle.tenantContext('bench', tenant.id).db;
  const raise = (tx: Parameters<Parameters<typeof db.$transaction>[0]>[0], i: number) =>
    soshogle.events.raise(tx, 'core.contact_created', { contactId: `bench-${i}`, source: 'bench' }, { tenantId: tenant.id });

  // ---- 2. engine peak -------------------------------------------------------------------
  for (let i = 1; i <= executions; i += 500) {
    await db.$transaction(async (tx) => {
      for (let j = i; j < Math.min(i + 500, executions + 1); j++) await raise(tx, j);
    });
  }
  const worker = await workerOf(database.url);
  // BENCH_PG_STATS=1: the statements of the peak and the latency phases, printed at the end.
  if (pgStats) await pool.query('create extension if not exists pg_stat_statements; select pg_stat_statements_reset()');
  const started = performance.now();
  const cpuBefore = { ...cpuSeconds(), worker: worker.cpu() };
  await worker.start();
  const completedRuns = () => soshogle.db.workflowExecution.count({ where: { workflowId: workflow.id, status: 'COMPLETED' } });
  await profiled(async () => {
    // Counted from the actions' reports first: polling the runs table all along would load PostgreSQL.
    await until(() => actionStarted.size >= executions);
    await until(async () => (await completedRuns()) >= executions);
  });
  const peak = executions / ((performance.now() - started) / 1000);
  const cpu = { ...cpuSeconds(), worker: worker.cpu() };
  console.log(`engine    workflow executions:   ${fmt(peak)} executions/s  (${fmt((peak / insert) * 100)}% of the one-INSERT baseline, ${fmt((peak / noop) * 100)}% of no-op)`);
  const perExecution = (seconds: number) => `${((seconds * 1000) / executions).toFixed(2)} ms`;
  console.log(
    `cpu       per execution: ${perExecution(cpu.worker - cpuBefore.worker)} in the worker${inline ? ' (this process)' : ' process'}, ` +
      `${perExecution(cpu.children - cpuBefore.children - (inline ? 0 : cpu.worker - cpuBefore.worker))} in PostgreSQL`,
  );

  // ---- 3. latency at about half of peak -------------------------------------------------
  // BENCH_LATENCY_RATE: a fixed rate instead (to compare with an earlier run's half of peak).
  const rate = Number(process.env.BENCH_LATENCY_RATE ?? peak / 2);
  const committed = new Map<string, number>();
  let next = executions + 1;
  const deadline = performance.now() + latencySeconds * 1000;
  const inFlight: Promise<void>[] = [];
  const tickMs = 10;
  let due = 0;
  const produceStart = performance.now();
  while (performance.now() < deadline) {
    const target = Math.floor(((performance.now() - produceStart) / 1000) * rate);
    for (; due < target && next <= total; due++) {
      const i = next++;
      inFlight.push(
        db
          .$transaction((tx) => raise(tx, i))
          .then(() => {
            committed.set(`bench-${i}`, now());
          }),
      );
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.all(inFlight);
  const sent = committed.size;
  await until(async () => (await completedRuns()) >= executions + sent);
  await until(() => [...committed.keys()].every((contact) => actionStarted.has(contact)), 10_000);
  const latencies = [...committed].map(([contact, at]) => Math.max(0, actionStarted.get(contact)! - at)).sort((a, b) => a - b);
  console.log(
    `latency   at ${fmt(sent / latencySeconds)} events/s (~half of peak), event commit -> action start: ` +
      `p50 ${fmt(percentile(latencies, 50))} ms, p95 ${fmt(percentile(latencies, 95))} ms, p99 ${fmt(percentile(latencies, 99))} ms`,
  );
  const wf = await soshogle.db.workflow.findUniqueOrThrow({ where: { id: workflow.id } });
  const notes = await soshogle.db.note.count({ where: { userId: tenant.id } });
  console.log(`check     executionCount ${wf.executionCount}, notes written ${notes}, runs completed ${await completedRuns()} (all three must equal ${executions + sent})`);
  await worker.stop();
  if (pgStats) await printTopStatements(database.url);
} finally {
  await pool.end();
  await soshogle.stop();
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
}
