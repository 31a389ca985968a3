// Starting a published workflow by hand for a set of contacts: the API's bulk start and
// plugins (a CRM bulk action) use this one statement. Each start is an ordinary
// `core.manual` event, deduplicated per contact unless re-entry is allowed. Which
// contacts exist is the plugin providing them to say (RunContextProvider.find): without
// one, nobody is started.
import { notFound, Problem } from '../http/problem.ts';
import type { Db, RecordSelection, Workflows } from '../plugin.ts';
import type { Registry } from '../plugin-host.ts';
import type { TenantTx } from '../tenancy.ts';
import { findContacts } from './run-context.ts';
import { queueStartJobs } from './start-queue.ts';
import { subjectMoved } from './subject-moved.ts';

type Raw = Db & { $queryRaw: <T>(query: TemplateStringsArray, ...values: unknown[]) => Promise<T> };

/** Queues a start of the workflow for each contact `selection` names; answers with the contacts started. */
export async function startManually(registry: Registry, db: TenantTx, tenantId: string, workflowId: string, selection: RecordSelection): Promise<string[]> {
  const raw = db as unknown as Raw;
  const [workflow] = await raw.$queryRaw<{ publishedVersion: number | null }[]>`
    select "publishedVersion" from "Workflow" where id = ${workflowId} and "userId" = ${tenantId}`;
  if (!workflow) throw notFound('Workflow');
  if (workflow.publishedVersion === null) throw new Problem(409, 'Conflict', 'Publish the workflow before starting it');
  const ids = await findContacts(registry, db, tenantId, selection);
  if (!ids.length) return [];
  // Each contact's start joins the workflow's start queue, as a raised event does.
  await raw.$executeRaw`
    with appended as (
      insert into "WorkflowStart" ("workflowId", "userId", version, event)
      select ${workflowId}, ${tenantId}, ${workflow.publishedVersion}::int,
        jsonb_build_object('id', gen_random_uuid(), 'type', 'core.manual', 'tenantId', ${tenantId}::text,
          'payload', jsonb_build_object('contactId', c.id), 'occurredAt', now(), 'depth', 0)
      from unnest(${ids}::text[]) with ordinality as c(id, n)
      order by c.n
      returning id, "workflowId")
    ${queueStartJobs(tenantId, 'appended')}`;
  return ids;
}

/** ctx.workflows for plugins: manual starts, and moving the waits on a record. `tx` is the caller's tenant-scoped transaction. */
export function workflowStarter(registry: Registry): Workflows {
  return {
    start: async (tx, workflowId, contactIds, { tenantId }) => ({
      queued: (await startManually(registry, tx as TenantTx, tenantId, workflowId, { ids: contactIds })).length,
    }),
    subjectMoved: subjectMoved(registry),
  };
}
