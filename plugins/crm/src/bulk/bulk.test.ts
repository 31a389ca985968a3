// Bulk actions through the API and the real job worker: tags on a filter or a smart list,
// deleting a selection, starting a workflow, resuming after a failed batch, and tenant
// isolation. Contacts are written directly (no events), so every event heard here comes
// from a bulk job.
import { eventRecorder, eventually, expectJson, publishWorkflow, queueSettled, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import crm from '../index.ts';
import { bulkJobKey } from './jobs.ts';
import type { BulkParams } from './params.ts';

const { plugin: recorder, heard } = eventRecorder(['core.tag_added', 'core.tag_removed']);

const soshogle = await startTestSoshogle([crm, recorder], { CRM_DEFAULT_COUNTRY: 'US' });
const { db } = soshogle;


interface Job {
  id: string;
  status: string;
  total: number | null;
  processed: number;
  succeeded: number;
  failed: number;
  result: { lastId: string | null; changed: number } | null;
  error: string | null;
}

/** Contacts written directly (raising nothing); their ids in the order given. */
async function contacts(tenantId: string, rows: { firstName: string; tags?: string[] }[]): Promise<string[]> {
  const ids: string[] = [];
  for (const row of rows) ids.push((await db.contact.create({ data: { userId: tenantId, ...row }, select: { id: true } })).id);
  return ids;
}

async function bulk(client: TestClient, body: unknown): Promise<Job> {
  return (await expectJson<{ job: Job }>(await client.request('POST', '/api/crm/contacts/bulk', body), 202)).job;
}

const finished = (client: TestClient, jobId: string) =>
  eventually(async () => {
    const job = await expectJson<Job>(await client.request('GET', `/api/crm/jobs/${jobId}`), 200);
    return job.status === 'COMPLETED' || job.status === 'FAILED' ? job : null;
  });

const tagsOf = async (ids: string[]) => {
  const rows = await db.contact.findMany({ where: { id: { in: ids } }, select: { id: true, tags: true } });
  return ids.map((id) => rows.find((r) => r.id === id)?.tags);
};

const eventsOf = (ids: string[], type: (typeof heard)[number]['type']) =>
  heard
    .filter((e) => e.type === type && ids.includes(e.payload.contactId))
    .map((e) => e.payload)
    .sort((a, b) => `${a.contactId}${a.tag}`.localeCompare(`${b.contactId}${b.tag}`));

describe('bulk tags', () => {
  it('adds tags to the contacts a filter matches, raising tag_added only for those that lacked them, with progress reaching the total', async () => {
    const user = await signedInUser(soshogle);
    const [a, b, c, done] = await contacts(user.userId, [
      { firstName: 'A', tags: ['prospect'] },
      { firstName: 'B', tags: ['prospect', 'vip'] },
      { firstName: 'C', tags: ['prospect', 'warm'] },
      { firstName: 'Has both', tags: ['q3', 'prospect', 'vip'] },
    ]);
    const [outside] = await contacts(user.userId, [{ firstName: 'D', tags: ['other'] }]);
    const all = [a!, b!, c!, done!, outside!];

    const job = await bulk(user, { target: { filter: { tagsAny: ['prospect'] } }, action: { type: 'add_tags', tags: ['vip', 'vip', 'q3'] } });
    expect(job).toMatchObject({ status: 'QUEUED', total: 4, processed: 0 });
    expect(await finished(user, job.id)).toMatchObject({ status: 'COMPLETED', total: 4, processed: 4, succeeded: 4, failed: 0, result: { changed: 3 } });
    expect(await tagsOf(all)).toEqual([
      ['prospect', 'vip', 'q3'],
      ['prospect', 'vip', 'q3'],
      ['prospect', 'warm', 'vip', 'q3'],
      ['q3', 'prospect', 'vip'],
      ['other'],
    ]);
    await queueSettled(soshogle);
    expect(eventsOf(all, 'core.tag_added')).toEqual(
      [
        { contactId: a, tag: 'q3' },
        { contactId: a, tag: 'vip' },
        { contactId: b, tag: 'q3' },
        { contactId: c, tag: 'q3' },
        { contactId: c, tag: 'vip' },
      ].sort((x, y) => `${x.contactId}${x.tag}`.localeCompare(`${y.contactId}${y.tag}`)),
    );
    expect((await db.tag.findMany({ where: { userId: user.userId }, orderBy: { name: 'asc' } })).map((t) => t.name)).toEqual(['q3', 'vip']);
  });

  it('removes tags from a smart list\'s contacts, raising tag_removed only for tags that were there', async () => {
    const user = await signedInUser(soshogle);
    const ids = await contacts(user.userId, [
      { firstName: 'A', tags: ['vip', 'lead'] },
      { firstName: 'B', tags: ['lead', 'vip', 'old'] },
      { firstName: 'C', tags: ['lead'] },
    ]);
    const list = await expectJson<{ id: string }>(await user.request('POST', '/api/crm/smart-lists', { name: 'Leads', filter: { tagsAll: ['lead'] } }), 201);
    const job = await bulk(user, { target: { smartListId: list.id }, action: { type: 'remove_tags', tags: ['vip', 'old', 'never'] } });
    expect(await finished(user, job.id)).toMatchObject({ status: 'COMPLETED', total: 3, processed: 3, result: { changed: 2 } });
    expect(await tagsOf(ids)).toEqual([['lead'], ['lead'], ['lead']]);
    await queueSettled(soshogle);
    expect(eventsOf(ids, 'core.tag_removed')).toEqual(
      [
        { contactId: ids[0]!, tag: 'vip' },
        { contactId: ids[1]!, tag: 'vip' },
        { contactId: ids[1]!, tag: 'old' },
      ].sort((x, y) => `${x.contactId}${x.tag}`.localeCompare(`${y.contactId}${y.tag}`)),
    );
  });

  it("matches tags in any case: adds them in the tenant's spelling to contacts lacking them in every case, removes every case", async () => {
    const user = await signedInUser(soshogle);
    await expectJson(await user.request('POST', '/api/crm/tags', { name: 'VIP' }), 201);
    await expectJson(await user.request('POST', '/api/crm/tags', { name: 'Prospect' }), 201);
    const ids = await contacts(user.userId, [
      { firstName: 'A', tags: ['Prospect'] },
      { firstName: 'B', tags: ['Prospect', 'vip'] },
      { firstName: 'C', tags: ['other'] },
    ]);
    const added = await bulk(user, { target: { filter: { tagsAny: ['PROSPECT'] } }, action: { type: 'add_tags', tags: ['Vip', 'q3', 'Q3'] } });
    expect(await finished(user, added.id)).toMatchObject({ status: 'COMPLETED', total: 2, result: { changed: 2 } });
    expect(await tagsOf(ids)).toEqual([['Prospect', 'VIP', 'q3'], ['Prospect', 'vip', 'q3'], ['other']]);

    const removed = await bulk(user, { target: { contactIds: ids }, action: { type: 'remove_tags', tags: ['viP', 'Q3'] } });
    expect(await finished(user, removed.id)).toMatchObject({ status: 'COMPLETED', result: { changed: 2 } });
    expect(await tagsOf(ids)).toEqual([['Prospect'], ['Prospect'], ['other']]);
    await queueSettled(soshogle);
    expect(eventsOf(ids, 'core.tag_removed')).toEqual(
      [
        { contactId: ids[0]!, tag: 'VIP' },
        { contactId: ids[0]!, tag: 'q3' },
        { contactId: ids[1]!, tag: 'vip' },
        { contactId: ids[1]!, tag: 'q3' },
      ].sort((x, y) => `${x.contactId}${x.tag}`.localeCompare(`${y.contactId}${y.tag}`)),
    );
  });

  it('resumes after a failed batch without doing any contact twice, and a finished job run again changes nothing', async () => {
    const user = await signedInUser(soshogle);
    // In id order: the order the job walks them, two per batch.
    const ids = (await contacts(user.userId, ['One', 'Two', 'Three', 'Four', 'Five'].map((firstName) => ({ firstName })))).sort();
    await db.contact.update({ where: { id: ids[1]! }, data: { tags: ['vip'] } });
    // The fourth contact (in the second batch) cannot be written until the trigger goes.
    await db.contact.update({ where: { id: ids[3]! }, data: { firstName: 'Boom' } });
    await db.$executeRawUnsafe(`create function bulk_test_boom() returns trigger language plpgsql as $$
      begin if new."firstName" = 'Boom' then raise exception 'boom'; end if; return new; end $$`);
    await db.$executeRawUnsafe(`create trigger bulk_test_boom before update on "Contact" for each row execute function bulk_test_boom()`);

    // As the route would (with small batches): the job row, then the job.
    const params: BulkParams = { target: { contactIds: ids }, action: { type: 'add_tags', tags: ['vip'] } };
    const job = await db.crmJob.create({ data: { userId: user.userId, kind: 'BULK_ACTION', params: params as object, total: ids.length } });
    const enqueue = () => soshogle.tenantContext('crm', user.userId).jobs.enqueue(db, bulkJobKey, { jobId: job.id, batchSize: 2 }, { tenantId: user.userId });
    await enqueue();

    const failedOnce = () => db.$queryRaw<{ attempts: number }[]>`
      select attempts from graphile_worker._private_jobs where payload->'payload'->>'jobId' = ${job.id} and last_error is not null`;
    await eventually(async () => (await failedOnce()).length > 0);
    // The first batch committed with its progress; the failed one left nothing behind.
    expect(await db.crmJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'RUNNING', processed: 2, result: { lastId: ids[1], changed: 1 } });
    expect(await tagsOf(ids)).toEqual([['vip'], ['vip'], [], [], []]);

    await db.$executeRawUnsafe('drop trigger bulk_test_boom on "Contact"');
    // Skip the retry's backoff.
    await db.$executeRaw`update graphile_worker._private_jobs set run_at = now() where payload->'payload'->>'jobId' = ${job.id}`;
    expect(await finished(user, job.id)).toMatchObject({ status: 'COMPLETED', total: 5, processed: 5, succeeded: 5, result: { changed: 4 } });
    expect(await tagsOf(ids)).toEqual([['vip'], ['vip'], ['vip'], ['vip'], ['vip']]);
    await queueSettled(soshogle);
    const once = [ids[0]!, ids[2]!, ids[3]!, ids[4]!].sort().map((contactId) => ({ contactId, tag: 'vip' }));
    expect(eventsOf(ids, 'core.tag_added')).toEqual(once);

    // Delivered again (at least once): the finished job does nothing.
    await enqueue();
    await queueSettled(soshogle);
    expect(await db.crmJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'COMPLETED', processed: 5, result: { changed: 4 } });
    expect(eventsOf(ids, 'core.tag_added')).toEqual(once);
  });

  it('leaves out contacts created after the job was asked for', async () => {
    const user = await signedInUser(soshogle);
    const before = await contacts(user.userId, [{ firstName: 'Before' }]);
    const params: BulkParams = { target: { filter: {} }, action: { type: 'add_tags', tags: ['snap'] } };
    const job = await db.crmJob.create({ data: { userId: user.userId, kind: 'BULK_ACTION', params: params as object, total: 1 } });
    const after = await contacts(user.userId, [{ firstName: 'After' }]);
    await db.contact.updateMany({ where: { id: after[0]! }, data: { createdAt: new Date(job.createdAt.getTime() + 1000) } });
    await soshogle.tenantContext('crm', user.userId).jobs.enqueue(db, bulkJobKey, { jobId: job.id }, { tenantId: user.userId });
    expect(await finished(user, job.id)).toMatchObject({ status: 'COMPLETED', processed: 1 });
    expect(await tagsOf([...before, ...after])).toEqual([['snap'], []]);
  });
});

