// The shapes of the workflow API (docs/workflows.md; core/src/workflows/definition.ts),
// from the API's own types, and what the screens derive from them.
import type { Schema } from '../api.ts';
import type { Catalog, CatalogPlugin, JsonSchema } from '../session.svelte.ts';

export type Step = Schema<'WorkflowStep'>;
export type StepType = Step['type'];
export type Wait = Extract<Step, { type: 'wait' }>['wait'];
export type Unit = Extract<Wait, { mode: 'duration' }>['unit'];
export type Weekday = NonNullable<Extract<Wait, { mode: 'time_of_day' }>['days']>[number];
export type Link = string | null | undefined;

export type Workflow = Schema<'Workflow'>;
/** What the builder edits: the draft's trigger, entry condition and steps. */
export type Definition = Pick<Workflow, 'triggerKey' | 'triggerFilter' | 'conditions' | 'actions'>;
export type WorkflowVersion = Schema<'WorkflowVersion'>;
export type Execution = Schema<'WorkflowExecution'>;
export type ExecutionStatus = Execution['status'];
export type StepRun = Schema<'WorkflowStepRun'>;
export type DryRunResult = Schema<'DryRun'>;
export type DryRunStep = DryRunResult['steps'][number];

export type CatalogTrigger = CatalogPlugin['triggers'][number] & { plugin: string };
export type CatalogAction = CatalogPlugin['actions'][number] & { plugin: string };

/** The spec's triggers (`core.<name>`) and the API's `trigger` enum value of each. */
const standard: Partial<Record<string, Workflow['trigger']>> = {
  contact_created: 'CONTACT_CREATED',
  contact_updated: 'CONTACT_UPDATED',
  tag_added: 'TAG_ADDED',
  tag_removed: 'TAG_REMOVED',
  deal_created: 'DEAL_CREATED',
  deal_stage_changed: 'DEAL_STAGE_CHANGED',
  appointment_scheduled: 'APPOINTMENT_SCHEDULED',
  message_received: 'MESSAGE_RECEIVED',
  form_submitted: 'FORM_SUBMITTED',
  manual: 'MANUAL',
};

/** Triggers a workflow can start on (the core's bookkeeping events, like a tag renamed, left out). */
export function triggersOf(catalog: Catalog | null): CatalogTrigger[] {
  return (catalog?.plugins ?? []).flatMap((p) =>
    p.triggers.filter((t) => p.name !== 'core' || !!standard[t.key.split('.')[1]!]).map((t) => ({ ...t, plugin: p.displayName })),
  );
}
export function actionsOf(catalog: Catalog | null): CatalogAction[] {
  return (catalog?.plugins ?? []).flatMap((p) => p.actions.map((a) => ({ ...a, plugin: p.displayName })));
}

/**
 * The API's `trigger` enum for a trigger key: the spec's triggers are `core.<name>`
 * (`core.tag_added` -> TAG_ADDED); a plugin's own trigger is CUSTOM with its key.
 */
export function triggerBody(key: string): { trigger: Workflow['trigger']; triggerKey?: string } {
  const [plugin, name] = key.split('.');
  const trigger = plugin === 'core' && name ? standard[name] : undefined;
  return trigger ? { trigger } : { trigger: 'CUSTOM', triggerKey: key };
}

/** Draft / Published / Paused, as the list and the builder show it. */
export function statusOf(w: Pick<Workflow, 'status' | 'publishedVersion'>): { label: string; badge: string } {
  if (w.publishedVersion === null) return { label: 'Draft', badge: '' };
  return w.status === 'ACTIVE' ? { label: 'Published', badge: 'ok' } : { label: 'Paused', badge: 'warn' };
}

export const executionBadge: Record<ExecutionStatus, string> = {
  PENDING: '',
  RUNNING: 'accent',
  WAITING: 'accent',
  COMPLETED: 'ok',
  FAILED: 'danger',
  NEEDS_REVIEW: 'warn',
};

export function duration(from: string, to: string | null): string {
  if (!to) return '—';
  const ms = new Date(to).getTime() - new Date(from).getTime();
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export type { JsonSchema };
