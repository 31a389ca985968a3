// Calendars, their weekly hours and date overrides, and appointment types: the settings the
// slot engine reads. Routes and tests write through here.
import { randomBytes } from 'node:crypto';
import { conflict, invalid, notFound, type TenantTx } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import type { z } from 'zod';
import { questionsInput, remindersInput, type calendarInput, type calendarPatch, type hoursInput, type overrideInput, type typeInput, type typePatch } from './schemas.ts';

export type Calendar = Prisma.CalendarGetPayload<true>;
type TypeRow = Prisma.AppointmentTypeGetPayload<true>;
/** A type with its questions and reminders read (the JSON columns, checked). */
export type AppointmentType = Omit<TypeRow, 'questions' | 'reminders'> & { questions: Question[]; reminders: Reminder[] };
export type Question = z.output<typeof questionsInput>[number];
export type Reminder = z.output<typeof remindersInput>[number];

/** Reads the JSON columns; rows written around the API that do not parse read as none. */
export function typed(row: TypeRow): AppointmentType {
  const questions = questionsInput.safeParse(row.questions);
  const reminders = remindersInput.safeParse(row.reminders);
  return { ...row, questions: questions.success ? questions.data : [], reminders: reminders.success ? reminders.data : [] };
}

const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** `First visit!` → `first-visit`; never empty. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'calendar';
}

/** The booking page's address: it names no tenant, and 6 random base32 characters keep it unguessable enough and unique. */
export function publicSlugFor(name: string): string {
  const suffix = [...randomBytes(6)].map((byte) => base32[byte % 32]).join('');
  return `${slugify(name)}-${suffix}`;
}

export type CalendarWithHours = Calendar & { hours: { weekday: number; startMinute: number; endMinute: number }[] };

/** The tenant's calendar with its weekly hours, or 404. */
export async function calendarDetail(db: TenantTx, id: string): Promise<CalendarWithHours> {
  const calendar = await db.calendar.findFirst({ where: { id } });
  if (!calendar) throw notFound('Calendar');
  const hours = await db.availabilityRule.findMany({
    where: { calendarId: id },
    orderBy: [{ weekday: 'asc' }, { startMinute: 'asc' }],
    select: { weekday: true, startMinute: true, endMinute: true },
  });
  return { ...calendar, hours };
}

/** The tenant's calendars, oldest first, with their hours; archived ones only when asked. */
export async function listCalendars(db: TenantTx, archived: boolean): Promise<CalendarWithHours[]> {
  const calendars = await db.calendar.findMany({ where: archived ? {} : { archivedAt: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  const rules = await db.availabilityRule.findMany({
    where: { calendarId: { in: calendars.map((c) => c.id) } },
    orderBy: [{ weekday: 'asc' }, { startMinute: 'asc' }],
  });
  return calendars.map((c) => ({
    ...c,
    hours: rules.filter((r) => r.calendarId === c.id).map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute })),
  }));
}

/** The write target must be one of the tenant's external calendars (a plain id: no foreign key checks it). */
async function checkWriteTarget(db: TenantTx, id: string | null | undefined): Promise<void> {
  if (!id) return;
  if (!(await db.externalCalendar.findFirst({ where: { id }, select: { id: true } }))) throw invalid('body.writeTargetId', 'No such external calendar');
}

export async function createCalendar(tx: TenantTx, tenantId: string, input: z.output<typeof calendarInput>): Promise<Calendar> {
  await checkWriteTarget(tx, input.writeTargetId);
  return tx.calendar.create({
    data: {
      userId: tenantId,
      name: input.name,
      kind: input.kind,
      timeZone: input.timeZone,
      color: input.color ?? null,
      publicSlug: publicSlugFor(input.name),
      bookingEnabled: input.bookingEnabled,
      pageTitle: input.pageTitle ?? null,
      pageIntro: input.pageIntro ?? null,
      consentText: input.consentText ?? null,
      writeTargetId: input.writeTargetId ?? null,
    },
  });
}

