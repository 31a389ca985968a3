// The webhook inbox: the POST verifies a provider's delivery and appends it to
// "WebhookInbox" (webhooks.ts), gathered with the deliveries of concurrent POSTs into one
// transaction (inboxAppender); this job applies what is pending, per
// webhook and tenant, in batches: one transaction per batch, the tenant's credentials read
// once, the webhook's set-based `handleMany` when it has one, else `handle` per delivery
// at a savepoint each, so a failing delivery undoes only itself and is tried again with
// backoff, then marked failed with its error after its attempts.
import { z } from 'zod';
import { Prisma, type PrismaClient } from '@soshogle/db';
import { credentialsReadOnce } from '../connections.ts';
import { defineJob, type Jobs, type WebhookDefinition, type WebhookHandleContext, type WebhookRequest } from '../plugin.ts';
import type { Registry } from '../plugin-host.ts';
import type { CoreServices } from '../services.ts';
import type { TenantDb, TenantTx } from '../tenancy.ts';
import { dataProblem } from './data-errors.ts';
import { gathered } from './gathered.ts';
import { Problem } from './problem.ts';

export const applyWebhooksJob = 'apply_webhooks';
/** Deliveries per transaction: big enough that a burst costs few transactions, small enough to hold few locks. */
export const inboxBatch = 500;
/** A delivery failing this many times is marked failed (graphile-worker's own default). */
export const inboxAttempts = 10;
/** How long a delivery id is remembered: longer than any provider retries (Stripe and PayPal: 3 days). */
export const inboxRetentionDays = 30;
/** A job run stops taking batches after this long and queues the next run, so no run holds a worker for long. */
const runBudgetMs = 5000;

const payload = z.object({ plugin: z.string().min(1).max(200), path: z.string().min(1).max(500) });

/** A verified delivery, for the inbox. */
export interface InboxDelivery {
  plugin: string;
  path: string;
  tenantId: string;
  deliveryId: string;
  request: WebhookRequest;
}

/** Most deliveries appended together (one INSERT, one commit). */
export const appendBatch = 200;
/** Most bytes of bodies appended together: they travel as one JSON parameter. */
const appendBatchBytes = 4 * 1024 * 1024;

const keyOf = (d: Pick<InboxDelivery, 'plugin' | 'path' | 'tenantId' | 'deliveryId'>) => JSON.stringify([d.plugin, d.path, d.tenantId, d.deliveryId]);
const byKey = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Appends verified deliveries in one statement: one INSERT of them all (a duplicate, per
 * tenant, stops at the unique key), then the keyed apply job of each webhook and tenant
 * that got a new row. Answers, per delivery, whether it was new: of two copies in one
 * call, the first answers for the key and the second is a duplicate.
 */
export async function appendDeliveries(db: PrismaClient, jobs: Jobs, deliveries: InboxDelivery[]): Promise<boolean[]> {
  if (!deliveries.length) return [];
  const firsts = new Map<string, InboxDelivery>();
  for (const d of deliveries) if (!firsts.has(keyOf(d))) firsts.set(keyOf(d), d);
  // In key order: two statements appending the same keys (a provider's retry meeting its
  // first try) wait for each other in one order, never in a cycle.
  const rows = [...firsts].sort(byKey).map(([, d]) => ({
    plugin: d.plugin,
    path: d.path,
    tenantId: d.tenantId,
    deliveryId: d.deliveryId,
    body: d.request.rawBody.toString('base64'),
    headers: d.request.headers,
    url: d.request.url,
  }));
  // The keyed apply job of each webhook and tenant in the batch, queued only if it got a new
  // row: a batch of duplicates queues nothing.
  const webhooks = new Map(rows.map((r) => [JSON.stringify([r.plugin, r.path, r.tenantId]), r]));
  const queued = [...webhooks].sort(byKey).map(([, { plugin, path, tenantId }]) =>
    Prisma.sql`select ${jobs.enqueueSql(`core.${applyWebhooksJob}`, { plugin, path }, { tenantId, jobKey: `${plugin}:${path}` })}
      from webhooks w where w.plugin = ${plugin} and w.path = ${path} and w."tenantId" = ${tenantId}`,
  );
  // One statement, one round trip. Every row is in before any job is queued (the grouping
  // reads them all first), and the jobs are queued in key order too.
  const inserted = await db.$queryRaw<{ plugin: string; path: string; tenantId: string; deliveryId: string }[]>`
    with appended as (
      insert into "WebhookInbox" (plugin, path, "tenantId", "deliveryId", body, headers, url)
      select d.plugin, d.path, d."tenantId", d."deliveryId", decode(d.body, 'base64'), d.headers, d.url
      from json_to_recordset(${JSON.stringify(rows)}::json) as d(plugin text, path text, "tenantId" text, "deliveryId" text, body text, headers jsonb, url text)
      on conflict (plugin, path, "tenantId", "deliveryId") do nothing
      returning plugin, path, "tenantId", "deliveryId"),
    webhooks as materialized (select plugin, path, "tenantId" from appended group by plugin, path, "tenantId"),
    queued as (${Prisma.join(queued, ' union all ')})
    select plugin, path, "tenantId", "deliveryId", (select count(*) from queued) as queued from appended`;
  const appended = new Set(inserted.map(keyOf));
  const answered = new Set<string>();
  return deliveries.map((d) => {
    const key = keyOf(d);
    const first = !answered.has(key);
    answered.add(key);
    return first && appended.has(key);
  });
}

