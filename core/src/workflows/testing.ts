// Helpers for workflow tests: create and publish through the real API, and wait for
// the worker to finish what a test set off.
import type { Soshogle } from '../boot.ts';
import type { PluginDefinition } from '../plugin.ts';
import { importPlugins } from '../plugin-host.ts';
import type { TestClient } from '../testing/index.ts';

/**
 * The CRM plugin, installed in the project: it provides what runs read as `contact` and
 * `deal`, and which contacts exist, so workflow tests about contacts enable it as a real
 * install does.
 */
export async function crmPlugin(): Promise<PluginDefinition> {
  const [crm] = await importPlugins(['@soshogle/plugin-crm']);
  return crm!;
}

/** Creates a workflow and publishes it, through the API; returns its id. */
export async function publishWorkflow(client: TestClient, body: Record<string, unknown>): Promise<string> {
  const created = await client.request('POST', '/api/workflows', { name: 'Test workflow', triggerFilter: {}, ...body });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const published = await client.request('POST', `/api/workflows/${id}/publish`);
  if (published.status !== 200) throw new Error(`publish failed: ${published.status} ${await published.text()}`);
  return id;
}

/** Polls `check` until it returns a truthy value (or throws after `ms`). */
export async function eventually<T>(check: () => Promise<T>, ms = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until the job queue is empty apart from jobs scheduled in the future. */
export async function queueSettled(soshogle: Soshogle, ms = 15_000): Promise<void> {
  await eventually(async () => {
    const [row] = await soshogle.db.$queryRaw<{ n: bigint }[]>`
      select count(*) as n from graphile_worker._private_jobs where run_at <= now() and attempts < max_attempts`;
    return row!.n === 0n;
  }, ms);
}

/** Creates a contact and raises `core.contact_created` in one transaction, as the CRM plugin (its owner) does. */
export async function createContact(soshogle: Soshogle, tenantId: string, data: { firstName: string; tags?: string[]; email?: string }) {
  return soshogle.tenantContext('crm', tenantId).db.$transaction(async (tx) => {
    const contact = await tx.contact.create({ data: { userId: tenantId, ...data } });
    await soshogle.events.raise(tx, 'core.contact_created', { contactId: contact.id, source: 'manual' }, { tenantId });
    return contact;
  });
}

/**
 * Waits until the webhook inbox has no delivery left to apply now (a delivery waiting for
 * its next try after a failure does not count): what a posted webhook changes is then
 * committed. The POST only appends; the apply_webhooks job applies.
 */
export async function webhooksApplied(soshogle: Pick<Soshogle, 'db'>, ms = 15_000): Promise<void> {
  await eventually(async () => {
    const [row] = await soshogle.db.$queryRaw<{ n: bigint }[]>`
      select count(*) as n from "WebhookInbox" where "appliedAt" is null and "failedAt" is null and "dueAt" <= now()`;
    return row!.n === 0n;
  }, ms);
}

/** A webhook delivery's answer, returned once the inbox has applied it (what a test reading its effects needs). */
export async function applied(soshogle: Pick<Soshogle, 'db'>, answer: Promise<Response>): Promise<Response> {
  const res = await answer;
  await webhooksApplied(soshogle);
  return res;
}
