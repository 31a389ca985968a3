// What a run's conditions and templates read, loaded only as far as they mention it.
import type { DeliveredEvent } from '../plugin.ts';
import type { TenantTx } from '../tenancy.ts';
import type { Raw } from './engine-services.ts';

/** What a step's conditions and templates may read: see docs/workflows.md. */
export type RunContext = Record<string, unknown>;

interface Needs {
  contact: boolean;
  deal: boolean;
  steps: boolean;
  event: boolean;
}
const needsCache = new WeakMap<object, Needs>();
function scan(text: string): Needs {
  return { contact: /contact|has_tag/.test(text), deal: text.includes('deal'), steps: text.includes('steps'), event: text.includes('event') };
}
/** Which parts of the context a rule or a step's props mention, so only those are loaded. */
function needsOf(value: unknown): Needs {
  if (value === null || typeof value !== 'object') return scan(String(value ?? ''));
  let needs = needsCache.get(value);
  if (!needs) {
    needs = scan(JSON.stringify(value));
    needsCache.set(value, needs);
  }
  return needs;
}

/** Plain JSON (dates as ISO strings, decimals as strings), as conditions and templates see it. */
const plain = (row: unknown) => (row === null || row === undefined ? null : (JSON.parse(JSON.stringify(row)) as Record<string, unknown>));

export type RunEvent = Pick<DeliveredEvent, 'id' | 'type' | 'payload' | 'occurredAt'>;

export interface RunSubject {
  tenantId: string;
  executionId: string | null;
  workflowId: string;
  workflowName: string;
  contactId: string | null;
  dealId?: string | null;
  /** The triggering event; a function when it is read from the run only if a template asks for it. */
  event: RunEvent | (() => Promise<RunEvent>);
}

export const dealOf = (payload: unknown): string | null => {
  const id = (payload as { dealId?: unknown } | null)?.dealId;
  return typeof id === 'string' && id ? id : null;
};

/** Loads what `used` (a rule, a step's props) reads: only the contact, deal, event or step outputs it mentions. */
export async function loadContext(db: TenantTx, subject: RunSubject, used: unknown, force: { contact?: boolean } = {}): Promise<RunContext> {
  const needs = needsOf(used);
  const event = typeof subject.event === 'function' ? (needs.event ? await subject.event() : null) : subject.event;
  const dealId = subject.dealId ?? (event ? dealOf(event.payload) : null);
  const [contact, deal, steps] = await Promise.all([
    (needs.contact || force.contact) && subject.contactId ? db.contact.findUnique({ where: { id: subject.contactId } }) : null,
    needs.deal && dealId ? db.deal.findUnique({ where: { id: dealId } }) : null,
    needs.steps && subject.executionId
      ? (db as unknown as Raw).$queryRaw<{ stepId: string; output: unknown }[]>`
          select "stepId", output from "WorkflowStepRun"
          where "executionId" = ${subject.executionId} and "userId" = ${subject.tenantId} and status = 'SUCCEEDED'`
      : [],
  ]);
  return {
    contact: plain(contact),
    deal: plain(deal),
    event,
    steps: Object.fromEntries(steps.map((s) => [s.stepId, s.output ?? {}])),
    workflow: { id: subject.workflowId, name: subject.workflowName },
    now: new Date().toISOString(),
  };
}
