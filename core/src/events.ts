// Events ride on graphile-worker's SQL `add_job`, run inside the caller's transaction:
// a rolled-back change raises nothing, a committed one is never lost.
import { randomUUID } from 'node:crypto';
import type { DeliveredEvent, Db, Events } from './plugin.ts';
import type { Registry } from './plugin-host.ts';

export const deliverEventTask = 'deliver_event';

export interface DeliverEventJob {
  subscriber: string;
  event: DeliveredEvent;
}

export function createEvents(registry: Registry): Events {
  return {
    async raise(tx: Db, type: string, payload: unknown, { tenantId }): Promise<string> {
      const trigger = registry.triggers.get(type);
      if (!trigger) throw new Error(`Cannot raise "${type}": no enabled plugin declares that trigger`);
      const event: DeliveredEvent = {
        id: randomUUID(),
        type,
        tenantId,
        payload: trigger.trigger.payload.parse(payload),
        occurredAt: new Date().toISOString(),
      };
      for (const { plugin, subscriber } of registry.subscribers.get(type) ?? []) {
        const job: DeliverEventJob = { subscriber: `${plugin.definition.name}.${subscriber.name}`, event };
        await tx.$executeRaw`select graphile_worker.add_job(${deliverEventTask}, ${JSON.stringify(job)}::json, max_attempts => 10)`;
      }
      return event.id;
    },
  };
}
