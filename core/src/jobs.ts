// Plugins' background jobs ride on graphile-worker like events do: enqueued with SQL
// inside the caller's transaction, run by any worker, retried with backoff.
import type { Task } from 'graphile-worker';
import { Prisma } from '@soshogle/db';
import { z } from 'zod';
import type { Db, Jobs, TenantContext } from './plugin.ts';
import type { Registry } from './plugin-host.ts';

export const pluginJobTask = 'plugin_job';

const pluginJob = z.object({ key: z.string(), tenantId: z.string(), payload: z.unknown() });

export function createJobs(registry: Registry): Jobs {
  const enqueueSql: Jobs['enqueueSql'] = (key, payload, { tenantId, runAt, jobKey }) => {
    const found = registry.jobs.get(key);
    if (!found) throw new Error(`Cannot enqueue "${key}": no enabled plugin declares that job`);
    const job = { key, tenantId, payload: found.job.payload.parse(payload) };
    // A keyed job belongs to its tenant and job: two tenants' (or plugins') keys never meet.
    const scopedKey = jobKey ? `${tenantId}:${key}:${jobKey}` : null;
    return Prisma.sql`graphile_worker.add_job(${pluginJobTask}, ${JSON.stringify(job)}::json,
      run_at => ${runAt ?? null}::timestamptz, max_attempts => ${found.job.maxAttempts ?? 10}, job_key => ${scopedKey}::text)`;
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
    const { key, tenantId, payload } = pluginJob.parse(raw);
    const found = registry.jobs.get(key);
    // Its plugin was disabled since: nothing can run it.
    if (!found) return helpers.logger.warn(`job ${key} has no enabled plugin; dropped`);
    const ctx = tenantContext(found.plugin.definition.name, tenantId);
    await found.job.run({ ...ctx, attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts }, found.job.payload.parse(payload));
  };
}
