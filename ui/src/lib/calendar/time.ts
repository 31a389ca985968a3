// Dates and wall clocks in a chosen IANA zone, for the calendar screens and the booking page.
// Built on Intl (every browser has the zone database) rather than a date library, so the UI
// adds no dependency; instants are epoch milliseconds or ISO strings, days are YYYY-MM-DD.

export interface WallTime {
  date: string; // YYYY-MM-DD
  minute: number; // minutes since local midnight
  weekday: number; // 1 = Monday … 7 = Sunday
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** The browser's own zone. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether the browser knows `zone`. */
export function isZone(zone: string): boolean {
  try {
    partsFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zones a picker offers: the browser's list where it has one, with the given ones first. */
export function zoneChoices(...first: (string | null | undefined)[]): string[] {
  const all = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return [...new Set([...first.filter((z): z is string => !!z), ...all])];
}

function fields(instant: number, zone: string) {
  const p: Record<string, string> = {};
  for (const { type, value } of partsFormatter(zone).formatToParts(new Date(instant))) p[type] = value;
  return { y: +p.year!, mo: +p.month!, d: +p.day!, h: +p.hour!, mi: +p.minute!, s: +p.second! };
}

/** The wall clock of an instant in `zone`. */
export function wall(instant: number | string, zone: string): WallTime {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant;
  const f = fields(ms, zone);
  const date = `${f.y}-${pad(f.mo)}-${pad(f.d)}`;
  return { date, minute: f.h * 60 + f.mi, weekday: weekdayOf(date) };
}

/** The instant of a local date and minute of the day in `zone` (a gap in a DST change moves forward). */
export function instantOf(date: string, minute: number, zone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, 0, minute);
  // The zone's offset at the guess, then at the corrected guess (right across a change).
  let guess = asUtc - offset(asUtc, zone);
  guess = asUtc - offset(guess, zone);
  return guess;
}

function offset(instant: number, zone: string): number {
  const f = fields(instant, zone);
  return Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s) - Math.floor(instant / 1000) * 1000;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD plus `days` (calendar arithmetic, no zone). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/** The Monday of the week `date` is in. */
export function startOfWeek(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

export function startOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The first day of the month after `date`'s. */
export function nextMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

export function previousMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 10);
}

/** Today's date in `zone`. */
export function today(zone: string): string {
  return wall(Date.now(), zone).date;
}

/** "09:30" for 570. */
export function hhmm(minute: number): string {
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

/** 570 for "09:30" (and 1440 for "24:00"); NaN when it is not a time. */
export function minuteOf(text: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return Number.NaN;
  const v = +m[1]! * 60 + +m[2]!;
  return v >= 0 && v <= 1440 && +m[2]! < 60 ? v : Number.NaN;
}

/** A date for people: "Tue, Dec 8" (with the year when asked). */
export function dayLabel(date: string, options: { year?: boolean; weekday?: 'short' | 'long' } = {}): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', weekday: options.weekday ?? 'short', month: 'short', day: 'numeric', year: options.year ? 'numeric' : undefined }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** "December 2026". */
export function monthLabel(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** The time of an instant in `zone`, as the viewer's locale writes it ("9:30 AM"). */
export function timeLabel(instant: number | string, zone: string): string {
  return plain(new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(new Date(instant)));
}

/** "Tue, Dec 8, 2026, 9:30 AM" in `zone`. */
export function dateTimeLabel(instant: number | string, zone: string): string {
  return plain(new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' }).format(new Date(instant)));
}

/** Newer ICU writes "9:30\u202fAM"; plain spaces read (and search) the same everywhere. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

/** An hour of the day as the viewer's locale writes it ("7 AM", "07"), for the time grid's side. */
export function hourLabel(hour: number): string {
  return plain(new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', hour: 'numeric' }).format(Date.UTC(2000, 0, 1, hour)));
}

/** "GMT+9" style name of `zone` at an instant, for labels next to times. */
export function zoneShortName(zone: string, instant = Date.now()): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }).formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/** A duration for people: "30 min", "1 h 30 min", "2 days". */
export function durationLabel(minutes: number): string {
  if (minutes % 1440 === 0 && minutes >= 1440) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
}
