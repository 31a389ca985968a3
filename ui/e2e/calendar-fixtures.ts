// A bookable calendar for the browser tests, written straight to the database so a test about
// the booking page or a screen does not depend on the settings screens: a New York calendar
// open every day 09:00–17:00 with one 30-minute type.
import type { Soshogle } from '@soshogle/core';

export interface SeededCalendar {
  calendarId: string;
  typeId: string;
  slug: string;
  typeSlug: string;
}

export async function seedCalendar(
  app: Soshogle,
  userId: string,
  options: { name?: string; slug?: string; timeZone?: string; minNoticeMin?: number; questions?: unknown[]; color?: string } = {},
): Promise<SeededCalendar> {
  const slug = options.slug ?? `dr-molar-${Math.random().toString(36).slice(2, 8)}`;
  const calendar = await app.db.calendar.create({
    data: { userId, name: options.name ?? 'Dr. Molar', timeZone: options.timeZone ?? 'America/New_York', publicSlug: slug, color: options.color ?? null, pageIntro: 'Fillings, cleanings and check-ups.' },
  });
  await app.db.availabilityRule.createMany({
    data: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ userId, calendarId: calendar.id, weekday, startMinute: 9 * 60, endMinute: 17 * 60 })),
  });
  const type = await app.db.appointmentType.create({
    data: {
      userId,
      calendarId: calendar.id,
      name: 'First visit',
      slug: 'first-visit',
      description: 'A look at your teeth and a plan.',
      durationMin: 30,
      minNoticeMin: options.minNoticeMin ?? 0,
      maxAdvanceDays: 30,
      questions: (options.questions ?? [{ id: 'reason', label: 'What brings you in?', kind: 'text', required: true }]) as object[],
    },
  });
  return { calendarId: calendar.id, typeId: type.id, slug, typeSlug: type.slug };
}

/** An appointment on a seeded calendar, as the admin API would make it (no buffers). */
export async function seedAppointment(app: Soshogle, userId: string, at: { calendarId: string; typeId?: string; contactId?: string; start: Date; minutes?: number; title?: string; status?: 'SCHEDULED' | 'CONFIRMED' | 'CANCELLED' }) {
  const end = new Date(+at.start + (at.minutes ?? 30) * 60_000);
  return app.db.appointment.create({
    data: {
      userId,
      calendarId: at.calendarId,
      appointmentTypeId: at.typeId ?? null,
      contactId: at.contactId ?? null,
      title: at.title ?? 'First visit',
      startTime: at.start,
      endTime: end,
      blockStart: at.start,
      blockEnd: end,
      timezone: 'America/New_York',
      status: at.status ?? 'SCHEDULED',
    },
  });
}

/** The date `days` after today in `zone`, as YYYY-MM-DD. */
export function dateIn(zone: string, days = 0, from = new Date()): string {
  const local = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(from);
  const [y, m, d] = local.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The instant of a wall clock time in New York, where the tests' calendar is (its offset from Intl, DST or not). */
export function newYork(date: string, hh: number, mm = 0): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  const local = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(new Date(guess));
  const p = Object.fromEntries(local.map((x) => [x.type, Number(x.value)]));
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
  return new Date(guess + (guess - asUtc));
}

/** "Thursday, Dec 10": how the pages name a date (en-US). */
export function longDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'short', day: 'numeric' }).format(new Date(Date.UTC(y, m - 1, d)));
}
