// Relative waits ("2 hours before appointment.startTime"): when one is due, read from the
// record it counts from, and the one place its due job is (re)queued. The record's owner
// tells the engine when the record moves (ctx.workflows.subjectMoved), in the transaction
// of the move, so the new time and the moved wait commit together.
import { Prisma } from '@soshogle/db';
import type { RunContextProvider } from '../plugin.ts';
import type { Registry } from '../plugin-host.ts';
import type { TenantTx } from '../tenancy.ts';
import { unitMs, type RelativeWait } from './definition.ts';
import type { Raw } from './engine-services.ts';
import { plain } from './run-context.ts';
import { waitDueTask } from './task-payloads.ts';

/** The record a relative wait counts from: a run-context provider's name, and the field of its `times`. */
export function targetOf(wait: RelativeWait): { subject: string; field: string } {
  const [subject, field] = wait.to.split('.') as [string, string];
  return { subject, field };
}

export interface LoadedSubject {
  provider: RunContextProvider;
  /** Plain JSON, as conditions see it; null when the record is gone. */
  record: Record<string, unknown> | null;
}

/** The record through the plugin that provides it; null when no enabled plugin does. */
export async function loadSubject(registry: Registry, db: TenantTx, subject: string, id: string): Promise<LoadedSubject | null> {
  const provider = registry.runContext.get(subject)?.provider;
  return provider ? { provider, record: plain(await provider.load(db, id)) } : null;
}

/**
 * When the wait is due for this record, or null when there is nothing to wait for: the
 * record is gone, no longer live (a cancelled appointment), or has no such time.
 */
export function dueAt(loaded: LoadedSubject | null, wait: RelativeWait): Date | null {
  const record = loaded?.record;
  if (!record || (loaded.provider.live && !loaded.provider.live(record))) return null;
  const value = record[targetOf(wait).field];
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) return null;
  return new Date(at + (wait.direction === 'before' ? -1 : 1) * wait.amount * unitMs[wait.unit]);
}

/**
 * Serialises, per record, whatever reads it to place or move its waits (a wait being
 * placed, the record's move, a due wait deciding): each then sees the others' commits, so
 * no move slips between a read of the record and the write of its wait.
 */
export function lockSubject(db: Raw, tenantId: string, subject: string, id: string) {
  return db.$executeRaw`select pg_advisory_xact_lock(hashtext(${`wait-subject:${tenantId}:${subject}:${id}`}))`;
}

/**
 * The SQL call that queues the wait's due job at `runAt`: one job per wait (its key), so a
 * move replaces the queued job instead of adding one. A job already running is left to
 * finish (graphile-worker un-keys it) and finds the wait moved.
 */
export function queueDue(tenantId: string, waitId: string, runAt: Date, late = false): Prisma.Sql {
  return Prisma.sql`graphile_worker.add_job(${waitDueTask}, ${JSON.stringify({ tenantId, waitId, late })}::json,
    run_at => ${runAt}::timestamptz, job_key => ${`wait_due:${waitId}`}::text, job_key_mode => 'replace')`;
}
