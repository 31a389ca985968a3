// Workflow conditions (branches, entry conditions) are json-logic rules written by marketers and
// evaluated by json-logic-js over the documented context:
//   { contact, deal | null, event: { type, payload }, steps: { [stepId]: output }, workflow: { id, name }, now }
// conditionIssues() vets a rule when the workflow is saved; evaluateCondition()/evaluateRule() run it per event.
import jsonLogic from 'json-logic-js';
import type { RulesLogic } from 'json-logic-js';

export interface ConditionIssue {
  path: (string | number)[];
  message: string;
}

const STANDARD_OPS = ['==', '===', '!=', '!==', '>', '>=', '<', '<=', '!', '!!', 'and', 'or', 'if', '?:', 'in', 'cat', 'substr',
  '+', '-', '*', '/', '%', 'min', 'max', 'merge', 'var', 'missing', 'missing_some', 'some', 'all', 'none', 'map', 'filter', 'reduce'];
const CRM_OPS = ['has_tag', 'days_since', 'hours_since', 'contains'];
// An allow-list, so json-logic's `log` (writes to stdout), dotted paths into the operation table
// ("==.prototype") and whatever a future json-logic-js adds stay out.
const ALLOWED_OPS = new Set([...STANDARD_OPS, ...CRM_OPS]);
// The second argument of these is evaluated once per array item, with the item (or {current, accumulator}) as data.
const SCOPED_OPS = new Set(['some', 'all', 'none', 'map', 'filter', 'reduce']);
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 20;
const MAX_NODES = 500;
const MAX_BYTES = 20 * 1024;

/**
 * Checks a rule at save time. `knownVar(path)` says whether a dotted variable path (e.g. 'contact.firstName',
 * 'steps.s1.status') exists in the context. Each issue's path is the JSON path inside the rule, e.g.
 * ['and', 1, '==', 0, 'var']. Inside some/all/none/map/filter/reduce the per-item rule's vars name fields of
 * the item (or current/accumulator), so they are not checked against knownVar.
 */
export function conditionIssues(rule: unknown, knownVar: (path: string) => boolean): ConditionIssue[] {
  let json: string | undefined;
  try {
    json = JSON.stringify(rule);
  } catch {
    // cyclic, or a BigInt: not something a saved workflow can hold
  }
  if (json === undefined) return [{ path: [], message: 'Rule must be JSON' }];
  if (Buffer.byteLength(json) > MAX_BYTES) return [{ path: [], message: 'Rule is larger than 20 kB' }];

  const issues: ConditionIssue[] = [];
  let nodes = 0;
  let tooDeep = false;
  const checkVarPath = (value: unknown, path: (string | number)[], scoped: boolean) => {
    const message = varPathIssue(value, scoped, knownVar);
    if (message) issues.push({ path, message });
  };
  // Depth counts operations and literal arrays (an operation's argument list is part of the operation).
  const walk = (node: unknown, path: (string | number)[], depth: number, scoped: boolean): void => {
    nodes++;
    if (node === null || typeof node !== 'object') return;
    if (depth > MAX_DEPTH) {
      if (!tooDeep) issues.push({ path, message: `Rule is nested deeper than ${MAX_DEPTH} levels` });
      tooDeep = true;
      return;
    }
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, [...path, i], depth + 1, scoped));
    const keys = Object.keys(node);
    // json-logic would silently treat such an object as a literal value; in a condition it is always a mistake.
    if (keys.length !== 1) return void issues.push({ path, message: 'An operation must have exactly one operator key' });
    const op = keys[0]!;
    const raw = (node as Record<string, unknown>)[op];
    const opPath = [...path, op];
    if (!ALLOWED_OPS.has(op)) return void issues.push({ path: opPath, message: `Unknown operator "${op}"` });
    // json-logic accepts a lone argument without the array: {"var": "x"} is {"var": ["x"]}.
    const args = Array.isArray(raw) ? raw : [raw];
    const argPath = (i: number) => (Array.isArray(raw) ? [...opPath, i] : opPath);
    args.forEach((arg, i) => {
      if (op === 'var' && i === 0) return checkVarPath(arg, argPath(0), scoped);
      if (op === 'missing' && typeof arg === 'string') return checkVarPath(arg, argPath(i), scoped);
      if (op === 'missing_some' && i === 1 && Array.isArray(arg)) {
        nodes++;
        return arg.forEach((key, j) => (typeof key === 'string' ? checkVarPath(key, [...argPath(1), j], scoped) : walk(key, [...argPath(1), j], depth + 2, scoped)));
      }
      walk(arg, argPath(i), depth + 1, scoped || (SCOPED_OPS.has(op) && i === 1));
    });
  };
  walk(rule, [], 1, false);
  if (nodes > MAX_NODES) issues.push({ path: [], message: `Rule has more than ${MAX_NODES} nodes` });
  return issues;
}

function varPathIssue(value: unknown, scoped: boolean, knownVar: (path: string) => boolean): string | undefined {
  // {"var": ""} / {"var": []} is the current item inside some/filter/...; at the top it would be the whole context.
  if (value === undefined || value === null || value === '') return scoped ? undefined : 'A variable must name a field';
  if (typeof value !== 'string' && typeof value !== 'number') return 'Variable path must be a literal string';
  const path = String(value);
  const bad = path.split('.').find((segment) => FORBIDDEN_SEGMENTS.has(segment));
  if (bad !== undefined) return `Variable path segment "${bad}" is not allowed`;
  if (!scoped && !knownVar(path)) return `Unknown variable "${path}"`;
  return undefined;
}

