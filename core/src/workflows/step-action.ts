// An action step: run inside the step's transaction (database-only actions) or around a
// provider call recorded before and after.
import { chainedActions, chainedEvents } from '../events.ts';
import { actingAs, type TenantTx } from '../tenancy.ts';
import type { ActionStep } from './definition.ts';
import { tenantDb, type EngineServices, type Raw } from './engine-services.ts';
import { loadContext, runRecords, type RunSubject } from './run-context.ts';
import { live, readState, stillToRun } from './run-state.ts';
import { AlreadyDone, OutcomeUnrecorded } from './step-errors.ts';
import { withDefaults } from './step-props.ts';
import { finishStep, recordStep } from './step-record.ts';
import type { StepJob } from './task-payloads.ts';
import { renderValue } from './templates.ts';
import type { Version } from './version-cache.ts';

function actionContext(services: EngineServices, job: StepJob, step: ActionStep, db: TenantTx, props: Record<string, unknown>, signal: AbortSignal) {
  const found = services.registry.actions.get(step.action)!;
  const base = services.tenantContext(found.plugin.definition.name, job.tenantId);
  return {
    ...base,
    db: actingAs(db, found.plugin.definition.name), // the run's transaction, under the action's plugin's ownership
    events: chainedEvents(base.events, job.depth + 1),
    actions: chainedActions(base.actions, job.depth + 1),
    props,
    idempotencyKey: `${job.executionId}:${step.id}`,
    signal,
    run: { executionId: job.executionId, workflowId: job.workflowId, stepId: step.id, contactId: job.contactId, dealId: job.dealId },
    record: runRecords(services.registry.runContext, db, job),
  };
}

/** Renders the step's templates (its action's defaults included) and checks the result against the action's props. */
async function prepareProps(db: TenantTx, step: ActionStep, subject: RunSubject, services: EngineServices) {
  const action = services.registry.actions.get(step.action)!.action;
  const props = withDefaults(action.props, step.props);
  const rendered = renderValue(props, await loadContext(db, services.registry.runContext, subject, props));
  return action.props.parse(rendered) as Record<string, unknown>;
}

/** One action step to run: what both ways of running an action need. */
export interface ActionStepWork {
  services: EngineServices;
  job: StepJob;
  version: Version;
  step: ActionStep;
  subject: RunSubject;
  record: { attempt: number; startedAt: Date };
  signal: AbortSignal;
}

/**
 * A database-only action: it runs in the transaction that records the step and moves
 * the run on, so it has happened exactly once when the step shows as succeeded. A
 * repeat (the step was done already, or the run moved on) rolls its writes back.
 */
export async function runTransactionalAction({ services, job, version, step, subject, record, signal }: ActionStepWork): Promise<void> {
  const action = services.registry.actions.get(step.action)!.action;
  try {
    await tenantDb(services, job.tenantId).$transaction(async (tx) => {
      const props = await prepareProps(tx, step, subject, services);
      const output = action.output.parse(await action.run(actionContext(services, job, step, tx, props, signal)));
      if (!(await finishStep(services, tx as unknown as Raw, job, version, step, { ...record, input: props, output }, step.next))) throw new AlreadyDone();
    });
  } catch (error) {
    if (!(error instanceof AlreadyDone)) throw error;
  }
}

/**
 * An action with effects outside the database (a provider call). The attempt is
 * recorded as RUNNING before the call; finding it still RUNNING later means a worker
 * died during the call, and a non-idempotent action is then left for a person to review.
 */
export async function runExternalAction({ services, job, version, step, subject, record, signal }: ActionStepWork): Promise<void> {
  const db = tenantDb(services, job.tenantId);
  const raw = db as unknown as Raw;
  const action = services.registry.actions.get(step.action)!.action;
  const state = await readState(raw, job);
  if (!stillToRun(state, job)) return;
  if (state.stepStatus === 'RUNNING' && !action.idempotent) {
    const error = `Step "${step.id}" (${step.action}) was interrupted: the worker stopped while it ran, so it may or may not have happened. It is not repeated automatically; review it and retry or skip.`;
    await db.$transaction([
      recordStep(raw, job.tenantId, job.executionId, step, { status: 'NEEDS_REVIEW', ...record, error }),
      raw.$executeRaw`update "WorkflowExecution" set status = 'NEEDS_REVIEW', error = ${error}
        where id = ${job.executionId} and "userId" = ${job.tenantId} and position = ${job.position} and status::text = any(${live})`,
    ]);
    services.log.warn({ executionId: job.executionId, step: step.id }, 'workflow step needs review');
    return;
  }
  const props = await prepareProps(db, step, subject, services);
  await recordStep(raw, job.tenantId, job.executionId, step, { status: 'RUNNING', ...record, input: props });
  let result: unknown;
  try {
    result = await action.run(actionContext(services, job, step, db, props, signal));
  } catch (error) {
    // Interrupted by shutdown: whether the provider acted is unknown.
    throw signal.aborted ? new OutcomeUnrecorded('interrupted', { cause: error }) : error;
  }
  const output = action.output.parse(result);
  try {
    await finishStep(services, raw, job, version, step, { ...record, input: props, output }, step.next);
  } catch (error) {
    throw new OutcomeUnrecorded('the step ran but could not be recorded', { cause: error });
  }
}
