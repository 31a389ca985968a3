// A workflow definition: its trigger, entry condition and the graph of steps, and the
// checks that run when it is saved, so a broken workflow is refused with the step and
// field named instead of failing at 3 a.m. for a contact.
//
// Steps (`Workflow.actions`, an array; the first step is where a run starts):
//   { id, type: 'action', action: 'crm.add_tag', props: {...}, next? }
//   { id, type: 'branch', condition: <json-logic>, then?, else? }
//   { id, type: 'wait', wait: { mode: 'duration', amount, unit } | { mode: 'time_of_day', time: 'HH:MM', days? }
//                              | { mode: 'event', event, filter?, timeout: { amount, unit } }
//                              | { mode: 'relative', to: 'appointment.startTime', amount, unit, direction?, late? },
//     next?, timeoutNext? }
//   { id, type: 'goal', event, filter?, ifNotMet?: 'continue' | 'wait' | 'end', next? }
//   { id, type: 'end' }
// A missing `next` ends the run. Steps form no loops.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { z } from 'zod';
import type { FieldError } from '../http/problem.ts';
import type { ObjectSchema } from '../plugin.ts';
import type { Registry } from '../plugin-host.ts';
import { settingsSchema } from '../json-schema.ts';
import { conditionIssues } from './conditions.ts';
import { templateIssues } from './templates.ts';

const stepId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Use 1-64 letters, digits, - or _');
const link = stepId.nullish();
export const unitMs = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
const duration = z.object({ amount: z.number().int().positive().max(100_000), unit: z.enum(['minutes', 'hours', 'days']) });
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const rule = z.unknown().refine((v) => v !== undefined, 'Required');
const label = z.string().max(200).optional();

export const stepSchema = z.discriminatedUnion('type', [
  z.object({ id: stepId, type: z.literal('action'), name: label, action: z.string().min(1), props: z.record(z.string(), z.unknown()).default({}), next: link }),
  z.object({ id: stepId, type: z.literal('branch'), name: label, condition: rule, then: link, else: link }),
  z.object({
    id: stepId,
    type: z.literal('wait'),
    name: label,
    wait: z.discriminatedUnion('mode', [
      duration.extend({ mode: z.literal('duration') }),
      z.object({
        mode: z.literal('time_of_day'),
        time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24-hour)'),
        days: z.array(weekday).min(1).optional(),
      }),
      z.object({ mode: z.literal('event'), event: z.string().min(1), filter: z.record(z.string(), z.unknown()).default({}), timeout: duration }),
      // Until a time of a record ("2 hours before appointment.startTime"), following its moves.
      z.object({
        mode: z.literal('relative'),
        to: z.string().regex(/^[a-z][a-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/, 'Use <record>.<field>, e.g. appointment.startTime'),
        amount: z.number().int().min(0).max(100_000),
        unit: z.enum(['minutes', 'hours', 'days']),
        direction: z.enum(['before', 'after']).default('before'),
        // Reached when that time has already passed: go on at once, or take timeoutNext.
        late: z.enum(['continue', 'skip']).default('continue'),
      }),
    ]),
    next: link,
    timeoutNext: link,
  }),
  z.object({
    id: stepId,
    type: z.literal('goal'),
    name: label,
    event: z.string().min(1),
    filter: z.record(z.string(), z.unknown()).default({}),
    ifNotMet: z.enum(['continue', 'wait', 'end']).default('continue'),
    next: link,
  }),
  z.object({ id: stepId, type: z.literal('end'), name: label }),
]);

export type Step = z.output<typeof stepSchema>;
export type ActionStep = Extract<Step, { type: 'action' }>;
export type WaitStep = Extract<Step, { type: 'wait' }>;
export type RelativeWait = Extract<WaitStep['wait'], { mode: 'relative' }>;
export type GoalStep = Extract<Step, { type: 'goal' }>;
export const stepsSchema = z.array(stepSchema).min(1, 'A workflow needs at least one step').max(500);

/** Where a step can go next. */
export function linksOf(step: Step): { field: string; to: string }[] {
  const links: [string, string | null | undefined][] =
    step.type === 'branch' ? [['then', step.then], ['else', step.else]]
    : step.type === 'wait' ? [['next', step.next], ['timeoutNext', step.timeoutNext]]
    : step.type === 'end' ? []
    : [['next', step.next]];
  return links.filter((l): l is [string, string] => typeof l[1] === 'string').map(([field, to]) => ({ field, to }));
}

