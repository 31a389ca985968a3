// Crash recovery for graphile-worker 0.17: a worker process killed with SIGKILL (OOM
// killer, lost machine) leaves its jobs locked, and graphile-worker itself only frees
// them after 4 hours. Every supervised runner writes a heartbeat row per worker pool it
// runs, and every supervisor sweeps the whole queue for locks held by pools whose
// heartbeat stopped, freeing them with `graphile_worker.force_unlock_workers`. All
// state is in PostgreSQL, so any surviving process on any machine recovers the jobs.
//
// Which ids end up in `locked_by` (read from graphile-worker 0.17.3's dist/main.js,
// localQueue.js, worker.js and sql/getJobs.js): always the worker POOL's id,
// `pool-<18 hex>` (`otpool-...` for runOnce), one per runner. Each worker asks for jobs
// with `getJob(workerPool.id, ...)`, the local queue (preset.worker.localQueue) fetches
// batches with `workerPool.id` too, and complete/fail/return match on it. The
// per-worker ids (`worker-<hex>`, or the `workerId` option) only appear in logs and
// events, never in the database. The Runner does not expose its pool, and 'pool:create'
// and 'localQueue:init' fire inside run() before it returns, so the pool id is learned
// from the events that follow: 'pool:listen:success', each worker's 'worker:getJob:*'
// (a worker carries `workerPool`), 'job:start' (the job carries `locked_by`), and
// 'localQueue:getJobs:complete'. Every one of them fires before or at the moment a job
// is locked, after database I/O, so a supervisor started right after `await run()`
// learns the id before any lock of this runner could look abandoned.
//
// Recovery time: a dead pool's row goes stale at most deadAfterMs after its last beat
// (which was at most heartbeatMs before the crash), the next sweep on any survivor comes
// within 1.25 * heartbeatMs, and the freed jobs are announced on the 'jobs:insert'
// channel so idle workers take them at once (else within their poll interval). With the
// defaults (5 s beat, 15 s dead) that is at most about 15 + 6.25 s, about 21 s: inside
// the 30 s target. A live pool is never freed while it keeps beating, however long its
// jobs run; it is only at risk when it misses beats for deadAfterMs (its event loop
// blocked, or its database connection lost, for ~10 s beyond the usual beat).
import { hostname } from 'node:os';
import type { Job, Runner, Worker, WorkerEventMap, WorkerPool } from 'graphile-worker';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from './logger.ts';

export interface SupervisorOptions {
  /** The pg Pool graphile-worker uses. */
  pgPool: Pool;
  /** The graphile-worker Runner returned by run(). */
  runner: Runner;
  log: Logger;
  /** How often this runner's pools record that they are alive. Default 5000. */
  heartbeatMs?: number;
  /** A pool whose heartbeat (or, without one, whose newest lock) is older is dead. Default 15000. */
  deadAfterMs?: number;
}

export interface WorkerSupervisor {
  /** Stops beating and sweeping and removes this runner's heartbeat rows. Idempotent; never rejects. */
  stop(): Promise<void>;
}

// graphile-worker's default schema, as used by core/src/worker.ts.
const schema = 'graphile_worker';
// Heartbeat rows of pools gone for this long are deleted even if nothing else did.
const forgetAfter = '1 hour';
// Sweeps of all processes are serialised with this transaction-level advisory lock.
const sweepLockName = 'soshogle:worker-supervisor:sweep';

// "WorkerHeartbeat" has Prisma's TIMESTAMP(3) columns (no time zone) holding UTC, so
// they are written and compared as `now() at time zone 'utc'`: the database clock, never
// a machine's, and independent of the session's TimeZone.
const utcNow = `(now() at time zone 'utc')`;
const deadBefore = (param: string) => `make_interval(secs => ${param}::double precision / 1000)`;

