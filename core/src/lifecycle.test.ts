// The lifecycle jobs: each deletes exactly what is past its retention and keeps the rest
// (runs still waiting, fresh rows), in batches within a time budget; one run of a job at a
// time; one job per cron tick however many workers; the retention setting's API.
// The worker is off: each test runs the job itself.
import { run as runGraphile } from 'graphile-worker';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { lifecycleCronItems, lifecycleJobs, lifecycleTask, runLifecycleJob, type LifecycleJob, type LifecycleOptions } from './lifecycle.ts';
import { definePlugin, defineRetention } from './plugin.ts';
import { buildRegistry, PluginError } from './plugin-host.ts';
import { expectJson, signedInUser, startTestSoshogle } from './testing/index.ts';
import { runnerOptions } from './worker.ts';

const soshogle = await startTestSoshogle([], { WORKER_ENABLED: 'false' });
const { db } = soshogle;
const log = createLogger('silent');
const jobs = lifecycleJobs(soshogle.registry);
const fast: LifecycleOptions = { budgetMs: 60_000, pauseMs: 0 };
const prune = (key: string, options: LifecycleOptions = fast) => runLifecycleJob(db, jobs.get(key)!, log, options);
const ago = (ms: number) => new Date(Date.now() - ms);
const day = 86_400_000;
const user = (email = `u-${Math.random().toString(36).slice(2)}@example.test`) => db.user.create({ data: { email } });

