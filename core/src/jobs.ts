// Plugins' background jobs ride on graphile-worker like events do: enqueued with SQL
// inside the caller's transaction, run by any worker, retried with backoff.
import type { Task } from 'graphile-worker';
import { Prisma } from '@soshogle/db';
import { z } from 'zod';
import type { Db, Jobs, TenantContext } from './plugin.ts';
import type { Registry } from './plugin-host.ts';

export const pluginJobTask = 'plugin_job';

// jobKey: the job was queued under a key (enqueue_keyed_job, prisma/schema/core.sql).
const pluginJob = z.object({ key: z.string(), tenantId: z.string(), payload: z.unknown(), jobKey: z.string().optional() });

export function createJobs(registry: Registry): Jobs {
  const enqueueSql: Jobs['enqueueSql'] = (key, payload, { tenantId, runAt, jobKey }) => {
    const found = registry.jobs.get(key);
    if (!found) throw new Error(`Cannot enqueue "${key}": no enabled plugin declares that job`);
    const attempts = found.job.maxAttempts ?? 10;
    if (!jobKey) {
      const job = { key, tenantId, payload: found.job.payload.parse(payload) };
      return Prisma.sql`graphile_worker.add_job(${pluginJobTask}, ${JSON.stringify(job)}::json, run_at => ${runAt ?? null}::timestamptz, max_attempts => ${attempts})`;
    }
    // A keyed job belongs to its tenant and job: two tenants' (or plugins') keys never meet.
    const scopedKey = `${tenantId}:${key}:${jobKey}`;
    const job = { key, tenantId, payload: found.job.payload.parse(payload), jobKey: scopedKey };
    return Prisma.sql`enqueue_keyed_job(${pluginJobTask}, ${JSON.stringify(job)}::json, ${scopedKey}, coalesce(${runAt ?? null}::timestamptz, now()), ${attempts})`;
  };
  return {
    enqueueSql,
    async enqueue(tx: Db, key, payload, options) {
      await tx.$executeRaw`select ${enqueueSql(key, payload, options)}`;
    },
  };
}

export function pluginJobTaskHandler(registry: Registry, tenantContext: (plugin: string, tenantId: string) => TenantContext): Task {
  return async (raw, helpers) => {
    const { key, tenantId, payload, jobKey } = pluginJob.parse(raw);
    const found = registry.jobs.get(key);
    // Not in this process: a newer one queued it during a rolling upgrade, or its plugin was
    // disabled. Failed, not dropped, so it is retried with backoff (an upgraded worker takes
    // it) and, if no worker ever can, ends failed with this reason instead of vanishing.
    if (!found) throw new Error(`job ${key}: no enabled plugin in this worker provides it`);
    const ctx = tenantContext(found.plugin.definition.name, tenantId);
    // Writers that found this job waiting commit before it looks (enqueue_keyed_job).
    if (jobKey) await ctx.db.$executeRaw`select pg_advisory_xact_lock(hashtextextended('job-key:' || ${jobKey}, 0))`;
    await found.job.run({ ...ctx, attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts }, found.job.payload.parse(payload));
  };
}
