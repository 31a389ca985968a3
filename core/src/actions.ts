import { parseOrThrow, Problem } from './http/problem.ts';
import type { ActionContext, StepRun } from './plugin.ts';
import type { CoreServices } from './services.ts';

export interface RunActionInput {
  key: string;
  props: unknown;
  tenantId: string;
  idempotencyKey: string;
  signal?: AbortSignal;
  /** The run it belongs to; outside a workflow, a run of its own with no contact. */
  run?: StepRun;
}

/**
 * Runs one action: props validated against its schema (a 422 naming the field), then
 * `run`, then its output validated. The engine calls this from a durable job.
 */
export async function runAction(
  services: Pick<CoreServices, 'registry' | 'tenantContext'>,
  input: RunActionInput,
): Promise<Record<string, unknown>> {
  const found = services.registry.actions.get(input.key);
  if (!found) throw new Problem(404, 'Not Found', `No enabled action "${input.key}"`);
  const props = parseOrThrow(found.action.props, input.props, 'props');
  const ctx: ActionContext<Record<string, unknown>> = {
    ...services.tenantContext(found.plugin.definition.name, input.tenantId),
    props,
    run: input.run ?? { executionId: input.idempotencyKey, workflowId: '', stepId: '', contactId: null, dealId: null },
    idempotencyKey: input.idempotencyKey,
    signal: input.signal ?? new AbortController().signal,
  };
  const output = await found.action.run(ctx);
  const parsed = found.action.output.safeParse(output);
  if (!parsed.success) throw new Error(`Action "${input.key}" returned output that does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}
