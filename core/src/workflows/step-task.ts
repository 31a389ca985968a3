// workflow_step: runs one step. A step's success and the queueing of the next step
// commit together, so a step that succeeded is never run again and a run never stalls.
import type { JobHelpers } from 'graphile-worker';
import { PermanentFailure } from '../plugin.ts';
import { evaluateCondition } from './conditions.ts';
import type { Step } from './definition.ts';
import { tenantDb, type EngineServices, type Raw } from './engine-services.ts';
import { loadContext, type RunEvent, type RunSubject } from './run-context.ts';
import { live, readState, stillToRun } from './run-state.ts';
import { runExternalAction, runTransactionalAction } from './step-action.ts';
import { isPermanent, message, OutcomeUnrecorded } from './step-errors.ts';
import { failRun, finishStep, recordStep } from './step-record.ts';
import { wait } from './step-wait.ts';
import { stepJob, type StepJob } from './task-payloads.ts';
import { loadVersion, type Version } from './version-cache.ts';

function subjectOf(services: EngineServices, job: StepJob, version: Version): RunSubject {
  return {
    tenantId: job.tenantId,
    executionId: job.executionId,
    workflowId: job.workflowId,
    workflowName: version.name,
    contactId: job.contactId,
    dealId: job.dealId,
    event: async () => {
      const [row] = await (tenantDb(services, job.tenantId) as unknown as Raw).$queryRaw<{ event: RunEvent }[]>`
        select "contextData"->'event' as event from "WorkflowExecution" where id = ${job.executionId} and "userId" = ${job.tenantId}`;
      return row?.event ?? { id: '', type: '', payload: {}, occurredAt: '' };
    },
  };
}

export async function runStep(services: EngineServices, payload: unknown, helpers: JobHelpers): Promise<void> {
  const job = stepJob.parse(payload);
  const db = tenantDb(services, job.tenantId);
  const raw = db as unknown as Raw;
  const version = await loadVersion(raw, job.tenantId, { id: job.versionId });
  const step = version?.steps.get(job.stepId);
  if (!version || !step) return;
  const attempt = helpers.job.attempts;
  const final = attempt >= helpers.job.max_attempts;
  const startedAt = new Date();
  const subject = subjectOf(services, job, version);
  const record = { attempt, startedAt };
  try {
    switch (step.type) {
      case 'action': {
        const action = services.registry.actions.get(step.action)?.action;
        if (!action) throw new PermanentFailure(`The action "${step.action}" is no longer available (is its plugin disabled?)`);
        const work = { services, job, version, step, subject, record, signal: helpers.abortSignal };
        return await (action.transactional ? runTransactionalAction(work) : runExternalAction(work));
      }
      case 'branch': {
        const result = evaluateCondition(step.condition, await loadContext(db, services.registry.runContext, subject, step.condition));
        await finishStep(services, raw, job, version, step, { ...record, output: { result } }, result ? step.then : step.else);
        return;
      }
      case 'wait':
        return await wait(services, job, version, step, record, subject);
      case 'goal':
        // Reached in sequence, without the goal's event having happened.
        // Without a contact no goal event can come: waiting would be forever, so it ends.
        if (step.ifNotMet === 'wait' && !job.contactId) {
          await finishStep(services, raw, job, version, step, { ...record, output: { met: false } }, null);
          return;
        }
        if (step.ifNotMet === 'wait') {
          const state = await readState(raw, job);
          if (!stillToRun(state, job)) return;
          await db.$transaction([
            recordStep(raw, job.tenantId, job.executionId, step, { status: 'WAITING', ...record }),
            raw.$executeRaw`update "WorkflowExecution" set status = 'WAITING'
              where id = ${job.executionId} and "userId" = ${job.tenantId} and position = ${job.position} and status::text = any(${live})`,
          ]);
          return;
        }
        await finishStep(services, raw, job, version, step, { ...record, output: { met: false } }, step.ifNotMet === 'end' ? null : step.next);
        return;
      case 'end':
        await finishStep(services, raw, job, version, step, { ...record, output: {} }, null);
        return;
    }
  } catch (error) {
    await stepFailed(services, job, version, step, error, attempt, final, startedAt);
  }
}

async function stepFailed(
  services: EngineServices,
  job: StepJob,
  version: Version,
  step: Step,
  error: unknown,
  attempt: number,
  final: boolean,
  startedAt: Date,
): Promise<void> {
  const permanent = isPermanent(error);
  const raw = tenantDb(services, job.tenantId) as unknown as Raw;
  // A step job left over from before a goal jump (or for a finished run) fails nothing.
  if (!stillToRun(await readState(raw, job), job)) return;
  // The provider call returned but recording it failed (or the worker is stopping): the
  // outcome is unknown, so the attempt stays RUNNING and the retry decides (re-run if
  // idempotent, else review), never a plain re-send.
  const unknownOutcome = error instanceof OutcomeUnrecorded;
  if (!unknownOutcome) {
    await recordStep(raw, job.tenantId, job.executionId, step, { status: 'FAILED', attempt, startedAt, error: message(error) });
  }
  if ((permanent || final) && !unknownOutcome) {
    services.log.info({ executionId: job.executionId, step: step.id, err: error }, 'workflow step failed');
    await failRun(raw, job, 'FAILED', `Step "${step.id}" failed: ${message(error)}`, version.hasWaits);
    return;
  }
  throw unknownOutcome ? error.cause : error; // graphile-worker retries it with backoff
}
