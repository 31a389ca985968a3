import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { conditionIssues, evaluateCondition, evaluateRule } from './conditions.ts';

const now = new Date('2024-03-10T12:00:00.000Z');
const context = () => ({
  contact: {
    id: 'c1',
    firstName: 'Ann',
    lastName: 'Lee',
    email: 'ann@example.test',
    phone: null,
    company: 'Acme',
    tags: ['VIP', 'Newsletter'],
    source: 'webform',
    customFields: { plan: 'gold', seats: 12 },
    createdAt: new Date('2024-01-15T08:00:00.000Z'),
    updatedAt: new Date('2024-03-09T12:00:00.000Z'),
  },
  // Prisma hands money back as a Decimal, which serialises through toJSON.
  deal: { id: 'd1', value: { toJSON: () => '1500.0000' }, stage: 'won' },
  event: { type: 'sms.received', payload: { text: 'Please STOP texting me', items: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 5 }] } },
  steps: { s1: { status: 'sent', sentAt: '2024-03-10T09:30:00.000Z' } },
  workflow: { id: 'w1', name: 'Welcome' },
  now: now.toISOString(),
});
const run = (rule: unknown) => evaluateRule(rule, context(), now);

describe('CRM operators', () => {
  it('has_tag: one tag or any of several, ignoring case, always about the context contact', () => {
    expect(run({ has_tag: 'vip' })).toBe(true);
    expect(run({ has_tag: 'Customer' })).toBe(false);
    expect(run({ has_tag: ['Customer', 'NEWSLETTER'] })).toBe(true);
    expect(run({ has_tag: ['Customer', 'Partner'] })).toBe(false);
    expect(run({ has_tag: { var: 'event.payload.text' } })).toBe(false);
    expect(run({ has_tag: { var: 'contact.tags' } })).toBe(true);
    expect(run({ some: [{ var: 'event.payload.items' }, { has_tag: 'VIP' }] })).toBe(true);
    expect(evaluateRule({ has_tag: 'VIP' }, { contact: { tags: null } }, now)).toBe(false);
    expect(evaluateRule({ has_tag: 'VIP' }, {}, now)).toBe(false);
  });

  it('days_since / hours_since: whole units (floored) to now, null for no date', () => {
    expect(run({ days_since: { var: 'contact.createdAt' } })).toBe(55); // 2024-01-15T08:00 -> 2024-03-10T12:00
    expect(run({ days_since: '2024-03-01T12:00:00.000Z' })).toBe(9);
    expect(run({ days_since: '2024-03-01T12:00:01.000Z' })).toBe(8);
    expect(run({ days_since: '2024-03-10T13:00:00.000Z' })).toBe(-1);
    expect(run({ hours_since: { var: 'steps.s1.sentAt' } })).toBe(2);
    expect(run({ hours_since: { var: 'contact.updatedAt' } })).toBe(24);
    expect(run({ days_since: { var: 'contact.phone' } })).toBe(null);
    expect(run({ days_since: { var: 'contact.nope' } })).toBe(null);
    expect(run({ days_since: 'not a date' })).toBe(null);
    expect(evaluateRule({ days_since: { var: 'd' } }, { d: new Date('invalid') }, now)).toBe(null);
    expect(run({ '<=': [{ days_since: { var: 'contact.createdAt' } }, 60] })).toBe(true);
  });

  it('days_since defaults to the current time', () => {
    const yesterday = new Date(Date.now() - 86_400_000 - 60_000).toISOString();
    expect(evaluateRule({ days_since: yesterday }, {})).toBe(1);
  });

  it('contains: case-insensitive substring; no text or an empty needle never matches', () => {
    expect(run({ contains: [{ var: 'event.payload.text' }, 'stop'] })).toBe(true);
    expect(run({ contains: [{ var: 'event.payload.text' }, 'unsubscribe'] })).toBe(false);
    expect(run({ contains: [{ var: 'contact.phone' }, 'x'] })).toBe(false);
    expect(run({ contains: [{ var: 'event.payload.text' }, ''] })).toBe(false);
    expect(run({ contains: [12345, 34] })).toBe(true);
  });
});

