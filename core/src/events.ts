// Events ride on graphile-worker's SQL `add_job`, run inside the caller's transaction:
// a rolled-back change raises nothing, a committed one is never lost.
//
// One raise enqueues, in the caller's transaction: a delivery per subscriber, the event in
// the start queue of each live workflow of the tenant listening to it (start-queue.ts), and
// (for an event about a contact with paused runs) one resume job for the waits and goals of
// that contact.
import { randomUUID } from 'node:crypto';
import type { Actions, DeliveredEvent, Db, Events, TenantContext } from './plugin.ts';
import type { Registry } from './plugin-host.ts';
import { actingAs, type TenantDb } from './tenancy.ts';
import { queueStartJobs } from './workflows/start-queue.ts';

export const deliverEventTask = 'deliver_event';
export { startWorkflowTask } from './workflows/start-queue.ts';
export const resumeWorkflowsTask = 'workflow_resume';

export interface DeliverEventJob {
  subscriber: string;
  event: DeliveredEvent;
}

/** The contact an event is about: by convention, its payload's `contactId`. */
export function contactOf(payload: unknown): string | null {
  const id = (payload as { contactId?: unknown } | null)?.contactId;
  return typeof id === 'string' && id ? id : null;
}

/**
 * `tenantContext` gives transactional subscribers their plugin's context (called lazily:
 * contexts hold the event bus themselves).
 */
export function createEvents(registry: Registry, tenantContext?: (plugin: string, tenantId: string) => TenantContext): Events {
  const events: Events = {
    async raise(tx, type, payload, options) {
      const [id] = await events.raiseMany(tx, type, [payload], options);
      return id!;
    },
    async raiseMany(tx: Db, type: string, payloads: unknown[], { tenantId, depth = 0 }): Promise<string[]> {
      const trigger = registry.triggers.get(type);
      if (!trigger) throw new Error(`Cannot raise "${type}": no enabled plugin declares that trigger`);
      if (!payloads.length) return [];
      const occurredAt = new Date().toISOString();
      const raised: DeliveredEvent[] = payloads.map((payload) => ({
        id: randomUUID(),
        type,
        tenantId,
        payload: trigger.trigger.payload.parse(payload),
        occurredAt,
        depth,
      }));
      for (const { plugin, subscriber } of registry.subscribers.get(type) ?? []) {
        if (subscriber.transactional) {
          if (!tenantContext) throw new Error(`Cannot run transactional subscriber ${plugin.definition.name}.${subscriber.name} without plugin contexts`);
          const base = tenantContext(plugin.definition.name, tenantId);
          const ctx = { ...base, events: chainedEvents(events, depth), actions: chainedActions(base.actions, depth), db: actingAs(tx as TenantDb, plugin.definition.name) };
          if (subscriber.runMany) await subscriber.runMany(ctx, raised);
          else for (const event of raised) await subscriber.run(ctx, event);
          continue;
        }
        const name = `${plugin.definition.name}.${subscriber.name}`;
        await tx.$executeRaw`
          select graphile_worker.add_job(${deliverEventTask}, json_build_object('subscriber', ${name}::text, 'event', e), max_attempts => 10)
          from json_array_elements(${JSON.stringify(raised)}::json) e`;
      }
      const json = JSON.stringify(raised.map((event) => ({ event, contactId: contactOf(event.payload) })));
      // One round trip, however many events and workflows: each event joins the start queue
      // of every live workflow listening (its filter is checked by the start job), with the
      // version that is live now, so a run keeps the definition it was triggered under.
      await tx.$executeRaw`
        with raised as (
          select r->'event' as event, r->>'contactId' as "contactId", n
          from json_array_elements(${json}::json) with ordinality as x(r, n)),
        appended as (
          insert into "WorkflowStart" ("workflowId", "userId", version, event)
          select w.id, w."userId", w."publishedVersion", raised.event
          from "Workflow" w, raised
          where w."userId" = ${tenantId} and w."triggerKey" = ${type} and w.status = 'ACTIVE' and w."publishedVersion" is not null
          order by raised.n
          returning id, "workflowId"),
        started as (${queueStartJobs(tenantId, 'appended')}),
        resumed as (
          select graphile_worker.add_job(${resumeWorkflowsTask}, json_build_object('event', raised.event), max_attempts => 10)
          from raised
          where raised."contactId" is not null and exists (
            select 1 from "WorkflowWait" ww
            where ww."userId" = ${tenantId} and ww."eventType" = ${type} and ww."contactId" = raised."contactId"))
        select (select count(*) from started) + (select count(*) from resumed)`;
      return raised.map((event) => event.id);
    },
  };
  return events;
}

/**
 * Events whose raises carry `depth` unless the caller gives one: what a workflow step
 * (its run's depth + 1) and a subscriber (the delivered event's depth) get, so the loop
 * guard sees chains that pass through plugins too.
 */
export function chainedEvents(events: Events, depth: number): Events {
  return {
    raise: (tx, type, payload, options) => events.raise(tx, type, payload, { depth, ...options }),
    raiseMany: (tx, type, payloads, options) => events.raiseMany(tx, type, payloads, { depth, ...options }),
  };
}

/** The same for actions run through ctx.actions: their events carry the caller's depth. */
export function chainedActions(actions: Actions, depth: number): Actions {
  return { run: (tx, key, props, options) => actions.run(tx, key, props, { depth, ...options }), offers: (key) => actions.offers(key) };
}
