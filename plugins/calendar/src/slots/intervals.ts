// Half-open time intervals [start, end) in epoch milliseconds: the slot engine's one shape for
// opening hours, appointments' blocked ranges, external busy time and slots. Pure, no I/O.
// Half-open so that back-to-back ranges (10:00–10:30, 10:30–11:00) touch without overlapping,
// the same rule as the database's exclusion constraint (tsrange '[)').

export interface Interval {
  start: number;
  end: number;
}

/**
 * The sorted, disjoint cover of `list`; touching intervals join ([a, b) + [b, c) = [a, c)), empty ones are dropped.
 * A list that is already such a cover (the loader's taken time, most dates' windows) comes back as it is, not copied.
 */
export function mergeIntervals(list: readonly Interval[]): readonly Interval[] {
  if (isMerged(list)) return list;
  const sorted = list.filter((i) => i.start < i.end).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const { start, end } of sorted) {
    const last = merged.at(-1);
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return merged;
}

function isMerged(list: readonly Interval[]): boolean {
  for (let i = 0; i < list.length; i++) {
    if (!(list[i]!.start < list[i]!.end) || (i > 0 && !(list[i - 1]!.end < list[i]!.start))) return false;
  }
  return true;
}

/**
 * Whether [start, end) overlaps anything in `merged` (sorted and disjoint, from mergeIntervals).
 * Queries must come with non-decreasing `start`: one forward pointer serves them all, so checking
 * n candidates against m intervals costs O(n + m), not O(n × m).
 */
export function overlapScanner(merged: readonly Interval[]): (start: number, end: number) => boolean {
  let i = 0;
  return (start, end) => {
    // Intervals ending at or before `start` cannot overlap this query nor any later one.
    while (i < merged.length && merged[i]!.end <= start) i++;
    const next = merged[i];
    return next !== undefined && next.start < end;
  };
}