describe('core retention', () => {
  it('sessions and verification links: the expired go, the live stay', async () => {
    const u = await user();
    await db.session.createMany({
      data: [
        { sessionToken: `old-${u.id}`, userId: u.id, expires: ago(60_000) },
        { sessionToken: `live-${u.id}`, userId: u.id, expires: ago(-day) },
      ],
    });
    await db.verificationToken.createMany({
      data: [
        { identifier: u.email, token: `old-${u.id}`, expires: ago(1000) },
        { identifier: u.email, token: `live-${u.id}`, expires: ago(-3_600_000) },
      ],
    });
    expect(await prune('core.expired_sessions')).toMatchObject({ ran: true, pruned: 1 });
    expect(await prune('core.expired_tokens')).toMatchObject({ ran: true, pruned: 1 });
    expect((await db.session.findMany({ where: { userId: u.id } })).map((s) => s.sessionToken)).toEqual([`live-${u.id}`]);
    expect((await db.verificationToken.findMany({ where: { identifier: u.email } })).map((t) => t.token)).toEqual([`live-${u.id}`]);
  });

  it('rate-limit rows go once their own window has ended, however long it is', async () => {
    await db.rateLimit.createMany({
      data: [
        { key: 'lc:ended', windowStart: ago(3_600_000), windowSeconds: 900, count: 3 },
        { key: 'lc:day', windowStart: ago(3_600_000), windowSeconds: 86_400, count: 3 },
        { key: 'lc:decade', windowStart: ago(5 * 365 * day), windowSeconds: 10 * 365 * 86_400, count: 3 },
      ],
    });
    expect(await prune('core.rate_limit_windows')).toMatchObject({ pruned: 1 });
    expect((await db.rateLimit.findMany({ where: { key: { startsWith: 'lc:' } }, orderBy: { key: 'asc' } })).map((r) => r.key)).toEqual(['lc:day', 'lc:decade']);
  });

  it('webhook deliveries: applied or failed ones after 30 days; pending ones and younger ones stay', async () => {
    const u = await user();
    const row = (deliveryId: string, receivedAt: Date, state: { appliedAt?: Date; failedAt?: Date }) => ({ plugin: 'lc', path: '/x', tenantId: u.id, deliveryId, receivedAt, ...state });
    await db.webhookInbox.createMany({
      data: [
        row('applied-31d', ago(31 * day), { appliedAt: ago(31 * day) }),
        row('failed-31d', ago(31 * day), { failedAt: ago(30 * day) }),
        row('applied-29d', ago(29 * day), { appliedAt: ago(29 * day) }),
        row('pending-40d', ago(40 * day), {}),
      ],
    });
    expect(await prune('core.webhook_deliveries')).toMatchObject({ pruned: 2 });
    expect((await db.webhookInbox.findMany({ where: { tenantId: u.id }, orderBy: { deliveryId: 'asc' } })).map((r) => r.deliveryId)).toEqual(['applied-29d', 'pending-40d']);
  });

  it("workflow runs: finished ones past their own tenant's retention go with their steps; waiting, running and review runs stay", async () => {
    const [a, b] = [await user(), await db.user.create({ data: { email: `b-${Date.now()}@example.test`, executionLogRetentionDays: 1 } })];
    const runs: Record<string, string> = {};
    for (const u of [a, b]) {
      const steps = [{ id: 'n', type: 'action', action: 'core.notify', props: {} }];
      const workflow = await db.workflow.create({ data: { userId: u.id, name: 'w', trigger: 'CUSTOM', triggerKey: 'core.manual', actions: steps, publishedVersion: 1 } });
      const version = await db.workflowVersion.create({ data: { userId: u.id, workflowId: workflow.id, version: 1, triggerKey: 'core.manual', triggerFilter: {}, actions: steps, allowReentry: true } });
      const execution = async (name: string, status: 'COMPLETED' | 'FAILED' | 'WAITING' | 'RUNNING' | 'NEEDS_REVIEW', completedAt: Date | null) => {
        const e = await db.workflowExecution.create({
          data: { userId: u.id, workflowId: workflow.id, versionId: version.id, status, contextData: {}, eventId: name, dedupeKey: name, startedAt: ago(400 * day), completedAt },
        });
        await db.workflowStepRun.create({ data: { userId: u.id, executionId: e.id, stepId: 'n', type: 'action', status: status === 'WAITING' ? 'WAITING' : 'SUCCEEDED' } });
        runs[`${u === a ? 'a' : 'b'}:${name}`] = e.id;
      };
      await execution('done-100d', 'COMPLETED', ago(100 * day));
      await execution('failed-91d', 'FAILED', ago(91 * day));
      await execution('done-2d', 'COMPLETED', ago(2 * day));
      await execution('done-1h', 'COMPLETED', ago(3_600_000));
      await execution('waiting', 'WAITING', null);
      await execution('running', 'RUNNING', null);
      await execution('review-200d', 'NEEDS_REVIEW', ago(200 * day));
    }
    expect(await prune('core.workflow_runs')).toMatchObject({ pruned: 5 });
    const left = new Set((await db.workflowExecution.findMany({ where: { userId: { in: [a.id, b.id] } } })).map((e) => e.id));
    const kept = Object.entries(runs).filter(([, id]) => left.has(id)).map(([name]) => name).sort();
    expect(kept).toEqual(['a:done-1h', 'a:done-2d', 'a:review-200d', 'a:running', 'a:waiting', 'b:done-1h', 'b:review-200d', 'b:running', 'b:waiting']);
    // The step log went with its run (a foreign key cascade), and stayed with the kept ones.
    expect(await db.workflowStepRun.count({ where: { userId: { in: [a.id, b.id] } } })).toBe(kept.length);
  });

  it('graphile-worker jobs that failed for good, 30 days on; live and recent ones stay', async () => {
    const add = async (name: string) => (await db.$queryRaw<{ id: bigint }[]>`select id from graphile_worker.add_job('lc_test', ${JSON.stringify({ name })}::json, run_at => now() + interval '1 day', max_attempts => 3)`)[0]!.id;
    const [old, recent, live] = [await add('old'), await add('recent'), await add('live')];
    await db.$executeRaw`update graphile_worker._private_jobs set attempts = 3, updated_at = now() - interval '31 days' where id = ${old}`;
    await db.$executeRaw`update graphile_worker._private_jobs set attempts = 3, updated_at = now() - interval '1 day' where id = ${recent}`;
    await db.$executeRaw`update graphile_worker._private_jobs set updated_at = now() - interval '40 days' where id = ${live}`;
    expect(await prune('core.failed_jobs')).toMatchObject({ pruned: 1 });
    const left = await db.$queryRaw<{ id: bigint }[]>`select id from graphile_worker._private_jobs where id = any(${[old, recent, live]}::bigint[]) order by id`;
    expect(left.map((j) => j.id)).toEqual([recent, live]);
  });
});

