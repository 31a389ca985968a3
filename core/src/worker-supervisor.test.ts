// Crash recovery of graphile-worker jobs, against a real PostgreSQL and a real worker
// process killed with SIGKILL. The timings are shrunk (beat 200 ms, dead after 1 s); with
// the production defaults (beat 5 s, dead after 15 s) the same path frees a dead
// worker's jobs within about 15 + 1.25 * 5 s, about 21 s: inside the 30 s target.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@soshogle/db/testing';
import { Logger, run, type Runner, type RunnerOptions, type TaskList } from 'graphile-worker';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { superviseWorkers } from './worker-supervisor.ts';

const timings = { heartbeatMs: 200, deadAfterMs: 1000 };
const databaseUrl = await createTestDatabase();
const pools: pg.Pool[] = [];
const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await Promise.all(pools.map((p) => p.end()));
});
const newPool = () => {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  pools.push(pool);
  return pool;
};
const db = newPool();
/** A logger that keeps its warnings and errors. */
function captureLog() {
  const entries: { level: number; msg: string; workerIds?: string[]; jobs?: number }[] = [];
  return { log: pino({ level: 'warn' }, { write: (line: string) => void entries.push(JSON.parse(line)) }), entries };
}

async function startRunner(pgPool: pg.Pool, taskList: TaskList, worker: NonNullable<RunnerOptions['preset']>['worker'] = {}): Promise<Runner> {
  const runner = await run({
    pgPool,
    concurrency: 1,
    noHandleSignals: true,
    parsedCronItems: [],
    pollInterval: 100,
    logger: new Logger(() => () => {}),
    taskList,
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0, ...worker } },
  });
  let stopped = false;
  const stop = runner.stop;
  runner.stop = async (reason) => {
    if (stopped) return;
    stopped = true;
    await stop(reason);
  };
  cleanups.push(() => runner.stop());
  return runner;
}

async function addJob(task: string, payload: object = {}, maxAttempts = 25): Promise<string> {
  const { rows } = await db.query<{ id: string }>('select id from graphile_worker.add_job($1, $2::json, max_attempts => $3)', [
    task,
    JSON.stringify(payload),
    maxAttempts,
  ]);
  return rows[0]!.id;
}

const jobRow = async (id: string) =>
  (await db.query<{ locked_by: string | null; attempts: number }>('select locked_by, attempts from graphile_worker._private_jobs where id = $1', [id])).rows[0];
