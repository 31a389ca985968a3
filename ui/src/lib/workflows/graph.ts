// The step graph: where each step goes next, the vertical layout the canvas draws, and
// the edits the builder makes (insert a step into a link, remove one). The definition
// (the steps array) stays the source of truth; the canvas is recomputed from it.
import type { Step, StepType } from './types.ts';

export const TRIGGER = '__trigger';
export const NODE_W = 264;
export const NODE_H = 78;
const COL = NODE_W + 56;
const ROW = NODE_H + 84;
const ADD_SIZE = 34;

/** A place a step can be inserted: a link field of a step, or the start (after the trigger). */
export interface Slot {
  from: string;
  field: 'next' | 'then' | 'else' | 'timeoutNext' | 'start';
}

export interface Out {
  field: Slot['field'];
  to: string | null;
  label?: string;
}

/** The links a step has (filled or empty), in drawing order: left to right. */
export function outsOf(step: Step): Out[] {
  switch (step.type) {
    case 'branch':
      return [
        { field: 'then', to: step.then ?? null, label: 'Yes' },
        { field: 'else', to: step.else ?? null, label: 'No' },
      ];
    case 'wait': {
      const outs: Out[] = [{ field: 'next', to: step.next ?? null, label: step.wait.mode === 'event' ? 'Event' : undefined }];
      // A missing timeoutNext means "same as next": only a different one is drawn.
      if (step.wait.mode === 'event' && step.timeoutNext && step.timeoutNext !== step.next) outs.push({ field: 'timeoutNext', to: step.timeoutNext, label: 'Timed out' });
      return outs;
    }
    case 'end':
      return [];
    default:
      return [{ field: 'next', to: step.next ?? null }];
  }
}

export interface LayoutNode {
  id: string;
  kind: 'trigger' | 'step' | 'add';
  x: number;
  y: number;
  width: number;
  height: number;
  step?: Step;
  slot?: Slot;
  /** Not reachable from the start: it never runs. */
  orphan?: boolean;
}
export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle: string;
  label?: string;
  /** Where a step inserted on this edge goes (none for edges into an add button). */
  slot?: Slot;
}

export function reachable(steps: Step[]): Set<string> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const visit = (id: string | null | undefined) => {
    if (!id || seen.has(id) || !byId.has(id)) return;
    seen.add(id);
    for (const o of outsOf(byId.get(id)!)) visit(o.to);
  };
  visit(steps[0]?.id);
  return seen;
}

/**
 * A top-down layout: each step sits under the step that first leads to it, branches
 * spread their paths side by side, and a step several paths meet at sits below all of them.
 */
export function layout(steps: Step[], readonly = false): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  type TreeNode = { id: string; kind: 'step' | 'add'; step?: Step; slot?: Slot; children: TreeNode[]; width: number; rank: number };
  const owned = new Set<string>();
  const cross: { from: string; out: Out }[] = [];

  // The tree: each step belongs to the first path that reaches it; other links are drawn as cross edges.
  const build = (step: Step): TreeNode => {
    owned.add(step.id);
    const node: TreeNode = { id: step.id, kind: 'step', step, children: [], width: 1, rank: 0 };
    for (const out of outsOf(step)) {
      const target = out.to ? byId.get(out.to) : undefined;
      if (target && !owned.has(target.id)) node.children.push(build(target));
      else if (target) cross.push({ from: step.id, out });
      else if (!readonly) {
        node.children.push({ id: `add:${step.id}:${out.field}`, kind: 'add', slot: { from: step.id, field: out.field }, children: [], width: 1, rank: 0 });
      }
    }
    node.width = Math.max(1, node.children.reduce((w, c) => w + c.width, 0));
    return node;
  };
  const roots: TreeNode[] = [];
  if (steps[0]) roots.push(build(steps[0]));
  else if (!readonly) roots.push({ id: `add:${TRIGGER}:start`, kind: 'add', slot: { from: TRIGGER, field: 'start' }, children: [], width: 1, rank: 0 });
  const mainIds = new Set(owned);
  // Steps no path reaches (left over by an edit): drawn to the right, marked as never running.
  for (const step of steps) if (!owned.has(step.id)) roots.push(build(step));

  // Rank: the longest path from the trigger, so a step where paths meet sits below them all.
  const rank = new Map<string, number>();
  const all: TreeNode[] = [];
  const collect = (n: TreeNode) => {
    all.push(n);
    n.children.forEach(collect);
  };
  roots.forEach(collect);
  const incoming = new Map<string, string[]>();
  for (const n of all) if (n.step) for (const o of outsOf(n.step)) if (o.to && byId.has(o.to)) incoming.set(o.to, [...(incoming.get(o.to) ?? []), n.id]);
  const rankOf = (id: string, guard = new Set<string>()): number => {
    if (rank.has(id)) return rank.get(id)!;
    if (guard.has(id)) return 1;
    guard.add(id);
    const parents = incoming.get(id) ?? [];
    const r = id === steps[0]?.id || !parents.length ? 1 : Math.max(...parents.map((p) => rankOf(p, guard) + 1));
    rank.set(id, r);
    return r;
  };

  let left = 0;
  const place = (n: TreeNode, start: number, parentRank: number, orphan: boolean) => {
    const r = n.step ? Math.max(rankOf(n.id), parentRank + 1) : parentRank + 1;
    rank.set(n.id, r);
    const cx = (start + n.width / 2) * COL;
    if (n.kind === 'add') {
      nodes.push({ id: n.id, kind: 'add', x: cx, y: r * ROW + (NODE_H - ADD_SIZE) / 2 - 20, width: ADD_SIZE, height: ADD_SIZE, slot: n.slot });
    } else {
      nodes.push({ id: n.id, kind: 'step', x: cx, y: r * ROW, width: NODE_W, height: NODE_H, step: n.step, orphan });
    }
    let s = start;
    for (const c of n.children) {
      place(c, s, r, orphan);
      const out = n.step ? outsOf(n.step).find((o) => (c.kind === 'add' ? c.slot?.field === o.field : o.to === c.id)) : undefined;
      edges.push({
        id: `e:${n.id}:${out?.field ?? 'next'}`,
        source: n.id,
        target: c.id,
        sourceHandle: out?.field ?? 'next',
        label: out?.label,
        slot: c.kind === 'add' ? undefined : { from: n.id, field: out?.field ?? 'next' },
      });
      s += c.width;
    }
  };
  for (const root of roots) {
    const orphan = root.kind === 'step' && !mainIds.has(root.id);
    if (orphan) left += 0.25;
    place(root, left, 0, orphan);
    if (root === roots[0]) {
      nodes.unshift({ id: TRIGGER, kind: 'trigger', x: (left + root.width / 2) * COL, y: 0, width: NODE_W, height: NODE_H });
      edges.push({
        id: `e:${TRIGGER}:start`,
        source: TRIGGER,
        target: root.id,
        sourceHandle: 'next',
        slot: root.kind === 'add' ? undefined : { from: TRIGGER, field: 'start' },
      });
    }
    left += root.width;
  }
  if (!roots.length) nodes.push({ id: TRIGGER, kind: 'trigger', x: COL / 2, y: 0, width: NODE_W, height: NODE_H });
  for (const { from, out } of cross) {
    edges.push({ id: `e:${from}:${out.field}`, source: from, target: out.to!, sourceHandle: out.field, label: out.label, slot: { from, field: out.field } });
  }
  return { nodes, edges };
}