describe('standard json-logic', () => {
  it('compares, branches and computes over the context', () => {
    expect(run({ and: [{ '>=': [{ var: 'deal.value' }, 1000] }, { '==': [{ var: 'contact.customFields.plan' }, 'gold'] }] })).toBe(true);
    expect(run({ '<': [{ var: 'contact.createdAt' }, '2024-02-01T00:00:00.000Z'] })).toBe(true);
    expect(run({ var: 'contact.createdAt' })).toBe('2024-01-15T08:00:00.000Z');
    expect(run({ var: 'deal.value' })).toBe('1500.0000');
    expect(run({ if: [{ in: ['VIP', { var: 'contact.tags' }] }, 'priority', 'normal'] })).toBe('priority');
    expect(run({ cat: [{ var: 'contact.firstName' }, ' ', { var: 'contact.lastName' }] })).toBe('Ann Lee');
    expect(run({ var: ['contact.nickname', 'friend'] })).toBe('friend');
    expect(run({ var: 'contact.phone' })).toBe(null);
    expect(run({ missing: ['contact.email', 'contact.phone', 'contact.fax'] })).toEqual(['contact.phone', 'contact.fax']);
    expect(run({ reduce: [{ var: 'event.payload.items' }, { '+': [{ var: 'current.qty' }, { var: 'accumulator' }] }, 0] })).toBe(7);
    expect(run({ filter: [{ var: 'event.payload.items' }, { '>': [{ var: 'qty' }, 3] }] })).toEqual([{ sku: 'B', qty: 5 }]);
    expect(run({ map: [{ var: 'contact.tags' }, { cat: ['#', { var: '' }] }] })).toEqual(['#VIP', '#Newsletter']);
    expect(run({ '%': [{ var: 'contact.customFields.seats' }, 5] })).toBe(2);
  });

  it('evaluateCondition applies json-logic truthiness', () => {
    expect(evaluateCondition({ has_tag: 'VIP' }, context(), now)).toBe(true);
    expect(evaluateCondition({ merge: [] }, context(), now)).toBe(false); // [] is falsy in json-logic
    expect(evaluateCondition({ var: 'contact.firstName' }, context(), now)).toBe(true);
    expect(evaluateCondition({ var: 'contact.phone' }, context(), now)).toBe(false);
    expect(evaluateCondition(true, {}, now)).toBe(true);
  });

  it('evaluates the same rule object repeatedly against different contexts', () => {
    const rule = { has_tag: 'VIP' };
    expect(evaluateCondition(rule, { contact: { tags: ['vip'] } }, now)).toBe(true);
    expect(evaluateCondition(rule, { contact: { tags: [] } }, now)).toBe(false);
    expect(evaluateCondition(rule, { contact: { tags: ['Vip'] } }, now)).toBe(true);
  });
});

describe('escape attempts at evaluation', () => {
  const hostile = () => ({ ...context(), event: { type: 'x', payload: JSON.parse('{"__proto__": {"polluted": 1}, "ok": 1}') } });
  it.each([
    [{ var: 'constructor.constructor' }],
    [{ var: 'constructor' }],
    [{ var: '__proto__' }],
    [{ var: 'contact.__proto__' }],
    [{ var: 'contact.tags.constructor' }],
    [{ var: 'contact.firstName.constructor' }],
    [{ var: 'contact.tags.map' }],
    [{ var: 'toString' }],
    [{ var: 'event.payload.__proto__' }],
    [{ var: { cat: ['constr', 'uctor.constr', 'uctor'] } }],
    [{ var: ['constructor', null] }],
  ])('%j reads nothing', (rule) => {
    expect(evaluateRule(rule, hostile(), now)).toBe(null);
    expect(evaluateCondition(rule, hostile(), now)).toBe(false);
  });

  it('never hands an operator a function or the caller objects', () => {
    const ctx = { contact: { tags: ['a'], hook: () => 'ran' } };
    expect(evaluateRule({ var: 'contact.hook' }, ctx, now)).toBe(null);
    expect(evaluateRule({ var: 'event.payload' }, hostile(), now)).toEqual({ ok: 1 });
    expect(Object.getPrototypeOf(evaluateRule({ var: 'event.payload' }, hostile(), now))).toBe(Object.prototype);
    expect(evaluateRule({ var: 'contact.tags' }, ctx, now)).not.toBe(ctx.contact.tags);
    expect(evaluateRule({ cat: [{ var: 'constructor' }, { var: '__proto__' }] }, ctx, now)).toBe('');
    expect(({} as Record<string, unknown>).polluted).toBe(undefined);
  });

  it('strips method and log from json-logic-js itself at module load', () => {
    expect(() => jsonLogic.apply({ log: 'x' } as never)).toThrowError(new Error('Unrecognized operation log'));
    expect(() => jsonLogic.apply({ method: ['abc', 'toUpperCase'] } as never)).toThrowError(new Error('Unrecognized operation method'));
  });

  it('refuses method, log and dotted operators with a plain error, whether validated or not', () => {
    const method = { method: [{ var: 'contact.firstName' }, 'constructor'] };
    expect(() => evaluateRule(method, context(), now)).toThrowError(new Error('Unknown operator "method"'));
    expect(() => evaluateRule({ and: [true, { log: 'x' }] }, context(), now)).toThrowError(new Error('Unknown operator "log"'));
    expect(() => evaluateRule({ '==.prototype.constructor': [1, 1] }, context(), now)).toThrowError(new Error('Unknown operator "==.prototype.constructor"'));
    // the check is cached per rule object, not skipped on a second run
    expect(() => evaluateCondition(method, context(), now)).toThrowError(new Error('Unknown operator "method"'));
  });
});

