// The API's 422 field errors (`actions.2.props.body`, `triggerFilter.tag`, `name`) sorted
// by where the builder shows them: on a step's node and form, on the trigger, or at the top.
import type { FieldError } from '../api.ts';
import type { Step } from './types.ts';

export interface Issues {
  /** Step id (or '__trigger') -> messages. */
  byNode: Record<string, string[]>;
  /** Step id (or '__trigger') -> field path inside its form (`props.body` -> `body`) -> message. */
  fields: Record<string, Record<string, string>>;
  general: string[];
}

export const noIssues = (): Issues => ({ byNode: {}, fields: {}, general: [] });

/** `sent` is the steps array the request carried: the errors' indexes point into it. */
export function sortIssues(errors: FieldError[], sent: Step[]): Issues {
  const issues = noIssues();
  const add = (node: string, field: string | null, full: string) => {
    // The node and its panel already say which step: "Step "sms" (messaging.send_sms): body is required" -> "body is required".
    const message = full.replace(/^(Step|Trigger|Entry condition) ?("[^"]*")?( \([^)]*\))?: /, '');
    (issues.byNode[node] ??= []).push(message);
    if (field !== null) (issues.fields[node] ??= {})[field] ??= message;
  };
  for (const e of errors) {
    const parts = e.field.replace(/^body\./, '').split('.');
    if (parts[0] === 'actions' && parts.length > 1 && /^\d+$/.test(parts[1]!)) {
      const step = sent[Number(parts[1])];
      if (step) {
        add(step.id, parts.slice(2).join('.'), e.message);
        continue;
      }
    }
    if (parts[0] === 'triggerFilter' || parts[0] === 'triggerKey' || parts[0] === 'trigger' || parts[0] === 'conditions') {
      add('__trigger', parts.join('.'), e.message);
      continue;
    }
    issues.general.push(parts[0] === 'actions' ? e.message : `${parts.join('.')}: ${e.message}`);
  }
  return issues;
}

/** The errors for a SchemaForm under `prefix` (`props.` -> `{ body: '...' }`). */
export function under(fields: Record<string, string> | undefined, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, m] of Object.entries(fields ?? {})) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = m;
  return out;
}
