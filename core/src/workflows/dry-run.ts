// Dry run: the path a workflow would take for one contact, and what each action would
// do with its templates filled in, without changing anything (reads only).
import type { TenantDb } from '../tenancy.ts';
import type { Registry } from '../plugin-host.ts';
import { evaluateRule } from './conditions.ts';
import { stepsSchema, type Step } from './definition.ts';
import { loadContext, runSubject, type RunSubject } from './run-context.ts';
import { withDefaults } from './step-props.ts';
import { renderValue } from './templates.ts';

export interface DryRunStep {
  stepId: string;
  type: Step['type'];
  name?: string;
  description: string;
  action?: string;
  props?: unknown;
  /** What a condition computed (branches). */
  result?: unknown;
  /** Why this step would fail (props that do not fit once rendered, a broken template). */
  error?: string;
}

export interface DryRun {
  /** Whether the entry condition lets this contact in (true when there is none). */
  starts: boolean;
  steps: DryRunStep[];
}

const units = (amount: number, unit: string) => `${amount} ${amount === 1 ? unit.replace(/s$/, '') : unit}`;

export async function dryRun(
  registry: Registry,
  db: TenantDb,
  workflow: { id: string; name: string; triggerKey: string; conditions: unknown; actions: unknown },
  subject: Pick<RunSubject, 'tenantId' | 'contactId'>,
): Promise<DryRun> {
  const steps = stepsSchema.parse(workflow.actions);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const run: RunSubject = {
    ...subject,
    executionId: null,
    workflowId: workflow.id,
    workflowName: workflow.name,
    event: { id: 'dry-run', type: workflow.triggerKey, payload: { contactId: subject.contactId }, occurredAt: new Date().toISOString() },
  };
  const context = await loadContext(db, registry.runContext, run, null, [runSubject]);
  const outputs = context.steps as Record<string, unknown>;
  const starts = workflow.conditions === null || workflow.conditions === undefined || !!evaluateRule(workflow.conditions, context);
  const path: DryRunStep[] = [];
  if (!starts) return { starts, steps: path };

  let step: Step | undefined = steps[0];
  const seen = new Set<string>();
  while (step && !seen.has(step.id)) {
    seen.add(step.id);
    const base = { stepId: step.id, type: step.type, ...(step.name ? { name: step.name } : {}) };
    let next: string | null | undefined;
    switch (step.type) {
      case 'action': {
        const action = registry.actions.get(step.action)?.action;
        next = step.next;
        if (!action) {
          path.push({ ...base, action: step.action, description: `"${step.action}" is not available`, error: 'Unknown action' });
          break;
        }
        try {
          const rendered = renderValue(withDefaults(action.props, step.props), context);
          const props = action.props.safeParse(rendered);
          path.push({
            ...base,
            action: step.action,
            props: rendered,
            description: props.success ? (action.describe?.(props.data) ?? action.displayName) : action.displayName,
            ...(props.success ? {} : { error: props.error.issues.map((i) => `${i.path.join('.') || 'props'}: ${i.message}`).join('; ') }),
          });
        } catch (error) {
          path.push({ ...base, action: step.action, description: action.displayName, error: (error as Error).message });
        }
        outputs[step.id] = {};
        break;
      }
      case 'branch': {
        const result = evaluateRule(step.condition, context);
        next = result ? step.then : step.else;
        path.push({ ...base, result, description: `Condition is ${result ? 'true' : 'false'}: goes to ${next ?? 'the end'}` });
        break;
      }
      case 'wait': {
        const w = step.wait;
        next = step.next;
        const description =
          w.mode === 'duration' ? `Waits ${units(w.amount, w.unit)}`
          : w.mode === 'time_of_day' ? `Waits until ${w.time}${w.days ? ` on ${w.days.join(', ')}` : ''} in the contact's time zone`
          : w.mode === 'relative' ? `Waits until ${w.amount ? `${units(w.amount, w.unit)} ${w.direction} ` : ''}${w.to} (following its moves)`
          : `Waits up to ${units(w.timeout.amount, w.timeout.unit)} for "${w.event}" (this dry run follows the path where it happens)`;
        path.push({ ...base, description });
        break;
      }
      case 'goal':
        next = step.ifNotMet === 'end' ? null : step.next;
        path.push({ ...base, description: `Goal "${step.event}": reached in sequence without it, the run ${step.ifNotMet === 'wait' ? 'waits for it' : step.ifNotMet === 'end' ? 'ends' : 'continues'}` });
        if (step.ifNotMet === 'wait') next = null;
        break;
      case 'end':
        path.push({ ...base, description: 'Ends the run' });
        next = null;
    }
    step = next ? byId.get(next) : undefined;
  }
  return { starts, steps: path };
}
