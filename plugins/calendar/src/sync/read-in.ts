// Reading a remote calendar in: its changes since the last sync token (or everything in the
// window when there is none, or the provider says the token expired), applied to its busy
// blocks in one transaction with the new token, so a failed read leaves the last good state.
import { defineJob, tenantSql, type JobContext, type TenantContext, type TenantTx } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { calendarConfig, type CalendarConfig } from '../config.ts';
import { withProvider } from '../providers/index.ts';
import { ConnectionBroken, SyncTokenExpired, type ChangePage } from '../providers/types.ts';
import { applyChangePage, clearBusy } from './busy.ts';
import { externalChangesOf, followExternalChange, type ExternalChange } from './external-changes.ts';

type CalendarConnection = Prisma.CalendarConnectionGetPayload<object>;
type ExternalCalendar = Prisma.ExternalCalendarGetPayload<object>;

const dayMs = 86_400_000;
/** How far ahead busy time is read: past any appointment type's booking horizon. */
export const readAheadDays = 400;

async function collect(pages: AsyncIterable<ChangePage>): Promise<ChangePage[]> {
  const all: ChangePage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

export type SyncResult = 'synced' | 'full' | 'skipped';

/** Reads the remote calendar's changes in now. ConnectionBroken ends quietly: the connection is marked and the user told. */
export async function syncExternalCalendar(ctx: TenantContext<CalendarConfig>, cal: ExternalCalendar & { connection: CalendarConnection }): Promise<SyncResult> {
  const { connection } = cal;
  // A sandbox calendar's events arrive through its route, never by a read.
  if (!connection.syncEnabled || connection.status !== 'ACTIVE') return 'skipped';
  const now = Date.now();
  const window = { start: new Date(now - dayMs), end: new Date(now + readAheadDays * dayMs) };
  const ref = { remoteId: cal.remoteId };
  let full = !cal.syncToken;
  let pages: ChangePage[];
  try {
    pages = await withProvider(ctx, connection, async (provider) => {
      try {
        return await collect(provider.changes(ref, cal.syncToken, window));
      } catch (error) {
        if (!(error instanceof SyncTokenExpired)) throw error;
        full = true;
        return collect(provider.changes(ref, null, window));
      }
    });
  } catch (error) {
    if (error instanceof ConnectionBroken) return 'skipped';
    await ctx.db.externalCalendar.update({ where: { id: cal.id }, data: { syncError: (error as Error).message.slice(0, 500) } });
    throw error;
  }
  const t = tenantSql(ctx.tenantId);
  const applied = await ctx.db.$transaction(async (tx) => {
    await tx.$executeRaw(t`select 1 from "ExternalCalendar" where id = ${cal.id} and ${t.owns()} for update`);
    const current = await tx.externalCalendar.findUnique({ where: { id: cal.id } });
    // Another sync applied its read meanwhile: ours may be older, so it is dropped.
    if (!current || current.syncToken !== cal.syncToken) return null;
    if (full) await clearBusy(tx, cal.id);
    for (const page of pages) await applyChangePage(tx, ctx.tenantId, cal, page);
    const at = new Date();
    await tx.externalCalendar.update({
      where: { id: cal.id },
      data: {
        syncToken: pages.at(-1)?.nextToken ?? null,
        lastSyncedAt: at,
        syncError: null,
        ...(full ? { lastFullSyncAt: at, windowStart: window.start, windowEnd: window.end } : {}),
      },
    });
    await tx.calendarConnection.update({ where: { id: connection.id }, data: { lastSyncedAt: at } });
    return externalChangesOf(tx, cal.id, pages);
  });
  if (!applied) return 'skipped';
  await followAll(ctx, cal.id, applied);
  return full ? 'full' : 'synced';
}

/** Our appointments moved or deleted remotely, each in its own transaction. */
async function followAll(ctx: TenantContext, externalCalendarId: string, changes: ExternalChange[]): Promise<void> {
  for (const change of changes) await followExternalChange(ctx, externalCalendarId, change);
}

const payload = z.object({
  externalCalendarId: z.string().min(1),
  /** Set on the polling chain's runs: a run whose generation is no longer the calendar's exits. */
  generation: z.number().int().min(0).optional(),
});

export const syncExternalJob = defineJob({
  name: 'sync_external',
  config: calendarConfig,
  payload,
  maxAttempts: 5,
  async run(ctx, job) {
    if (job.generation !== undefined && !(await continuePolling(ctx, job.externalCalendarId, job.generation))) return;
    const cal = await ctx.db.externalCalendar.findUnique({ where: { id: job.externalCalendarId }, include: { connection: true } });
    if (cal) await syncExternalCalendar(ctx, cal);
  },
});

/**
 * The polling chain: first, in its own transaction, this run claims its generation and
 * queues the next run, so a sync that fails never ends the chain; a stale run (a second
 * chain, an old retry) exits. Push notifications only shorten the wait.
 */
async function continuePolling(ctx: JobContext<CalendarConfig>, externalCalendarId: string, generation: number): Promise<boolean> {
  return ctx.db.$transaction(async (tx) => {
    const cal = await tx.externalCalendar.findUnique({ where: { id: externalCalendarId }, include: { connection: { select: { status: true, syncEnabled: true } } } });
    if (!cal || cal.pollGeneration !== generation) return false;
    if (cal.connection.status === 'BROKEN' || !cal.connection.syncEnabled) return false;
    const nextPollAt = new Date(Date.now() + ctx.config.pollMinutes * 60_000);
    await tx.externalCalendar.update({ where: { id: cal.id }, data: { pollGeneration: generation + 1, nextPollAt } });
    await ctx.jobs.enqueue(tx, 'calendar.sync_external', { externalCalendarId, generation: generation + 1 }, { tenantId: ctx.tenantId, runAt: nextPollAt });
    return true;
  });
}

/** Starts (or restarts, after a reconnect) a calendar's polling chain: older chains go stale. */
export async function startPolling(tx: TenantTx, ctx: TenantContext, externalCalendarId: string): Promise<void> {
  const cal = await tx.externalCalendar.update({ where: { id: externalCalendarId }, data: { pollGeneration: { increment: 1 }, nextPollAt: new Date() } });
  await ctx.jobs.enqueue(tx, 'calendar.sync_external', { externalCalendarId, generation: cal.pollGeneration }, { tenantId: ctx.tenantId });
}
