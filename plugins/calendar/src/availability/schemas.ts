// What the availability API takes and answers: calendars with their weekly hours, date
// overrides, appointment types (with their questions and reminders), and free slots.
import { decimal, isoDate } from '@soshogle/core';
import { CalendarKind } from '@soshogle/db';
import { IANAZone } from 'luxon';
import { z } from 'zod';

// ---- Input ----

export const rowId = z.string().min(1).max(64);
/** An IANA zone Luxon knows (America/New_York); offsets and abbreviations are refused. */
export const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => zone.includes('/') || zone === 'UTC', 'An IANA time zone such as America/New_York')
  .refine((zone) => IANAZone.isValidZone(zone), 'An IANA time zone such as America/New_York');
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => value || null)
    .nullish();
const slug = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Lower-case letters, digits and single dashes, such as "first-visit"');
export const localDay = z.iso.date({ error: 'A date as YYYY-MM-DD' });

const calendarFields = {
  name: z.string().trim().min(1).max(100),
  kind: z.enum(CalendarKind).optional(),
  timeZone,
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'A colour as #rrggbb')
    .nullish(),
  bookingEnabled: z.boolean().optional(),
  pageTitle: optionalText(200),
  pageIntro: optionalText(5000),
  consentText: optionalText(2000),
  /** The ExternalCalendar (of a connection) bookings are written to; null writes nowhere. */
  writeTargetId: rowId.nullish(),
};

export const calendarInput = z.object(calendarFields);
export const calendarPatch = z.object({
  ...calendarFields,
  name: calendarFields.name.optional(),
  timeZone: timeZone.optional(),
  /** A new booking page address (the old link stops working). */
  regenerateSlug: z.boolean().optional(),
  /** Archived calendars take no bookings and leave lists; their appointments stay. */
  archived: z.boolean().optional(),
});

const minuteOfDay = z.number().int().min(0).max(1440);
const window = z
  .object({ startMinute: minuteOfDay.max(1439), endMinute: minuteOfDay.min(1) })
  .refine((w) => w.startMinute < w.endMinute, { message: 'Must end after it starts', path: ['endMinute'] });

/** The whole weekly schedule; several rows of one weekday are split shifts. */
export const hoursInput = z.object({
  hours: z.array(window.safeExtend({ weekday: z.number().int().min(1).max(7).describe('1 = Monday … 7 = Sunday') })).max(100),
});

/** One local date's hours, replacing its weekly hours; no windows = closed that day. */
export const overrideInput = z.object({
  windows: z.array(window).max(20),
  note: optionalText(200),
});

const question = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'Lower-case letters, digits, "_" and "-" (at most 40)'),
  label: z.string().trim().min(1).max(200),
  kind: z.enum(['text', 'textarea', 'select']),
  required: z.boolean().default(false),
  options: z.array(z.string().trim().min(1).max(200)).min(1).max(50).optional(),
});
export const questionsInput = z
  .array(question)
  .max(20)
  .superRefine((questions, ctx) => {
    const seen = new Set<string>();
    questions.forEach((q, i) => {
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: 'Two questions have this id' });
      seen.add(q.id);
      if (q.kind === 'select' && !q.options) ctx.addIssue({ code: 'custom', path: [i, 'options'], message: 'A select question needs options' });
    });
  });