/**
 * Which variables exist in a run's context (`contact`, `deal`, `event`, `steps`,
 * `workflow`, `now`; see docs/workflows.md), for conditions checked at save time.
 */
export function variableChecker(payload: ObjectSchema | undefined, steps: Map<string, Step>, registry: Registry) {
  return (path: string): boolean => {
    const [root, key, sub] = path.split('.');
    switch (root) {
      case 'now':
        return key === undefined;
      case 'workflow':
        return key === undefined || key === 'id' || key === 'name';
      case 'event':
        if (key === undefined || key === 'id' || key === 'type' || key === 'occurredAt') return sub === undefined;
        return key === 'payload' && (sub === undefined || !payload || sub in payload.shape);
      case 'steps': {
        const step = key === undefined ? undefined : steps.get(key);
        if (!step) return key === undefined;
        if (sub === undefined) return true;
        if (step.type === 'action') {
          const output = registry.actions.get(step.action)?.action.output;
          return !output || sub in output.shape;
        }
        if (step.type === 'branch') return sub === 'result';
        if (step.type === 'wait') return ['timedOut', 'event', 'until', 'late', 'gone'].includes(sub);
        if (step.type === 'goal') return sub === 'event';
        return false;
      }
      default: {
        // A record a plugin provides (contact, deal): its fields are the plugin's to declare.
        const provider = registry.runContext.get(root!)?.provider;
        if (!provider) return false;
        const fields = provider.fields;
        if (key === undefined || !fields) return true;
        return fields.names.includes(key) && (sub === undefined || (fields.objects?.includes(key) ?? false));
      }
    }
  };
}

// ajv, against the same JSON Schemas the catalog publishes, compiled once per schema.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const validators = new WeakMap<ObjectSchema, ValidateFunction>();
function validatorFor(schema: ObjectSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(settingsSchema(schema));
    validators.set(schema, validate);
  }
  return validate;
}

const isTemplate = (value: unknown) => typeof value === 'string' && value.includes('{{');
function valueAt(data: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), data);
}

/** Schema problems of `data`, as field errors under `at`. A templated value is only checked once rendered, at run time. */
export function schemaIssues(schema: ObjectSchema, data: unknown, at: string, context: string): FieldError[] {
  const validate = validatorFor(schema);
  if (validate(data)) return [];
  return (validate.errors ?? [])
    .filter((e: ErrorObject) => !isTemplate(valueAt(data, e.instancePath)))
    .map((e: ErrorObject) => {
      const parts = e.instancePath.split('/').slice(1);
      if (e.keyword === 'required') parts.push(String(e.params.missingProperty));
      if (e.keyword === 'additionalProperties') parts.push(String(e.params.additionalProperty));
      const field = [at, ...parts].join('.');
      const message = e.keyword === 'required' ? 'is required' : e.keyword === 'additionalProperties' ? 'is not a known setting' : (e.message ?? 'is invalid');
      return { field, message: `${context}: ${parts.join('.') || 'value'} ${message}` };
    });
}

export interface DefinitionInput {
  triggerKey: string;
  triggerFilter: unknown;
  conditions: unknown;
  actions: unknown;
}

/**
 * Every problem of a workflow definition, each naming its field (`actions.2.props.tag`)
 * and, in the message, the step. Empty when the workflow can be saved and published.
 */
