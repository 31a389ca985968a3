// The engine's durability across processes, against a real PostgreSQL: two worker
// processes sharing the queue, a worker process killed with SIGKILL in the middle of its
// steps, and one stopped with SIGTERM. The worker processes are whole Soshogle processes
// (core/src/testing/engine-worker-child.ts); this process serves the API with its worker
// off, and starts an in-process worker (startWorker) only where a test asks for one.
// Recovery after SIGKILL uses the production supervisor timings (beat 5 s, dead after 15 s).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { durabilityPlugin } from '../testing/engine-worker-child.ts';
import { signedInUser, startTestSoshogle, type TestClient } from '../testing/index.ts';
import { startWorker, type Worker } from '../worker.ts';
import { eventually, publishWorkflow } from './testing.ts';

const soshogle = await startTestSoshogle([durabilityPlugin()], { WORKER_ENABLED: 'false' });
const { db } = soshogle;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const pools: pg.Pool[] = [];
const workers: Worker[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const worker of workers) await worker.stop().catch(() => {});
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
});

function newPool(max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: soshogle.databaseUrl, max });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  pools.push(pool);
  return pool;
}
const sql = newPool(3);

/** A worker in this process, on this process's services, as boot.ts starts one (default supervisor timings). */
async function startInProcessWorker(concurrency: number): Promise<Worker> {
  const worker = await startWorker({ pgPool: newPool(concurrency + 2), concurrency, services: soshogle, log: createLogger('silent') });
  workers.push(worker);
  return worker;
}

interface Child {
  process: ChildProcess;
  pid: number;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until `count` lines starting with `prefix` have been printed. */
  printed(prefix: string, count: number, ms?: number): Promise<void>;
}

/** Starts engine-worker-child.ts (a whole Soshogle with a worker) on this test's database; resolves once it is ready. */
async function spawnChild(concurrency: number): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/src/testing/engine-worker-child.ts'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: soshogle.databaseUrl, WORKER_CONCURRENCY: String(concurrency) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const printed = async (prefix: string, count: number, ms = 30_000) => {
    await eventually(async () => {
      if (exitedEarly) throw new Error(`the worker child exited while waiting for ${count} "${prefix}" lines: ${lines.join(' | ')}`);
      return lines.filter((l) => l.startsWith(prefix)).length >= count;
    }, ms);
  };
  await printed('ready', 1);
  expect(lines[0]).toBe(`ready ${child.pid}`);
  return { process: child, pid: child.pid!, lines, exited, printed };
}

const write = (id: string, label: string, sleepMs: number, next?: string) => ({
  id,
  type: 'action',
  action: 'durability.write_note',
  props: { label, sleepMs },
  ...(next ? { next } : {}),
});

/** A published contact-created workflow of two note-writing steps, `first` then `second`. */
function twoStepWorkflow(user: TestClient, firstSleepMs: number, secondSleepMs: number): Promise<string> {
  return publishWorkflow(user, { trigger: 'CONTACT_CREATED', actions: [write('first', 'first', firstSleepMs, 'second'), write('second', 'second', secondSleepMs)] });
}

/**
 * Creates `count` contacts, each raising core.contact_created in its transaction (as createContact does), `perTransaction` at a time;
 * with `oneRaise`, each transaction's events in one raiseMany (one start job).
 */
async function createContacts(tenantId: string, count: number, perTransaction = 25, oneRaise = false): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += perTransaction) {
    const batch = await soshogle.tenantContext('core', tenantId).db.$transaction(async (tx) => {
      const created: string[] = [];
      for (let j = i; j < Math.min(count, i + perTransaction); j++) {
        const contact = await tx.contact.create({ data: { userId: tenantId, firstName: `C${j}` }, select: { id: true } });
        if (!oneRaise) await soshogle.events.raise(tx, 'core.contact_created', { contactId: contact.id, source: 'manual' }, { tenantId });
        created.push(contact.id);
      }
      if (oneRaise) await soshogle.events.raiseMany(tx, 'core.contact_created', created.map((contactId) => ({ contactId, source: 'manual' })), { tenantId });
      return created;
    });
    ids.push(...batch);
  }
  return ids;
}

