// Published workflow versions, compiled once: versions never change, so every process
// may cache them.
import { Prisma } from '@soshogle/db';
import { linksOf, stepsSchema, type GoalStep, type Step } from './definition.ts';
import type { Raw } from './engine-services.ts';

/** A published version, parsed once: versions never change, so every process may cache them. */
export interface Version {
  id: string;
  workflowId: string;
  tenantId: string;
  version: number;
  name: string;
  triggerKey: string;
  triggerFilter: Record<string, unknown>;
  conditions: unknown;
  allowReentry: boolean;
  steps: Map<string, Step>;
  entry: string;
  goals: GoalStep[];
  /** For each step, the goals still ahead of a run standing there: a goal only ever moves a run forward. */
  goalsAhead: Map<string, string[]>;
  /** Whether runs can leave wait rows behind (event or relative waits, goals) to clean up at the end. */
  hasWaits: boolean;
}

const versionCache = new Map<string, Version>();
function remember(version: Version): Version {
  if (versionCache.size > 2000) versionCache.delete(versionCache.keys().next().value!);
  versionCache.set(version.id, version);
  versionCache.set(`${version.workflowId}@${version.version}`, version);
  return version;
}

interface VersionRow {
  id: string;
  workflowId: string;
  userId: string;
  version: number;
  name: string;
  triggerKey: string;
  triggerFilter: Record<string, unknown>;
  conditions: unknown;
  actions: unknown;
  allowReentry: boolean;
}

export function compileVersion(row: VersionRow): Version {
  const steps = stepsSchema.parse(row.actions);
  const goals = steps.filter((s): s is GoalStep => s.type === 'goal');
  return {
    id: row.id,
    workflowId: row.workflowId,
    tenantId: row.userId,
    version: row.version,
    name: row.name,
    triggerKey: row.triggerKey,
    triggerFilter: row.triggerFilter ?? {},
    conditions: row.conditions ?? null,
    allowReentry: row.allowReentry,
    steps: new Map(steps.map((s) => [s.id, s])),
    entry: steps[0]!.id,
    goals,
    goalsAhead: goalsAhead(steps),
    hasWaits: goals.length > 0 || steps.some((s) => s.type === 'wait' && (s.wait.mode === 'event' || s.wait.mode === 'relative')),
  };
}

/** The goal steps reachable from each step (itself included), following next/then/else/timeoutNext. */
function goalsAhead(steps: Step[]): Map<string, string[]> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const ahead = new Map<string, string[]>();
  const visit = (id: string): string[] => {
    const known = ahead.get(id);
    if (known) return known;
    const step = byId.get(id)!;
    const found = new Set(step.type === 'goal' ? [id] : []);
    for (const { to } of linksOf(step)) for (const goal of visit(to)) found.add(goal);
    ahead.set(id, [...found]);
    return ahead.get(id)!;
  };
  for (const step of steps) visit(step.id);
  // A goal no path leads to is a pure jump target: it stays ahead of every step.
  const linked = new Set(ahead.get(steps[0]!.id));
  const floating = steps.filter((s) => s.type === 'goal' && !linked.has(s.id)).map((s) => s.id);
  if (floating.length) for (const [id, goals] of ahead) ahead.set(id, [...new Set([...goals, ...floating])]);
  return ahead;
}

export async function loadVersion(db: Raw, tenantId: string, by: { id: string } | { workflowId: string; version: number }): Promise<Version | null> {
  const cached = versionCache.get('id' in by ? by.id : `${by.workflowId}@${by.version}`);
  if (cached) return cached.tenantId === tenantId ? cached : null;
  const where =
    'id' in by ? Prisma.sql`v.id = ${by.id}` : Prisma.sql`v."workflowId" = ${by.workflowId} and v.version = ${by.version}`;
  const [row] = await db.$queryRaw<VersionRow[]>`
    select v.id, v."workflowId", v."userId", v.version, w.name, v."triggerKey", v."triggerFilter", v.conditions, v.actions, v."allowReentry"
    from "WorkflowVersion" v join "Workflow" w on w.id = v."workflowId"
    where ${where} and v."userId" = ${tenantId}`;
  return row ? remember(compileVersion(row)) : null;
}