// `xmax = 0` tells an inserted row from an updated one.
const beatSql = `
  insert into "WorkerHeartbeat" ("workerId", "hostname", "pid", "startedAt", "lastSeenAt")
  select id, $2, $3, ${utcNow}, ${utcNow} from unnest($1::text[]) as id
  on conflict ("workerId") do update set "lastSeenAt" = excluded."lastSeenAt"
  returning "workerId", (xmax = 0) as inserted`;

// Holders of job or queue locks, other than this process's live pools, that are dead:
// no lock newer than deadAfterMs (a pool that locked a job that recently is alive, even
// if its beat is late) and no heartbeat newer than deadAfterMs (none at all: a process
// without a supervisor, or a row already removed).
const candidatesSql = `
  with locks as (
    select locked_by as worker_id, locked_at from ${schema}._private_jobs where locked_by is not null
    union all
    select locked_by, locked_at from ${schema}._private_job_queues where locked_by is not null
  )
  select l.worker_id as "workerId", (h."workerId" is not null) as "hasHeartbeat"
  from locks l left join "WorkerHeartbeat" h on h."workerId" = l.worker_id
  where not (l.worker_id = any($2::text[]))
  group by l.worker_id, h."workerId", h."lastSeenAt"
  having coalesce(max(l.locked_at), '-infinity') < now() - ${deadBefore('$1')}
    and (h."workerId" is null or h."lastSeenAt" < ${utcNow} - ${deadBefore('$1')})`;

// Re-checks staleness under the row lock: a beat that lands during the sweep wins.
const deleteStaleSql = `
  delete from "WorkerHeartbeat"
  where "workerId" = any($1::text[]) and "lastSeenAt" < ${utcNow} - ${deadBefore('$2')}
  returning "workerId", "hostname", "pid", "lastSeenAt"`;

/**
 * Beats for this runner's workers and frees the jobs of dead workers (any process).
 * Call it right after `await run(...)`, before any other await, so that it sees the
 * runner's first job. Returns stop(), which removes this runner's heartbeat rows: call it
 * after `runner.stop()` has resolved, since a runner still finishing jobs without a
 * heartbeat looks dead to the other processes once deadAfterMs has passed.
 */
