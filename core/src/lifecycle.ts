// Data lifecycle: nothing grows without bound. Each owner declares what it forgets
// (definePlugin({ retention }), RetentionDefinition in plugin.ts); the core deletes it on a
// schedule, as graphile-worker cron items built from the registry. See docs/lifecycle.md.
//
// A run of a job: claim its lease (one run of a job at a time, whichever worker took the
// tick), then batches of at most `batchSize` rows, oldest first, picked `for update skip
// locked` and deleted by ctid, each batch its own transaction with a short lock_timeout
// and a pause after it, until a batch comes back short or the time budget is spent (the
// next tick goes on). The run's count and error land in LifecycleRun for the operator view.
import { Prisma, type PrismaClient } from '@soshogle/db';
import { parseCronItems, type ParsedCronItem, type Task } from 'graphile-worker';
import { z } from 'zod';
import type { Logger } from './logger.ts';
import { defineRetention, type RetentionDefinition } from './plugin.ts';
import type { Registry } from './plugin-host.ts';

export const lifecycleTask = 'lifecycle_prune';

type Raw = Pick<PrismaClient, '$executeRaw'>;

/** One scheduled prune, whoever declared it. */
export interface LifecycleJob {
  /** `<plugin>.<name>`. */
  key: string;
  description: string;
  /** Crontab time. */
  schedule: string;
  batchSize: number;
  /** Deletes at most `limit` expired rows through `tx`; returns how many it deleted. */
  batch(tx: Raw, limit: number): Promise<number>;
}

export interface LifecycleOptions {
  /** A run stops starting batches after this long (ms); the next tick goes on. */
  budgetMs: number;
  /** Pause after each full batch (ms): live traffic gets the database between batches. */
  pauseMs: number;
  /** Rows per batch instead of each job's own (the benchmark and tests). */
  batchSize?: number;
  signal?: AbortSignal;
}

export const defaultLifecycleOptions: LifecycleOptions = { budgetMs: 20_000, pauseMs: 50 };
const defaultSchedule = '*/10 * * * *';

// Prisma DateTime columns are `timestamp` holding UTC: compared with the database clock in UTC.
const utcNow = Prisma.sql`(now() at time zone 'utc')`;

/** The job a RetentionDefinition declares: the generic oldest-first batch on its model. */
export function retentionJob(key: string, retention: RetentionDefinition): LifecycleJob {
  const table = Prisma.raw(`"${retention.model}"`);
  const column = Prisma.raw(`r."${retention.column}"`);
  const keep = retention.keep === undefined ? Prisma.sql`interval '0'` : typeof retention.keep === 'string' ? Prisma.sql`${retention.keep}::interval` : retention.keep;
  const where = retention.where ?? Prisma.sql`true`;
  return {
    key,
    description: retention.description,
    schedule: retention.schedule ?? defaultSchedule,
    batchSize: retention.batchSize ?? 1000,
    // ctid = any(array(...)): a TID scan of exactly the picked rows (an `in (select ...)` may
    // be planned as a join that reads the whole table).
    batch: (tx, limit) => tx.$executeRaw`
      delete from ${table} where ctid = any(array(
        select r.ctid from ${table} r
        where ${column} < ${utcNow} - (${keep}) and (${where})
        order by ${column}
        limit ${limit}
        for update of r skip locked))`,
  };
}

/**
 * What the core forgets through the plugin contract, as the plugin `core` (its own
 * models). Webhook deliveries are kept 30 days: the inbox's key is what answers a
 * provider's retry as a duplicate for that long (plugin.ts, WebhookDefinition.deliveryId).
 */
export const coreRetention: RetentionDefinition[] = [
  defineRetention({ name: 'expired_sessions', description: 'Sign-in sessions past their expiry', model: 'Session', column: 'expires' }),
  defineRetention({ name: 'expired_tokens', description: 'Email verification, reset and invite links past their expiry', model: 'VerificationToken', column: 'expires' }),
  defineRetention({
    name: 'rate_limit_windows',
    description: 'Rate-limit counts whose window has ended',
    model: 'RateLimit',
    column: 'windowStart',
    keep: Prisma.sql`make_interval(secs => r."windowSeconds")`,
  }),
  defineRetention({
    name: 'webhook_deliveries',
    description: 'Webhook deliveries applied or given up, 30 days after they arrived',
    model: 'WebhookInbox',
    column: 'receivedAt',
    keep: '30 days',
    where: Prisma.sql`(r."appliedAt" is not null or r."failedAt" is not null)`,
  }),
];

/**
 * The core's jobs that no RetentionDefinition can say: runs kept per tenant (one index
 * probe per tenant instead of reading every run younger than the longest retention), and
 * graphile-worker's own table.
 */
