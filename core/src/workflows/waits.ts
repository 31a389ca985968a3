// The waits of paused runs (for an event, a goal, a record's time), read with what a step
// job needs to know of their run.
import type { Prisma } from '@soshogle/db';
import type { Raw } from './engine-services.ts';
import { live } from './run-state.ts';
import type { RunRef } from './task-payloads.ts';

export interface WaitRow {
  id: string;
  executionId: string;
  workflowId: string;
  stepId: string;
  kind: 'EVENT' | 'GOAL' | 'TIME';
  filter: Record<string, unknown>;
  /** TIME: the record the wait counts from. */
  subject: string | null;
  subjectId: string | null;
  versionId: string;
  position: number;
  contactId: string | null;
  depth: number;
  dealId: string | null;
}

/** The waits of one run, or of a contact's runs for one event type, with what a step job needs to know of the run. */
export function selectWaits(db: Raw, tenantId: string, where: Prisma.Sql) {
  return db.$queryRaw<WaitRow[]>`
    select w.id, w."executionId", e."workflowId", w."stepId", w.kind::text as kind, w.filter, w.subject, w."subjectId", e."versionId", e.position,
      e."contactId", e.depth, e."contextData"->'event'->'payload'->>'dealId' as "dealId"
    from "WorkflowWait" w join "WorkflowExecution" e on e.id = w."executionId"
    where w."userId" = ${tenantId} and e.status::text = any(${live}) and ${where}`;
}

export const runOf = (w: WaitRow, tenantId: string): RunRef => ({
  tenantId,
  executionId: w.executionId,
  workflowId: w.workflowId,
  position: w.position,
  contactId: w.contactId,
  dealId: w.dealId,
  depth: w.depth,
});
