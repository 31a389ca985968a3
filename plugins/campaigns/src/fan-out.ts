// Sending a campaign: a job walks the audience a page at a time, in contact id order.
// Each page commits as one transaction: the page's recipient records (unique per
// campaign and contact), their messages queued through messaging, and the cursor. A
// worker killed mid-page leaves nothing of that page; the retry resumes at the cursor.
// A lock per campaign keeps two workers (or a cancel) from interleaving with a page.
import { defineJob, invalid, Problem, tenantSql, type ActionOutput, type JobContext, type TenantTx } from '@soshogle/core';
import type { Campaign } from '@soshogle/db';
import { z } from 'zod';
import { requestRefresh } from './metrics.ts';
import { renderOrReason } from './render.ts';
import { moveCampaign } from './status.ts';

/** Recipients per page (and per transaction). */
export const pageSize = 1000;

export const sendGroupOf = (campaignId: string) => `campaign:${campaignId}`;

/** Serialises the pages of one campaign with each other and with its cancellation. */
export const lockCampaign = (tx: TenantTx, campaignId: string) => tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`campaign:${campaignId}`}))`;

/** A campaign needs an audience: tags, a smart list, or both. Sending to everyone by accident is not undoable. */
export function checkTarget(campaign: Pick<Campaign, 'targetTags' | 'smartListId'>): void {
  if (campaign.targetTags.length || campaign.smartListId) return;
  throw invalid('body.targetTags', 'Choose the tags or the smart list the campaign goes to');
}

/** ACTIVE now, and the fan-out queued in the same transaction. */
export async function startSending(tx: TenantTx, ctx: Pick<JobContext, 'jobs' | 'tenantId'>, campaign: Campaign): Promise<Campaign> {
  checkTarget(campaign);
  const started = await moveCampaign(tx, campaign.id, 'ACTIVE', { sentAt: new Date() });
  await ctx.jobs.enqueue(tx, 'campaigns.fan_out', { campaignId: campaign.id }, { tenantId: ctx.tenantId });
  return started;
}

/**
 * CANCELLED now, with its messages not yet handed to a provider, and their recipients
 * with them. The caller holds lockCampaign.
 */
export async function cancelCampaign(tx: TenantTx, ctx: Pick<JobContext, 'actions' | 'jobs' | 'tenantId'>, campaignId: string): Promise<Campaign> {
  const { tenantId } = ctx;
  const campaign = await moveCampaign(tx, campaignId, 'CANCELLED', { cancelledAt: new Date() });
  const { cancelled } = await ctx.actions.run(tx, 'messaging.cancel_messages', { sendGroup: sendGroupOf(campaignId) }, { tenantId, idempotencyKey: `${sendGroupOf(campaignId)}:cancel` });
  const t = tenantSql(tenantId);
  await tx.$executeRaw(t`
    update "CampaignRecipient" set status = 'CANCELLED', reason = 'The campaign was cancelled before this was sent'
    where "campaignId" = ${campaignId} and ${t.owns()} and status = 'QUEUED' and "messageId" = any(${cancelled}::text[])`);
  await requestRefresh(tx, ctx.jobs, tenantId, campaignId, 0);
  return campaign;
}

const campaignJob = z.object({ campaignId: z.string().min(1) });

/** A scheduled campaign's start; a campaign rescheduled, sent or cancelled since is left alone. */
export const startScheduled = defineJob({
  name: 'start',
  payload: campaignJob.extend({ at: z.iso.datetime() }),
  async run(ctx, { campaignId, at }) {
    await ctx.db.$transaction(async (tx) => {
      const campaign = await tx.campaign.findUnique({ where: { id: campaignId } });
      if (campaign?.status !== 'SCHEDULED' || campaign.scheduledAt?.toISOString() !== at) return;
      try {
        await startSending(tx, ctx, campaign);
      } catch (error) {
        // Sent now, unscheduled or cancelled meanwhile (or a twin job for the same time won):
        // nothing to do, rather than a failed job retried until it sees so.
        if (!(error instanceof Problem && error.status === 409)) throw error;
      }
    });
  },
});

export const fanOut = defineJob({
  name: 'fan_out',
  payload: campaignJob,
  maxAttempts: 25,
  async run(ctx, { campaignId }) {
    while (await ctx.db.$transaction((tx) => fanOutPage(ctx, tx, campaignId), { timeout: 60_000 })) {
      /* next page */
    }
  },
});

/** One page of recipients; false when there is nothing more to do. */
async function fanOutPage(ctx: JobContext, tx: TenantTx, campaignId: string): Promise<boolean> {
  const { tenantId } = ctx;
  await lockCampaign(tx, campaignId);
  const campaign = await tx.campaign.findUnique({ where: { id: campaignId } });
  if (campaign?.status !== 'ACTIVE' || campaign.fanOutDone) return false;
  const after = campaign.fanOutCursor;
  let page: ActionOutput<'crm.find_contacts'>;
  try {
    page = await ctx.actions.run(
      tx,
      'crm.find_contacts',
      { ...(campaign.targetTags.length ? { tags: campaign.targetTags } : {}), ...(campaign.smartListId ? { smartListId: campaign.smartListId } : {}), ...(after ? { after } : {}), limit: pageSize },
      { tenantId, idempotencyKey: `${sendGroupOf(campaignId)}:after:${after ?? ''}` },
    );
  } catch (error) {
    // Its smart list was deleted since it was scheduled or started: there is no audience to
    // go on with. Cancelled, rather than failing every retry for days while showing ACTIVE.
    if (!(error instanceof Problem && error.status === 422)) throw error;
    ctx.log.warn({ campaignId, reason: error.message }, 'campaign cancelled: its audience cannot be found');
    await cancelCampaign(tx, ctx, campaignId);
    return false;
  }
  const ids = page.contacts.map((c) => c.id);
  // Contacts that already have a record (an earlier attempt that committed) get nothing new.
  const t = tenantSql(tenantId);
  const fresh = new Set(
    (
      await tx.$queryRaw<{ contactId: string }[]>(t`
        insert into "CampaignRecipient" (id, "userId", "campaignId", "contactId", status, "queuedAt")
        select gen_random_uuid()::text, ${t.id}, ${campaignId}, x, 'QUEUED', now() from unnest(${ids}::text[]) as x
        on conflict ("campaignId", "contactId") do nothing
        returning "contactId"`)
    ).map((r) => r.contactId),
  );
  const outcomes: { contactId: string; messageId: string | null; status: 'QUEUED' | 'SKIPPED'; reason: string | null; sendAfter: string | null }[] = [];
  const messages: { contactId: string; body: string; subject?: string; html?: string; idempotencyKey: string }[] = [];
  for (const contact of page.contacts) {
    if (!fresh.has(contact.id)) continue;
    const rendered = renderOrReason(campaign, contact);
    if (typeof rendered === 'string') {
      outcomes.push({ contactId: contact.id, messageId: null, status: 'SKIPPED', reason: rendered, sendAfter: null });
      continue;
    }
    messages.push({
      contactId: contact.id,
      body: rendered.body,
      ...(rendered.subject ? { subject: rendered.subject } : {}),
      ...(rendered.html ? { html: rendered.html } : {}),
      idempotencyKey: `${sendGroupOf(campaignId)}:${contact.id}`,
    });
  }
  if (messages.length) {
    const { results } = await ctx.actions.run(
      tx,
      'messaging.queue_messages',
      { channel: campaign.type, sendGroup: sendGroupOf(campaignId), messages },
      { tenantId, idempotencyKey: `${sendGroupOf(campaignId)}:after:${after ?? ''}` },
    );
    results.forEach((result, i) => {
      const { contactId } = messages[i]!;
      outcomes.push(
        result.status === 'queued'
          ? { contactId, messageId: result.messageId, status: 'QUEUED', reason: null, sendAfter: result.sendAfter ?? null }
          : { contactId, messageId: null, status: 'SKIPPED', reason: result.reason ?? 'Not sent', sendAfter: null },
      );
    });
  }
  if (outcomes.length) {
    await tx.$executeRaw(t`
      update "CampaignRecipient" r set "messageId" = x."messageId", status = x.status::"CampaignRecipientStatus", reason = x.reason, "sendAfter" = x."sendAfter"
      from json_to_recordset(${JSON.stringify(outcomes)}::json) as x("contactId" text, "messageId" text, status text, reason text, "sendAfter" timestamp)
      where r."campaignId" = ${campaignId} and ${t.owns('r')} and r."contactId" = x."contactId"`);
  }
  const done = page.next === null;
  // Last, so the campaign row is locked only for the commit.
  await tx.campaign.update({ where: { id: campaignId }, data: { fanOutCursor: ids.at(-1) ?? after, fanOutDone: done } });
  if (done || outcomes.some((o) => o.status === 'SKIPPED')) await requestRefresh(tx, ctx.jobs, tenantId, campaignId);
  return !done;
}
