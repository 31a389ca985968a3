// What the CRM forgets on a schedule: uploads never imported after a week (unless an import
// of them still waits), and finished jobs with their row errors after 90 days.
import { runLifecycle, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import crm from './index.ts';

const soshogle = await startTestSoshogle([crm], { WORKER_ENABLED: 'false' });
const { db } = soshogle;
const day = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms);

describe('crm retention', () => {
  it('stale uploads: a week old and no import waiting for them', async () => {
    const { id: userId } = await db.user.create({ data: { email: `u-${Date.now()}@example.test` } });
    const upload = (fileName: string, createdAt: Date) => db.csvUpload.create({ data: { userId, fileName, content: Buffer.from('email\na@b.test\n'), headers: ['email'], rowCount: 1, createdAt } });
    const job = (uploadId: string, status: 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED') =>
      db.crmJob.create({ data: { userId, kind: 'CONTACT_IMPORT', status, params: { uploadId, mapping: {} } } });
    await upload('old.csv', ago(8 * day));
    const queued = await upload('old-queued.csv', ago(8 * day));
    await job(queued.id, 'QUEUED');
    const running = await upload('old-running.csv', ago(30 * day));
    await job(running.id, 'RUNNING');
    const failed = await upload('old-failed-import.csv', ago(8 * day));
    await job(failed.id, 'FAILED');
    await upload('fresh.csv', ago(6 * day));
    expect(await runLifecycle(soshogle, 'crm.stale_uploads')).toMatchObject({ ran: true, pruned: 2 });
    expect((await db.csvUpload.findMany({ where: { userId }, orderBy: { fileName: 'asc' } })).map((u) => u.fileName)).toEqual(['fresh.csv', 'old-queued.csv', 'old-running.csv']);
  });

  it('finished imports and bulk actions after 90 days, with their row errors; running and recent ones stay', async () => {
    const { id: userId } = await db.user.create({ data: { email: `j-${Date.now()}@example.test` } });
    const job = async (name: string, status: 'RUNNING' | 'COMPLETED' | 'FAILED', finishedAt: Date | null) => {
      const created = await db.crmJob.create({ data: { userId, kind: 'BULK_ACTION', status, params: { name }, createdAt: ago(200 * day), finishedAt } });
      await db.crmJobError.create({ data: { userId, jobId: created.id, item: 1, message: name } });
    };
    await job('completed-91d', 'COMPLETED', ago(91 * day));
    await job('failed-100d', 'FAILED', ago(100 * day));
    await job('completed-89d', 'COMPLETED', ago(89 * day));
    await job('running', 'RUNNING', null);
    expect(await runLifecycle(soshogle, 'crm.finished_jobs')).toMatchObject({ pruned: 2 });
    const left = await db.crmJob.findMany({ where: { userId } });
    expect(left.map((j) => (j.params as { name: string }).name).sort()).toEqual(['completed-89d', 'running']);
    expect((await db.crmJobError.findMany({ where: { userId } })).map((e) => e.message).sort()).toEqual(['completed-89d', 'running']);
  });
});
