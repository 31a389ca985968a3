// The workflow engine: five graphile-worker tasks, each parsing its payload on entry.
//
// - workflow_start: an event (or a manual start) meets a live workflow: trigger filter,
//   loop guard, entry condition; then one statement records the run, counts it, registers
//   its goals and queues its first step.
// - workflow_step: runs one step. A step's success and the queueing of the next step
//   commit together, so a step that succeeded is never run again and a run never stalls.
// - workflow_resume: an event about a contact reaches that contact's paused runs (waits
//   for an event, goals).
// - workflow_wait_timeout: a wait for an event ran out of time.
// - workflow_wait_due: a wait until a record's time ("2 hours before the appointment")
//   came due; the record's owner moves it when the record moves (ctx.workflows.subjectMoved).
//
// Every statement here carries the tenant from the job (`"userId" = tenantId`); actions
// get the tenant-scoped client. Nothing is kept in memory that another process needs:
// the only cache holds published versions, which never change.
//
// One concept per file: task-payloads (what jobs carry), version-cache, run-context (what
// conditions and templates read), run-state, step-record (the step log and moving a run
// on), step-errors, step-action / step-wait (kinds of step), time-zone, waits,
// relative-wait (when a record's wait is due, moving it), and one file per task.
import type { Task } from 'graphile-worker';
import { resumeWorkflowsTask, startWorkflowTask } from '../events.ts';
import type { EngineServices } from './engine-services.ts';
import { resume } from './resume-task.ts';
import { start } from './start-task.ts';
import { runStep } from './step-task.ts';
import { stepTask, waitDueTask, waitTimeoutTask } from './task-payloads.ts';
import { due } from './wait-due-task.ts';
import { timeout } from './wait-timeout-task.ts';

/** The engine's graphile-worker tasks. */
export function workflowTasks(services: EngineServices): Record<string, Task> {
  return {
    [startWorkflowTask]: (payload, helpers) => start(services, payload, helpers),
    [stepTask]: (payload, helpers) => runStep(services, payload, helpers),
    [resumeWorkflowsTask]: (payload) => resume(services, payload),
    [waitTimeoutTask]: (payload) => timeout(services, payload),
    [waitDueTask]: (payload) => due(services, payload),
  };
}
