// Opening hours as real instants. Weekly rules and date overrides are wall-clock minutes of a
// local date in the calendar's zone; this file is the only place they become instants, so the
// only place daylight saving time is handled (Luxon's zone rules, design §2.2):
// - Local dates are iterated as calendar dates (day numbers since 1970-01-01, d + 1), never by
//   adding 24 hours, and a minute becomes an instant from its own date's wall clock, never
//   "midnight + N hours".
// - A wall time shown twice (the fall-back hour) opens a window at its earliest instant and closes
//   it at its latest, so the window covers all the real time its wall times are shown: 00:00–01:30
//   on New York's fall-back night closes at the second 01:30. Except when the clock was not inside
//   the window just before that latest instant: 00:00–01:00 closes at the first 01:00 (the second
//   comes right after 01:59), and a Saturday to 24:00 in Havana, where Sunday 00:00–01:00 is shown
//   twice, closes at the first midnight rather than taking Sunday's first hour.
// - A wall time the clock skips (the spring-forward gap) stands for the instant of the jump:
//   02:30–05:00 on a 02:00→03:00 night opens at 03:00, and a window inside the gap is empty.
import { DateTime, IANAZone } from 'luxon';
import { mergeIntervals, type Interval } from './intervals.ts';
import { zoneNamed } from './zones.ts';

/** A zone by IANA name, or the Luxon zone made once for it (slots/zones.ts): the engine passes the object, so Luxon does not parse the name again. */
export type ZoneLike = string | IANAZone;

const ianaZone = (zone: ZoneLike): IANAZone => (typeof zone === 'string' ? (zoneNamed(zone) ?? IANAZone.create(zone)) : zone);

/** Weekly hours: `weekday` 1 = Monday … 7 = Sunday (Luxon's), minutes 0..1440 of the local date (1440 = next midnight). */
export interface WeeklyRule {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

/** Replaces one local date's weekly hours; a row with null minutes closes the date. */
export interface DateOverride {
  date: string;
  startMinute: number | null;
  endMinute: number | null;
}

const minuteMs = 60_000;
const dayMs = 86_400_000;

/** The local date of instant `ms` in `zone`, as a calendar date (a Luxon date at UTC midnight). */
export function localDate(ms: number, zone: ZoneLike): DateTime {
  const local = DateTime.fromMillis(ms, { zone: ianaZone(zone) });
  return DateTime.utc(local.year, local.month, local.day);
}

/**
 * The local date of instant `ms` in `zone` as a day number (days since 1970-01-01): the engine
 * walks a month's dates as numbers (d + 1 is the next date), which makes no garbage, where a Luxon
 * date per day made a good part of a read's.
 */
export function localDay(ms: number, zone: ZoneLike): number {
  return Math.floor((ms + ianaZone(zone).offset(ms) * minuteMs) / dayMs);
}

/** Day number `day` as YYYY-MM-DD. */
export const isoDay = (day: number): string => new Date(day * dayMs).toISOString().slice(0, 10);

/**
 * The instant of wall time `minute` (0..1440; 1440 = the next date's 00:00) on local date `day` (a day number) in
 * `zone`. Of a wall time shown twice, a 'start' is its earliest instant, an 'end' its latest one the
 * window is still open just before (see the top of this file).
 */
export function wallInstant(day: number, minute: number, zoneLike: ZoneLike, edge: 'start' | 'end'): number {
  const zone = ianaZone(zoneLike);
  let inZone = remembered.get(zone.name);
  if (inZone === undefined) remembered.set(zone.name, (inZone = new Map()));
  // A number, not a string, so a lookup makes no garbage: the day, the minute and the edge.
  const key = (day * 1441 + minute) * 2 + (edge === 'end' ? 1 : 0);
  let instant = inZone.get(key);
  if (instant === undefined) {
    if (++rememberedCount > rememberedMax) {
      for (const other of remembered.values()) other.clear();
      rememberedCount = 1;
    }
    instant = findWallInstant(day, minute, zone, edge);
    inZone.set(key, instant);
  }
  return instant;
}

// A pure function of its arguments (zone rules do not change while the process runs), asked for
// the same dates and hours by every read of a booking page: remembered, a month's windows cost
// no Intl offset lookups after the first read. A few numbers per zone, date and hour; all
// forgotten at once past the cap.
const remembered = new Map<string, Map<number, number>>();
const rememberedMax = 100_000;
let rememberedCount = 0;

/** Luxon's weekday (1 = Monday … 7 = Sunday) of day number `day`: 1970-01-01 was a Thursday. */
const weekdayOf = (day: number) => ((((day + 3) % 7) + 7) % 7) + 1;

function findWallInstant(dayNumber: number, minute: number, zone: IANAZone, edge: 'start' | 'end'): number {
  const day = new Date((dayNumber + (minute >= 1440 ? 1 : 0)) * dayMs);
  const wall = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: Math.floor((minute % 1440) / 60), minute: minute % 60 };
  const target = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // Nearly every wall time is shown once: when the offset is the same a day either side (the
  // assumption Luxon's getPossibleOffsets makes too) and at the instant it gives, that instant is
  // the answer for both edges. Three offset lookups instead of the eight or so below, which made
  // the windows most of a month's slots' cost.
  const offset = zone.offset(target - dayMs);
  if (zone.offset(target + dayMs) === offset && zone.offset(target - offset * minuteMs) === offset) return target - offset * minuteMs;
  const at = DateTime.fromObject(wall, { zone });
  // Luxon moves a skipped wall time forward by the gap (02:30 → 03:30); we want the jump itself.
  if (at.day !== wall.day || at.hour !== wall.hour || at.minute !== wall.minute) return jumpOver(zone, target);
  const instants = at.getPossibleOffsets().map((dt) => dt.toMillis());
  if (edge === 'start') return Math.min(...instants);
  const open = instants.filter((t) => wallClockOf(t - 1, zone) < target);
  return open.length > 0 ? Math.max(...open) : Math.min(...instants);
}

