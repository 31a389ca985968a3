import type { PrismaClient } from '@soshogle/db';
import { Logger as GraphileLogger, run, type ParsedCronItem, type RunnerOptions, type Task, type TaskList } from 'graphile-worker';
import type { Pool } from 'pg';
import { z } from 'zod';
import { chainedActions, chainedEvents, deliverEventTask } from './events.ts';
import { pluginJobTask, pluginJobTaskHandler } from './jobs.ts';
import { lifecycleCronItems, lifecycleJobs, lifecycleTask, lifecycleTaskHandler } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import { superviseWorkers } from './worker-supervisor.ts';
import type { EngineServices } from './workflows/engine-services.ts';
import { workflowTasks } from './workflows/engine.ts';

const deliverEventJob = z.object({
  subscriber: z.string(),
  event: z.object({ id: z.string(), type: z.string(), tenantId: z.string(), payload: z.unknown(), occurredAt: z.string(), depth: z.number().default(0) }),
});

export interface WorkerOptions {
  pgPool: Pool;
  concurrency: number;
  services: EngineServices;
  log: Logger;
  /**
   * The lifecycle jobs (core/src/lifecycle.ts): their deletes go through `db`; `schedule:
   * false` keeps their task (a queued one runs) without the cron items. Left out (a test's
   * or benchmark's extra worker): neither.
   */
  lifecycle?: { db: PrismaClient; schedule: boolean };
}

/** graphile-worker's log lines, as structured logs on our logger. */
export function graphileLogger(log: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const method = level === 'warning' ? 'warn' : level;
    log[method]({ ...scope, ...meta }, message);
  });
}

export interface Worker {
  /** Graceful: running jobs finish, nothing stays locked, the heartbeat stops. */
  stop(): Promise<void>;
}

/**
 * Starts a graphile-worker runner for the core's tasks, with its heartbeat and the
 * sweep that frees the jobs of dead workers. Many may run against one database.
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const deliverEvent: Task = async (payload) => {
    const job = deliverEventJob.parse(payload);
    const [plugin, name] = job.subscriber.split('.');
    const found = options.services.registry.subscribers.get(job.event.type)?.find(
      (s) => s.plugin.definition.name === plugin && s.subscriber.name === name,
    );
    // Not in this process (queued by a newer one during a rolling upgrade, or its plugin was
    // disabled): failed, so it is retried with backoff instead of lost.
    if (!found) throw new Error(`event ${job.event.type} for subscriber ${job.subscriber}: not enabled in this worker`);
    const ctx = options.services.tenantContext(plugin!, job.event.tenantId);
    // Events the subscriber raises keep the chain depth: a loop through a plugin is still caught.
    await found.subscriber.run({ ...ctx, events: chainedEvents(ctx.events, job.event.depth), actions: chainedActions(ctx.actions, job.event.depth) }, job.event);
  };
  const lifecycle = lifecycleJobs(options.services.registry);
  const tasks: TaskList = {
    [deliverEventTask]: deliverEvent,
    [pluginJobTask]: pluginJobTaskHandler(options.services.registry, options.services.tenantContext),
    ...(options.lifecycle && { [lifecycleTask]: lifecycleTaskHandler(options.lifecycle.db, lifecycle, options.log.child({ component: 'lifecycle' })) }),
    ...workflowTasks(options.services),
  };
  const cronItems = options.lifecycle?.schedule ? lifecycleCronItems(lifecycle.values()) : [];
  const start = async () => {
    const runner = await run(runnerOptions({ pgPool: options.pgPool, concurrency: options.concurrency, log: options.log }, tasks, cronItems));
    // Started right after run(), with no await between: it must learn this runner's pool
    // before any of its locks could look abandoned (see worker-supervisor.ts).
    return { runner, supervisor: superviseWorkers({ pgPool: options.pgPool, runner, log: options.log }) };
  };
  let current = await start();
  let stopping = false;
  let restarting: Promise<void> | undefined;
  // graphile-worker stops its runner for good when it cannot record a job's outcome (the
  // database went away mid-job): the process would stay up and never work again. So a
  // runner that ends by itself is replaced, once the database answers again. The dead
  // runner's supervisor stops beating, so its jobs' locks are freed as a dead worker's.
  const watch = (it: typeof current) => {
    const ended = () => {
      if (stopping || it !== current) return;
      options.log.error('the worker stopped by itself (its database went away?); starting a new one');
      restarting = (async () => {
        await it.supervisor.stop().catch(() => {});
        for (let delayMs = 250; !stopping; delayMs = Math.min(delayMs * 2, 10_000)) {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          if (stopping) return;
          try {
            current = await start();
            watch(current);
            options.log.warn('the worker runs again');
            return;
          } catch (error) {
            options.log.warn({ err: error, retryInMs: delayMs * 2 }, 'the worker could not start again yet');
          }
        }
      })();
    };
    it.runner.promise.then(ended, ended);
  };
  watch(current);
  return {
    // The runner first: its jobs must finish and unlock before it stops beating.
    async stop() {
      stopping = true;
      await restarting;
      await current.runner.stop().catch(() => {}); // already stopped by itself
      await current.supervisor.stop();
    },
  };
}

/**
 * The runner settings every Soshogle worker uses (the engine benchmark's baseline uses
 * them too, so its comparison is fair).
 */
export function runnerOptions(options: Pick<WorkerOptions, 'pgPool' | 'concurrency' | 'log'>, taskList: TaskList, cronItems: ParsedCronItem[] = []): RunnerOptions {
  return {
    pgPool: options.pgPool,
    concurrency: options.concurrency,
    noHandleSignals: true,
    logger: graphileLogger(options.log),
    // Schedules come from the registry (the lifecycle jobs), not from a crontab file in the working directory.
    parsedCronItems: cronItems,
    pollInterval: 1000,
    taskList,
    // Without these a job finished just before a graceful stop can stay locked and run
    // again hours later (see shared notes on graphile-worker 0.17).
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
  };
}