describe('bulk delete', () => {
  it('deletes the selected contacts with their notes; another tenant\'s ids are not touched, nor its jobs visible', async () => {
    const user = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    const [a, b, keep] = await contacts(user.userId, [{ firstName: 'A' }, { firstName: 'B' }, { firstName: 'Keep' }]);
    const [theirs] = await contacts(other.userId, [{ firstName: 'Theirs' }]);
    await expectJson(await user.request('POST', `/api/crm/contacts/${a}/notes`, { content: 'goes too' }), 201);

    const job = await bulk(user, { target: { contactIds: [a, b, theirs] }, action: { type: 'delete' } });
    expect(job.total).toBe(2);
    expect(await finished(user, job.id)).toMatchObject({ status: 'COMPLETED', processed: 2, result: { changed: 2 } });
    expect((await db.contact.findMany({ where: { id: { in: [a!, b!, keep!, theirs!] } }, orderBy: { firstName: 'asc' } })).map((c) => c.firstName)).toEqual(['Keep', 'Theirs']);
    expect(await db.note.count({ where: { contactId: a! } })).toBe(0);

    // The other tenant aiming at our contact: its job finds nothing of its own to delete.
    const theirJob = await bulk(other, { target: { contactIds: [keep] }, action: { type: 'delete' } });
    expect(theirJob.total).toBe(0);
    expect(await finished(other, theirJob.id)).toMatchObject({ status: 'COMPLETED', processed: 0 });
    expect(await db.contact.findUnique({ where: { id: keep! } })).not.toBeNull();
    expect((await user.request('GET', `/api/crm/jobs/${theirJob.id}`)).status).toBe(404);
    expect((await other.request('GET', `/api/crm/jobs/${job.id}`)).status).toBe(404);
  });
});

