import { parseOrThrow, Problem } from './http/problem.ts';
import { chainedActions, chainedEvents } from './events.ts';
import type { ActionContext, ActionKey, ActionOutput, ActionProps, Actions, RunActionOptions, StepRun, TenantContext } from './plugin.ts';
import type { Registry } from './plugin-host.ts';
import type { CoreServices } from './services.ts';
import { actingAs, type TenantTx } from './tenancy.ts';
import { runRecords } from './workflows/run-context.ts';

/**
 * A declared key (`ActionKey`) types props and output; a plain `string` (the engine's
 * steps, read from stored workflows) leaves them unchecked until run time.
 */
export interface RunActionInput<K extends string = string> {
  key: K;
  props: K extends ActionKey ? ActionProps<K> : unknown;
  tenantId: string;
  idempotencyKey: string;
  signal?: AbortSignal;
  /** The run it belongs to; outside a workflow, a run of its own with no contact. */
  run?: StepRun;
  /** Runs a transactional action inside this transaction instead of on the tenant's client. */
  tx?: TenantTx;
  /** How many workflow runs led here: the events the action raises carry it. */
  depth?: number;
}

const runOf = (idempotencyKey: string, contactId: string | null = null): StepRun => ({ executionId: idempotencyKey, workflowId: '', stepId: '', contactId, dealId: null });

/**
 * Runs one action: props validated against its schema (a 422 naming the field), then
 * `run`, then its output validated. Tests and `ctx.actions` call this.
 */
export async function runAction<K extends string>(
  services: Pick<CoreServices, 'registry' | 'tenantContext'>,
  input: RunActionInput<K>,
): Promise<K extends ActionKey ? ActionOutput<K> : Record<string, unknown>> {
  const found = services.registry.actions.get(input.key);
  if (!found) throw new Problem(404, 'Not Found', `No enabled action "${input.key}"`);
  if (input.tx && !found.action.transactional) throw new Error(`Action "${input.key}" is not transactional: it cannot run inside the caller's transaction`);
  const props = parseOrThrow(found.action.props, input.props, 'props');
  const tenant = services.tenantContext(found.plugin.definition.name, input.tenantId);
  const depth = input.depth ?? 0;
  const run = input.run ?? runOf(input.idempotencyKey);
  const ctx: ActionContext<Record<string, unknown>> = {
    ...tenant,
    events: chainedEvents(tenant.events, depth),
    actions: chainedActions(tenant.actions, depth),
    // The caller's transaction, written through under this action's plugin's ownership.
    db: input.tx ? actingAs(input.tx, found.plugin.definition.name) : tenant.db,
    props,
    run,
    record: runRecords(services.registry.runContext, input.tx ?? tenant.db, run),
    idempotencyKey: input.idempotencyKey,
    signal: input.signal ?? new AbortController().signal,
  };
  const output = await found.action.run(ctx);
  const parsed = found.action.output.safeParse(output);
  if (!parsed.success) throw new Error(`Action "${input.key}" returned output that does not match its schema: ${parsed.error.message}`);
  // Parsed by the output schema that ActionOutput<K> is derived from.
  return parsed.data as K extends ActionKey ? ActionOutput<K> : Record<string, unknown>;
}

/** `ctx.actions`: other plugins' transactional actions, run in the caller's transaction. */
export function createActions(registry: Registry, tenantContext: (plugin: string, tenantId: string) => TenantContext): Actions {
  return {
    // runAction has parsed the output with the schema ActionOutput<K> is derived from.
    run: async <K extends ActionKey>(tx: TenantTx, key: K, props: ActionProps<K>, { tenantId, idempotencyKey, contactId, depth }: RunActionOptions) =>
      (await runAction<string>({ registry, tenantContext }, { key, props, tenantId, idempotencyKey, tx, depth, run: runOf(idempotencyKey, contactId ?? null) })) as ActionOutput<K>,
    offers: (key) => registry.actions.has(key),
  };
}