export async function updateCalendar(tx: TenantTx, id: string, patch: z.output<typeof calendarPatch>): Promise<Calendar> {
  const current = await tx.calendar.findFirst({ where: { id } });
  if (!current) throw notFound('Calendar');
  await checkWriteTarget(tx, patch.writeTargetId);
  const { regenerateSlug, archived, ...fields } = patch;
  const data: Prisma.CalendarUpdateInput = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) (data as Record<string, unknown>)[key] = value;
  if (regenerateSlug) data.publicSlug = publicSlugFor(patch.name ?? current.name);
  if (archived !== undefined) data.archivedAt = archived ? (current.archivedAt ?? new Date()) : null;
  return tx.calendar.update({ where: { id }, data });
}

/** Deletes a calendar that never had appointments; one with appointments is archived instead (409). */
export async function deleteCalendar(tx: TenantTx, id: string): Promise<void> {
  if (!(await tx.calendar.findFirst({ where: { id }, select: { id: true } }))) throw notFound('Calendar');
  // Locks out a booking committing between the check and the delete (its foreign key would wait on this row).
  await tx.calendar.update({ where: { id }, data: { updatedAt: new Date() }, select: { id: true } });
  if (await tx.appointment.findFirst({ where: { calendarId: id }, select: { id: true } })) {
    throw conflict('This calendar has appointments: archive it instead', 'archived');
  }
  await tx.calendar.delete({ where: { id }, select: { id: true } });
}

/** Replaces the weekly hours. */
export async function setHours(tx: TenantTx, tenantId: string, calendarId: string, input: z.output<typeof hoursInput>): Promise<void> {
  if (!(await tx.calendar.findFirst({ where: { id: calendarId }, select: { id: true } }))) throw notFound('Calendar');
  await tx.availabilityRule.deleteMany({ where: { calendarId } });
  if (input.hours.length) await tx.availabilityRule.createMany({ data: input.hours.map((h) => ({ ...h, userId: tenantId, calendarId })) });
}

export interface DateHours {
  date: string;
  windows: { startMinute: number; endMinute: number }[];
  note: string | null;
}

/** The overrides of local dates in [from, to], by date. */
export async function listOverrides(db: TenantTx, calendarId: string, from: string, to: string): Promise<DateHours[]> {
  if (!(await db.calendar.findFirst({ where: { id: calendarId }, select: { id: true } }))) throw notFound('Calendar');
  const rows = await db.availabilityOverride.findMany({
    where: { calendarId, date: { gte: new Date(from), lte: new Date(to) } },
    orderBy: [{ date: 'asc' }, { startMinute: 'asc' }],
  });
  const days: DateHours[] = [];
  for (const row of rows) {
    const date = row.date.toISOString().slice(0, 10);
    let day = days.at(-1);
    if (day?.date !== date) days.push((day = { date, windows: [], note: row.note }));
    if (row.startMinute !== null && row.endMinute !== null) day.windows.push({ startMinute: row.startMinute, endMinute: row.endMinute });
    day.note ??= row.note;
  }
  return days;
}

/** Sets one date's hours (no windows: closed), replacing what that date had. */
export async function setOverride(tx: TenantTx, tenantId: string, calendarId: string, date: string, input: z.output<typeof overrideInput>): Promise<DateHours> {
  await clearOverride(tx, calendarId, date);
  const day = new Date(date);
  const note = input.note ?? null;
  const rows = input.windows.length ? input.windows.map((w) => ({ ...w, note })) : [{ startMinute: null, endMinute: null, note }];
  await tx.availabilityOverride.createMany({ data: rows.map((r) => ({ ...r, userId: tenantId, calendarId, date: day })) });
  return { date, windows: [...input.windows].sort((a, b) => a.startMinute - b.startMinute), note };
}

/** The date follows the weekly hours again. */
export async function clearOverride(tx: TenantTx, calendarId: string, date: string): Promise<void> {
  if (!(await tx.calendar.findFirst({ where: { id: calendarId }, select: { id: true } }))) throw notFound('Calendar');
  await tx.availabilityOverride.deleteMany({ where: { calendarId, date: new Date(date) } });
}