interface JobRow {
  id: string;
  task: string;
  lockedBy: string | null;
  attempts: number;
  executionId: string | null;
  stepId: string | null;
}
async function jobs(where = 'true'): Promise<JobRow[]> {
  const { rows } = await sql.query<JobRow>(`
    select j.id::text, t.identifier as task, j.locked_by as "lockedBy", j.attempts,
      j.payload->>'executionId' as "executionId", j.payload->>'stepId' as "stepId"
    from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
    where ${where} order by j.id`);
  return rows;
}
async function lockedCount(): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(`
    select ((select count(*) from graphile_worker._private_jobs where locked_at is not null or locked_by is not null)
      + (select count(*) from graphile_worker._private_job_queues where locked_at is not null or locked_by is not null))::int as n`);
  return rows[0]!.n;
}
const heartbeatsOf = async (pid: number) => (await sql.query('select 1 from "WorkerHeartbeat" where pid = $1', [pid])).rowCount;

/** Waits until the workflow has `count` runs, none of them still running. */
async function runsSettled(workflowId: string, count: number, ms: number): Promise<void> {
  await eventually(async () => {
    const runs = await db.workflowExecution.groupBy({ by: ['status'], where: { workflowId }, _count: true });
    const total = runs.reduce((sum, r) => sum + r._count, 0);
    return total === count && runs.every((r) => !['PENDING', 'RUNNING', 'WAITING'].includes(r.status));
  }, ms);
}

/** Notes per contact as sorted `label pid=...` lists. */
async function notesByContact(tenantId: string): Promise<Map<string, string[]>> {
  const notes = await db.note.findMany({ where: { userId: tenantId }, select: { contactId: true, content: true } });
  const byContact = new Map<string, string[]>();
  for (const n of notes) byContact.set(n.contactId!, [...(byContact.get(n.contactId!) ?? []), n.content].sort());
  return byContact;
}

/** The labels of a contact's notes, without the pid. */
const labels = (notes: string[] | undefined) => (notes ?? []).map((n) => n.split(' ')[0]);

/** Checks the end state every test expects: each run COMPLETED, each step SUCCEEDED once, one note per step, counted once. */
async function expectEveryRunCompletedOnce(workflowId: string, tenantId: string, contactIds: string[]) {
  const runs = await db.workflowExecution.findMany({ where: { workflowId }, select: { id: true, status: true, contactId: true, error: true } });
  expect(runs).toHaveLength(contactIds.length);
  expect(runs.filter((r) => r.status !== 'COMPLETED' || r.error !== null)).toEqual([]);
  expect(new Set(runs.map((r) => r.contactId))).toEqual(new Set(contactIds));

  const notes = await notesByContact(tenantId);
  expect(notes.size).toBe(contactIds.length);
  const wrong = contactIds.filter((id) => JSON.stringify(labels(notes.get(id))) !== JSON.stringify(['first', 'second']));
  expect(wrong).toEqual([]);

  const steps = await db.workflowStepRun.findMany({ where: { executionId: { in: runs.map((r) => r.id) } } });
  expect(steps).toHaveLength(2 * runs.length);
  expect(new Set(steps.map((s) => `${s.executionId}/${s.stepId}`)).size).toBe(2 * runs.length);
  expect(steps.filter((s) => s.status !== 'SUCCEEDED' || s.error !== null)).toEqual([]);

  const workflow = await db.workflow.findUniqueOrThrow({ where: { id: workflowId } });
  expect(workflow.executionCount).toBe(contactIds.length);
  await eventually(async () => (await jobs()).length === 0, 10_000);
  return { runs, notes, steps };
}

