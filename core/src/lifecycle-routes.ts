// The account's data retention setting, and the installation's lifecycle jobs for admins
// (Settings › Data in the UI; core/src/lifecycle.ts runs the jobs).
import { z } from 'zod';
import { audit } from './auth/audit.ts';
import { isoDate } from './http/wire.ts';
import { lifecycleJobs } from './lifecycle.ts';
import { defineRoute, type AnyRoute } from './plugin.ts';
import type { CoreServices } from './services.ts';

const retention = z.object({
  executionLogRetentionDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .describe('Days a finished workflow run and its step log are kept (runs still waiting are kept however old)'),
});

const lifecycleJobResponse = z.object({
  job: z.string().describe('`<plugin>.<name>`'),
  description: z.string(),
  schedule: z.string().describe('Crontab time'),
  lastStartedAt: isoDate.nullable(),
  lastFinishedAt: isoDate.nullable(),
  running: z.boolean(),
  lastPruned: z.number().int(),
  totalPruned: z.number().int(),
  lastError: z.string().nullable(),
});

export function lifecycleRoutes(services: CoreServices): AnyRoute[] {
  const { db } = services;
  const jobs = [...lifecycleJobs(services.registry).values()];
  return [
    defineRoute({
      method: 'GET',
      path: '/data-retention',
      summary: "The account's data retention: how long finished workflow runs are kept",
      response: retention,
      async handler({ auth }) {
        return db.user.findUniqueOrThrow({ where: { id: auth.tenantId }, select: { executionLogRetentionDays: true } });
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/data-retention',
      summary: "Set the account's data retention; runs already past a shorter one go at the next lifecycle run",
      body: retention,
      response: retention,
      async handler({ auth, body, http }) {
        const saved = await db.user.update({ where: { id: auth.tenantId }, data: body, select: { executionLogRetentionDays: true } });
        await audit(db, http, { userId: auth.tenantId, actorId: auth.userId, action: 'data_retention.changed', details: body });
        return saved;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/lifecycle-jobs',
      summary: "The installation's lifecycle jobs (prunes of expired and old rows) with their last run; admins only",
      roles: ['ADMIN'],
      response: z.object({ items: z.array(lifecycleJobResponse) }),
      async handler() {
        const runs = new Map((await db.lifecycleRun.findMany()).map((run) => [run.job, run]));
        const now = Date.now();
        return {
          items: jobs.map((job) => {
            const run = runs.get(job.key);
            return {
              job: job.key,
              description: job.description,
              schedule: job.schedule,
              lastStartedAt: run?.startedAt ?? null,
              lastFinishedAt: run?.finishedAt ?? null,
              running: !!run?.leaseUntil && run.leaseUntil.getTime() > now,
              lastPruned: run?.lastPruned ?? 0,
              totalPruned: Number(run?.totalPruned ?? 0),
              lastError: run?.lastError ?? null,
            };
          }),
        };
      },
    }),
  ];
}
