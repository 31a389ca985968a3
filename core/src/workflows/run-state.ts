// Where a run stands, read when a step must decide before acting.
import { Prisma } from '@soshogle/db';
import type { Raw } from './engine-services.ts';
import type { StepJob } from './task-payloads.ts';

/** The statuses of a run that is not over. */
export const live = ['PENDING', 'RUNNING', 'WAITING'];

export interface RunState {
  status: string;
  position: number;
  stepStatus: string | null;
}

/**
 * The run's status and this step's, read when a step must decide before acting; `lock`
 * holds the run row to the end of the transaction, so a goal jump cannot slip between
 * the check and the write.
 */
export async function readState(db: Raw, job: Pick<StepJob, 'executionId' | 'tenantId' | 'stepId'>, lock = false): Promise<RunState | undefined> {
  const [row] = await db.$queryRaw<RunState[]>`
    select e.status::text as status, e.position, s.status::text as "stepStatus"
    from "WorkflowExecution" e left join "WorkflowStepRun" s on s."executionId" = e.id and s."stepId" = ${job.stepId}
    where e.id = ${job.executionId} and e."userId" = ${job.tenantId}
    ${lock ? Prisma.sql`for update of e` : Prisma.empty}`;
  return row;
}

export const stillToRun = (state: RunState | undefined, job: StepJob): state is RunState =>
  !!state && live.includes(state.status) && state.position === job.position && state.stepStatus !== 'SUCCEEDED' && state.stepStatus !== 'NEEDS_REVIEW';