const reminder = z.object({
  /** Minutes before the start: 1440 = a day before. */
  offsetMin: z.number().int().min(5).max(43_200),
  channel: z.enum(['EMAIL', 'SMS', 'WHATSAPP']),
});
export const remindersInput = z
  .array(reminder)
  .max(5)
  .superRefine((reminders, ctx) => {
    const seen = new Set<string>();
    reminders.forEach((r, i) => {
      const key = `${r.channel}:${r.offsetMin}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'offsetMin'], message: 'The same reminder is listed twice' });
      seen.add(key);
    });
  });

export const locationKinds = ['IN_PERSON', 'PHONE', 'VIDEO', 'CUSTOM'] as const;

/** A price as sent: a decimal string (or a JSON number, read as its digits), more than zero. */
const price = z
  .union([z.string().trim().min(1).max(20), z.number()])
  .transform(String)
  .refine((value) => /^\d{1,13}(\.\d{1,4})?$/.test(value) && /[1-9]/.test(value), 'An amount more than zero, such as 40 or 49.90');

const typeFields = {
  name: z.string().trim().min(1).max(100),
  /** Its address on the booking page; default: from the name. */
  slug: slug.optional(),
  description: optionalText(5000),
  durationMin: z.number().int().min(5).max(720),
  /** Minutes between offered starts; null: the duration. */
  slotIntervalMin: z.number().int().min(5).max(720).nullish(),
  bufferBeforeMin: z.number().int().min(0).max(240).optional(),
  bufferAfterMin: z.number().int().min(0).max(240).optional(),
  minNoticeMin: z.number().int().min(0).max(525_600).optional(),
  maxAdvanceDays: z.number().int().min(1).max(730).optional(),
  /** Bookings of this type per local date; null: no limit. */
  dailyLimit: z.number().int().min(1).max(1000).nullish(),
  locationKind: z.enum(locationKinds).optional(),
  location: optionalText(1000),
  questions: questionsInput.optional(),
  reminders: remindersInput.optional(),
  isPublic: z.boolean().optional(),
  active: z.boolean().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  /** Bookings from the public page must be paid (payments plugin); null: free. */
  price: price.nullish(),
  /** ISO 4217; required with a price. */
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'A three-letter ISO 4217 code, e.g. USD').nullish(),
  /** How long a booking waits for its payment before it is cancelled; null: 30 minutes. */
  paymentHoldMinutes: z.number().int().min(5).max(10_080).nullish(),
};
export const typeInput = z.object(typeFields);
export const typePatch = z.object({ ...typeFields, name: typeFields.name.optional(), durationMin: typeFields.durationMin.optional() });

export const slotsQuery = z
  .object({
    typeId: rowId,
    from: z.iso.datetime({ offset: true }).transform((iso) => new Date(iso)),
    to: z.iso.datetime({ offset: true }).transform((iso) => new Date(iso)),
    /** The zone the days and times are shown in; default: the calendar's. */
    tz: timeZone.optional(),
  })
  .refine((q) => q.from < q.to, { message: 'Must be after "from"', path: ['to'] })
  .refine((q) => +q.to - +q.from <= 42 * 86_400_000, { message: 'At most 42 days after "from"', path: ['to'] });

// ---- Answers ----

const hoursRow = z.object({ weekday: z.number().int(), startMinute: z.number().int(), endMinute: z.number().int() });

export const calendarResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(CalendarKind),
    timeZone: z.string(),
    color: z.string().nullable(),
    /** The booking page is /book/<publicSlug>. */
    publicSlug: z.string(),
    bookingEnabled: z.boolean(),
    pageTitle: z.string().nullable(),
    pageIntro: z.string().nullable(),
    consentText: z.string().nullable(),
    writeTargetId: z.string().nullable(),
    archivedAt: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
    /** Weekly hours by weekday then start. */
    hours: z.array(hoursRow.meta({ id: 'CalendarHours', description: 'Weekly opening hours: minutes of the day in the calendar\'s zone' })),
  })
  .meta({ id: 'Calendar', description: 'A calendar (a person or a resource) with its weekly hours' });

export const overrideResponse = z
  .object({
    date: z.string().describe('YYYY-MM-DD, in the calendar\'s zone'),
    /** Empty: closed that day. */
    windows: z.array(z.object({ startMinute: z.number().int(), endMinute: z.number().int() })),
    note: z.string().nullable(),
  })
  .meta({ id: 'AvailabilityOverride', description: "One date's hours, replacing its weekly hours" });

export const typeResponse = z
  .object({
    id: z.string(),
    calendarId: z.string(),
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    durationMin: z.number().int(),
    slotIntervalMin: z.number().int().nullable(),
    bufferBeforeMin: z.number().int(),
    bufferAfterMin: z.number().int(),
    minNoticeMin: z.number().int(),
    maxAdvanceDays: z.number().int(),
    dailyLimit: z.number().int().nullable(),
    locationKind: z.string(),
    location: z.string().nullable(),
    questions: z.array(question.extend({ required: z.boolean() })),
    reminders: z.array(reminder),
    isPublic: z.boolean(),
    active: z.boolean(),
    position: z.number().int(),
    price: decimal.nullable(),
    currency: z.string().nullable(),
    paymentHoldMinutes: z.number().int().nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'AppointmentType', description: 'What can be booked on a calendar: its length, buffers, notice, questions and reminders' });

export const slotResponse = z
  .object({
    start: isoDate,
    end: isoDate,
    /** HH:mm in the zone asked for. */
    time: z.string(),
  })
  .meta({ id: 'Slot', description: 'A free start time' });

export const slotDaysResponse = z
  .object({
    calendarTimeZone: z.string(),
    /** The zone days and times are shown in. */
    timeZone: z.string(),
    days: z.array(z.object({ date: z.string(), slots: z.array(slotResponse) }).meta({ id: 'SlotDay', description: 'The free slots of one local date' })),
  })
  .meta({ id: 'SlotDays', description: 'Free slots grouped by local date' });