export function superviseWorkers(options: SupervisorOptions): WorkerSupervisor {
  const { pgPool, runner, log } = options;
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const deadAfterMs = options.deadAfterMs ?? 15000;
  if (!(heartbeatMs > 0) || !(deadAfterMs >= 2 * heartbeatMs)) {
    throw new Error(`superviseWorkers: need heartbeatMs > 0 and deadAfterMs >= 2 * heartbeatMs (got ${heartbeatMs}, ${deadAfterMs})`);
  }
  const host = hostname();
  const pid = process.pid;

  const live = new Set<string>(); // pools of this runner that may hold locks
  const released = new Set<string>(); // pools that shut down: never beaten again
  const beaten = new Set<string>(); // pools with a recorded heartbeat
  let stopped = false;
  let stopping: Promise<void> | undefined;

  // ---- heartbeat ----
  let beating: Promise<void> | undefined;
  let beatAgain = false;

  async function beatOnce(): Promise<void> {
    const ids = [...live];
    if (ids.length === 0) return;
    try {
      const { rows } = await pgPool.query<{ workerId: string; inserted: boolean }>(beatSql, [ids, host, pid]);
      for (const row of rows) {
        if (row.inserted && beaten.has(row.workerId)) {
          // Another process found our heartbeat stale (this process stalled or lost the
          // database) and freed our jobs: the ones running here may run twice.
          log.warn({ workerId: row.workerId }, 'worker heartbeat had been removed as stale; this worker was presumed dead and its jobs freed');
        }
        beaten.add(row.workerId);
      }
    } catch (error) {
      log.error({ err: error, workerIds: ids }, 'worker heartbeat failed');
    }
  }

  /** One beat at a time; a request during a beat runs one more right after it. */
  function beat(): Promise<void> {
    if (beating) {
      beatAgain = true;
      return beating;
    }
    beating = (async () => {
      try {
        do {
          beatAgain = false;
          await beatOnce();
        } while (beatAgain && !stopped);
      } finally {
        beating = undefined;
      }
    })();
    return beating;
  }

  // ---- learning this runner's pool ids from its events ----
  function learn(id: string | null | undefined): void {
    if (!id || stopped || live.has(id) || released.has(id)) return;
    live.add(id);
    log.debug({ workerId: id }, 'supervising worker pool');
    // Beat at once: until the row exists, the pool's locks are only protected by being new.
    void beat();
  }
  const fromPool = ({ workerPool }: { workerPool: WorkerPool }) => learn(workerPool.id);
  const fromWorker = ({ worker }: { worker: Worker }) => learn(worker.workerPool.id);
  const fromJob = ({ worker, job }: { worker: Worker; job: Job }) => learn(job.locked_by ?? worker.workerPool.id);
  const fromLocalQueue = ({ localQueue, jobs }: { localQueue: { workerPool: WorkerPool }; jobs?: Job[] }) => {
    learn(localQueue.workerPool.id);
    for (const job of jobs ?? []) learn(job.locked_by);
  };
  const onPoolRelease = ({ workerPool }: { workerPool: WorkerPool }) => {
    const id = workerPool.id;
    if (stopped || released.has(id)) return;
    live.delete(id);
    released.add(id);
    // The pool has returned or finished its jobs; should any lock be left, the sweep of
    // some process frees it deadAfterMs after it was taken.
    void (async () => {
      await beating;
      await removeRows([id]);
    })();
  };

  const events = runner.events;
  const unsubscribe: (() => void)[] = [];
  function on<K extends keyof WorkerEventMap & string>(name: K, listener: (payload: WorkerEventMap[K]) => void): void {
    events.on(name, listener);
    unsubscribe.push(() => events.off(name, listener));
  }
  on('pool:create', fromPool);
  on('pool:listen:connecting', fromPool);
  on('pool:listen:success', fromPool);
  on('worker:create', fromWorker);
  on('worker:getJob:start', fromWorker);
  on('worker:getJob:empty', fromWorker);
  on('job:start', fromJob);
  on('localQueue:init', fromLocalQueue);
  on('localQueue:getJobs:complete', fromLocalQueue);
  on('pool:release', onPoolRelease);

  async function removeRows(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await pgPool.query(`delete from "WorkerHeartbeat" where "workerId" = any($1::text[])`, [ids]);
    } catch (error) {
      log.error({ err: error, workerIds: ids }, 'removing worker heartbeats failed');
    }
  }

  // ---- sweep ----
  let sweeping: Promise<void> | undefined;

  async function sweepOnce(): Promise<void> {
    let client: PoolClient | undefined;
    let failed = false;
    try {
      client = await pgPool.connect();
      await client.query('begin');
      const lock = await client.query<{ ok: boolean }>('select pg_try_advisory_xact_lock(hashtext($1)) as ok', [sweepLockName]);
      if (!lock.rows[0]?.ok) {
        // Another process is sweeping right now.
        await client.query('rollback');
        return;
      }
      const candidates = await client.query<{ workerId: string; hasHeartbeat: boolean }>(candidatesSql, [deadAfterMs, [...live]]);
      const withoutHeartbeat = candidates.rows.filter((c) => !c.hasHeartbeat).map((c) => c.workerId);
      const withHeartbeat = candidates.rows.filter((c) => c.hasHeartbeat).map((c) => c.workerId);
      const stale = withHeartbeat.length
        ? (await client.query<{ workerId: string; hostname: string; pid: number; lastSeenAt: Date }>(deleteStaleSql, [withHeartbeat, deadAfterMs])).rows
        : [];
      const dead = [...withoutHeartbeat, ...stale.map((r) => r.workerId)];
      const jobs = dead.length ? await freeJobsOf(client, dead) : 0;
      await client.query(`delete from "WorkerHeartbeat" where "lastSeenAt" < ${utcNow} - interval '${forgetAfter}'`);
      await client.query('commit');
      if (dead.length) {
        log.warn(
          { workerIds: dead, jobs, deadAfterMs, lastSeen: stale.map(({ workerId, hostname, pid, lastSeenAt }) => ({ workerId, hostname, pid, lastSeenAt })) },
          'freed the jobs of dead workers',
        );
      }
    } catch (error) {
      failed = true;
      log.error({ err: error }, 'worker sweep failed');
      await client?.query('rollback').catch(() => {});
    } finally {
      // A connection that failed mid-transaction is discarded rather than reused.
      client?.release(failed || undefined);
    }
  }

  function sweep(): Promise<void> {
    sweeping ??= sweepOnce().finally(() => {
      sweeping = undefined;
    });
    return sweeping;
  }

  // ---- timers ----
  const beatTimer = setInterval(() => void beat(), heartbeatMs);
  beatTimer.unref();
  let sweepTimer: NodeJS.Timeout | undefined;
  const scheduleSweep = () => {
    // Jittered so that the processes started together do not sweep together.
    sweepTimer = setTimeout(() => {
      void sweep().finally(() => {
        if (!stopped) scheduleSweep();
      });
    }, heartbeatMs * (0.75 + Math.random() / 2));
    sweepTimer.unref();
  };
  scheduleSweep();

  return {
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearInterval(beatTimer);
        clearTimeout(sweepTimer);
        for (const off of unsubscribe) off();
        if (live.size) {
          log.warn({ workerIds: [...live] }, 'worker supervisor stopped while its runner is still running: stop the runner first, or its running jobs will be freed as dead');
        }
        await Promise.all([beating, sweeping]);
        await removeRows([...new Set([...live, ...released, ...beaten])]);
      })();
      return stopping;
    },
  };
}