const heartbeats = async (pid: number) =>
  (await db.query<{ workerId: string }>('select "workerId" from "WorkerHeartbeat" where pid = $1', [pid])).rows.map((r) => r.workerId);

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('superviseWorkers', () => {
  it('frees the jobs of a SIGKILLed worker process so another process completes them within seconds', async () => {
    // Allowed one attempt, which the dead worker used: it still gets one more, so its task
    // sees the interruption (graphile-worker alone would never fetch it again).
    const jobId = await addJob('block', { n: 1 }, 1);
    const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'core/src/testing/worker-child.ts'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const childPid = child.pid!;

    // The child locks the job under its pool's id and beats for that id.
    const lockedBy = await until('the child to lock the job', async () => (await jobRow(jobId))?.locked_by);
    expect(lockedBy).toMatch(/^pool-[0-9a-f]{18}$/);
    await until('the child heartbeat', async () => (await heartbeats(childPid)).includes(lockedBy));

    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const killedAt = Date.now();

    const ran = deferred<{ n: number; attempt: number }>();
    const pgPool = newPool();
    const runner = await startRunner(pgPool, {
      block: async (payload, helpers) => ran.resolve({ n: (payload as { n: number }).n, attempt: helpers.job.attempts }),
    });
    const captured = captureLog();
    const supervisor = superviseWorkers({ pgPool, runner, log: captured.log, ...timings });
    cleanups.push(() => supervisor.stop());

    // Here: at most 1 s stale + one sweep (<= 250 ms) + a worker wake-up.
    expect(await ran.promise).toEqual({ n: 1, attempt: 2 });
    expect(Date.now() - killedAt).toBeLessThan(4000);
    expect(captured.entries).toEqual([expect.objectContaining({ msg: 'freed the jobs of dead workers', workerIds: [lockedBy], jobs: 1 })]);
    await until('the job to be completed', async () => (await jobRow(jobId)) === undefined);
    expect(await heartbeats(childPid)).toEqual([]);
    await runner.stop();
    await supervisor.stop();
  });

  it('never frees a live worker running a job longer than deadAfterMs, and frees locks of workers that never beat', async () => {
    const finish = deferred();
    const started = deferred();
    let ranElsewhere = 0;
    const poolA = newPool();
    const runnerA = await startRunner(poolA, {
      long: async () => {
        started.resolve();
        await finish.promise;
      },
    });
    const logA = captureLog();
    const supervisorA = superviseWorkers({ pgPool: poolA, runner: runnerA, log: logA.log, ...timings });
    cleanups.push(() => supervisorA.stop());

    // Locks held by pools that never wrote a heartbeat (a runner without a supervisor):
    // freed once the lock is older than deadAfterMs, kept while it is newer.
    const ghostOld = await addJob('other');
    const ghostNew = await addJob('other');
    await db.query(`update graphile_worker._private_jobs set locked_by = 'pool-ghost-old', locked_at = now() - interval '2 seconds' where id = $1`, [ghostOld]);

    const jobId = await addJob('long');
    await started.promise;
    const owner = (await jobRow(jobId))!.locked_by!;
    // B starts once A holds the job: started together, either could have taken it first.
    const poolB = newPool();
    const runnerB = await startRunner(poolB, {
      long: async () => {
        ranElsewhere++;
      },
    });
    const logB = captureLog();
    const supervisorB = superviseWorkers({ pgPool: poolB, runner: runnerB, log: logB.log, ...timings });
    cleanups.push(() => supervisorB.stop());
    await db.query(`update graphile_worker._private_jobs set locked_by = 'pool-ghost-new', locked_at = now() + interval '1 hour' where id = $1`, [ghostNew]);

    await until('the ghost lock to be freed', async () => (await jobRow(ghostOld))?.locked_by === null);
    // Three times deadAfterMs, many sweeps of B (and A).
    await new Promise((r) => setTimeout(r, 3 * timings.deadAfterMs));
    expect((await jobRow(jobId))?.locked_by).toBe(owner);
    expect((await jobRow(ghostNew))?.locked_by).toBe('pool-ghost-new');
    expect(ranElsewhere).toBe(0);
    expect(await heartbeats(process.pid)).toContain(owner);

    finish.resolve();
    await until('the long job to complete', async () => (await jobRow(jobId)) === undefined);
    expect(ranElsewhere).toBe(0);
    await Promise.all([runnerA.stop(), runnerB.stop()]);
    await Promise.all([supervisorA.stop(), supervisorB.stop()]);
    // Only the ghost was freed (by whichever supervisor swept first); A was never presumed dead.
    expect([...logA.entries, ...logB.entries]).toEqual([
      expect.objectContaining({ msg: 'freed the jobs of dead workers', workerIds: ['pool-ghost-old'], jobs: 1 }),
    ]);
    await db.query(`delete from graphile_worker._private_jobs where id = $1`, [ghostNew]);
  });

  it.each([
    ['without the local queue', {}],
    ['with the local queue', { localQueue: { size: 5 } }],
  ] as const)('beats under the pool id that locks jobs, and leaves nothing behind after a graceful stop (%s)', async (_, worker) => {
    const started = deferred();
    const pgPool = newPool();
    const runner = await startRunner(
      pgPool,
      {
        brief: async () => {
          started.resolve();
          await new Promise((r) => setTimeout(r, 300));
        },
      },
      worker,
    );
    const captured = captureLog();
    const supervisor = superviseWorkers({ pgPool, runner, log: captured.log, ...timings });
    cleanups.push(() => supervisor.stop());
    const jobId = await addJob('brief');
    await started.promise;
    const owner = (await jobRow(jobId))!.locked_by!;
    expect(owner).toMatch(/^pool-[0-9a-f]{18}$/);
    await until('a heartbeat for the locking pool', async () => (await heartbeats(process.pid)).includes(owner));

    // Stopped while the job runs: the runner finishes it and releases everything.
    await runner.stop();
    const locked = await db.query('select id::text from graphile_worker._private_jobs where locked_by is not null union all select id::text from graphile_worker._private_job_queues where locked_by is not null');
    expect(locked.rows).toEqual([]);
    expect(await jobRow(jobId)).toBeUndefined();

    await supervisor.stop();
    await supervisor.stop();
    expect(await heartbeats(process.pid)).toEqual([]);
    expect(captured.entries).toEqual([]);
  });
});
