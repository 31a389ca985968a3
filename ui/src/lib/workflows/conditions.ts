// The condition builder's rows and the json-logic they stand for. Rows are
// [field, operator, value] joined by all (and) / any (or); a rule the rows cannot
// express is kept as it is and shown as JSON.
import { format } from '../resource.svelte.ts';
import type { JsonSchema } from '../session.svelte.ts';
import type { Step } from './types.ts';

export type Op = '==' | '!=' | '>' | '<' | '>=' | '<=' | 'contains' | 'not_contains' | 'in' | 'empty' | 'not_empty' | 'has_tag' | 'not_has_tag' | 'days_ago_more' | 'days_ago_less';
export interface Row {
  field: string;
  op: Op;
  value: string;
}
export interface Rows {
  join: 'and' | 'or';
  rows: Row[];
}
export interface FieldOption {
  path: string;
  label: string;
  group: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'tags';
}

export const ops: { op: Op; label: string; needsValue: boolean; types?: FieldOption['type'][] }[] = [
  { op: 'has_tag', label: 'has tag', needsValue: true, types: ['tags'] },
  { op: 'not_has_tag', label: 'does not have tag', needsValue: true, types: ['tags'] },
  { op: '==', label: 'equals', needsValue: true, types: ['string', 'number', 'boolean', 'date'] },
  { op: '!=', label: 'does not equal', needsValue: true, types: ['string', 'number', 'boolean', 'date'] },
  { op: 'contains', label: 'contains', needsValue: true, types: ['string'] },
  { op: 'not_contains', label: 'does not contain', needsValue: true, types: ['string'] },
  { op: 'in', label: 'is one of', needsValue: true, types: ['string', 'number'] },
  { op: '>', label: 'is greater than', needsValue: true, types: ['number'] },
  { op: '<', label: 'is less than', needsValue: true, types: ['number'] },
  { op: '>=', label: 'is at least', needsValue: true, types: ['number'] },
  { op: '<=', label: 'is at most', needsValue: true, types: ['number'] },
  { op: 'days_ago_more', label: 'is more than N days ago', needsValue: true, types: ['date'] },
  { op: 'days_ago_less', label: 'is less than N days ago', needsValue: true, types: ['date'] },
  { op: 'empty', label: 'is empty', needsValue: false },
  { op: 'not_empty', label: 'is not empty', needsValue: false },
];

const contactFields: FieldOption[] = [
  { path: 'contact.tags', label: 'Tags', group: 'Contact', type: 'tags' },
  { path: 'contact.firstName', label: 'First name', group: 'Contact', type: 'string' },
  { path: 'contact.lastName', label: 'Last name', group: 'Contact', type: 'string' },
  { path: 'contact.email', label: 'Email', group: 'Contact', type: 'string' },
  { path: 'contact.phone', label: 'Phone', group: 'Contact', type: 'string' },
  { path: 'contact.company', label: 'Company', group: 'Contact', type: 'string' },
  { path: 'contact.source', label: 'Source', group: 'Contact', type: 'string' },
  { path: 'contact.createdAt', label: 'Created', group: 'Contact', type: 'date' },
  { path: 'contact.updatedAt', label: 'Last updated', group: 'Contact', type: 'date' },
];
const dealFields: FieldOption[] = [
  { path: 'deal.title', label: 'Deal title', group: 'Deal', type: 'string' },
  { path: 'deal.stage', label: 'Deal stage', group: 'Deal', type: 'string' },
  { path: 'deal.value', label: 'Deal value', group: 'Deal', type: 'number' },
  { path: 'deal.probability', label: 'Deal probability', group: 'Deal', type: 'number' },
];

function typeOf(schema: JsonSchema | undefined): FieldOption['type'] {
  const options = (schema?.anyOf ?? [schema]) as JsonSchema[];
  const t = options.map((o) => o?.type).find((x) => x && x !== 'null');
  return t === 'number' || t === 'integer' ? 'number' : t === 'boolean' ? 'boolean' : 'string';
}

/** The variables a condition can read: contact fields, the trigger's payload, earlier steps' outputs. */
export function fieldOptions(payload: JsonSchema | undefined, steps: Step[], outputOf: (action: string) => JsonSchema | undefined, except?: string): FieldOption[] {
  const props = Object.entries((payload?.properties ?? {}) as Record<string, JsonSchema>);
  const fields = [...contactFields];
  if (props.some(([k]) => k === 'dealId')) fields.push(...dealFields);
  for (const [key, schema] of props) fields.push({ path: `event.payload.${key}`, label: format.words(key), group: 'Trigger', type: typeOf(schema) });
  for (const step of steps) {
    if (step.id === except) continue;
    if (step.type === 'action') {
      for (const [key, schema] of Object.entries((outputOf(step.action)?.properties ?? {}) as Record<string, JsonSchema>)) {
        fields.push({ path: `steps.${step.id}.${key}`, label: `${step.name || step.id}: ${format.words(key)}`, group: 'Earlier steps', type: typeOf(schema) });
      }
    } else if (step.type === 'wait') {
      fields.push({ path: `steps.${step.id}.timedOut`, label: `${step.name || step.id}: timed out`, group: 'Earlier steps', type: 'boolean' });
    }
  }
  return fields;
}

