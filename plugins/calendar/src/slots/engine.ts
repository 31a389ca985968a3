// The slot engine: which start times of an appointment type are free on a calendar (design §2).
// Pure (no I/O, no clock: `now` is an input), so the booking page, the API, the admin screen,
// the workflow action and the voice agent all get the same answer from the same input, which
// slots/load.ts reads from the database. Steps, as in the design:
// 1. Bounds: from `now + minimum notice` (or `now` for the admin screen) to the end of the
//    local day `maxAdvanceDays` after today, within [from, to). A slot belongs to the range its
//    start is in.
// 2. Opening windows per local date in the calendar's zone (windows.ts handles DST).
// 3. Windows of consecutive dates that touch (22:00–24:00 then 00:00–02:00) form one stretch a
//    slot may run through.
// 4. Candidates on a grid of `slotIntervalMin ?? durationMin` real minutes anchored at each
//    window's start (09:15 opens → 09:15, 09:45 …); the slot itself must fit in its stretch,
//    its buffers may reach outside hours. Anchoring at the date's own window (not at the start
//    of a stretch) keeps a date's slots the same whatever range is asked for.
// 5. Drop candidates whose range widened by the type's buffers overlaps an appointment's
//    blocked range (already widened by its own buffers: buffers stack) or external busy time.
// 6. Drop candidates of local dates whose bookings reached the daily limit.
import { mergeIntervals, overlapScanner, type Interval } from './intervals.ts';
import { isoDay, localDay, wallInstant, windowsOn, type DateOverride } from './windows.ts';
import { zoneNamed } from './zones.ts';

export interface SlotInput {
  zone: string;                                  // the calendar's IANA zone
  type: { id: string; durationMin: number; slotIntervalMin: number | null; bufferBeforeMin: number; bufferAfterMin: number;
          minNoticeMin: number; maxAdvanceDays: number; dailyLimit: number | null };
  rules: { weekday: number; startMinute: number; endMinute: number }[];
  overrides: { date: string /* YYYY-MM-DD */; startMinute: number | null; endMinute: number | null }[];
  blocked: { start: number; end: number }[];     // ms: appointments' [blockStart, blockEnd), minus the one being rescheduled
  busy: { start: number; end: number }[];        // ms: external busy blocks (all-day expanded)
  dayCounts: Map<string, number>;                // local date -> active bookings of this type (daily limit)
  from: number; to: number; now: number;         // ms
  ignoreNotice?: boolean;                        // admin screen
}

const minuteMs = 60_000;

/** The free slots `[start, end)` of `input.type`, sorted by start, in epoch ms. Throws RangeError on an unknown zone or a non-positive duration/interval. */
export function freeSlots(input: SlotInput): { start: number; end: number }[] {
  const { type } = input;
  const zone = zoneNamed(input.zone);
  if (!zone) throw new RangeError(`Unknown time zone "${input.zone}".`);
  const duration = type.durationMin * minuteMs;
  const step = (type.slotIntervalMin ?? type.durationMin) * minuteMs;
  if (!(duration > 0 && step > 0)) throw new RangeError('The duration and the slot interval must be positive.');

  // 1. Bounds.
  const lower = Math.max(input.from, input.now + (input.ignoreNotice ? 0 : type.minNoticeMin * minuteMs));
  const lastDay = localDay(input.now, zone) + type.maxAdvanceDays;
  const upper = Math.min(input.to, wallInstant(lastDay + 1, 0, zone, 'start'));
  if (lower >= upper) return [];

  // 2. Windows per local date, from the date before `lower` (cheap insurance: a date's windows end
  // by the next date's first instant) to the date after `upper` (it only tells how far a late
  // slot may run).
  const overridesByDate = new Map<string, DateOverride[]>();
  for (const o of input.overrides) overridesByDate.set(o.date, [...(overridesByDate.get(o.date) ?? []), o]);
  // Dates as day numbers (windows.ts): d + 1 is the next date.
  const firstDay = localDay(lower, zone) - 1;
  const endDay = localDay(upper, zone) + 1;
  const windows: Interval[] = [];
  const dayStarts: { date: string; start: number }[] = [];
  for (let day = firstDay; day <= endDay; day++) {
    const iso = isoDay(day);
    windows.push(...windowsOn(day, zone, input.rules, overridesByDate.get(iso) ?? []));
    if (type.dailyLimit !== null) dayStarts.push({ date: iso, start: wallInstant(day, 0, zone, 'start') });
  }
  windows.sort((a, b) => a.start - b.start);

  // 3. Stretches of touching windows.
  const stretches = mergeIntervals(windows);

  // 4. Candidates, in a typed array sized for the most a window can hold: a month is a few
  // thousand, and a plain array of them (grown, then sorted with a comparator) was most of a
  // read's garbage, which the tail's GC pauses are made of.
  let most = 0;
  for (const window of windows) most += Math.ceil((window.end - window.start) / step);
  const candidates = new Float64Array(most);
  let count = 0;
  let stretch = 0;
  for (const window of windows) {
    while (stretches[stretch]!.end < window.end) stretch++;
    const stretchEnd = stretches[stretch]!.end;
    let s = window.start + Math.max(0, Math.ceil((lower - window.start) / step)) * step;
    for (; s < window.end && s < upper && s + duration <= stretchEnd; s += step) candidates[count++] = s;
  }
  // Windows are sorted and disjoint, so this only guards the scanner's order (numeric, in place).
  const starts = candidates.subarray(0, count).sort();

  // 5. Appointments and busy time, 6. the daily limit.
  const before = type.bufferBeforeMin * minuteMs;
  const after = type.bufferAfterMin * minuteMs;
  const taken = overlapScanner(mergeIntervals(input.busy.length === 0 ? input.blocked : [...input.blocked, ...input.busy]));
  const slots: { start: number; end: number }[] = [];
  let day = 0;
  let previous = Number.NaN;
  // Indexed, not for-of: reading a Float64Array through its iterator boxes every number.
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    if (s === previous) continue;
    previous = s;
    if (taken(s - before, s + duration + after)) continue;
    if (type.dailyLimit !== null) {
      while (day + 1 < dayStarts.length && dayStarts[day + 1]!.start <= s) day++;
      if ((input.dayCounts.get(dayStarts[day]!.date) ?? 0) >= type.dailyLimit) continue;
    }
    slots.push({ start: s, end: s + duration });
  }
  return slots;
}
