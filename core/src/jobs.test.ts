// Keyed jobs (EnqueueOptions.jobKey): many writers, one waiting job that sees everything
// they wrote, and no write to that job by the writers who find it waiting.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob, definePlugin } from './plugin.ts';
import { signedInUser, startTestSoshogle } from './testing/index.ts';
import { eventually, queueSettled } from './workflows/testing.ts';

/** What each run of the job found: the rows no earlier run had taken. */
const runs: { key: string; took: number[] }[] = [];

const gather = defineJob({
  name: 'gather',
  payload: z.object({ box: z.string() }),
  maxAttempts: 3,
  async run({ db }, { box }) {
    const took = await db.$queryRaw<{ n: number }[]>`
      update keyed_job_rows set taken = taken + 1 where box = ${box} and taken = 0 returning n`;
    runs.push({ key: box, took: took.map((r) => r.n).sort((a, b) => a - b) });
    // The 'busy' box's first run goes on working after it took its rows.
    if (box === 'busy' && runs.filter((r) => r.key === 'busy').length === 1) await sleep(1000);
  },
});

const plugin = definePlugin({ name: 'keyed', displayName: 'Keyed', description: 'A plugin whose job gathers rows written by many writers', jobs: [gather] });
const soshogle = await startTestSoshogle([plugin], { WORKER_CONCURRENCY: '5' });
const { db } = soshogle;
await db.$executeRawUnsafe('create table keyed_job_rows (box text not null, n int not null, taken int not null default 0)');
const tenant = await signedInUser(soshogle);
const jobs = soshogle.tenantContext('keyed', tenant.userId).jobs;

/** A writer: its row and the job, in one statement, as a public endpoint writes them. */
function write(box: string, n: number, runAt = new Date(Date.now() + 200)) {
  const job = jobs.enqueueSql('keyed.gather', { box }, { tenantId: tenant.userId, jobKey: box, runAt });
  return db.$executeRaw`with w as (insert into keyed_job_rows (box, n) values (${box}, ${n}) returning 1) select ${job} from w`;
}

async function rowsOf(box: string) {
  return db.$queryRaw<{ n: number; taken: number }[]>`select n, taken from keyed_job_rows where box = ${box} order by n`;
}

async function jobRevisions(box: string) {
  const [row] = await db.$queryRaw<{ jobs: number; revisions: number }[]>`
    select count(*)::int as jobs, coalesce(sum(revision), 0)::int as revisions from graphile_worker._private_jobs where key like ${`%:${box}`}`;
  return row!;
}

describe('a keyed job', () => {
  it('is one waiting job for a burst of writers, who write nothing to it, and takes every row once', async () => {
    await write('burst', 0, new Date(Date.now() + 1000));
    await Promise.all(Array.from({ length: 39 }, (_, n) => write('burst', n + 1, new Date(Date.now() + 1000))));
    // One job waits, never rewritten: the writers who found it added nothing.
    expect(await jobRevisions('burst')).toEqual({ jobs: 1, revisions: 0 });
    await eventually(async () => (await rowsOf('burst')).every((r) => r.taken === 1), 10_000);
    await queueSettled(soshogle);
    expect(runs.filter((r) => r.key === 'burst')).toEqual([{ key: 'burst', took: Array.from({ length: 40 }, (_, n) => n) }]);
  });

  it('sees the row of a writer that found it waiting and committed after it became due', async () => {
    await write('late', 1, new Date(Date.now() + 300));
    // This writer finds the job waiting (so adds nothing), then holds its transaction open
    // well past the job's due time: the job, started meanwhile, waits for that commit.
    await db.$transaction(
      async (tx) => {
        const job = jobs.enqueueSql('keyed.gather', { box: 'late' }, { tenantId: tenant.userId, jobKey: 'late', runAt: new Date(Date.now() + 300) });
        await tx.$executeRaw`with w as (insert into keyed_job_rows (box, n) values ('late', 2) returning 1) select ${job} from w`;
        await sleep(3000);
      },
      { timeout: 10_000 },
    );
    await eventually(async () => (await rowsOf('late')).every((r) => r.taken === 1), 10_000);
    expect(runs.filter((r) => r.key === 'late')).toEqual([{ key: 'late', took: [1, 2] }]);
  });

  it('queues the next run for a row written while it runs', async () => {
    await write('busy', 1, new Date());
    await eventually(async () => runs.some((r) => r.key === 'busy'), 10_000);
    await write('busy', 2, new Date()); // the first run has taken its rows and still runs
    await eventually(async () => (await rowsOf('busy')).every((r) => r.taken === 1), 10_000);
    expect(runs.filter((r) => r.key === 'busy')).toEqual([{ key: 'busy', took: [1] }, { key: 'busy', took: [2] }]);
  });

  it('is queued again when the waiting one has used up its attempts', async () => {
    await write('spent', 1, new Date(Date.now() + 60_000));
    await db.$executeRaw`update graphile_worker._private_jobs set attempts = max_attempts where key like '%:spent'`;
    await write('spent', 2, new Date());
    await eventually(async () => (await rowsOf('spent')).every((r) => r.taken === 1), 10_000);
  });
});

describe('a job no plugin of this worker provides', () => {
  it('fails with the reason and stays queued for a retry, so a worker that has the plugin (after a rolling upgrade) takes it', async () => {
    const [{ id } = { id: '' }] = await db.$queryRaw<{ id: string }[]>`
      select id::text from graphile_worker.add_job('plugin_job', json_build_object('key', 'newer.job', 'tenantId', ${tenant.userId}::text, 'payload', '{}'::json))`;
    const job = await eventually(async () => {
      const [row] = await db.$queryRaw<{ attempts: number; last_error: string | null }[]>`
        select attempts, last_error from graphile_worker._private_jobs where id = ${id}::bigint and last_error is not null`;
      return row;
    });
    expect(job).toMatchObject({ attempts: 1, last_error: expect.stringContaining('job newer.job: no enabled plugin in this worker provides it') });
    await db.$executeRaw`delete from graphile_worker._private_jobs where id = ${id}::bigint`;
  });
});
