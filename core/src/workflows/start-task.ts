// workflow_start: an event (or a manual start) meets a live workflow: trigger filter,
// loop guard, entry condition; then one statement records the run, counts it, registers
// its goals and queues its first step.
import { randomUUID } from 'node:crypto';
import { contactOf } from '../events.ts';
import { evaluateCondition } from './conditions.ts';
import { tenantDb, type EngineServices, type Raw } from './engine-services.ts';
import { dealOf, loadContext, type RunEvent } from './run-context.ts';
import { queueStep } from './queue-step.ts';
import { startJob } from './task-payloads.ts';
import { loadVersion } from './version-cache.ts';

export async function start(services: EngineServices, payload: unknown): Promise<void> {
  const { workflowId, version: number, event } = startJob.parse(payload);
  const db = tenantDb(services, event.tenantId);
  const version = await loadVersion(db as unknown as Raw, event.tenantId, { workflowId, version: number });
  if (!version) return; // deleted since the event was raised
  if (event.type !== 'core.manual') {
    const trigger = services.registry.triggers.get(version.triggerKey)?.trigger;
    if (!trigger) return services.log.warn({ workflowId, trigger: version.triggerKey }, 'workflow trigger no longer provided; event ignored');
    if (!trigger.matches(trigger.filter.parse(version.triggerFilter), trigger.payload.parse(event.payload))) return;
  }
  const contactId = contactOf(event.payload);
  const dedupeKey = version.allowReentry || !contactId ? event.id : `contact:${contactId}`;
  const runEvent: RunEvent = { id: event.id, type: event.type, payload: event.payload, occurredAt: event.occurredAt };
  const contextData = JSON.stringify({ event: runEvent });
  const executionId = randomUUID();

  if (event.depth >= services.config.WORKFLOW_MAX_CHAIN_DEPTH) {
    const error = `Stopped by the loop guard: ${event.depth} workflow runs led to this event (limit ${services.config.WORKFLOW_MAX_CHAIN_DEPTH}); workflows are probably triggering each other`;
    services.log.warn({ workflowId, tenantId: event.tenantId, depth: event.depth }, 'workflow loop stopped');
    await db.$executeRaw`
      with e as (
        insert into "WorkflowExecution" (id, "workflowId", "versionId", "userId", status, error, "contextData", "contactId", "eventId", "dedupeKey", depth, "completedAt")
        values (${executionId}, ${workflowId}, ${version.id}, ${event.tenantId}, 'FAILED', ${error}, ${contextData}::jsonb, ${contactId}, ${event.id}, ${event.id}, ${event.depth}, now())
        on conflict ("workflowId", "dedupeKey") do nothing
        returning id)
      update "Workflow" set "executionCount" = "executionCount" + 1, "lastExecutedAt" = now()
      where id = ${workflowId} and "userId" = ${event.tenantId} and exists (select 1 from e)`;
    return;
  }
  if (version.conditions !== null) {
    const subject = { tenantId: event.tenantId, executionId: null, workflowId, workflowName: version.name, contactId, event: runEvent };
    if (!evaluateCondition(version.conditions, await loadContext(db, services.registry.runContext, subject, version.conditions))) return;
  }
  const goals = contactId && version.goals.length
    ? version.goals.map((g) => ({ id: randomUUID(), stepId: g.id, eventType: g.event, filter: g.filter }))
    : [];
  const first = { tenantId: event.tenantId, executionId, workflowId, position: 0, contactId, dealId: dealOf(event.payload), depth: event.depth };
  // One statement: the run (once per dedupe key), its count on the workflow, its goals,
  // and its first step commit together or not at all.
  await db.$executeRaw`
    with e as (
      insert into "WorkflowExecution" (id, "workflowId", "versionId", "userId", status, "contextData", "contactId", "eventId", "dedupeKey", depth)
      values (${executionId}, ${workflowId}, ${version.id}, ${event.tenantId}, 'RUNNING', ${contextData}::jsonb, ${contactId}, ${event.id}, ${dedupeKey}, ${event.depth})
      on conflict ("workflowId", "dedupeKey") do nothing
      returning id),
    counted as (
      update "Workflow" set "executionCount" = "executionCount" + 1, "lastExecutedAt" = now()
      where id = ${workflowId} and "userId" = ${event.tenantId} and exists (select 1 from e)),
    goals as (
      insert into "WorkflowWait" (id, "userId", "executionId", "stepId", kind, "eventType", "contactId", filter)
      select g.id, ${event.tenantId}, e.id, g."stepId", 'GOAL', g."eventType", ${contactId}, g.filter
      from e, jsonb_to_recordset(${JSON.stringify(goals)}::jsonb) as g(id text, "stepId" text, "eventType" text, filter jsonb))
    select ${queueStep(services.registry, first, version, version.entry)} from e`;
}
