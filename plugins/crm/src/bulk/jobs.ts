// The bulk action job: walks the target contacts in id order, a batch at a time. Each
// batch, its events and the job's progress (counts and the last id done) commit in one
// transaction, so a retry after a crash or an error resumes after the last committed
// batch: nothing is done twice, nothing is skipped.
import { defineJob, Problem, tenantSql, type JobContext, type JobDefinition, type TenantTx } from '@soshogle/core';
import { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { deleteContacts, ensureTags } from '../contacts/service.ts';
import { storedTags } from '../tags/spelling.ts';
import { bulkParams, targetWhere, type BulkAction } from './params.ts';

export const bulkJobKey = 'crm.bulk_contacts';

/** CrmJob.result of a bulk action, written with every batch. */
const bulkProgress = z.object({
  /** The last contact id done; the next batch starts after it. */
  lastId: z.string().nullable(),
  /** Contacts the action changed: tags gained or lost, contacts deleted, workflow runs queued. */
  changed: z.number(),
});
type BulkProgress = z.output<typeof bulkProgress>;

const startProgress: BulkProgress = { lastId: null, changed: 0 };

type Ctx = JobContext;

/** The job row, locked until the batch commits: two runs of one job (at-least-once delivery) take turns instead of doing a batch twice. */
async function lockJob(tx: TenantTx, tenantId: string, jobId: string): Promise<{ status: string; result: unknown } | undefined> {
  const t = tenantSql(tenantId);
  const [row] = await tx.$queryRaw<{ status: string; result: unknown }[]>(t`
    select status::text as status, result from "CrmJob" where id = ${jobId} and ${t.owns()} for update`);
  return row;
}

interface Change {
  id: string;
  before: string[];
  after: string[];
}

/**
 * Adds the tags, in the tenant's spelling, to the batch's contacts that lack any of them
 * in any case, in one statement; only those are written and hear core.tag_added, once
 * per tag they gained.
 */
async function addTags(ctx: Ctx, tx: TenantTx, ids: string[], given: string[]): Promise<number> {
  const tags = await storedTags(tx, given);
  const t = tenantSql(ctx.tenantId);
  const changes = await tx.$queryRaw<Change[]>(t`
    with prev as (
      select id, tags, array(
          select tag from unnest(${tags}::text[]) with ordinality as given(tag, n)
          where lower(tag) <> all(select lower(had) from unnest(tags) as had) order by n) as adding
      from "Contact"
      where ${t.owns()} and id = any(${ids}::text[]) and not tags @> ${tags}::text[]
      order by id for update)
    update "Contact" c
    set tags = prev.tags || prev.adding, "updatedAt" = now()
    from prev where c.id = prev.id and ${t.owns('c')} and cardinality(prev.adding) > 0
    returning c.id, prev.tags as before, c.tags as after`);
  if (changes.length) await ensureTags(tx, tags);
  await raiseTagEvents(ctx, tx, changes);
  return changes.length;
}

/** Removes the tags, in any case, from the batch's contacts that carry any of them; only those hear core.tag_removed. */
async function removeTags(ctx: Ctx, tx: TenantTx, ids: string[], tags: string[]): Promise<number> {
  // Lowered by PostgreSQL on both sides, so both sides fold case alike.
  const keys = Prisma.sql`array(select lower(t) from unnest(${tags}::text[]) as t)`;
  const t = tenantSql(ctx.tenantId);
  const changes = await tx.$queryRaw<Change[]>(t`
    with prev as (
      select id, tags from "Contact"
      where ${t.owns()} and id = any(${ids}::text[]) and exists (select 1 from unnest(tags) as had where lower(had) = any(${keys}))
      order by id for update)
    update "Contact" c
    set tags = array(select tag from unnest(prev.tags) with ordinality as had(tag, n) where lower(tag) <> all(${keys}) order by n),
      "updatedAt" = now()
    from prev where c.id = prev.id and ${t.owns('c')}
    returning c.id, prev.tags as before, c.tags as after`);
  await raiseTagEvents(ctx, tx, changes);
  return changes.length;
}

async function raiseTagEvents(ctx: Ctx, tx: TenantTx, changes: Change[]): Promise<void> {
  const raise = (type: 'core.tag_added' | 'core.tag_removed', contactId: string, tag: string) => ctx.events.raise(tx, type, { contactId, tag }, { tenantId: ctx.tenantId });
  for (const { id, before, after } of changes) {
    for (const tag of after.filter((t) => !before.includes(t))) await raise('core.tag_added', id, tag);
    for (const tag of before.filter((t) => !after.includes(t))) await raise('core.tag_removed', id, tag);
  }
}

/** Applies the action to one batch; returns how many contacts it changed. */
async function applyAction(ctx: Ctx, tx: TenantTx, action: BulkAction, ids: string[]): Promise<number> {
  switch (action.type) {
    case 'add_tags':
      return addTags(ctx, tx, ids, action.tags);
    case 'remove_tags':
      return removeTags(ctx, tx, ids, action.tags);
    case 'delete':
      // Their notes, messages, conversations, appointments and deal links go with them (cascade).
      return deleteContacts({ tx, tenantId: ctx.tenantId, events: ctx.events }, ids);
    case 'start_workflow':
      return (await ctx.workflows.start(tx, action.workflowId, ids, { tenantId: ctx.tenantId })).queued;
  }
}

/**
 * Does the next batch after the last committed one. Returns false once there is none
 * left (the job is then marked done in the same transaction) or the job is no longer
 * running.
 */
async function runBatch(ctx: Ctx, jobId: string, action: BulkAction, where: Prisma.ContactWhereInput, size: number): Promise<boolean> {
  return ctx.db.$transaction(
    async (tx) => {
      const row = await lockJob(tx, ctx.tenantId, jobId);
      if (row?.status !== 'RUNNING') return false;
      const stored = bulkProgress.safeParse(row.result);
      const progress = stored.success ? stored.data : startProgress;
      const batch = await tx.contact.findMany({
        where: { AND: [where, progress.lastId ? { id: { gt: progress.lastId } } : {}] },
        orderBy: { id: 'asc' },
        take: size,
        select: { id: true },
      });
      const ids = batch.map((c) => c.id);
      if (!ids.length) {
        const done = await tx.crmJob.findUniqueOrThrow({ where: { id: jobId }, select: { processed: true } });
        // Contacts deleted meanwhile were never reached: the total becomes what was done, so the bar ends full.
        await tx.crmJob.update({ where: { id: jobId }, data: { status: 'COMPLETED', finishedAt: new Date(), total: done.processed } });
        return false;
      }
      const changed = await applyAction(ctx, tx, action, ids);
      const next: BulkProgress = { lastId: ids.at(-1)!, changed: progress.changed + changed };
      await tx.crmJob.update({
        where: { id: jobId },
        data: { processed: { increment: ids.length }, succeeded: { increment: ids.length }, result: next },
      });
      return true;
    },
    // A batch raises an event per changed contact and tag: more than the 5 s default may pass.
    { timeout: 120_000 },
  );
}

async function fail(ctx: Ctx, jobId: string, error: string): Promise<void> {
  await ctx.db.crmJob.updateMany({ where: { id: jobId, status: 'RUNNING' }, data: { status: 'FAILED', error, finishedAt: new Date() } });
}

/** Why the job cannot go on, when retrying cannot help (the workflow was deleted or unpublished since). */
function permanentReason(error: unknown, action: BulkAction): string | null {
  if (!(error instanceof Problem) || error.status >= 500) return null;
  return action.type === 'start_workflow' ? `Could not start the workflow: ${error.message}` : error.message;
}

export const bulkContactsJob = defineJob({
  name: 'bulk_contacts',
  payload: z.object({
    jobId: z.string(),
    /** Contacts per transaction. */
    batchSize: z.number().int().min(1).max(1000).default(500),
  }),
  maxAttempts: 10,
  async run(ctx, { jobId, batchSize }) {
    const job = await ctx.db.crmJob.findFirst({ where: { id: jobId, kind: 'BULK_ACTION' } });
    if (!job || job.status === 'COMPLETED' || job.status === 'FAILED') return;
    if (job.status === 'QUEUED') {
      await ctx.db.crmJob.updateMany({ where: { id: jobId, status: 'QUEUED' }, data: { status: 'RUNNING', startedAt: new Date() } });
    }
    const params = bulkParams.safeParse(job.params);
    // Retrying cannot make them readable.
    if (!params.success) return fail(ctx, jobId, 'The job parameters cannot be read');
    const { target, action } = params.data;
    // Snapshot: only contacts that existed when the job was asked for, so it ends.
    const where = await targetWhere(ctx.db, target, job.createdAt);
    try {
      while (await runBatch(ctx, jobId, action, where, batchSize)) {
        // The next batch.
      }
    } catch (error) {
      const reason = permanentReason(error, action);
      if (!reason && ctx.attempt < ctx.maxAttempts) {
        ctx.log.warn({ jobId, attempt: ctx.attempt, err: error }, 'bulk action interrupted; resuming after the last committed batch');
        throw error;
      }
      await fail(ctx, jobId, reason ?? (error instanceof Error ? error.message : String(error)));
    }
  },
});

export const bulkJobs: JobDefinition[] = [bulkContactsJob];
