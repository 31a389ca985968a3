// Quiet hours: no message reaches a contact between, say, 21:00 and 08:00 of the
// contact's own clock. A send in those hours is deferred to their end, never dropped.

/** Minutes after midnight of "HH:MM". */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || !zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock minutes after midnight at `at` in `zone`. */
function localMinutes(at: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const value = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return value('hour') * 60 + value('minute');
}

/**
 * When a message may be sent: `now`, or the end of the quiet hours `start`-`end` (which
 * may span midnight) in `zone`.
 */
export function sendableAt(now: Date, zone: string, start: string, end: string): Date {
  const [from, to, local] = [minutesOf(start), minutesOf(end), localMinutes(now, zone)];
  if (from === to) return now;
  const quiet = from < to ? local >= from && local < to : local >= from || local < to;
  if (!quiet) return now;
  const wait = (to - local + 24 * 60) % (24 * 60);
  const at = new Date(now.getTime() + wait * 60_000);
  at.setUTCSeconds(0, 0);
  // The wait is in wall-clock minutes; on a night the clocks change, elapsed time differs
  // by the shift. Correct by how far the zone's clock at `at` is from the end.
  const drift = ((localMinutes(at, zone) - to + 36 * 60) % (24 * 60)) - 12 * 60;
  return drift ? new Date(at.getTime() - drift * 60_000) : at;
}