export function definitionIssues(input: DefinitionInput, registry: Registry): FieldError[] {
  const issues: FieldError[] = [];
  const trigger = registry.triggers.get(input.triggerKey)?.trigger;
  if (!trigger) issues.push({ field: 'triggerKey', message: `No enabled plugin provides the trigger "${input.triggerKey}"` });
  else issues.push(...schemaIssues(trigger.filter, input.triggerFilter ?? {}, 'triggerFilter', `Trigger "${input.triggerKey}"`));

  const parsed = stepsSchema.safeParse(input.actions);
  if (!parsed.success) {
    return [...issues, ...parsed.error.issues.map((i) => ({ field: ['actions', ...i.path.map(String)].join('.'), message: i.message }))];
  }
  const steps = parsed.data;
  const byId = new Map<string, Step>();
  steps.forEach((step, i) => {
    if (byId.has(step.id)) issues.push({ field: `actions.${i}.id`, message: `Step id "${step.id}" is used twice` });
    byId.set(step.id, step);
  });
  const known = variableChecker(trigger?.payload, byId, registry);
  const conditionAt = (rule: unknown, at: string, context: string) => {
    for (const issue of conditionIssues(rule, known)) {
      issues.push({ field: [at, ...issue.path.map(String)].join('.'), message: `${context}: ${issue.message}` });
    }
  };
  if (input.conditions !== null && input.conditions !== undefined) conditionAt(input.conditions, 'conditions', 'Entry condition');

  steps.forEach((step, i) => {
    const at = `actions.${i}`;
    const name = `Step "${step.id}"`;
    for (const { field, to } of linksOf(step)) {
      if (!byId.has(to)) issues.push({ field: `${at}.${field}`, message: `${name} leads to step "${to}", which does not exist` });
    }
    if (step.type === 'action') {
      const action = registry.actions.get(step.action)?.action;
      if (!action || action.internal) {
        issues.push({ field: `${at}.action`, message: `${name}: no enabled plugin provides the action "${step.action}"` });
        return;
      }
      issues.push(...schemaIssues(action.props, step.props, `${at}.props`, `${name} (${step.action})`));
      for (const t of templateIssues(step.props)) {
        issues.push({ field: [`${at}.props`, ...t.path.map(String)].join('.'), message: `${name}: ${t.message}` });
      }
    } else if (step.type === 'branch') {
      conditionAt(step.condition, `${at}.condition`, name);
    } else if (step.type === 'goal' || (step.type === 'wait' && step.wait.mode === 'event')) {
      const event = step.type === 'goal' ? step.event : (step.wait as { event: string }).event;
      const filter = step.type === 'goal' ? step.filter : (step.wait as { filter: unknown }).filter;
      const field = step.type === 'goal' ? `${at}.event` : `${at}.wait.event`;
      const waited = registry.triggers.get(event)?.trigger;
      if (!waited) issues.push({ field, message: `${name} waits for "${event}", which no enabled plugin provides` });
      else issues.push(...schemaIssues(waited.filter, filter, field.replace(/event$/, 'filter'), name));
    } else if (step.type === 'wait' && step.wait.mode === 'relative') {
      const issue = relativeIssue(step.wait.to, trigger?.payload, registry);
      if (issue) issues.push({ field: `${at}.wait.to`, message: `${name}: ${issue}` });
    }
  });
  if (!issues.length) {
    const loop = findLoop(steps, byId);
    if (loop) issues.push({ field: `actions.${steps.findIndex((s) => s.id === loop[0])}`, message: `Steps ${loop.map((s) => `"${s}"`).join(' -> ')} form a loop` });
  }
  return issues;
}

/**
 * What is wrong with a relative wait's `to` (`<record>.<field>`), or null: the record must be
 * provided with that field among its `times`, and the run must name one (its contact, else
 * the trigger's payload carries `<record>Id`).
 */
function relativeIssue(to: string, payload: ObjectSchema | undefined, registry: Registry): string | null {
  const [name, field] = to.split('.') as [string, string];
  const provider = registry.runContext.get(name)?.provider;
  if (!provider) return `no enabled plugin provides "${name}"`;
  const times = provider.times ?? [];
  if (!times.includes(field)) {
    return `"${name}.${field}" is not a time a wait can count from${times.length ? ` (use ${times.map((t) => `${name}.${t}`).join(', ')})` : ''}`;
  }
  if (name !== 'contact' && payload && !(`${name}Id` in payload.shape)) return `the trigger's events name no ${name} (no "${name}Id" in their payload)`;
  return null;
}

/** A cycle in the step graph, as the ids along it, or null. */
function findLoop(steps: Step[], byId: Map<string, Step>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const { to } of linksOf(byId.get(id)!)) {
      const loop = visit(to);
      if (loop) return loop;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const step of steps) {
    const loop = visit(step.id);
    if (loop) return loop;
  }
  return null;
}
