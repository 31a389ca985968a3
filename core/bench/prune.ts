// `pnpm bench:prune`: does pruning old workflow runs move the engine's latency? (issue 23,
// docs/lifecycle.md). One database, one worker:
//
// 1. Seeds BENCH_PRUNE_ROWS old step-log rows (a quarter as many finished runs, four steps
//    each, finished 200 days ago: past the default 90-day retention).
// 2. Latency without pruning: events raised one per transaction at BENCH_LATENCY_RATE for
//    BENCH_LATENCY_SECONDS, each starting a one-step workflow (the engine benchmark's
//    shape); event commit -> action start, p50/p99.
// 3. The same with the `core.workflow_runs` lifecycle job running back to back all along,
//    with its production settings (batches, pauses, time budget).
// Prints both, their ratio, and what the prune deleted meanwhile.
//
// Settings: BENCH_PRUNE_ROWS (default 1000000), BENCH_LATENCY_RATE (events/s, default 100),
// BENCH_LATENCY_SECONDS (default 20), WORKER_CONCURRENCY (default 10), DATABASE_URL.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { defaultLifecycleOptions, lifecycleJobs, runLifecycleJob } from '../src/lifecycle.ts';
import { createLogger } from '../src/logger.ts';
import { fmt, startBenchSoshogle } from '../src/testing/bench.ts';
import { startWorker } from '../src/worker.ts';
import { benchPlugin } from './engine-worker.ts';

const rows = Number(process.env.BENCH_PRUNE_ROWS ?? 1_000_000);
const rate = Number(process.env.BENCH_LATENCY_RATE ?? 100);
const seconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 10);
const log = createLogger('warn');