// ---- Appointment types ----

/** The types of a calendar, in their order. */
export async function listTypes(db: TenantTx, calendarId: string): Promise<AppointmentType[]> {
  if (!(await db.calendar.findFirst({ where: { id: calendarId }, select: { id: true } }))) throw notFound('Calendar');
  return (await db.appointmentType.findMany({ where: { calendarId }, orderBy: [{ position: 'asc' }, { createdAt: 'asc' }] })).map(typed);
}

export async function typeDetail(db: TenantTx, id: string): Promise<AppointmentType> {
  const type = await db.appointmentType.findFirst({ where: { id } });
  if (!type) throw notFound('Appointment type');
  return typed(type);
}

/** A slug free on the calendar: the name's, then `-2`, `-3` … */
async function freeSlug(tx: TenantTx, calendarId: string, name: string): Promise<string> {
  const wanted = slugify(name);
  const taken = new Set(
    (await tx.appointmentType.findMany({ where: { calendarId, slug: { startsWith: wanted } }, select: { slug: true } })).map((t) => t.slug),
  );
  let slug = wanted;
  for (let n = 2; taken.has(slug); n++) slug = `${wanted}-${n}`;
  return slug;
}

async function checkSlug(tx: TenantTx, calendarId: string, slug: string, except?: string): Promise<void> {
  const other = await tx.appointmentType.findFirst({ where: { calendarId, slug, ...(except ? { id: { not: except } } : {}) }, select: { id: true } });
  if (other) throw conflict('Another type of this calendar has this slug', 'slug');
}

/**
 * A price needs its currency (payments checks the amount against the currency's minor unit
 * at booking), and a new price needs the payments plugin, which asks for it.
 */
function checkPrice(type: { price?: unknown; currency?: string | null }, newPrice: boolean, takesPayments: boolean): void {
  if (type.price === null || type.price === undefined) return;
  if (newPrice && !takesPayments) throw invalid('body.price', 'Turn on the payments plugin to charge for appointments');
  if (!type.currency) throw invalid('body.currency', 'Give the currency of the price');
}

export async function createType(tx: TenantTx, tenantId: string, calendarId: string, input: z.output<typeof typeInput>, takesPayments: boolean): Promise<AppointmentType> {
  if (!(await tx.calendar.findFirst({ where: { id: calendarId }, select: { id: true } }))) throw notFound('Calendar');
  checkPrice(input, true, takesPayments);
  if (input.slug) await checkSlug(tx, calendarId, input.slug);
  const { slug, ...fields } = input;
  const created = await tx.appointmentType.create({
    data: {
      ...fields,
      userId: tenantId,
      calendarId,
      slug: slug ?? (await freeSlug(tx, calendarId, input.name)),
      description: fields.description ?? null,
      location: fields.location ?? null,
      slotIntervalMin: fields.slotIntervalMin ?? null,
      dailyLimit: fields.dailyLimit ?? null,
      price: fields.price ?? null,
      currency: fields.price ? (fields.currency ?? null) : null,
      paymentHoldMinutes: fields.paymentHoldMinutes ?? null,
    },
  });
  return typed(created);
}

export async function updateType(tx: TenantTx, id: string, patch: z.output<typeof typePatch>, takesPayments: boolean): Promise<AppointmentType> {
  const current = await typeDetail(tx, id);
  if (patch.slug && patch.slug !== current.slug) await checkSlug(tx, current.calendarId, patch.slug, id);
  checkPrice({ price: patch.price === undefined ? current.price : patch.price, currency: patch.currency === undefined ? current.currency : patch.currency }, patch.price !== undefined, takesPayments);
  const data: Prisma.AppointmentTypeUpdateInput = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) (data as Record<string, unknown>)[key] = value;
  return typed(await tx.appointmentType.update({ where: { id }, data }));
}

/** Deletes a type; its appointments keep their (now dangling) type id and their times. */
export async function deleteType(tx: TenantTx, id: string): Promise<void> {
  await typeDetail(tx, id);
  await tx.appointmentType.delete({ where: { id }, select: { id: true } });
}
