// What the workflow API answers: workflows with their steps, published versions, runs
// with their step logs, dry runs and notifications, as they go on the wire.
import { ExecutionStatus, StepRunStatus, WorkflowStatus, WorkflowTrigger, type Prisma } from '@soshogle/db';
import { z } from 'zod';
import { isoDate } from '../http/wire.ts';
import { stepSchema, type Step } from './definition.ts';

// A copy named for the API document: naming stepSchema itself would make the catalog's
// JSON Schema of it a reference.
const stepResponse = stepSchema.meta({ id: 'WorkflowStep', description: 'A step of a workflow (docs/workflows.md)' });

/** The definition a draft and a published version both hold. */
const definition = {
  /** The event that starts a run: `core.<trigger>` or a plugin trigger's key. */
  triggerKey: z.string(),
  triggerFilter: z.record(z.string(), z.unknown()),
  /** A json-logic rule a contact must pass to start; null for none. */
  conditions: z.unknown(),
  /** The steps; the first is where a run starts. */
  actions: z.array(stepResponse),
  allowReentry: z.boolean(),
};

export const workflowResponse = z
  .object({
    id: z.string(),
    /** The account it belongs to. */
    userId: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    trigger: z.enum(WorkflowTrigger),
    ...definition,
    status: z.enum(WorkflowStatus),
    /** The version new runs start on; null until first published. */
    publishedVersion: z.number().int().nullable(),
    executionCount: z.number().int(),
    lastExecutedAt: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Workflow', description: 'A workflow: its draft definition, and which version is live' });

export const workflowVersionResponse = z
  .object({ id: z.string(), userId: z.string(), workflowId: z.string(), version: z.number().int(), ...definition, publishedAt: isoDate })
  .meta({ id: 'WorkflowVersion', description: "A published, unchangeable copy of a workflow's definition" });

/** The columns of a run the API shows (not its bookkeeping: dedupe key, position). */
export const executionSelect = {
  id: true,
  userId: true,
  workflowId: true,
  versionId: true,
  status: true,
  error: true,
  contextData: true,
  contactId: true,
  eventId: true,
  depth: true,
  startedAt: true,
  completedAt: true,
} satisfies Prisma.WorkflowExecutionSelect;

export const executionResponse = z
  .object({
    id: z.string(),
    /** The account it belongs to. */
    userId: z.string(),
    workflowId: z.string(),
    versionId: z.string(),
    status: z.enum(ExecutionStatus),
    error: z.string().nullable(),
    /** What started the run. */
    // Stored by every engine version since the first: read loosely, so an older run still answers.
    contextData: z.looseObject({
      event: z.looseObject({ id: z.string().optional(), type: z.string().optional(), payload: z.unknown().optional(), occurredAt: z.string().optional() }).optional(),
    }),
    contactId: z.string().nullable(),
    eventId: z.string(),
    /** How many workflow runs led to the event that started this one. */
    depth: z.number().int(),
    startedAt: isoDate,
    completedAt: isoDate.nullable(),
  })
  .meta({ id: 'WorkflowExecution', description: 'A run of a workflow for one contact' });

export const stepRunResponse = z
  .object({
    id: z.string(),
    /** The account it belongs to. */
    userId: z.string(),
    executionId: z.string(),
    stepId: z.string(),
    /** action, branch, wait, goal or end. */
    type: z.string(),
    actionKey: z.string().nullable(),
    status: z.enum(StepRunStatus),
    attempt: z.number().int(),
    input: z.unknown(),
    output: z.unknown(),
    error: z.string().nullable(),
    startedAt: isoDate,
    finishedAt: isoDate.nullable(),
  })
  .meta({ id: 'WorkflowStepRun', description: 'One step a run reached, with its last attempt' });

export const dryRunResponse = z
  .object({
    /** Whether the entry condition lets this contact in (true when there is none). */
    starts: z.boolean(),
    steps: z.array(
      z.object({
        stepId: z.string(),
        type: z.enum(['action', 'branch', 'wait', 'goal', 'end']),
        name: z.string().optional(),
        /** What the step would do, in words. */
        description: z.string(),
        action: z.string().optional(),
        /** The action's props with their templates filled in. */
        props: z.unknown().optional(),
        /** What a condition computed (branches). */
        result: z.unknown().optional(),
        /** Why this step would fail. */
        error: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'DryRun', description: 'The path a workflow would take for a contact, with no side effects' });

export const notificationResponse = z
  .object({
    id: z.string(),
    /** The account it belongs to. */
    userId: z.string(),
    title: z.string(),
    body: z.string().nullable(),
    /** Where the UI opens it. */
    link: z.string().nullable(),
    /** What raised it, e.g. `workflow:<id>`. */
    source: z.string().nullable(),
    readAt: isoDate.nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'Notification', description: 'An in-app notification' });

/** A run as answered: its context holds the event that started it (start-task.ts). */
export function executionView<T extends { contextData: Prisma.JsonValue }>(row: T) {
  return { ...row, contextData: row.contextData as z.output<typeof executionResponse>['contextData'] };
}

/** A stored workflow or version as answered: its JSON columns hold what was checked when it was saved. */
export function definitionView<T extends { triggerFilter: Prisma.JsonValue; actions: Prisma.JsonValue }>(row: T) {
  return { ...row, triggerFilter: row.triggerFilter as Record<string, unknown>, actions: row.actions as Step[] };
}