/**
 * The append each webhook POST calls: the deliveries of concurrent POSTs gathered into one
 * `appendDeliveries` (gathered.ts: one commit, one WAL flush for all of them), each answered
 * once that committed. When it fails, every delivery in it fails with a 503, so each
 * provider sends its delivery again: none is told it was stored when it was not.
 */
export function inboxAppender(services: Pick<CoreServices, 'db' | 'contextFor' | 'log'>): (delivery: InboxDelivery) => Promise<boolean> {
  return gathered(
    async (deliveries: InboxDelivery[]) => {
      try {
        return await appendDeliveries(services.db, services.contextFor('core').jobs, deliveries);
      } catch (error) {
        services.log.error({ err: error, deliveries: deliveries.length }, 'webhook deliveries could not be stored; each is answered 503 for its provider to send again');
        throw new Problem(503, 'Service Unavailable', 'The delivery could not be stored; send it again', { retryAfter: 1 });
      }
    },
    { max: appendBatch, bytes: (delivery) => delivery.request.rawBody.length, maxBytes: appendBatchBytes },
  );
}

interface Pending {
  id: bigint;
  body: Buffer;
  headers: WebhookRequest['headers'];
  url: string;
  attempts: number;
}

const findWebhook = (registry: Registry, plugin: string, path: string): WebhookDefinition | undefined =>
  registry.plugins.find((p) => p.definition.name === plugin)?.definition.webhooks?.find((w) => w.path === path) as WebhookDefinition | undefined;

/**
 * The core's job that applies a webhook's pending deliveries for one tenant. `services` is
 * asked for when it runs (the core plugin is declared before the services exist).
 */
export function applyWebhooks(services: () => Pick<CoreServices, 'registry' | 'tenantContext' | 'log'>) {
  return defineJob({
    name: applyWebhooksJob,
    payload,
    // Each delivery counts its own attempts; the job's are for the database failing under it.
    maxAttempts: 25,
    async run(ctx, { plugin, path }) {
      const { registry, tenantContext, log } = services();
      const webhook = findWebhook(registry, plugin, path);
      // Its plugin was disabled since: its deliveries wait (and are pruned in time).
      if (!webhook) return log.warn({ plugin, path }, 'webhook deliveries for a webhook that is not enabled; left in the inbox');
      const target = tenantContext(plugin, ctx.tenantId);
      const started = Date.now();
      while ((await applyBatch(target.db, webhook, { ...target, credentials: credentialsReadOnce(target.credentials) }, { plugin, path }, log)) === inboxBatch) {
        if (Date.now() - started > runBudgetMs) break;
      }
      // Whatever is left (a full last batch, a delivery waiting for its next try) gets a run when it is due.
      const [next] = await ctx.db.$queryRaw<{ due: Date | null }[]>`
        select min("dueAt") as due from "WebhookInbox"
        where plugin = ${plugin} and path = ${path} and "tenantId" = ${ctx.tenantId} and "appliedAt" is null and "failedAt" is null`;
      if (next?.due) await ctx.jobs.enqueue(ctx.db, `core.${applyWebhooksJob}`, { plugin, path }, { tenantId: ctx.tenantId, jobKey: `${plugin}:${path}`, runAt: next.due });
      // Delivery ids older than any provider's retries, every tenant's: a few at a time, so no run waits long on it.
      await ctx.db.$executeRaw`
        delete from "WebhookInbox" where id in (
          select id from "WebhookInbox" where "receivedAt" < now() - make_interval(days => ${inboxRetentionDays}) order by "receivedAt" limit 1000)`;
    },
  });
}