describe('runs', () => {
  const expiredSessions = async (n: number) => {
    const u = await user();
    await db.session.createMany({ data: Array.from({ length: n }, (_, i) => ({ sessionToken: `batch-${u.id}-${i}`, userId: u.id, expires: ago(1000 + i) })) });
  };

  it('deletes in batches until a short one, and stops at its budget for the next tick to go on', async () => {
    await expiredSessions(25);
    expect(await prune('core.expired_sessions', { ...fast, batchSize: 10 })).toEqual({ ran: true, pruned: 25, batches: 3 });
    await expiredSessions(25);
    // A spent budget: one batch, the rest left for the next run.
    expect(await prune('core.expired_sessions', { ...fast, batchSize: 10, budgetMs: 0 })).toEqual({ ran: true, pruned: 10, batches: 1 });
    expect(await prune('core.expired_sessions', fast)).toMatchObject({ pruned: 15 });
    const run = await db.lifecycleRun.findUniqueOrThrow({ where: { job: 'core.expired_sessions' } });
    expect(run).toMatchObject({ lastPruned: 15, leaseUntil: null, lastError: null });
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt!.getTime());
  });

  it('one run of a job at a time: a second run while the first holds it does nothing; a dead run frees it when its lease ends', async () => {
    let batches = 0;
    const slow: LifecycleJob = {
      key: 'test.slow',
      description: 'a slow prune',
      schedule: '* * * * *',
      batchSize: 1,
      batch: async () => {
        batches += 1;
        await new Promise((resolve) => setTimeout(resolve, 300));
        return 0;
      },
    };
    const results = await Promise.all([runLifecycleJob(db, slow, log, fast), runLifecycleJob(db, slow, log, fast)]);
    expect(results.map((r) => r.ran).sort()).toEqual([false, true]);
    expect(batches).toBe(1);
    // Finished: the next run takes it.
    expect((await runLifecycleJob(db, slow, log, fast)).ran).toBe(true);
    // A run that died holding it (leaseUntil still set): refused until the lease has passed.
    await db.lifecycleRun.update({ where: { job: 'test.slow' }, data: { leaseUntil: ago(-60_000) } });
    expect((await runLifecycleJob(db, slow, log, fast)).ran).toBe(false);
    await db.lifecycleRun.update({ where: { job: 'test.slow' }, data: { leaseUntil: ago(1000) } });
    expect((await runLifecycleJob(db, slow, log, fast)).ran).toBe(true);
  });

  it('records a failed run and frees the job', async () => {
    const broken: LifecycleJob = { key: 'test.broken', description: 'fails', schedule: '* * * * *', batchSize: 10, batch: (tx) => tx.$executeRaw`delete from "NoSuchTable"` };
    expect(await runLifecycleJob(db, broken, log, fast)).toEqual({ ran: true, pruned: 0, batches: 0 });
    expect(await db.lifecycleRun.findUniqueOrThrow({ where: { job: 'test.broken' } })).toMatchObject({ leaseUntil: null, lastError: expect.stringMatching(/NoSuchTable/) });
  });
});