const v = (path: string) => ({ var: path });
function literal(value: string, type: FieldOption['type'] | undefined): unknown {
  if (type === 'number' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (type === 'boolean') return value === 'true';
  return value;
}

export function ruleOfRow(row: Row, type?: FieldOption['type']): unknown {
  const val = literal(row.value, type);
  const num = Number(row.value || 0);
  switch (row.op) {
    case 'has_tag':
      return { has_tag: row.value };
    case 'not_has_tag':
      return { '!': { has_tag: row.value } };
    case 'contains':
      return { contains: [v(row.field), row.value] };
    case 'not_contains':
      return { '!': { contains: [v(row.field), row.value] } };
    case 'in':
      return { in: [v(row.field), row.value.split(',').map((s) => literal(s.trim(), type)).filter((s) => s !== '')] };
    case 'empty':
      return { '!': v(row.field) };
    case 'not_empty':
      return { '!!': v(row.field) };
    case 'days_ago_more':
      return { '>': [{ days_since: v(row.field) }, num] };
    case 'days_ago_less':
      return { '<': [{ days_since: v(row.field) }, num] };
    case '>':
    case '<':
    case '>=':
    case '<=':
      return { [row.op]: [v(row.field), num] };
    default:
      return { [row.op]: [v(row.field), val] };
  }
}

export function ruleOfRows(rows: Rows, types: Map<string, FieldOption['type']>): unknown {
  return { [rows.join]: rows.rows.map((r) => ruleOfRow(r, types.get(r.field))) };
}

const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
const varOf = (x: unknown): string | null => (isObj(x) && typeof x.var === 'string' && Object.keys(x).length === 1 ? x.var : null);
const str = (x: unknown): string | null => (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? String(x) : null);

/** The row a rule is, or null when the builder cannot show it. */
export function rowOfRule(rule: unknown): Row | null {
  if (!isObj(rule) || Object.keys(rule).length !== 1) return null;
  const [op, arg] = Object.entries(rule)[0]!;
  const args = Array.isArray(arg) ? arg : [arg];
  if (op === 'has_tag' && typeof arg === 'string') return { field: 'contact.tags', op: 'has_tag', value: arg };
  if (op === '!') {
    const inner = args[0];
    const field = varOf(inner);
    if (field) return { field, op: 'empty', value: '' };
    const row = rowOfRule(inner);
    if (row?.op === 'has_tag') return { ...row, op: 'not_has_tag' };
    if (row?.op === 'contains') return { ...row, op: 'not_contains' };
    return null;
  }
  if (op === '!!') {
    const field = varOf(args[0]);
    return field ? { field, op: 'not_empty', value: '' } : null;
  }
  if (op === 'contains') {
    const field = varOf(args[0]);
    const value = str(args[1]);
    return field && value !== null ? { field, op: 'contains', value } : null;
  }
  if (op === 'in') {
    const field = varOf(args[0]);
    return field && Array.isArray(args[1]) ? { field, op: 'in', value: args[1].map(String).join(', ') } : null;
  }
  if (['==', '!=', '>', '<', '>=', '<='].includes(op) && args.length === 2) {
    const days = isObj(args[0]) && 'days_since' in args[0] ? varOf(args[0].days_since) : null;
    if (days && (op === '>' || op === '<')) return { field: days, op: op === '>' ? 'days_ago_more' : 'days_ago_less', value: String(args[1]) };
    const field = varOf(args[0]);
    const value = str(args[1]);
    return field && value !== null ? { field, op: op as Op, value } : null;
  }
  return null;
}

export function rowsOfRule(rule: unknown): Rows | null {
  if (rule === null || rule === undefined) return { join: 'and', rows: [] };
  if (isObj(rule) && Object.keys(rule).length === 1 && (Array.isArray(rule.and) || Array.isArray(rule.or))) {
    const join = Array.isArray(rule.and) ? 'and' : 'or';
    const rows = (rule[join] as unknown[]).map(rowOfRule);
    return rows.every((r) => r) ? { join, rows: rows as Row[] } : null;
  }
  const row = rowOfRule(rule);
  return row ? { join: 'and', rows: [row] } : null;
}

/** A short sentence for a node card: "Tags has tag VIP and …". */
export function describeRule(rule: unknown, fields: FieldOption[]): string {
  const rows = rowsOfRule(rule);
  if (!rows) return 'Custom rule';
  if (!rows.rows.length) return 'No condition yet';
  const label = (path: string) => fields.find((f) => f.path === path)?.label ?? path;
  return rows.rows
    .map((r) => `${label(r.field)} ${ops.find((o) => o.op === r.op)?.label ?? r.op}${ops.find((o) => o.op === r.op)?.needsValue ? ` ${r.value}` : ''}`)
    .join(rows.join === 'and' ? ' and ' : ' or ');
}
