// Campaign metrics come from the messages' own events (messaging.message_event): each
// recipient records the first time of each kind (sent, delivered, opened...), set once,
// so a provider's duplicate webhooks and repeated opens count once per recipient. The
// counts are read from those records; the counters on Campaign (for lists) are refreshed
// by a job at most every two seconds, so no provider event waits on one hot row.
import { randomUUID } from 'node:crypto';
import { defineJob, defineSubscriber, tenantSql, type EventPayload, type JobContext, type Jobs, type TenantTx, type TenantDb } from '@soshogle/core';
import { z } from 'zod';

/** How long counters may lag the recipient records. */
const refreshAfterMs = 2000;

type MessageEvent = EventPayload<'messaging.message_event'>;

export const campaignOf = (sendGroup: string | null) => (sendGroup?.startsWith('campaign:') ? sendGroup.slice('campaign:'.length) : null);

/** Records each event on its recipient (the first of each kind wins) and asks for a recount. */
export const countMessageEvents = defineSubscriber({
  name: 'count_message_events',
  event: 'messaging.message_event',
  transactional: true,
  async run(ctx, event) {
    await record(ctx.db, ctx.jobs, ctx.tenantId, [event.payload]);
  },
  async runMany(ctx, events) {
    await record(ctx.db, ctx.jobs, ctx.tenantId, events.map((e) => e.payload));
  },
});

async function record(db: TenantDb | TenantTx, jobs: Jobs, tenantId: string, all: MessageEvent[]): Promise<void> {
  const facts = all.filter((e) => campaignOf(e.sendGroup));
  if (!facts.length) return;
  const json = JSON.stringify(facts.map((f) => ({ messageId: f.messageId, kind: f.kind, at: f.occurredAt, error: f.error ?? null })));
  // One statement: the recipients' new times, then (only when none is pending) the
  // campaign's recount time. A duplicate changes no recipient, so it touches nothing else.
  const t = tenantSql(tenantId);
  const changed = await db.$queryRaw<{ campaignId: string }[]>(t`
    with e as (
      select x."messageId",
        min(x.at) filter (where x.kind = 'sent') as sent,
        min(x.at) filter (where x.kind = 'delivered') as delivered,
        min(x.at) filter (where x.kind = 'opened') as opened,
        min(x.at) filter (where x.kind = 'clicked') as clicked,
        min(x.at) filter (where x.kind = 'bounced') as bounced,
        min(x.at) filter (where x.kind = 'failed') as failed,
        min(x.at) filter (where x.kind in ('unsubscribed', 'spam_reported')) as unsubscribed,
        max(x.error) as error
      from json_to_recordset(${json}::json) as x("messageId" text, kind text, at timestamp, error text)
      group by x."messageId"),
    changed as (
      update "CampaignRecipient" r set
        "sentAt" = coalesce(r."sentAt", e.sent),
        "deliveredAt" = coalesce(r."deliveredAt", e.delivered),
        "openedAt" = coalesce(r."openedAt", e.opened),
        "clickedAt" = coalesce(r."clickedAt", e.clicked),
        "bouncedAt" = coalesce(r."bouncedAt", e.bounced),
        "failedAt" = coalesce(r."failedAt", e.failed),
        "unsubscribedAt" = coalesce(r."unsubscribedAt", e.unsubscribed),
        reason = coalesce(e.error, r.reason),
        status = (case
          when coalesce(r."bouncedAt", e.bounced) is not null then 'BOUNCED'
          when coalesce(r."failedAt", e.failed) is not null and coalesce(r."deliveredAt", e.delivered) is null then 'FAILED'
          when coalesce(r."clickedAt", e.clicked) is not null then 'CLICKED'
          when coalesce(r."openedAt", e.opened) is not null then 'OPENED'
          when coalesce(r."deliveredAt", e.delivered) is not null then 'DELIVERED'
          when coalesce(r."sentAt", e.sent) is not null then 'SENT'
          else r.status::text end)::"CampaignRecipientStatus"
      from e
      where r."messageId" = e."messageId" and ${t.owns('r')}
        and ((r."sentAt" is null and e.sent is not null) or (r."deliveredAt" is null and e.delivered is not null)
          or (r."openedAt" is null and e.opened is not null) or (r."clickedAt" is null and e.clicked is not null)
          or (r."bouncedAt" is null and e.bounced is not null) or (r."failedAt" is null and e.failed is not null)
          or (r."unsubscribedAt" is null and e.unsubscribed is not null))
      returning r."campaignId")
    update "Campaign" c set "metricsDueAt" = now() + make_interval(secs => ${refreshAfterMs / 1000})
    where c.id in (select "campaignId" from changed) and ${t.owns('c')} and c."metricsDueAt" is null
    returning c.id as "campaignId"`);
  for (const { campaignId } of changed) await jobs.enqueue(db, 'campaigns.refresh_metrics', { campaignId }, { tenantId, runAt: new Date(Date.now() + refreshAfterMs) });
}