describe('schedule', () => {
  it('cron items: no backfill, one job key and one attempt per lifecycle job', () => {
    const items = lifecycleCronItems(jobs.values());
    expect(items.length).toBe(jobs.size);
    for (const item of items) {
      expect(item.task).toBe(lifecycleTask);
      expect(item.options).toMatchObject({ backfillPeriod: 0, maxAttempts: 1, jobKey: item.identifier });
    }
    expect(new Set(items.map((i) => i.identifier)).size).toBe(items.length);
  });

  // Waits for the next minute's tick (up to a minute): two workers on one database, each
  // scheduling the same cron item, must queue and run it once.
  it('two workers run one cron tick once', { timeout: 100_000 }, async () => {
    const ran: string[] = [];
    const tick: LifecycleJob = { key: 'test.tick', description: 'counts ticks', schedule: '* * * * *', batchSize: 1, batch: async () => 0 };
    const pools = [0, 1].map(() => new pg.Pool({ connectionString: soshogle.databaseUrl, max: 4 }).on('error', () => {}));
    const runners = await Promise.all(
      pools.map((pgPool, i) =>
        runGraphile(runnerOptions({ pgPool, concurrency: 2, log }, { [lifecycleTask]: async () => void ran.push(`worker ${i}`) }, lifecycleCronItems([tick]))),
      ),
    );
    try {
      const deadline = Date.now() + 75_000;
      while (!ran.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      // Time for a second copy of the tick to be queued and run, were there one.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(ran).toHaveLength(1);
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});

describe('declarations', () => {
  const plugin = (retention: Parameters<typeof defineRetention>[0]) =>
    definePlugin({ name: 'keeper', displayName: 'Keeper', description: 'forgets', models: ['ExamplePing'], contactData: { none: 'test pings' }, retention: [defineRetention(retention)] });
  const base = { name: 'old_pings', description: 'pings', model: 'ExamplePing', column: 'createdAt', keep: '1 day' };

  it('are checked at boot: own model, its column, a crontab time, a sane batch', () => {
    expect(buildRegistry([plugin(base)]).retention.has('keeper.old_pings')).toBe(true);
    expect(() => buildRegistry([plugin({ ...base, model: 'Session' })])).toThrow(/"Session", which is not a model of "keeper"/);
    expect(() => buildRegistry([plugin({ ...base, column: 'sentAt' })])).toThrow(/"sentAt", which is not a column of "ExamplePing"/);
    expect(() => buildRegistry([plugin({ ...base, schedule: 'every day' })])).toThrow(PluginError);
    expect(() => buildRegistry([plugin({ ...base, batchSize: 0 })])).toThrow(/batchSize 0/);
  });
});

describe('routes', () => {
  it('the retention setting: 90 days by default, saved within 1..3650, 422 naming the field otherwise', async () => {
    const owner = await signedInUser(soshogle);
    expect(await expectJson(await owner.request('GET', '/api/data-retention'), 200)).toEqual({ executionLogRetentionDays: 90 });
    expect(await expectJson(await owner.request('PUT', '/api/data-retention', { executionLogRetentionDays: 30 }), 200)).toEqual({ executionLogRetentionDays: 30 });
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.userId } })).executionLogRetentionDays).toBe(30);
    for (const bad of [0, 3651, 1.5, '30', null]) {
      const problem = await expectJson<{ errors: { field: string }[] }>(await owner.request('PUT', '/api/data-retention', { executionLogRetentionDays: bad }), 422);
      expect(problem.errors.map((e) => e.field)).toEqual(['body.executionLogRetentionDays']);
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.userId } })).executionLogRetentionDays).toBe(30);
    expect(await db.auditLog.count({ where: { userId: owner.userId, action: 'data_retention.changed' } })).toBe(1);
  });

  it('the lifecycle jobs with their last runs, for admins only', async () => {
    const plain = await signedInUser(soshogle);
    expect((await plain.request('GET', '/api/lifecycle-jobs')).status).toBe(403);
    const admin = await signedInUser(soshogle, { role: 'ADMIN' });
    await prune('core.expired_tokens');
    const { items } = await expectJson<{ items: { job: string; lastFinishedAt: string | null; running: boolean }[] }>(await admin.request('GET', '/api/lifecycle-jobs'), 200);
    expect(items.map((i) => i.job).sort()).toEqual([...jobs.keys()].sort());
    expect(items.find((i) => i.job === 'core.expired_tokens')).toMatchObject({ running: false, lastFinishedAt: expect.any(String) });
  });
});
