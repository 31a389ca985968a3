// A worker outlives a PostgreSQL restart: graphile-worker ends its runner for good when it
// cannot record a job's outcome, and the worker replaces it once the database is back. The
// API meanwhile answers 503 with Retry-After.
// (The chaos soak found workers that stayed up, answering HTTP, and never ran a job again.)
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@soshogle/db';
import { freePort } from '@soshogle/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob, definePlugin } from './plugin.ts';
import { signedInUser, startTestSoshogle } from './testing/index.ts';
import { eventually } from './workflows/testing.ts';

const ran: { n: number; attempt: number }[] = [];
let release = () => {};
const held = new Promise<void>((resolve) => (release = resolve));
let holding = false;
const plugin = definePlugin({
  name: 'restart',
  displayName: 'Restart',
  description: 'A job that can be held while PostgreSQL goes away',
  jobs: [
    defineJob({
      name: 'note',
      payload: z.object({ n: z.number(), hold: z.boolean() }),
      async run({ attempt }, { n, hold }) {
        if (hold && attempt === 1) {
          holding = true;
          await held;
        }
        ran.push({ n, attempt });
      },
    }),
  ],
});

const dir = await mkdtemp(path.join(os.tmpdir(), 'soshogle-worker-restart-'));
const port = await freePort();
const startPostgres = () => startEmbeddedPostgres({ dir, port, database: 'restart', sharedBuffers: '32MB' });
let postgres: EmbeddedPostgres = await startPostgres();
const soshogle = await startTestSoshogle([plugin], { DATABASE_URL: postgres.url, WORKER_CONCURRENCY: '2' });
afterAll(async () => {
  await soshogle.stop();
  await postgres.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a worker whose database restarts', () => {
  it('answers 503 while it is down, runs jobs again once it is back, and the job it held then runs again', { timeout: 90_000 }, async () => {
    const tenant = await signedInUser(soshogle);
    const { db, jobs } = soshogle.tenantContext('restart', tenant.userId);
    await db.$transaction((tx) => jobs.enqueue(tx, 'restart.note', { n: 1, hold: true }, { tenantId: tenant.userId }));
    await eventually(async () => holding);

    // The job finishes while the database is down: its outcome cannot be recorded.
    await postgres.stop();
    release();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Meanwhile the API says "try again", not "our fault".
    const down = await tenant.request('GET', '/api/data-retention');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.json()).toMatchObject({ status: 503, title: 'Service Unavailable' });
    postgres = await startPostgres();

    await eventually(async () => {
      try {
        await db.$transaction((tx) => jobs.enqueue(tx, 'restart.note', { n: 2, hold: false }, { tenantId: tenant.userId }));
        return true;
      } catch {
        return false; // the client's connections are being replaced
      }
    });
    await eventually(async () => ran.some((r) => r.n === 2), 30_000);
    // The held job's lock belonged to the ended runner: freed as a dead worker's, it runs again.
    await eventually(async () => ran.some((r) => r.n === 1 && r.attempt === 2), 45_000);
  });
});