const baseIds: Record<Exclude<StepType, 'action'>, string> = { branch: 'branch', wait: 'wait', goal: 'goal', end: 'end' };

/** A readable id not yet used: `send_sms`, `send_sms-2`, ... */
export function newStepId(steps: Step[], type: StepType, action?: string): string {
  const base = (type === 'action' ? (action?.split('.').pop() ?? 'action') : baseIds[type]).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 56);
  const used = new Set(steps.map((s) => s.id));
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Where a slot currently leads (the step an inserted step will continue to). */
export function slotTarget(steps: Step[], slot: Slot): string | null {
  if (slot.from === TRIGGER) return steps[0]?.id ?? null;
  const from = steps.find((s) => s.id === slot.from);
  return ((from as Record<string, unknown> | undefined)?.[slot.field] as string | null | undefined) ?? null;
}

/** The steps with `step` put into `slot`: it continues where the slot led (a branch on its Yes path). */
export function insertStep(steps: Step[], slot: Slot, step: Step): Step[] {
  const target = slotTarget(steps, slot);
  const inserted = { ...step } as Step;
  if (target) {
    if (inserted.type === 'branch') inserted.then = target;
    else if (inserted.type !== 'end') inserted.next = target;
  }
  if (slot.from === TRIGGER) return [inserted, ...steps];
  return [...steps.map((s) => (s.id === slot.from ? ({ ...s, [slot.field]: inserted.id } as Step) : s)), inserted];
}

/** Where the run goes on after a step if the step were not there. */
function continuation(step: Step): string | null {
  if (step.type === 'branch') return step.then ?? step.else ?? null;
  if (step.type === 'end') return null;
  return step.next ?? null;
}

/**
 * The steps without `id`: links into it go on to where it led (a branch: its Yes path),
 * and steps only it led to (a branch's No path) go too. Returns those removed.
 */
export function removeStep(steps: Step[], id: string): { steps: Step[]; removed: string[] } {
  const step = steps.find((s) => s.id === id);
  if (!step) return { steps, removed: [] };
  const before = reachable(steps);
  const to = continuation(step);
  let rest = steps
    .filter((s) => s.id !== id)
    .map((s) => {
      const copy = { ...s } as Record<string, unknown>;
      for (const field of ['next', 'then', 'else', 'timeoutNext']) if (copy[field] === id) copy[field] = to;
      return copy as unknown as Step;
    });
  if (steps[0]?.id === id && to) rest = [rest.find((s) => s.id === to)!, ...rest.filter((s) => s.id !== to)];
  const after = reachable(rest);
  const dropped = rest.filter((s) => before.has(s.id) && !after.has(s.id)).map((s) => s.id);
  return { steps: rest.filter((s) => !dropped.includes(s.id)), removed: [id, ...dropped] };
}

/** A new step of a kind, with settings that pass the API's checks where it can. */
export function blankStep(steps: Step[], type: StepType, action?: string, event = 'core.message_received'): Step {
  const id = newStepId(steps, type, action);
  switch (type) {
    case 'action':
      return { id, type, action: action!, props: {} };
    case 'branch':
      return { id, type, condition: { and: [{ has_tag: '' }] } };
    case 'wait':
      return { id, type, wait: { mode: 'duration', amount: 1, unit: 'days' } };
    case 'goal':
      return { id, type, event, filter: {}, ifNotMet: 'continue' };
    case 'end':
      return { id, type };
  }
}