describe('conditionIssues', () => {
  const known = new Set(['contact.firstName', 'contact.tags', 'contact.createdAt', 'contact.email', 'deal.value', 'event.payload.items', 'event.payload.text', 'steps.s1.status', 'contact.customFields.plan']);
  const knownVar = (path: string) => known.has(path);

  it('accepts a valid complex rule', () => {
    const rule = {
      and: [
        { or: [{ has_tag: ['VIP', 'Customer'] }, { '>=': [{ var: 'deal.value' }, 1000] }] },
        { '<=': [{ days_since: { var: 'contact.createdAt' } }, 30] },
        { '!': { contains: [{ var: 'event.payload.text' }, 'stop'] } },
        { some: [{ var: 'event.payload.items' }, { and: [{ '==': [{ var: 'sku' }, 'A'] }, { '>': [{ var: 'qty' }, 1] }] }] },
        { '>': [{ reduce: [{ var: 'event.payload.items' }, { '+': [{ var: 'current.qty' }, { var: 'accumulator' }] }, 0] }, 3] },
        { filter: [{ var: 'contact.tags' }, { in: [{ var: '' }, ['VIP']] }] },
        { if: [{ '==': [{ var: 'steps.s1.status' }, 'sent'] }, true, { '?:': [{ missing: ['contact.email'] }, false, true] }] },
        { '===': [{ var: ['contact.customFields.plan', 'free'] }, 'gold'] },
        { missing_some: [1, ['contact.email', 'contact.firstName']] },
        { in: ['x', { merge: [[1], { cat: ['a', { substr: ['abc', 1] }] }] }] },
      ],
    };
    expect(conditionIssues(rule, knownVar)).toEqual([]);
    expect(conditionIssues(true, knownVar)).toEqual([]);
  });

  it('reports unknown variables with their JSON path', () => {
    expect(conditionIssues({ and: [true, { '==': [{ var: 'contact.nope' }, 1] }] }, knownVar)).toEqual([
      { path: ['and', 1, '==', 0, 'var'], message: 'Unknown variable "contact.nope"' },
    ]);
    expect(conditionIssues({ var: ['deal.amount', 0] }, knownVar)).toEqual([{ path: ['var', 0], message: 'Unknown variable "deal.amount"' }]);
    expect(conditionIssues({ missing: ['contact.email', 'contact.fax'] }, knownVar)).toEqual([{ path: ['missing', 1], message: 'Unknown variable "contact.fax"' }]);
    expect(conditionIssues({ missing_some: [1, ['contact.fax']] }, knownVar)).toEqual([{ path: ['missing_some', 1, 0], message: 'Unknown variable "contact.fax"' }]);
    expect(conditionIssues({ var: '' }, knownVar)).toEqual([{ path: ['var'], message: 'A variable must name a field' }]);
  });

  it('does not check per-item variables inside some/all/none/map/filter/reduce against knownVar', () => {
    const asked: string[] = [];
    const rule = {
      and: [
        { some: [{ var: 'event.payload.items' }, { '==': [{ var: 'sku' }, 'A'] }] },
        { filter: [{ var: 'contact.tags' }, { '==': [{ var: '' }, 'VIP'] }] },
        { all: [{ var: 'event.payload.items' }, { none: [{ var: 'tags' }, { '==': [{ var: 'name' }, 'x'] }] }] },
        { reduce: [{ var: 'event.payload.items' }, { '+': [{ var: 'current.qty' }, { var: 'accumulator' }] }, { var: 'deal.value' }] },
      ],
    };
    expect(conditionIssues(rule, (path) => (asked.push(path), knownVar(path)))).toEqual([]);
    expect(asked).toEqual(['event.payload.items', 'contact.tags', 'event.payload.items', 'event.payload.items', 'deal.value']);
    // the array being iterated is still a context variable
    expect(conditionIssues({ some: [{ var: 'contact.deals' }, { var: 'x' }] }, knownVar)).toEqual([{ path: ['some', 0, 'var'], message: 'Unknown variable "contact.deals"' }]);
  });

  it('refuses unknown operators, including method and log', () => {
    expect(conditionIssues({ and: [{ has_tag: 'VIP' }, { method: [{ var: 'contact.firstName' }, 'toUpperCase'] }] }, knownVar)).toEqual([
      { path: ['and', 1, 'method'], message: 'Unknown operator "method"' },
    ]);
    expect(conditionIssues({ or: [{ log: 1 }, { regex: ['a', 'b'] }, { '==.prototype': [1, 1] }] }, knownVar)).toEqual([
      { path: ['or', 0, 'log'], message: 'Unknown operator "log"' },
      { path: ['or', 1, 'regex'], message: 'Unknown operator "regex"' },
      { path: ['or', 2, '==.prototype'], message: 'Unknown operator "==.prototype"' },
    ]);
    expect(conditionIssues({ '==': [1, 1], '!=': [1, 2] }, knownVar)).toEqual([{ path: [], message: 'An operation must have exactly one operator key' }]);
    expect(conditionIssues(JSON.parse('{"__proto__": [1]}'), knownVar)).toEqual([{ path: ['__proto__'], message: 'Unknown operator "__proto__"' }]);
  });

  it('refuses computed variable paths', () => {
    expect(conditionIssues({ '==': [{ var: { cat: ['contact.', 'firstName'] } }, 'Ann'] }, knownVar)).toEqual([
      { path: ['==', 0, 'var'], message: 'Variable path must be a literal string' },
    ]);
    expect(conditionIssues({ var: [{ var: 'contact.firstName' }] }, knownVar)).toEqual([{ path: ['var', 0], message: 'Variable path must be a literal string' }]);
  });

  it('refuses __proto__, constructor and prototype segments, even inside item scopes', () => {
    const everything = () => true;
    expect(conditionIssues({ var: 'contact.__proto__.polluted' }, everything)).toEqual([{ path: ['var'], message: 'Variable path segment "__proto__" is not allowed' }]);
    expect(conditionIssues({ var: 'constructor.constructor' }, everything)).toEqual([{ path: ['var'], message: 'Variable path segment "constructor" is not allowed' }]);
    expect(conditionIssues({ some: [{ var: 'contact.tags' }, { var: 'prototype' }] }, everything)).toEqual([{ path: ['some', 1, 'var'], message: 'Variable path segment "prototype" is not allowed' }]);
    expect(conditionIssues({ missing: ['__proto__'] }, everything)).toEqual([{ path: ['missing', 0], message: 'Variable path segment "__proto__" is not allowed' }]);
  });

  it('limits depth to 20 levels', () => {
    const nest = (levels: number): unknown => (levels === 1 ? { var: 'contact.firstName' } : { '!': nest(levels - 1) });
    expect(conditionIssues(nest(20), knownVar)).toEqual([]);
    expect(conditionIssues(nest(21), knownVar)).toEqual([{ path: Array(20).fill('!'), message: 'Rule is nested deeper than 20 levels' }]);
    expect(conditionIssues(nest(200), knownVar)).toEqual([{ path: Array(20).fill('!'), message: 'Rule is nested deeper than 20 levels' }]);
    // literal arrays are levels too
    const arrays = (levels: number): unknown => (levels === 0 ? 1 : [arrays(levels - 1)]);
    expect(conditionIssues({ in: [1, arrays(19)] }, knownVar)).toEqual([]);
    expect(conditionIssues({ in: [1, arrays(20)] }, knownVar)).toEqual([{ path: ['in', 1, ...Array(19).fill(0)], message: 'Rule is nested deeper than 20 levels' }]);
  });

  it('limits a rule to 500 nodes and 20 kB of JSON', () => {
    expect(conditionIssues({ or: Array(499).fill(false) }, knownVar)).toEqual([]);
    expect(conditionIssues({ or: Array(500).fill(false) }, knownVar)).toEqual([{ path: [], message: 'Rule has more than 500 nodes' }]);
    expect(conditionIssues({ '==': [{ var: 'contact.firstName' }, 'x'.repeat(20 * 1024 - 40)] }, knownVar)).toEqual([]);
    expect(conditionIssues({ '==': [{ var: 'contact.nope' }, 'x'.repeat(20 * 1024)] }, knownVar)).toEqual([{ path: [], message: 'Rule is larger than 20 kB' }]);
  });

  it('refuses what is not JSON', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.and = [cyclic];
    expect(conditionIssues(cyclic, knownVar)).toEqual([{ path: [], message: 'Rule must be JSON' }]);
    expect(conditionIssues(undefined, knownVar)).toEqual([{ path: [], message: 'Rule must be JSON' }]);
  });
});