type Handling = Omit<WebhookHandleContext, 'tx'>;

/** One batch in one transaction; answers how many deliveries it took. */
async function applyBatch(db: TenantDb, webhook: WebhookDefinition, handling: Handling, key: { plugin: string; path: string }, log: CoreServices['log']): Promise<number> {
  return db.$transaction(async (tx) => {
    // Locked, skipping locked ones: a run queued while this one runs takes other deliveries, never these.
    const pending = await tx.$queryRaw<Pending[]>`
      select id, body, headers, url, attempts from "WebhookInbox"
      where plugin = ${key.plugin} and path = ${key.path} and "tenantId" = ${handling.tenantId}
        and "appliedAt" is null and "failedAt" is null and "dueAt" <= now()
      order by id limit ${inboxBatch}
      for update skip locked`;
    if (!pending.length) return 0;
    const requests = pending.map((row) => ({ rawBody: Buffer.from(row.body), headers: row.headers, url: row.url }));
    const savepoint = (work: (sp: TenantTx) => Promise<void>) => (tx as unknown as TenantDb).$transaction((sp) => work(sp as unknown as TenantTx));
    const errors = new Map<bigint, { message: string; final: boolean }>();
    let applied = false;
    if (webhook.handleMany) {
      try {
        await savepoint((sp) => webhook.handleMany!(requests, { ...handling, tx: sp }));
        applied = true;
      } catch (error) {
        log.warn({ plugin: key.plugin, path: key.path, err: error }, 'a batch of webhook deliveries failed together; applying them one by one');
      }
    }
    if (!applied) {
      for (const [i, row] of pending.entries()) {
        try {
          await savepoint((sp) => webhook.handle(requests[i]!, { ...handling, tx: sp }));
        } catch (error) {
          // A refusal (a 4xx) or a value the database refuses reads no better on a retry: failed at once.
          const final = (error instanceof Problem && error.status < 500) || dataProblem(error) !== null;
          errors.set(row.id, { message: (error as Error)?.message?.slice(0, 2000) || String(error), final });
        }
      }
    }
    // One statement for the whole batch: applied ones keep only their key (for dedupe until
    // pruned); failed ones wait for their next try, or are marked failed after their last.
    const outcome = pending.map((row) => ({ id: String(row.id), error: errors.get(row.id)?.message ?? null, final: errors.get(row.id)?.final ?? false }));
    const failed = await tx.$queryRaw<{ id: bigint; error: string | null; attempts: number; gaveUp: boolean }[]>`
      update "WebhookInbox" w set
        "appliedAt" = case when o.error is null then now() end,
        body = case when o.error is null then null else w.body end,
        headers = case when o.error is null then null else w.headers end,
        url = case when o.error is null then null else w.url end,
        attempts = w.attempts + (o.error is not null)::int,
        error = o.error,
        "dueAt" = case when o.error is null then w."dueAt" else now() + make_interval(secs => exp(least(w.attempts + 1, 10))) end,
        "failedAt" = case when o.error is not null and (o.final or w.attempts + 1 >= ${inboxAttempts}) then now() end
      from json_to_recordset(${JSON.stringify(outcome)}::json) as o(id bigint, error text, final boolean)
      where w.id = o.id
      returning w.id, w.error, w.attempts, w."failedAt" is not null as "gaveUp"`;
    for (const row of failed.filter((r) => r.error !== null)) {
      const { gaveUp } = row;
      log[gaveUp ? 'error' : 'warn']({ plugin: key.plugin, path: key.path, tenantId: handling.tenantId, inboxId: String(row.id), attempts: row.attempts, error: row.error }, gaveUp ? 'webhook delivery failed for good' : 'webhook delivery failed; it will be tried again');
    }
    return pending.length;
  });
}