/**
 * Frees the jobs and queues locked by the given worker pools, which must be dead, in the
 * caller's transaction; returns how many jobs they held.
 */
async function freeJobsOf(client: Pick<PoolClient, 'query'>, dead: string[]): Promise<number> {
  const count = await client.query<{ jobs: number }>(`select count(*)::int as jobs from ${schema}._private_jobs where locked_by = any($1::text[])`, [dead]);
  const jobs = count.rows[0]?.jobs ?? 0;
  // A job that died on its last allowed attempt would never be picked up again
  // (graphile-worker fetches only attempts < max_attempts): give it one more, so
  // its task sees the interruption and settles the run (fails it, or flags it). The same
  // holds for a keyed job that was replaced while it ran (add_job sets its attempts to
  // its max_attempts, expecting the running worker to delete it when done).
  await client.query(`update ${schema}._private_jobs set max_attempts = attempts + 1 where locked_by = any($1::text[]) and attempts >= max_attempts`, [dead]);
  await client.query(`select ${schema}.force_unlock_workers($1::text[])`, [dead]);
  // Wake idle workers everywhere, as add_job does (delivered on commit).
  if (jobs > 0) await client.query(`select pg_notify('jobs:insert', json_build_object('count', $1::int)::text)`, [jobs]);
  return jobs;
}

/**
 * For a database restored from a backup, before any process starts on it: every lock in
 * it belongs to a process of the install the dump was taken from, which will never touch
 * this copy, so all are freed now instead of by the supervisor once their heartbeats look
 * stale (~20 s after start). Never run it on a database that processes are working on.
 * Returns how many jobs were freed. `npx -y pnpm@10 jobs:release-restored` runs it.
 */
export async function releaseRestoredJobs(pgPool: Pool): Promise<number> {
  const client = await pgPool.connect();
  try {
    await client.query('begin');
    const holders = await client.query<{ workerId: string }>(`
      select locked_by as "workerId" from ${schema}._private_jobs where locked_by is not null
      union select locked_by from ${schema}._private_job_queues where locked_by is not null`);
    const jobs = await freeJobsOf(client, holders.rows.map((r) => r.workerId));
    await client.query(`delete from "WorkerHeartbeat"`);
    await client.query('commit');
    return jobs;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