/** Evaluates a (validated) rule; returns its truthiness per json-logic's rules. `now` drives date operators. */
export function evaluateCondition(rule: unknown, context: Record<string, unknown>, now: Date = new Date()): boolean {
  return jsonLogic.truthy(evaluateRule(rule, context, now));
}

/** Evaluates and returns the raw value (for dry runs that show what a condition computed). */
export function evaluateRule(rule: unknown, context: Record<string, unknown>, now: Date = new Date()): unknown {
  vetOperators(rule);
  const outer = current;
  current = { root: context, now };
  try {
    return jsonLogic.apply(rule as RulesLogic, context);
  } finally {
    current = outer;
  }
}

// Even a rule that skipped conditionIssues runs only allow-listed operators. Checked once per rule object:
// workflows evaluate the same parsed rule thousands of times (a rule mutated after its first run is not re-checked).
const vetted = new WeakSet<object>();
function vetOperators(rule: unknown): void {
  if (rule === null || typeof rule !== 'object' || vetted.has(rule)) return;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const keys = Object.keys(node);
    if (keys.length !== 1) return; // a literal to json-logic: never executed
    if (!ALLOWED_OPS.has(keys[0]!)) throw new Error(`Unknown operator "${keys[0]}"`);
    visit((node as Record<string, unknown>)[keys[0]!]);
  };
  visit(rule);
  vetted.add(rule);
}

// json-logic-js operations receive only their arguments (and the current scope as `this`), never the whole
// context or `now`; evaluateRule sets these for the duration of its synchronous apply().
let current: { root: unknown; now: Date } = { root: undefined, now: new Date(0) };

// `var` sees the context as its JSON form: own properties only (so "constructor", "__proto__" and friends
// are never reached through a prototype), Dates as ISO strings, Decimals through toJSON, and a plain copy,
// so no operator is ever handed a function or a live object of the caller's.
function lookup(data: unknown, path: string): unknown {
  let at = data;
  for (const key of path.split('.')) {
    if (at === null || at === undefined || FORBIDDEN_SEGMENTS.has(key)) return undefined;
    const holder: object = Object(at);
    if (!Object.hasOwn(holder, key)) return undefined;
    at = (holder as Record<string, unknown>)[key];
  }
  return plain(at);
}

function plain(value: unknown, depth = 0): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'function' || typeof value === 'symbol') return null;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 64) return null; // a cycle, or nothing a condition could mean
  if (Array.isArray(value)) return value.map((item) => plain(item, depth + 1));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return plain(toJSON.call(value), depth + 1); // Date (invalid -> null), Decimal
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (!FORBIDDEN_SEGMENTS.has(key)) copy[key] = plain(item, depth + 1);
  return copy;
}

// Same contract as json-logic's own `var`: {"var": "a.b"} or {"var": ["a.b", fallback]}; "" is the current scope;
// a missing field gives the fallback (default null), a present null stays null.
function safeVar(this: unknown, path?: unknown, fallback?: unknown): unknown {
  if (path === undefined || path === null || path === '') return plain(this);
  const value = lookup(this, String(path));
  return value === undefined ? (fallback === undefined ? null : fallback) : value;
}

/** {"has_tag": "VIP"} or {"has_tag": ["VIP", "Customer"]} (any of): the contact carries the tag, ignoring case. Always the context's contact, even inside some/filter. */
function hasTag(...wanted: unknown[]): boolean {
  const tags = lookup(current.root, 'contact.tags');
  if (!Array.isArray(tags)) return false;
  const have = new Set(tags.filter((tag): tag is string => typeof tag === 'string').map((tag) => tag.toLowerCase()));
  return wanted.flat().some((tag) => typeof tag === 'string' && have.has(tag.toLowerCase()));
}

// Whole units (floored) from `value` (ISO string or Date) to `now`; a future date gives a negative number.
function since(value: unknown, unitMs: number): number | null {
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' && value !== '' ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? null : Math.floor((current.now.getTime() - time) / unitMs);
}
/** {"days_since": <date>}: whole days since the date; null for a missing or unparseable date. */
const daysSince = (value: unknown) => since(value, 86_400_000);
/** {"hours_since": <date>}: whole hours since the date; null for a missing or unparseable date. */
const hoursSince = (value: unknown) => since(value, 3_600_000);

/** {"contains": [haystack, needle]}: case-insensitive substring, for keyword matching on messages. An empty needle matches nothing. */
function contains(haystack: unknown, needle: unknown): boolean {
  const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
  const h = text(haystack);
  const n = text(needle);
  return h !== undefined && n !== undefined && n !== '' && h.toLowerCase().includes(n.toLowerCase());
}

// json-logic-js keeps one operation table per process, so these apply to every importer.
// `method` (calls any method of any value: the classic json-logic escape) is gone since json-logic-js 2.0;
// removing it again guards against an older copy being resolved. `log` writes rules' values to stdout.
jsonLogic.rm_operation('method');
jsonLogic.rm_operation('log');
jsonLogic.add_operation('var', safeVar);
jsonLogic.add_operation('has_tag', hasTag);
jsonLogic.add_operation('days_since', daysSince);
jsonLogic.add_operation('hours_since', hoursSince);
jsonLogic.add_operation('contains', contains);