/** Waits (up to 5 s) until the transactions in flight when it is called have ended. */
async function inFlightEnded(db: TenantDb): Promise<boolean> {
  const [row] = await db.$queryRaw<{ snapshot: string }[]>`select pg_current_snapshot()::text as snapshot`;
  for (let waited = 0; waited < 5000; waited += 20) {
    const [left] = await db.$queryRaw<{ running: number }[]>`
      select count(*)::int as running from pg_snapshot_xip(${row!.snapshot}::pg_snapshot) as x(xid)
      where pg_xact_status(x.xid) = 'in progress'`;
    if (!left!.running) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/**
 * Asks for a recount unless one is pending. Call it in the transaction that changed the
 * recipients, after the change.
 */
export async function requestRefresh(db: TenantDb | TenantTx, jobs: Jobs, tenantId: string, campaignId: string, afterMs = refreshAfterMs): Promise<void> {
  const t = tenantSql(tenantId);
  const due = await db.$queryRaw<{ id: string }[]>(t`
    update "Campaign" set "metricsDueAt" = now() + make_interval(secs => ${afterMs / 1000})
    where id = ${campaignId} and ${t.owns()} and "metricsDueAt" is null returning id`);
  if (due.length) await jobs.enqueue(db, 'campaigns.refresh_metrics', { campaignId }, { tenantId, runAt: new Date(Date.now() + afterMs) });
}

export interface CampaignCounts {
  recipients: number;
  queued: number;
  skipped: number;
  cancelled: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  bounced: number;
  failed: number;
  unsubscribed: number;
}

/**
 * The counts, read from the recipient records now. A recipient counts as failed as its
 * status says: not after a delivery (a late failure report, which messaging ignores too)
 * nor when it bounced.
 */
export async function countsOf(db: TenantDb | TenantTx, tenantId: string, campaignId: string): Promise<CampaignCounts> {
  const t = tenantSql(tenantId);
  const [row] = await db.$queryRaw<CampaignCounts[]>(t`
    select count(*)::int as recipients,
      (count(*) filter (where status = 'QUEUED'))::int as queued,
      (count(*) filter (where status = 'SKIPPED'))::int as skipped,
      (count(*) filter (where status = 'CANCELLED'))::int as cancelled,
      count("sentAt")::int as sent,
      count("deliveredAt")::int as delivered,
      count("openedAt")::int as opened,
      count("clickedAt")::int as clicked,
      count("bouncedAt")::int as bounced,
      (count(*) filter (where "failedAt" is not null and "bouncedAt" is null and "deliveredAt" is null))::int as failed,
      count("unsubscribedAt")::int as unsubscribed
    from "CampaignRecipient" where "campaignId" = ${campaignId} and ${t.owns()}`);
  return row!;
}

/** The counts as the Campaign's counter columns. */
export const counters = (c: CampaignCounts) => ({
  recipientCount: c.recipients,
  skippedCount: c.skipped,
  sentCount: c.sent,
  deliveredCount: c.delivered,
  openCount: c.opened,
  clickCount: c.clicked,
  bounceCount: c.bounced,
  failedCount: c.failed,
  unsubscribeCount: c.unsubscribed,
});

/** Rates against the messages that went out (sent), as a marketer reads them. */
export function ratesOf(c: CampaignCounts) {
  const of = (n: number, d: number) => (d ? Math.round((n / d) * 10_000) / 10_000 : 0);
  return { deliveryRate: of(c.delivered, c.sent), openRate: of(c.opened, c.delivered || c.sent), clickRate: of(c.clicked, c.delivered || c.sent), bounceRate: of(c.bounced, c.sent), unsubscribeRate: of(c.unsubscribed, c.sent) };
}

/**
 * Writes the counters, and completes an ACTIVE campaign whose fan-out is done and whose
 * recipients are all past QUEUED (quiet hours may hold some back for hours). Comes back
 * once more while the counts move: an event committed during the recount is not lost.
 */
export const refreshMetrics = defineJob({
  name: 'refresh_metrics',
  payload: z.object({ campaignId: z.string().min(1) }),
  async run(ctx, { campaignId }) {
    const { db, jobs, tenantId } = ctx;
    await db.campaign.updateMany({ where: { id: campaignId }, data: { metricsDueAt: null } });
    // A change that found the recount pending (before the line above) may not have
    // committed yet: wait for every transaction in flight now, so the count sees it. One
    // still running after the wait (a long import) gets a recount of its own.
    if (!(await inFlightEnded(db))) return void (await requestRefresh(db, jobs, tenantId, campaignId));
    const campaign = await db.campaign.findUnique({ where: { id: campaignId } });
    if (!campaign) return;
    const counts = await countsOf(db, tenantId, campaignId);
    const next = counters(counts);
    const moved = Object.entries(next).some(([key, value]) => campaign[key as keyof typeof next] !== value);
    await db.campaign.updateMany({ where: { id: campaignId }, data: next });
    if (campaign.fanOutDone && counts.queued === 0) {
      await db.campaign.updateMany({ where: { id: campaignId, status: 'ACTIVE' }, data: { status: 'COMPLETED', completedAt: new Date() } });
    }
    if (moved) await requestRefresh(db, jobs, tenantId, campaignId);
    // Settled with some still queued: any whose contact was deleted waits for nothing.
    else if (campaign.status === 'ACTIVE' && campaign.fanOutDone && counts.queued > 0 && (await cancelDeleted(ctx, campaignId))) {
      await requestRefresh(db, jobs, tenantId, campaignId, 0);
    }
  },
});

/**
 * Deleting a contact deletes its messages: a recipient still queued then hears no event
 * ever, and the campaign would stay ACTIVE for good. Queued recipients that should have
 * gone by now (not held by quiet hours) and whose contact the CRM no longer has are
 * CANCELLED. Returns how many.
 */
async function cancelDeleted({ db, actions, tenantId }: JobContext, campaignId: string): Promise<number> {
  return db.$transaction(async (tx) => {
    const due = await tx.campaignRecipient.findMany({
      where: { campaignId, status: 'QUEUED', OR: [{ sendAfter: null }, { sendAfter: { lte: new Date() } }] },
      select: { contactId: true },
      take: 1000,
    });
    if (!due.length) return 0;
    const ids = due.map((r) => r.contactId);
    const { contacts } = await actions.run(tx, 'crm.find_contacts', { ids, limit: ids.length }, { tenantId, idempotencyKey: randomUUID() });
    const found = new Set(contacts.map((c) => c.id));
    const gone = ids.filter((id) => !found.has(id));
    if (!gone.length) return 0;
    const { count } = await tx.campaignRecipient.updateMany({
      where: { campaignId, status: 'QUEUED', contactId: { in: gone } },
      data: { status: 'CANCELLED', reason: 'The contact was deleted before this was sent' },
    });
    return count;
  });
}

const buckets = { minute: 'minute', hour: 'hour', day: 'day' } as const;
export type Bucket = keyof typeof buckets;
type Kind = 'sent' | 'delivered' | 'opened' | 'clicked' | 'bounced' | 'failed' | 'unsubscribed';

/** Events per time bucket, for charts of sends, deliveries, opens and clicks over time; failures counted as countsOf counts them. */
export async function activityOf(db: TenantDb, tenantId: string, campaignId: string, bucket: Bucket) {
  const t = tenantSql(tenantId);
  const rows = await db.$queryRaw<{ at: Date; kind: Kind; count: number }[]>(t`
    select date_trunc(${buckets[bucket]}, v.at) as at, v.kind, count(*)::int as count
    from "CampaignRecipient" r
    cross join lateral (values ('sent', r."sentAt"), ('delivered', r."deliveredAt"), ('opened', r."openedAt"), ('clicked', r."clickedAt"),
      ('bounced', r."bouncedAt"), ('failed', case when r."bouncedAt" is null and r."deliveredAt" is null then r."failedAt" end),
      ('unsubscribed', r."unsubscribedAt")) as v(kind, at)
    where r."campaignId" = ${campaignId} and ${t.owns('r')} and v.at is not null
    group by 1, 2 order by 1`);
  const series = new Map<number, { at: Date } & Record<Kind, number>>();
  for (const row of rows) {
    const key = row.at.getTime();
    const point = series.get(key) ?? { at: row.at, sent: 0, delivered: 0, opened: 0, clicked: 0, bounced: 0, failed: 0, unsubscribed: 0 };
    point[row.kind] = row.count;
    series.set(key, point);
  }
  return [...series.values()];
}