describe('bulk workflow start', () => {
  it('starts a published manual workflow for the contacts a filter matches', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await publishWorkflow(user, { trigger: 'MANUAL', actions: [{ id: 'n', type: 'action', action: 'core.notify', props: { title: 'hello' } }] });
    const matching = await contacts(user.userId, [
      { firstName: 'A', tags: ['campaign'] },
      { firstName: 'B', tags: ['campaign'] },
    ]);
    const [outside] = await contacts(user.userId, [{ firstName: 'C' }]);
    const job = await bulk(user, { target: { filter: { tagsAny: ['campaign'] } }, action: { type: 'start_workflow', workflowId } });
    expect(await finished(user, job.id)).toMatchObject({ status: 'COMPLETED', total: 2, processed: 2, result: { changed: 2 } });
    await eventually(async () => (await db.workflowExecution.count({ where: { workflowId, status: 'COMPLETED' } })) === 2);
    const runs = await db.workflowExecution.findMany({ where: { workflowId }, select: { contactId: true } });
    expect(runs.map((r) => r.contactId).sort()).toEqual([...matching].sort());
    expect(runs.map((r) => r.contactId)).not.toContain(outside);
  });

  it('refuses an unpublished (409), unknown or another tenant\'s workflow (404) at request time, queueing nothing', async () => {
    const user = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    await contacts(user.userId, [{ firstName: 'A' }]);
    const draft = await expectJson<{ id: string }>(
      await user.request('POST', '/api/workflows', { name: 'Draft', trigger: 'MANUAL', triggerFilter: {}, actions: [{ id: 'n', type: 'action', action: 'core.notify', props: { title: 'x' } }] }),
      201,
    );
    const theirs = await publishWorkflow(other, { trigger: 'MANUAL', actions: [{ id: 'n', type: 'action', action: 'core.notify', props: { title: 'x' } }] });
    const start = (workflowId: string) => user.request('POST', '/api/crm/contacts/bulk', { target: { filter: {} }, action: { type: 'start_workflow', workflowId } });
    expect((await start(draft.id)).status).toBe(409);
    expect((await start('no-such-workflow')).status).toBe(404);
    expect((await start(theirs)).status).toBe(404);
    expect(await db.crmJob.count({ where: { userId: user.userId } })).toBe(0);
  });

  it('fails the job with the reason when the workflow is gone by the time it runs', async () => {
    const user = await signedInUser(soshogle);
    await contacts(user.userId, [{ firstName: 'A' }]);
    const params: BulkParams = { target: { filter: {} }, action: { type: 'start_workflow', workflowId: 'deleted-meanwhile' } };
    const job = await db.crmJob.create({ data: { userId: user.userId, kind: 'BULK_ACTION', params: params as object, total: 1 } });
    await soshogle.tenantContext('crm', user.userId).jobs.enqueue(db, bulkJobKey, { jobId: job.id }, { tenantId: user.userId });
    const failed = await finished(user, job.id);
    expect(failed).toMatchObject({ status: 'FAILED', processed: 0 });
    expect(failed.error).toContain('Could not start the workflow');
  });
});

describe('bulk requests', () => {
  it('refuses unclear targets and points exports to the export download', async () => {
    const user = await signedInUser(soshogle);
    const problem = async (body: unknown) => (await expectJson<{ errors: { field: string; message: string }[] }>(await user.request('POST', '/api/crm/contacts/bulk', body), 422)).errors;
    expect((await problem({ target: { contactIds: ['a'], filter: {} }, action: { type: 'delete' } }))[0]!.field).toBe('body.target');
    expect((await problem({ target: { contactIds: [] }, action: { type: 'delete' } }))[0]!.field).toBe('body.target.contactIds');
    expect((await problem({ target: { filter: {} }, action: { type: 'add_tags', tags: [] } }))[0]!.field).toBe('body.action.tags');
    expect((await problem({ target: { smartListId: 'nope' }, action: { type: 'delete' } }))[0]!.field).toBe('body.target.smartListId');
    const exported = await problem({ target: { filter: {} }, action: { type: 'export' } });
    expect(exported[0]).toMatchObject({ field: 'body.action.type', message: expect.stringContaining('/api/crm/contacts/export') });
    expect(await db.crmJob.count({ where: { userId: user.userId } })).toBe(0);
  });
});
