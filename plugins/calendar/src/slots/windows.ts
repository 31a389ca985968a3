// Opening hours as real instants. Weekly rules and date overrides are wall-clock minutes of a
// local date in the calendar's zone; this file is the only place they become instants, so the
// only place daylight saving time is handled (Luxon's zone rules, design §2.2):
// - Local dates are iterated as calendar dates (Luxon dates in UTC, plus({days: 1})), never by
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
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';
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

/** The calendar date `days` after `date` (a date at UTC midnight, as localDate gives): UTC has no DST, so it is exact, and much cheaper than Luxon's plus(). */
export function addDays(date: DateTime, days: number): DateTime {
  return DateTime.fromMillis(date.toMillis() + days * dayMs, { zone: FixedOffsetZone.utcInstance });
}

/**
 * The instant of wall time `minute` (0..1440; 1440 = the next date's 00:00) on local `date` in
 * `zone`. Of a wall time shown twice, a 'start' is its earliest instant, an 'end' its latest one the
 * window is still open just before (see the top of this file).
 */
export function wallInstant(date: DateTime, minute: number, zoneLike: ZoneLike, edge: 'start' | 'end'): number {
  const zone = ianaZone(zoneLike);
  const key = `${zone.name} ${date.year}-${date.month}-${date.day} ${minute} ${edge}`;
  let instant = remembered.get(key);
  if (instant === undefined) {
    if (remembered.size >= rememberedMax) remembered.clear();
    instant = findWallInstant(date, minute, zone, edge);
    remembered.set(key, instant);
  }
  return instant;
}

// A pure function of its arguments (zone rules do not change while the process runs), asked for
// the same dates and hours by every read of a booking page: remembered, a month's windows cost
// no Intl offset lookups after the first read. A few numbers per zone, date and hour; all
// forgotten at once past the cap.
const remembered = new Map<string, number>();
const rememberedMax = 100_000;

function findWallInstant(date: DateTime, minute: number, zone: IANAZone, edge: 'start' | 'end'): number {
  const day = minute >= 1440 ? date.plus({ days: 1 }) : date;
  const wall = { year: day.year, month: day.month, day: day.day, hour: Math.floor((minute % 1440) / 60), minute: minute % 60 };
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
 * The windows a calendar is open on local `date`, as sorted, disjoint instants: that date's
 * overrides if it has any, else the weekly rules of its weekday. Overlapping or touching rows of
 * one date join (09:00–12:00 + 11:00–14:00 is one window opening at 09:00).
 */
export function windowsOn(date: DateTime, zone: ZoneLike, rules: readonly WeeklyRule[], overrides: readonly DateOverride[]): Interval[] {
  const rows = overrides.length > 0 ? overrides : rules.filter((r) => r.weekday === date.weekday);
  const windows: Interval[] = [];
  for (const { startMinute, endMinute } of rows) {
    if (startMinute === null || endMinute === null) continue;
    windows.push({ start: wallInstant(date, startMinute, zone, 'start'), end: wallInstant(date, endMinute, zone, 'end') });
  }
  return mergeIntervals(windows);
}
