// The booking page's slot reads, kept in this process: a page is read far more often than its
// calendar changes, and the loader's statement was most of a read's database time. What is
// kept is the engine's input for whole UTC days (load.ts's readStretch), not the slots: those
// depend on the clock, so the engine (well under a millisecond) runs on every read. An entry
// holds under the calendar's slotsVersion, which every transaction that changes what the slots
// are made of bumps as it commits (triggers in prisma/schema/calendar.sql). Each read checks the
// version with one small statement that also finds the page and its type, so a change is seen
// by every process as soon as it commits, and no process needs another's memory.
import { tenantSql, type TenantTx } from '@soshogle/core';
import type { SlotInput } from './engine.ts';
import { loadTypeSlotInput, readStretch, type LoadedSlotInput, type SlotRange } from './load.ts';

/** Entries kept, least recently read dropped first: a month of a busy calendar is a few kilobytes. */
const capacity = 2_000;
const kept = new Map<string, { version: string; input: SlotInput }>();

export interface PageSlotInput extends LoadedSlotInput {
  /** Whether the input came from this process's memory (a version check, no load). */
  kept: boolean;
}

/**
 * The engine's input for the type `typeSlug` an open booking page `slug` offers (public and
 * active) over `range`, the clock read now; null when the page or the type is not there.
 */
export async function pageSlotInput(db: TenantTx, tenantId: string, page: { slug: string; typeSlug: string }, range: SlotRange): Promise<PageSlotInput | null> {
  const t = tenantSql(tenantId);
  const [found] = await db.$queryRaw<{ calendarId: string; typeId: string; version: string }[]>(t`
    select c.id as "calendarId", ty.id as "typeId", c."slotsVersion"::text as version
    from "Calendar" c
    join "AppointmentType" ty on ty."calendarId" = c.id and ${t.owns('ty')}
    where ${t.owns('c')} and c."publicSlug" = ${page.slug} and c."bookingEnabled" and c."archivedAt" is null
      and ty.slug = ${page.typeSlug} and ty."isPublic" and ty.active`);
  if (!found) return null;
  const stretch = readStretch(range);
  const key = `${found.calendarId} ${found.typeId} ${stretch.lower} ${stretch.upper}`;
  const entry = kept.get(key);
  const now = Date.now();
  if (entry?.version === found.version) {
    kept.delete(key);
    kept.set(key, entry);
    return { calendarId: found.calendarId, version: entry.version, kept: true, input: { ...entry.input, from: +range.from, to: +range.to, now, ignoreNotice: false } };
  }
  const loaded = await loadTypeSlotInput(db, tenantId, found.calendarId, found.typeId, range, { now });
  if (!loaded) return null; // deleted between the two statements
  // Under the version read with the data (one statement, one snapshot): never newer than the data.
  kept.delete(key);
  kept.set(key, { version: loaded.version, input: loaded.input });
  if (kept.size > capacity) kept.delete(kept.keys().next().value!);
  return { ...loaded, kept: false };
}
