// The shapes of the workflow API (docs/workflows.md; core/src/workflows/definition.ts).
import type { Catalog, CatalogPlugin, JsonSchema } from '../session.svelte.ts';

export type Unit = 'minutes' | 'hours' | 'days';
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export type Link = string | null | undefined;
export type Wait =
  | { mode: 'duration'; amount: number; unit: Unit }
  | { mode: 'time_of_day'; time: string; days?: Weekday[] }
  | { mode: 'event'; event: string; filter?: Record<string, unknown>; timeout: { amount: number; unit: Unit } };

export type Step =
  | { id: string; type: 'action'; name?: string; action: string; props: Record<string, unknown>; next?: Link }
  | { id: string; type: 'branch'; name?: string; condition: unknown; then?: Link; else?: Link }
  | { id: string; type: 'wait'; name?: string; wait: Wait; next?: Link; timeoutNext?: Link }
  | { id: string; type: 'goal'; name?: string; event: string; filter?: Record<string, unknown>; ifNotMet?: 'continue' | 'wait' | 'end'; next?: Link }
  | { id: string; type: 'end'; name?: string };
export type StepType = Step['type'];

export interface Definition {
  triggerKey: string;
  triggerFilter: Record<string, unknown>;
  conditions: unknown;
  actions: Step[];
}

export interface Workflow extends Definition {
  id: string;
  name: string;
  description: string | null;
  trigger: string;
  allowReentry: boolean;
  status: 'ACTIVE' | 'INACTIVE';
  publishedVersion: number | null;
  executionCount: number;
  lastExecutedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowVersion extends Definition {
  id: string;
  version: number;
  allowReentry: boolean;
  publishedAt: string;
}

export type ExecutionStatus = 'PENDING' | 'RUNNING' | 'WAITING' | 'COMPLETED' | 'FAILED' | 'NEEDS_REVIEW';
export interface Execution {
  id: string;
  workflowId: string;
  versionId: string;
  status: ExecutionStatus;
  error: string | null;
  contactId: string | null;
  contextData: { event?: { id?: string; type?: string; payload?: Record<string, unknown> } };
  startedAt: string;
  completedAt: string | null;
}
export interface StepRun {
  id: string;
  stepId: string;
  type: string;
  actionKey: string | null;
  status: string;
  attempt: number;
  input: unknown;
  output: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface DryRunStep {
  stepId: string;
  type: StepType;
  name?: string;
  description: string;
  action?: string;
  props?: unknown;
  result?: unknown;
  error?: string;
}
export interface DryRunResult {
  starts: boolean;
  steps: DryRunStep[];
}

export type CatalogTrigger = CatalogPlugin['triggers'][number] & { plugin: string };
export type CatalogAction = CatalogPlugin['actions'][number] & { plugin: string };

const standard = ['contact_created', 'contact_updated', 'tag_added', 'tag_removed', 'deal_created', 'deal_stage_changed', 'appointment_scheduled', 'message_received', 'form_submitted', 'manual'];

/** Triggers a workflow can start on (the core's bookkeeping events, like a tag renamed, left out). */
export function triggersOf(catalog: Catalog | null): CatalogTrigger[] {
  return (catalog?.plugins ?? []).flatMap((p) =>
    p.triggers.filter((t) => p.name !== 'core' || standard.includes(t.key.split('.')[1]!)).map((t) => ({ ...t, plugin: p.displayName })),
  );
}
export function actionsOf(catalog: Catalog | null): CatalogAction[] {
  return (catalog?.plugins ?? []).flatMap((p) => p.actions.map((a) => ({ ...a, plugin: p.displayName })));
}

/**
 * The API's `trigger` enum for a trigger key: the spec's triggers are `core.<name>`
 * (`core.tag_added` -> TAG_ADDED); a plugin's own trigger is CUSTOM with its key.
 */
export function triggerBody(key: string): { trigger: string; triggerKey?: string } {
  const [plugin, name] = key.split('.');
  if (plugin === 'core' && name && standard.includes(name)) return { trigger: name.toUpperCase() };
  return { trigger: 'CUSTOM', triggerKey: key };
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
