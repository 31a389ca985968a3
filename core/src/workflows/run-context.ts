// What a run's conditions and templates read, loaded only as far as they mention it. The
// records a run is about (its contact, its deal, ...) come from the plugins that own them
// (RunContextProvider): the core names no plugin table.
import type { DeliveredEvent, RecordSelection, StepRun } from '../plugin.ts';
import type { Registry } from '../plugin-host.ts';
import type { TenantTx } from '../tenancy.ts';
import type { Raw } from './engine-services.ts';

/** What a step's conditions and templates may read: see docs/workflows.md. */
export type RunContext = Record<string, unknown>;

/** The record a run is about: the one its `contactId` names (waits and goals listen for its events). */
export const runSubject = 'contact';

export type RunContextProviders = Registry['runContext'];

/** The tenant's contacts that `selection` names (unknown ids left out), as the plugin providing contacts finds them; none without one. */
export async function findContacts(registry: Registry, db: TenantTx, tenantId: string, selection: RecordSelection): Promise<string[]> {
  const find = registry.runContext.get(runSubject)?.provider.find;
  return find ? find(db, selection, tenantId) : [];
}

const textCache = new WeakMap<object, string>();
/** The text of a rule or a step's props, searched for the context parts it mentions (computed once per object). */
function textOf(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value ?? '');
  let text = textCache.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    textCache.set(value, text);
  }
  return text;
}

const words = new Map<string, RegExp>();
/**
 * Whether `text` mentions the context part `name` as a word (`contact.firstName`, not
 * `contactId`): conservative, as a false "yes" only costs a read.
 */
function mentions(text: string, name: string): boolean {
  let word = words.get(name);
  if (!word) words.set(name, (word = new RegExp(`\\b${name}\\b`)));
  // The has_tag operator reads the contact's tags without naming the contact.
  return word.test(text) || (name === runSubject && text.includes('has_tag'));
}

/**
 * `ctx.record` of an action: the run's contact or deal, loaded by the plugin that
 * provides it (the core names no plugin table).
 */
export function runRecords(providers: RunContextProviders, db: TenantTx, run: Pick<StepRun, 'contactId' | 'dealId'>) {
  return async (name: 'contact' | 'deal'): Promise<Record<string, unknown> | null> => {
    const provider = providers.get(name)?.provider;
    const id = name === 'contact' ? run.contactId : run.dealId;
    return provider && id ? plain(await provider.load(db, id)) : null;
  };
}

/** Plain JSON (dates as ISO strings, decimals as strings), as conditions and templates see it. */
export const plain = (row: unknown) => (row === null || row === undefined ? null : (JSON.parse(JSON.stringify(row)) as Record<string, unknown>));

export type RunEvent = Pick<DeliveredEvent, 'id' | 'type' | 'payload' | 'occurredAt'>;

export interface RunSubject {
  tenantId: string;
  executionId: string | null;
  workflowId: string;
  workflowName: string;
  contactId: string | null;
  /** The run's deal when its step jobs carry it; left out, it is read from the event. */
  dealId?: string | null;
  /** The triggering event; a function when it is read from the run only if a template asks for it. */
  event: RunEvent | (() => Promise<RunEvent>);
}

const idIn = (holder: unknown, key: string): string | null => {
  const id = (holder as Record<string, unknown> | null)?.[key];
  return typeof id === 'string' && id ? id : null;
};

export const dealOf = (payload: unknown): string | null => idIn(payload, 'dealId');

/**
 * The id of the run's `<name>`: what the run carries as `<name>Id` (its contact, its deal),
 * else the triggering event's payload field. Null when neither names one.
 */
async function idOf(name: string, subject: RunSubject, event: () => Promise<RunEvent | null>): Promise<string | null> {
  const key = `${name}Id`;
  if (Object.hasOwn(subject, key)) return idIn(subject, key);
  return idIn((await event())?.payload, key);
}

/** The id of the record `<name>` a run is about (see idOf), or null. */
export function recordIdOf(name: string, subject: RunSubject): Promise<string | null> {
  const event = subject.event;
  return idOf(name, subject, typeof event === 'function' ? event : () => Promise.resolve(event));
}

/**
 * Loads what `used` (a rule, a step's props) reads: only the records, event or step
 * outputs it mentions, and the parts named in `force` whatever it mentions.
 */
export async function loadContext(
  db: TenantTx,
  providers: RunContextProviders,
  subject: RunSubject,
  used: unknown,
  force: string[] = [],
): Promise<RunContext> {
  const text = textOf(used);
  const needed = (name: string) => force.includes(name) || mentions(text, name);
  let read: Promise<RunEvent> | undefined;
  const event = () =>
    typeof subject.event === 'function' ? (read ??= subject.event()) : Promise.resolve(subject.event);
  const [records, steps, known] = await Promise.all([
    Promise.all(
      [...providers.values()].map(async ({ provider }) => {
        const id = needed(provider.name) ? await idOf(provider.name, subject, event) : null;
        return [provider.name, id ? plain(await provider.load(db, id)) : null] as const;
      }),
    ),
    needed('steps') && subject.executionId
      ? (db as unknown as Raw).$queryRaw<{ stepId: string; output: unknown }[]>`
          select "stepId", output from "WorkflowStepRun"
          where "executionId" = ${subject.executionId} and "userId" = ${subject.tenantId} and status = 'SUCCEEDED'`
      : [],
    typeof subject.event !== 'function' ? subject.event : needed('event') ? event() : null,
  ]);
  return {
    ...Object.fromEntries(records),
    event: known,
    steps: Object.fromEntries(steps.map((s) => [s.stepId, s.output ?? {}])),
    workflow: { id: subject.workflowId, name: subject.workflowName },
    now: new Date().toISOString(),
  };
}
