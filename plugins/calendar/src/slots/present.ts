// The engine's slots as a booker reads them: grouped by the booker's local date (a calendar's
// Monday morning in New York is a Tuesday night in Kiritimati), each as ISO instants plus a
// wall-clock label in the booker's zone. Pure; the route validates the zone (`tz`, IANA) first.
import { DateTime } from 'luxon';
import type { Interval } from './intervals.ts';
import { zoneNamed } from './zones.ts';

export interface SlotDay {
  date: string; // YYYY-MM-DD in the booker's zone
  slots: { start: string; end: string; time: string }[]; // ISO instants (UTC), `time` HH:mm in the booker's zone
}

/** `slots` (sorted by start) grouped by their start's local date in `zone`. */
export function slotsByDay(slots: readonly Interval[], zone: string): SlotDay[] {
  const days: SlotDay[] = [];
  for (const { start, end } of slots) {
    const [date, time] = wallLabel(start, zone);
    let day = days.at(-1);
    if (day?.date !== date) days.push((day = { date, slots: [] }));
    day.slots.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString(), time });
  }
  return days;
}

// Every read of a page labels the same starts again, and each label is an Intl offset lookup:
// remembered per zone and instant (a pure function of both), all forgotten at once past the cap.
const labels = new Map<string, readonly [date: string, time: string]>();
const labelsMax = 100_000;

function wallLabel(start: number, zoneName: string): readonly [string, string] {
  const key = `${zoneName} ${start}`;
  let label = labels.get(key);
  if (label === undefined) {
    const local = DateTime.fromMillis(start, { zone: zoneNamed(zoneName) ?? zoneName });
    label = [local.toISODate()!, local.toFormat('HH:mm')];
    if (labels.size >= labelsMax) labels.clear();
    labels.set(key, label);
  }
  return label;
}
