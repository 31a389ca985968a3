// The workflow API: drafts, publishing, manual and bulk starts, dry runs, runs with
// their step logs, reviews of interrupted steps, notifications and the webhook secret.
import { WorkflowTrigger, type Prisma } from '@soshogle/db';
import { z } from 'zod';
import { itemsOf, keysetCursor, keysetOf, listOf, listQuery, olderThan, page } from '../http/list.ts';
import { conflict, invalid, notFound } from '../http/problem.ts';
import { defineRoute, noContent, type AnyRoute } from '../plugin.ts';
import type { CoreServices } from '../services.ts';
import type { TenantDb } from '../tenancy.ts';
import { webhookSecret } from './core-actions.ts';
import { definitionIssues } from './definition.ts';
import { dryRun } from './dry-run.ts';
import type { Raw } from './engine-services.ts';
import { queueStep } from './queue-step.ts';
import {
  definitionView,
  dryRunResponse,
  executionResponse,
  executionSelect,
  executionView,
  notificationResponse,
  stepRunResponse,
  workflowResponse,
  workflowVersionResponse,
} from './responses.ts';
import { dealOf, findContacts } from './run-context.ts';
import { startManually } from './manual-start.ts';
import { triggerKeyOf, triggerOfKey } from './triggers.ts';
import { loadVersion } from './version-cache.ts';

const notificationSelect = { id: true, userId: true, title: true, body: true, link: true, source: true, readAt: true, createdAt: true } as const;
const webhookSecretResponse = z.object({ secret: z.string() });

const idParam = z.object({ id: z.string().min(1).max(64) });

const workflowBody = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullish(),
  trigger: z.enum(WorkflowTrigger),
  /** Only for trigger CUSTOM: the plugin trigger's key, e.g. `example.pinged`. */
  triggerKey: z.string().max(200).optional(),
  triggerFilter: z.record(z.string(), z.unknown()).default({}),
  conditions: z.unknown().optional(),
  actions: z.array(z.unknown()),
  allowReentry: z.boolean().default(false),
});

type WorkflowInput = z.output<typeof workflowBody>;

/** The columns a draft is saved with, after every check; a 422 naming each failing field otherwise. */
function draftOf(services: CoreServices, body: WorkflowInput) {
  if (body.trigger === 'CUSTOM' && !body.triggerKey) {
    throw invalid('triggerKey', 'Name the plugin trigger, e.g. example.pinged');
  }
  const triggerKey = body.trigger === 'CUSTOM' ? body.triggerKey! : triggerKeyOf(body.trigger)!;
  const conditions = body.conditions ?? null;
  const errors = definitionIssues({ triggerKey, triggerFilter: body.triggerFilter, conditions, actions: body.actions }, services.registry);
  if (errors.length) throw invalid(errors);
  return {
    name: body.name,
    description: body.description ?? null,
    trigger: triggerOfKey(triggerKey),
    triggerKey,
    triggerFilter: body.triggerFilter as Prisma.InputJsonValue,
    conditions: conditions as Prisma.InputJsonValue,
    actions: body.actions as Prisma.InputJsonValue,
    allowReentry: body.allowReentry,
  };
}

async function findWorkflow(db: TenantDb, id: string) {
  const workflow = await db.workflow.findUnique({ where: { id } });
  if (!workflow) throw notFound('Workflow');
  return workflow;
}