const coreJobs: LifecycleJob[] = [
  {
    key: 'core.workflow_runs',
    description: "Finished workflow runs and their step logs, past each account's retention (runs still waiting are kept)",
    schedule: defaultSchedule,
    // A run's steps and waits go with it (foreign keys cascade): fewer runs per batch.
    batchSize: 500,
    batch: (tx, limit) => tx.$executeRaw`
      delete from "WorkflowExecution" where ctid = any(array(
        select e.ctid from "User" u
        cross join lateral (
          select e.ctid from "WorkflowExecution" e
          where e."userId" = u.id and e.status in ('COMPLETED', 'FAILED')
            and e."completedAt" < ${utcNow} - make_interval(days => u."executionLogRetentionDays")
          order by e."completedAt"
          limit ${limit}
          for update of e skip locked) e
        limit ${limit}))`,
  },
  {
    key: 'core.failed_jobs',
    description: 'Background jobs that failed for good, 30 days after their last attempt',
    schedule: defaultSchedule,
    batchSize: 1000,
    // What graphile-worker's own cleanup (DELETE_PERMAFAILED_JOBS) deletes, in batches and past an age.
    batch: (tx, limit) => tx.$executeRaw`
      delete from graphile_worker._private_jobs where ctid = any(array(
        select j.ctid from graphile_worker._private_jobs j
        where j.attempts >= j.max_attempts and j.locked_at is null and j.updated_at < now() - interval '30 days'
        limit ${limit}
        for update of j skip locked))`,
  },
];

/** Every lifecycle job of the enabled plugins and the core, by key. */
export function lifecycleJobs(registry: Registry): Map<string, LifecycleJob> {
  const jobs = new Map<string, LifecycleJob>();
  for (const [key, { retention }] of registry.retention) jobs.set(key, retentionJob(key, retention));
  for (const job of coreJobs) jobs.set(job.key, job);
  return jobs;
}

/**
 * graphile-worker cron items, one per job. No backfill: a tick missed while no worker ran
 * is not made up (the next one prunes the same rows). The cron's known_crontabs row lets
 * one worker only queue a tick, the job key keeps one waiting job per lifecycle job, and
 * the lease in runLifecycleJob keeps one run at a time when a run outlasts its interval.
 */
export function lifecycleCronItems(jobs: Iterable<LifecycleJob>): ParsedCronItem[] {
  return parseCronItems(
    [...jobs].map((job) => ({
      task: lifecycleTask,
      match: job.schedule,
      identifier: `lifecycle:${job.key}`,
      payload: { job: job.key },
      // One attempt: a failed run is recorded (lastError) and the next tick tries again.
      options: { backfillPeriod: 0, maxAttempts: 1, jobKey: `lifecycle:${job.key}`, jobKeyMode: 'replace' as const },
    })),
  );
}

export interface LifecycleRunResult {
  /** False: another run of the job held it; this one did nothing. */
  ran: boolean;
  pruned: number;
  batches: number;
}

/** One run of `job` (see the top of this file). Never throws for a failed batch: it is recorded. */
export async function runLifecycleJob(db: PrismaClient, job: LifecycleJob, log: Logger, options: LifecycleOptions = defaultLifecycleOptions): Promise<LifecycleRunResult> {
  // The lease outlives the budget by a minute: a run that died frees its job then.
  const leaseSeconds = Math.ceil(options.budgetMs / 1000) + 60;
  const claimed = await db.$queryRaw<{ job: string }[]>`
    insert into "LifecycleRun" (job, "startedAt", "leaseUntil")
    values (${job.key}, ${utcNow}, ${utcNow} + make_interval(secs => ${leaseSeconds}))
    on conflict (job) do update set "startedAt" = excluded."startedAt", "leaseUntil" = excluded."leaseUntil"
    where "LifecycleRun"."leaseUntil" is null or "LifecycleRun"."leaseUntil" < ${utcNow}
    returning job`;
  if (!claimed.length) return { ran: false, pruned: 0, batches: 0 };
  const size = options.batchSize ?? job.batchSize;
  const started = Date.now();
  let pruned = 0;
  let batches = 0;
  let error: string | null = null;
  try {
    for (;;) {
      const deleted = await db.$transaction(async (tx) => {
        // Rows are picked skip-locked; this bounds any other wait (a cascade's lock) so a
        // batch gives way to live traffic instead of queueing it behind itself.
        await tx.$executeRaw`set local lock_timeout = '2s'`;
        return job.batch(tx, size);
      });
      pruned += deleted;
      batches += 1;
      if (deleted < size || Date.now() - started >= options.budgetMs || options.signal?.aborted) break;
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
    log.error({ err: failure, job: job.key, pruned }, 'lifecycle job failed; the next tick tries again');
  } finally {
    await db.$executeRaw`
      update "LifecycleRun" set "finishedAt" = ${utcNow}, "leaseUntil" = null, "lastPruned" = ${pruned},
        "totalPruned" = "totalPruned" + ${pruned}, "lastError" = ${error}
      where job = ${job.key}`;
  }
  if (pruned) log.info({ job: job.key, pruned, batches, ms: Date.now() - started }, 'lifecycle job pruned rows');
  return { ran: true, pruned, batches };
}

const lifecyclePayload = z.object({ job: z.string() });

/** The worker's task for the cron items. */
export function lifecycleTaskHandler(db: PrismaClient, jobs: Map<string, LifecycleJob>, log: Logger, options: Omit<LifecycleOptions, 'signal'> = defaultLifecycleOptions): Task {
  return async (payload, helpers) => {
    const job = jobs.get(lifecyclePayload.parse(payload).job);
    // Its plugin was disabled since the tick was queued.
    if (!job) return;
    await runLifecycleJob(db, job, log, { ...options, signal: helpers.abortSignal });
  };
}
