// Workflows follow their tags: whoever owns tags raises core.tag_renamed / core.tag_deleted
// in the transaction of the change, and these subscribers update the workflows that
// filter on the tag in that same transaction, so no workflow is left listening for a
// name that no longer exists.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineSubscriber, defineTrigger, type TenantContext } from '../plugin.ts';

const tagKeys = ['core.tag_added', 'core.tag_removed'];

export const tagRenamed = defineTrigger({
  name: 'tag_renamed',
  displayName: 'Tag renamed',
  description: 'A tag was renamed; every contact carrying it now has the new name.',
  payload: z.object({ from: z.string(), to: z.string() }),
  filter: z.object({}),
  matches: () => true,
});

export const tagDeleted = defineTrigger({
  name: 'tag_deleted',
  displayName: 'Tag deleted',
  description: 'A tag was deleted and removed from every contact.',
  payload: z.object({ tag: z.string() }),
  filter: z.object({}),
  matches: () => true,
});

type Raw = Pick<TenantContext['db'], '$executeRaw' | '$queryRaw'>;

/**
 * A renamed tag: the draft's filter takes the new name, and a workflow whose published
 * version filters on the tag gets a new published version with the new name (versions
 * never change: runs in flight keep theirs, and every process may cache them).
 */
export const renameTagInWorkflows = defineSubscriber({
  name: 'rename_tag_in_workflows',
  event: 'core.tag_renamed',
  transactional: true,
  async run({ db, tenantId }, event) {
    const { from, to } = tagRenamed.payload.parse(event.payload);
    const raw = db as unknown as Raw;
    // Trigger filters compare tags case-insensitively (see triggers.ts), so renames do too.
    await raw.$executeRaw`update "Workflow" set "triggerFilter" = jsonb_set("triggerFilter", '{tag}', to_jsonb(${to}::text))
      where "userId" = ${tenantId} and "triggerKey" = any(${tagKeys}::text[]) and lower(trim("triggerFilter"->>'tag')) = lower(trim(${from}::text))`;
    await raw.$executeRaw`
      with published as (
        select v.* from "WorkflowVersion" v join "Workflow" w on w.id = v."workflowId" and w."publishedVersion" = v.version
        where w."userId" = ${tenantId} and v."triggerKey" = any(${tagKeys}::text[])
          and lower(trim(v."triggerFilter"->>'tag')) = lower(trim(${from}::text))
        for update of w
      ), renamed as (
        insert into "WorkflowVersion" (id, "workflowId", "userId", version, "triggerKey", "triggerFilter", conditions, actions, "allowReentry")
        select gen_random_uuid()::text, p."workflowId", p."userId",
          (select max(version) + 1 from "WorkflowVersion" o where o."workflowId" = p."workflowId"),
          p."triggerKey", jsonb_set(p."triggerFilter", '{tag}', to_jsonb(${to}::text)), p.conditions, p.actions, p."allowReentry"
        from published p
        returning "workflowId", version
      )
      update "Workflow" w set "publishedVersion" = r.version from renamed r where w.id = r."workflowId"`;
  },
});

/** A deleted tag: active workflows that filter on it stop (nothing could match again), and the team is told. */
export const stopWorkflowsOfDeletedTag = defineSubscriber({
  name: 'stop_workflows_of_deleted_tag',
  event: 'core.tag_deleted',
  transactional: true,
  async run({ db, tenantId }, event) {
    const { tag } = tagDeleted.payload.parse(event.payload);
    const raw = db as unknown as Raw;
    const stopped = await raw.$queryRaw<{ id: string; name: string }[]>`
      update "Workflow" w set status = 'INACTIVE'
      from "WorkflowVersion" v
      where w."userId" = ${tenantId} and w.status = 'ACTIVE' and v."workflowId" = w.id and v.version = w."publishedVersion"
        and v."triggerKey" = any(${tagKeys}::text[]) and lower(trim(v."triggerFilter"->>'tag')) = lower(trim(${tag}::text))
      returning w.id, w.name`;
    for (const workflow of stopped) {
      await raw.$executeRaw`insert into "Notification" (id, "userId", title, body, link, source)
        values (${randomUUID()}, ${tenantId}, ${`Workflow "${workflow.name}" was turned off`},
          ${`Its trigger listened for the tag "${tag}", which was deleted. Choose another tag and turn it on again.`},
          ${`/workflows/${workflow.id}`}, ${`workflow:${workflow.id}`})`;
    }
  },
});