export function workflowRoutes(services: CoreServices): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/workflows',
      summary: 'Workflows, newest first',
      query: listQuery({ cursor: keysetCursor, size: 100 }).extend({ status: z.enum(['ACTIVE', 'INACTIVE']).optional() }),
      response: listOf(workflowResponse),
      handler: async ({ db, query }) => {
        const after = query.cursor;
        const rows = await db.workflow.findMany({
          where: {
            ...(query.status ? { status: query.status } : {}),
            ...olderThan(after),
          },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: query.limit + 1,
        });
        return page(rows.map(definitionView), query.limit, (last) => keysetOf(last.createdAt, last.id));
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/workflows',
      summary: 'Create a workflow (a draft: publish it to make it run)',
      status: 201,
      body: workflowBody,
      response: workflowResponse,
      handler: async ({ db, body, tenantId }) => definitionView(await db.workflow.create({ data: { ...draftOf(services, body), userId: tenantId, status: 'INACTIVE' } })),
    }),
    defineRoute({
      method: 'GET',
      path: '/workflows/:id',
      summary: 'A workflow: its draft, and which version is live',
      params: idParam,
      response: workflowResponse,
      handler: async ({ db, params }) => definitionView(await findWorkflow(db, params.id)),
    }),
    defineRoute({
      method: 'PUT',
      path: '/workflows/:id',
      summary: 'Save the draft; runs keep using the published version until the next publish',
      params: idParam,
      body: workflowBody,
      response: workflowResponse,
      handler: async ({ db, params, body }) => definitionView(await db.workflow.update({ where: { id: params.id }, data: draftOf(services, body) })),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/workflows/:id',
      summary: 'Delete a workflow with its versions and runs',
      params: idParam,
      response: noContent,
      handler: async ({ db, params }) => {
        await db.workflow.delete({ where: { id: params.id } });
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/workflows/:id/publish',
      summary: 'Publish the draft as a new version and make the workflow live',
      params: idParam,
      response: workflowResponse,
      handler: async ({ db, params, tenantId }) =>
        db.$transaction(async (tx) => {
          // Locks the workflow row: two publishes at once get consecutive versions.
          const [locked] = await tx.$queryRaw<{ id: string }[]>`
            select id from "Workflow" where id = ${params.id} and "userId" = ${tenantId} for update`;
          const workflow = await tx.workflow.findUnique({ where: { id: params.id } });
          if (!workflow || !locked) throw notFound('Workflow');
          // Checked again: a plugin the draft uses may have been disabled since it was saved.
          draftOf(services, { ...workflow, triggerFilter: workflow.triggerFilter as Record<string, unknown>, actions: workflow.actions as unknown[], trigger: workflow.trigger });
          const latest = await tx.workflowVersion.findFirst({ where: { workflowId: workflow.id }, orderBy: { version: 'desc' }, select: { version: true } });
          const version = (latest?.version ?? 0) + 1;
          await tx.workflowVersion.create({
            data: {
              userId: workflow.userId,
              workflowId: workflow.id,
              version,
              triggerKey: workflow.triggerKey,
              triggerFilter: workflow.triggerFilter as Prisma.InputJsonValue,
              conditions: (workflow.conditions ?? undefined) as Prisma.InputJsonValue | undefined,
              actions: workflow.actions as Prisma.InputJsonValue,
              allowReentry: workflow.allowReentry,
            },
          });
          return definitionView(await tx.workflow.update({ where: { id: workflow.id }, data: { publishedVersion: version, status: 'ACTIVE' } }));
        }),
    }),
    defineRoute({
      method: 'POST',
      path: '/workflows/:id/status',
      summary: 'Turn a published workflow on (ACTIVE) or off (INACTIVE); runs in flight continue',
      params: idParam,
      body: z.object({ status: z.enum(['ACTIVE', 'INACTIVE']) }),
      response: workflowResponse,
      handler: async ({ db, params, body }) => {
        const workflow = await findWorkflow(db, params.id);
        if (body.status === 'ACTIVE' && workflow.publishedVersion === null) {
          throw conflict('Publish the workflow before turning it on');
        }
        return definitionView(await db.workflow.update({ where: { id: workflow.id }, data: { status: body.status } }));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/workflows/:id/versions',
      summary: 'Published versions, newest first',
      params: idParam,
      response: itemsOf(workflowVersionResponse),
      handler: async ({ db, params }) => {
        await findWorkflow(db, params.id);
        const versions = await db.workflowVersion.findMany({ where: { workflowId: params.id }, orderBy: { version: 'desc' } });
        return { items: versions.map(definitionView) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/workflows/:id/start',
      summary: 'Start the published workflow for contacts: by id, by tags, or all contacts',
      params: idParam,
      status: 202,
      body: z
        .object({
          contactIds: z.array(z.string().min(1).max(64)).min(1).max(1000).optional(),
          tags: z.array(z.string().min(1).max(100)).min(1).max(50).optional().describe('Contacts with any of these tags'),
          all: z.literal(true).optional().describe('Every contact'),
        })
        .refine((b) => [b.contactIds, b.tags, b.all].filter((v) => v !== undefined).length === 1, {
          message: 'Give exactly one of contactIds, tags or all',
          path: ['contactIds'],
        }),
      response: z.object({
        /** How many runs were started. */
        queued: z.number().int(),
        /** The contactIds that name no contact of this account. */
        notFound: z.array(z.string()),
      }),
      handler: async ({ db, params, body, tenantId }) => {
        const selection = body.contactIds ? { ids: body.contactIds } : body.tags ? { tags: body.tags } : { all: true as const };
        const started = await startManually(services.registry, db, tenantId, params.id, selection);
        const found = new Set(started);
        return { queued: started.length, notFound: (body.contactIds ?? []).filter((id) => !found.has(id)) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/workflows/:id/dry-run',
      summary: 'The path the workflow would take for a contact and what each step would do, with no side effects',
      params: idParam,
      body: z.object({
        contactId: z.string().min(1).max(64),
        version: z.union([z.literal('draft'), z.number().int().positive().max(2_147_483_647)]).default('draft'),
      }),
      response: dryRunResponse,
      handler: async ({ db, params, body, tenantId }) => {
        const workflow = await findWorkflow(db, params.id);
        if (!(await findContacts(services.registry, db, tenantId, { ids: [body.contactId] })).length) throw notFound('Contact');
        let definition: { triggerKey: string; conditions: unknown; actions: unknown } = workflow;
        if (body.version !== 'draft') {
          const version = await db.workflowVersion.findFirst({ where: { workflowId: workflow.id, version: body.version } });
          if (!version) throw notFound('Version');
          definition = version;
        }
        return dryRun(services.registry, db, { id: workflow.id, name: workflow.name, ...definition }, { tenantId, contactId: body.contactId });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/workflows/:id/executions',
      summary: 'Runs of a workflow, newest first',
      params: idParam,
      query: listQuery({ cursor: keysetCursor }).extend({
        status: z.enum(['PENDING', 'RUNNING', 'WAITING', 'COMPLETED', 'FAILED', 'NEEDS_REVIEW']).optional(),
        contactId: z.string().max(64).optional(),
      }),
      response: listOf(executionResponse),
      handler: async ({ db, params, query }) => {
        await findWorkflow(db, params.id);
        const after = query.cursor;
        const rows = await db.workflowExecution.findMany({
          where: {
            workflowId: params.id,
            ...(query.status ? { status: query.status } : {}),
            ...(query.contactId ? { contactId: query.contactId } : {}),
            ...(after?.at ? { OR: [{ startedAt: { lt: after.at } }, { startedAt: after.at, id: { lt: after.id } }] } : {}),
          },
          select: executionSelect,
          orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
          take: query.limit + 1,
        });
        return page(rows.map(executionView), query.limit, (last) => keysetOf(last.startedAt, last.id));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/workflow-executions/:id',
      summary: 'A run with its step log',
      params: idParam,
      response: executionResponse.extend({ steps: z.array(stepRunResponse) }),
      handler: async ({ db, params }) => {
        const execution = await db.workflowExecution.findUnique({ where: { id: params.id }, select: executionSelect });
        if (!execution) throw notFound('Run');
        const steps = await db.workflowStepRun.findMany({ where: { executionId: execution.id }, orderBy: { startedAt: 'asc' } });
        return { ...executionView(execution), steps };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/workflow-executions/:id/review',
      summary: 'Decide on a run whose step was interrupted: run the step again, skip it, or stop the run',
      params: idParam,
      body: z.object({ decision: z.enum(['retry', 'skip', 'stop']) }),
      response: executionResponse,
      handler: async ({ db, params, body, tenantId }) =>
        db.$transaction(async (tx) => {
          const execution = await tx.workflowExecution.findUnique({ where: { id: params.id } });
          if (!execution) throw notFound('Run');
          // Claimed with a conditional write: of two reviews at once, one decides, the other gets 409.
          const claimed = await tx.workflowExecution.updateMany({ where: { id: execution.id, status: 'NEEDS_REVIEW' }, data: { status: 'RUNNING' } });
          if (!claimed.count) throw conflict('This run is not waiting for a review');
          const end = async (status: 'FAILED' | 'COMPLETED', error: string | null) => {
            await tx.workflowWait.deleteMany({ where: { executionId: execution.id } });
            return executionView(await tx.workflowExecution.update({ where: { id: execution.id }, data: { status, error, completedAt: new Date() }, select: executionSelect }));
          };
          const step = await tx.workflowStepRun.findFirst({ where: { executionId: execution.id, status: 'NEEDS_REVIEW' } });
          if (!step) throw conflict('No step of this run is waiting for a review');
          if (body.decision === 'stop') {
            await tx.workflowStepRun.update({ where: { id: step.id }, data: { status: 'FAILED', finishedAt: new Date() } });
            return end('FAILED', `Stopped after review of step "${step.stepId}"`);
          }
          const version = await loadVersion(tx as unknown as Raw, tenantId, { id: execution.versionId });
          if (!version) throw notFound('Version');
          const reviewed = version.steps.get(step.stepId);
          // retry: the step runs again (a FAILED row is retried, never treated as done);
          // skip: it counts as done and the run goes on with the next step.
          const nextStep = body.decision === 'retry' ? step.stepId : reviewed && 'next' in reviewed ? reviewed.next : undefined;
          await tx.workflowStepRun.update({
            where: { id: step.id },
            data: body.decision === 'retry' ? { status: 'FAILED' } : { status: 'SUCCEEDED', output: { skipped: true }, finishedAt: new Date() },
          });
          if (!nextStep) return end('COMPLETED', null);
          const event = (execution.contextData as { event?: { payload?: unknown } }).event;
          const run = { ...execution, tenantId, executionId: execution.id, dealId: dealOf(event?.payload) };
          await tx.$executeRaw`select ${queueStep(services.registry, run, version, nextStep)}`;
          return executionView(await tx.workflowExecution.update({ where: { id: execution.id }, data: { status: 'RUNNING', error: null }, select: executionSelect }));
        }),
    }),
    defineRoute({
      method: 'GET',
      path: '/notifications',
      summary: 'In-app notifications, newest first',
      query: listQuery({ cursor: keysetCursor, size: 100 }).extend({ unread: z.enum(['true', 'false']).optional() }),
      response: listOf(notificationResponse),
      handler: async ({ db, query }) => {
        const after = query.cursor;
        const rows = await db.notification.findMany({
          where: {
            ...(query.unread === 'true' ? { readAt: null } : {}),
            ...olderThan(after),
          },
          select: notificationSelect,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: query.limit + 1,
        });
        return page(rows, query.limit, (last) => keysetOf(last.createdAt, last.id));
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/notifications/:id/read',
      summary: 'Mark a notification read',
      params: idParam,
      response: notificationResponse,
      handler: async ({ db, params }) => db.notification.update({ where: { id: params.id }, data: { readAt: new Date() }, select: notificationSelect }),
    }),
    defineRoute({
      method: 'GET',
      path: '/webhook-secret',
      summary: 'The secret outbound workflow webhooks are signed with (Soshogle-Signature header)',
      response: webhookSecretResponse,
      handler: async ({ db, tenantId }) => ({ secret: await webhookSecret(db, tenantId, services.keyRing) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/webhook-secret/rotate',
      summary: 'Replace the webhook signing secret (receivers must switch to the new one)',
      response: webhookSecretResponse,
      handler: async ({ db, tenantId }) => {
        await db.webhookSecret.deleteMany({});
        return { secret: await webhookSecret(db, tenantId, services.keyRing) };
      },
    }),
  ];
}