describe('workflow runs across worker processes', () => {
  it('runs each step of 300 runs exactly once when two worker processes share the queue', async () => {
    const user = await signedInUser(soshogle);
    const workflowId = await twoStepWorkflow(user, 5, 5);
    // The runs are queued while the child boots; then both processes work through them.
    const [child, contactIds] = await Promise.all([spawnChild(4), createContacts(user.userId, 300)]);
    await startInProcessWorker(4);
    await runsSettled(workflowId, 300, 60_000);
    const { notes, steps } = await expectEveryRunCompletedOnce(workflowId, user.userId, contactIds);

    // No retries anywhere: every step succeeded on its first attempt.
    expect(steps.filter((s) => s.attempt !== 1)).toEqual([]);
    // Both processes did part of the work, and nobody else did any.
    const pids = [...notes.values()].flat().map((n) => Number(n.split('pid=')[1]));
    const byChild = pids.filter((p) => p === child.pid).length;
    const byTest = pids.filter((p) => p === process.pid).length;
    console.info(`steps run by the child: ${byChild}, by this process: ${byTest}`);
    expect(byChild + byTest).toBe(600);
    expect(byChild).toBeGreaterThan(0);
    expect(byTest).toBeGreaterThan(0);

    // A graceful stop of the child leaves nothing behind.
    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.lines.at(-1)).toBe('stopped');
    expect(await lockedCount()).toBe(0);
    expect(await heartbeatsOf(child.pid)).toBe(0);
    await workers.pop()!.stop();
    expect(await heartbeatsOf(process.pid)).toBe(0);
  }, 90_000);

  it('after a SIGKILL mid-step, another process finishes every run within 30 s, with no duplicate write', async () => {
    const n = 6;
    const user = await signedInUser(soshogle);
    const workflowId = await twoStepWorkflow(user, 2000, 0);
    const child = await spawnChild(n);
    // One raise: one start job takes the six runs in one batch. The first run's first
    // step runs in it and is slow, so the other five go to step jobs of their own, which the
    // child runs side by side: every first step has written its note and sleeps in its open
    // transaction when the kill lands, except the batch's, which committed with the runs.
    const contactIds = await createContacts(user.userId, n, n, true);
    await child.printed('wrote first', n);
    const killedAt = Date.now();
    child.process.kill('SIGKILL');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });

    // Post mortem: the kill landed mid-step. The five step jobs are still locked by the dead
    // worker, and nothing of them committed.
    const inFlight = await jobs(`j.locked_by is not null`);
    expect(inFlight.map((j) => [j.task, j.stepId, j.attempts])).toEqual(Array.from({ length: n - 1 }, () => ['workflow_step', 'first', 1]));
    const deadPool = inFlight[0]!.lockedBy!;
    expect(deadPool).toMatch(/^pool-[0-9a-f]{18}$/);
    expect(inFlight.every((j) => j.lockedBy === deadPool)).toBe(true);
    expect(await jobs(`j.locked_by is null`)).toEqual([]);
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(n);
    // Committed: the runs, and the batch's run's first step (its second may have followed).
    const batchRun = await db.workflowStepRun.findMany({ where: { execution: { workflowId }, stepId: 'first' }, select: { executionId: true } });
    expect(batchRun).toHaveLength(1);
    const committedNotes = await db.note.findMany({ where: { userId: user.userId }, select: { contactId: true, content: true } });
    expect(new Set(committedNotes.map((note) => note.contactId)).size).toBe(1);
    expect(committedNotes.map((note) => note.content)).toContain(`first pid=${child.pid}`);

    // A surviving process's supervisor frees them; its worker runs them again.
    await startInProcessWorker(n);
    await eventually(async () => (await jobs(`j.locked_by = '${deadPool}'`)).length === 0, 40_000);
    const freedMs = Date.now() - killedAt;
    await runsSettled(workflowId, n, 40_000);
    const completedMs = Date.now() - killedAt;
    console.info(`SIGKILL recovery: dead worker's jobs freed after ${freedMs} ms, every run completed after ${completedMs} ms`);
    expect(freedMs).toBeLessThan(30_000);
    expect(completedMs).toBeLessThan(30_000);

    const { notes, steps } = await expectEveryRunCompletedOnce(workflowId, user.userId, contactIds);
    // The killed transactions rolled back: every note but the batch's run's is the recovering process's.
    expect(committedNotes.every((note) => note.content.endsWith(` pid=${child.pid}`))).toBe(true);
    const byChild = [...notes.values()].flat().filter((c) => !c.endsWith(` pid=${process.pid}`));
    expect(byChild).toEqual(committedNotes.map((note) => note.content).sort());
    // The interrupted steps ran a second time (their only success is attempt 2); the rest once.
    const interrupted = new Set(inFlight.map((j) => j.executionId));
    expect(steps.filter((s) => s.attempt !== (s.stepId === 'first' && interrupted.has(s.executionId) ? 2 : 1))).toEqual([]);
    expect(await heartbeatsOf(child.pid)).toBe(0);
    await workers.pop()!.stop();
  }, 75_000);

  it('a SIGTERM lets running steps finish and leaves nothing locked; another worker finishes the rest once', async () => {
    const n = 5;
    const user = await signedInUser(soshogle);
    // The second step sleeps: a step job of its own (the first ran in its run's start).
    const workflowId = await twoStepWorkflow(user, 0, 2000);
    const child = await spawnChild(n);
    const contactIds = await createContacts(user.userId, n, n, true);

    await child.printed('wrote second', n);
    // The start job that handed the second steps on may still be finishing: only the steps are in flight for sure.
    const inFlight = await jobs(`j.locked_by is not null and t.identifier = 'workflow_step'`);
    expect(inFlight.map((j) => [j.task, j.stepId])).toEqual(Array.from({ length: n }, () => ['workflow_step', 'second']));
    const termAt = Date.now();
    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    const exitMs = Date.now() - termAt;

    // Right after the exit, long before any supervisor would call the worker dead (no
    // worker runs anywhere now): nothing is locked, and no heartbeat is left behind.
    expect(await lockedCount()).toBe(0);
    expect(exitMs).toBeLessThan(15_000);
    expect(child.lines.at(-1)).toBe('stopped');
    expect(await heartbeatsOf(child.pid)).toBe(0);
    // Each in-flight step either completed (job gone, step and note committed) or went
    // back to the queue unlocked (and nothing of it committed).
    const notesNow = await notesByContact(user.userId);
    for (const job of inFlight) {
      const [left] = await jobs(`j.id = ${job.id}`);
      const run = await db.workflowExecution.findUniqueOrThrow({ where: { id: job.executionId! } });
      const step = await db.workflowStepRun.findUnique({ where: { executionId_stepId: { executionId: run.id, stepId: 'second' } } });
      const secondNotes = (notesNow.get(run.contactId!) ?? []).filter((c) => c.startsWith('second '));
      if (left === undefined) {
        expect({ step: step?.status, attempt: step?.attempt, secondNotes }).toEqual({ step: 'SUCCEEDED', attempt: 1, secondNotes: [`second pid=${child.pid}`] });
      } else {
        expect({ lockedBy: left.lockedBy, succeeded: step?.status === 'SUCCEEDED', secondNotes }).toEqual({ lockedBy: null, succeeded: false, secondNotes: [] });
      }
    }
    // Every first step was the child's, once.
    expect([...notesNow.values()].flat().filter((c) => c.startsWith('first ')).sort()).toEqual(Array.from({ length: n }, () => `first pid=${child.pid}`));

    await startInProcessWorker(n);
    await runsSettled(workflowId, n, 30_000);
    const { steps } = await expectEveryRunCompletedOnce(workflowId, user.userId, contactIds);
    expect(steps.filter((s) => s.stepId === 'first' && s.attempt !== 1)).toEqual([]);
    await workers.pop()!.stop();
  }, 60_000);
});
