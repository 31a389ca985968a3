// What the engine's jobs carry: each task parses its payload with one of these on entry.
import { z } from 'zod';

export const stepTask = 'workflow_step';
export const waitTimeoutTask = 'workflow_wait_timeout';
export const waitDueTask = 'workflow_wait_due';

export const eventSchema = z.object({
  id: z.string(),
  type: z.string(),
  tenantId: z.string(),
  payload: z.unknown(),
  occurredAt: z.string(),
  depth: z.number().int().min(0).default(0),
});
// A start job takes its workflow's start queue (start-queue.ts). Jobs queued before the
// queue existed carry their events (`events`, or one `event`): those join the queue first.
const queuedStart = z.object({ workflowId: z.string(), tenantId: z.string(), from: z.string().regex(/^\d+$/).transform(BigInt) });
const carriedStart = z
  .union([
    z.object({ workflowId: z.string(), version: z.number().int(), events: z.array(eventSchema).min(1) }),
    z.object({ workflowId: z.string(), version: z.number().int(), event: eventSchema }).transform(({ event, ...rest }) => ({ ...rest, events: [event] })),
  ])
  .refine((job) => job.events.every((e) => e.tenantId === job.events[0]!.tenantId), 'A start job carries one tenant\'s events');
export const startJob = z.union([queuedStart, carriedStart]);
// A step job carries the facts of its run that never change, so the common step needs
// no read of the run before doing its work.
export const stepJob = z.object({
  tenantId: z.string(),
  executionId: z.string(),
  workflowId: z.string(),
  versionId: z.string(),
  stepId: z.string(),
  position: z.number().int(),
  contactId: z.string().nullable(),
  dealId: z.string().nullable(),
  depth: z.number().int(),
});
export const resumeJob = z.object({ event: eventSchema });
export const timeoutJob = z.object({ tenantId: z.string(), waitId: z.string() });
// late: the time it counts to had already passed when the record moved (a late `skip` wait takes timeoutNext).
export const dueJob = z.object({ tenantId: z.string(), waitId: z.string(), late: z.boolean().default(false) });
export type StepJob = z.output<typeof stepJob>;

/** What a step job needs to know about its run. */
export type RunRef = Omit<StepJob, 'stepId' | 'versionId'>;
