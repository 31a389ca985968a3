// Starting a published workflow by hand for a set of contacts: the API's bulk start and
// plugins (a CRM bulk action) use this one statement. Each start is an ordinary
// `core.manual` event, deduplicated per contact unless re-entry is allowed.
import { startWorkflowTask } from '../events.ts';
import { notFound, Problem } from '../http/problem.ts';
import type { Db, Workflows } from '../plugin.ts';

type Raw = Db & { $queryRaw: <T>(query: TemplateStringsArray, ...values: unknown[]) => Promise<T> };

/** Which contacts: these ids, any of these tags (case-insensitive), or every contact. */
export type ManualTargets = { contactIds: string[] } | { tags: string[] } | { all: true };

export async function startManually(db: Db, tenantId: string, workflowId: string, targets: ManualTargets): Promise<number> {
  const raw = db as Raw;
  const [workflow] = await raw.$queryRaw<{ publishedVersion: number | null }[]>`
    select "publishedVersion" from "Workflow" where id = ${workflowId} and "userId" = ${tenantId}`;
  if (!workflow) throw notFound('Workflow');
  if (workflow.publishedVersion === null) throw new Problem(409, 'Conflict', 'Publish the workflow before starting it');
  const ids = 'contactIds' in targets ? targets.contactIds : null;
  const tags = 'tags' in targets ? targets.tags.map((t) => t.toLowerCase()) : null;
  const [row] = await raw.$queryRaw<{ queued: bigint }[]>`
    with started as (
      select graphile_worker.add_job(${startWorkflowTask}, json_build_object(
        'workflowId', ${workflowId}::text, 'version', ${workflow.publishedVersion}::int,
        'event', json_build_object('id', gen_random_uuid(), 'type', 'core.manual', 'tenantId', ${tenantId}::text,
          'payload', json_build_object('contactId', c.id), 'occurredAt', now(), 'depth', 0)), max_attempts => 10)
      from "Contact" c
      where c."userId" = ${tenantId}
        and (${ids}::text[] is null or c.id = any(${ids}::text[]))
        and (${tags}::text[] is null or exists (select 1 from unnest(c.tags) t where lower(t) = any(${tags}::text[]))))
    select count(*) as queued from started`;
  return Number(row?.queued ?? 0);
}

export const workflowStarter: Workflows = {
  start: async (tx, workflowId, contactIds, { tenantId }) => ({ queued: await startManually(tx, tenantId, workflowId, { contactIds }) }),
};