/** The wall clock of instant `t` in `zone`, its fields read as UTC (so wall times compare as numbers). */
function wallClockOf(t: number, zone: IANAZone): number {
  const w = DateTime.fromMillis(t, { zone });
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
}

/**
 * The instant the clock jumps over the skipped wall time `wall` (its fields read as UTC).
 * It lies after the wall time read with the new offset and at or before it read with the old one;
 * a binary search on the zone's offset finds it to the millisecond (a gap is at most a day).
 */
function jumpOver(zone: IANAZone, wall: number): number {
  const newOffset = zone.offset(wall + dayMs);
  let before = wall - newOffset * minuteMs;
  let after = wall - zone.offset(wall - dayMs) * minuteMs;
  while (after - before > 1) {
    const mid = Math.floor((before + after) / 2);
    if (zone.offset(mid) === newOffset) after = mid;
    else before = mid;
  }
  return after;
}

/**
 * The windows a calendar is open on local date `day` (a day number), as sorted, disjoint instants: that date's
 * overrides if it has any, else the weekly rules of its weekday. Overlapping or touching rows of
 * one date join (09:00–12:00 + 11:00–14:00 is one window opening at 09:00).
 */
export function windowsOn(day: number, zone: ZoneLike, rules: readonly WeeklyRule[], overrides: readonly DateOverride[]): readonly Interval[] {
  const weekday = weekdayOf(day);
  const rows = overrides.length > 0 ? overrides : rules.filter((r) => r.weekday === weekday);
  const windows: Interval[] = [];
  for (const { startMinute, endMinute } of rows) {
    if (startMinute === null || endMinute === null) continue;
    windows.push({ start: wallInstant(day, startMinute, zone, 'start'), end: wallInstant(day, endMinute, zone, 'end') });
  }
  return mergeIntervals(windows);
}