// The step under test, the engine benchmark's: one row through the tenant's client; it
// notes when it starts.
const actionStarted = new Map<string, number>();
const bench = benchPlugin((contactId) => actionStarted.set(contactId, performance.now()));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const { soshogle, databaseUrl, stop } = await startBenchSoshogle('prune', [bench], { config: { WORKER_ENABLED: 'false' } });
const { db } = soshogle;
try {
  console.log(`prune benchmark: ${fmt(rows)} old step-log rows, ${fmt(rate)} events/s for ${seconds} s per phase, worker concurrency ${concurrency}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

  // ---- the tenant, its contacts, the live workflow and the old runs ---------------------
  const tenant = await db.user.create({ data: { email: `bench-${Date.now()}@example.test` } });
  const definition = {
    triggerKey: 'core.contact_created',
    triggerFilter: {},
    actions: [{ id: 'write', type: 'action', action: 'bench.write_note', props: { content: 'Welcome!' } }],
  };
  const workflow = await db.workflow.create({ data: { userId: tenant.id, name: 'Bench', trigger: 'CONTACT_CREATED', ...definition, status: 'ACTIVE', publishedVersion: 1 } });
  const version = await db.workflowVersion.create({ data: { userId: tenant.id, workflowId: workflow.id, version: 1, ...definition, allowReentry: false } });
  // A contact per event of the three phases (warm-up, without, while pruning), with room to spare.
  const events = Math.ceil(rate * seconds * 1.2) * 3;
  await db.$executeRaw`
    insert into "Contact" (id, "userId", "firstName", tags, "updatedAt") select 'bench-' || g, ${tenant.id}, 'Contact ' || g, '{}', now()
    from generate_series(1, ${events}::int) g`;
  const runs = Math.ceil(rows / 4);
  const seedStarted = performance.now();
  for (let from = 1; from <= runs; from += 50_000) {
    const to = Math.min(runs, from + 49_999);
    await db.$executeRaw`
      insert into "WorkflowExecution" (id, "workflowId", "versionId", "userId", status, "contextData", "eventId", "dedupeKey", "startedAt", "completedAt")
      select 'old-' || g, ${workflow.id}, ${version.id}, ${tenant.id}, 'COMPLETED', '{}', 'old-' || g, 'old-' || g,
        (now() at time zone 'utc') - interval '200 days', (now() at time zone 'utc') - interval '200 days' + g * interval '1 millisecond'
      from generate_series(${from}::int, ${to}::int) g`;
    await db.$executeRaw`
      insert into "WorkflowStepRun" (id, "userId", "executionId", "stepId", type, "actionKey", status, input, output, "startedAt", "finishedAt")
      select 'old-' || g || '-' || s, ${tenant.id}, 'old-' || g, 'step-' || s, 'action', 'bench.write_note', 'SUCCEEDED',
        '{"content":"Welcome!"}', '{"noteId":"n"}', (now() at time zone 'utc') - interval '200 days', (now() at time zone 'utc') - interval '200 days'
      from generate_series(${from}::int, ${to}::int) g, generate_series(1, 4) s`;
  }
  await db.$executeRawUnsafe('vacuum analyze "WorkflowExecution", "WorkflowStepRun"');
  console.log(`seeded    ${fmt(runs)} finished runs with ${fmt(runs * 4)} step-log rows in ${fmt((performance.now() - seedStarted) / 1000)} s`);

  const workerPool = new pg.Pool({ connectionString: databaseUrl, max: concurrency + 2 }).on('error', () => {}).on('connect', (client) => client.on('error', () => {}));
  const worker = await startWorker({ pgPool: workerPool, concurrency, services: soshogle, log });
  const scoped = soshogle.tenantContext('bench', tenant.id).db;
  let next = 1;

  /** Raises events at `rate` for `seconds`; the latencies (ms) of event commit -> action start, sorted. */
  async function latencyPhase(): Promise<number[]> {
    const committed = new Map<string, number>();
    const inFlight: Promise<void>[] = [];
    const start = performance.now();
    let due = 0;
    while (performance.now() < start + seconds * 1000) {
      const target = Math.floor(((performance.now() - start) / 1000) * rate);
      for (; due < target; due++) {
        const contactId = `bench-${next++}`;
        inFlight.push(
          scoped
            .$transaction((tx) => soshogle.events.raise(tx, 'core.contact_created', { contactId, source: 'bench' }, { tenantId: tenant.id }))
            .then(() => void committed.set(contactId, performance.now())),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(inFlight);
    const deadline = Date.now() + 300_000;
    while ([...committed.keys()].some((c) => !actionStarted.has(c))) {
      if (Date.now() > deadline) throw new Error('steps did not run within 5 minutes');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return [...committed].map(([contact, at]) => Math.max(0, actionStarted.get(contact)! - at)).sort((a, b) => a - b);
  }
  const line = (name: string, l: number[]) => `${name} p50 ${fmt(percentile(l, 50))} ms, p99 ${fmt(percentile(l, 99))} ms (${fmt(l.length)} events)`;

  // A short warm-up so neither phase pays for first plans and connections.
  await latencyPhase().catch(() => {});
  const quiet = await latencyPhase();
  console.log(line('latency   without pruning:', quiet));

  const job = lifecycleJobs(soshogle.registry).get('core.workflow_runs')!;
  let pruning = true;
  let pruned = 0;
  let pruneMs = 0;
  const pruner = (async () => {
    // Back to back, as if every tick found a full backlog: the worst case for live traffic.
    while (pruning) {
      const started = performance.now();
      const result = await runLifecycleJob(db, job, log, { ...defaultLifecycleOptions, budgetMs: Math.min(defaultLifecycleOptions.budgetMs, seconds * 1000) });
      pruned += result.pruned;
      pruneMs += performance.now() - started;
      if (!result.pruned) break;
    }
  })();
  const busy = await latencyPhase();
  pruning = false;
  await pruner;
  console.log(line('latency   while pruning:  ', busy));
  console.log(`ratio     p50 ${(percentile(busy, 50) / percentile(quiet, 50)).toFixed(2)}x, p99 ${(percentile(busy, 99) / percentile(quiet, 99)).toFixed(2)}x (while pruning / without)`);
  const left = await db.workflowExecution.count({ where: { id: { startsWith: 'old-' } } });
  console.log(`pruned    ${fmt(pruned)} runs (${fmt(pruned * 4)} step-log rows with them) in ${fmt(pruneMs / 1000)} s of pruning, ${fmt(pruned / Math.max(pruneMs / 1000, 0.001))} runs/s; ${fmt(left)} old runs left for later ticks`);
  console.log(`load      average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await worker.stop();
  await workerPool.end();
} finally {
  await stop();
}
