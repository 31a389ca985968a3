// Appointments: the one path that books, moves, cancels and changes the status of an
// appointment, whoever asks (the admin API, the booking page, a workflow, the external
// calendar). Each change locks the row, bumps `version` and, in the same transaction, raises
// its event (reminders and sync follow the events through transactional subscribers) and tells
// the workflow engine the record moved (relative waits follow it).
//
// A time someone else holds fails in the database (exclusion constraint, 23P01) and aborts the
// transaction: callers run the transaction inside `orFreshSlots` (conflict.ts) for the 409.
import { conflict, invalid, keysetOf, notFound, page, tenantSql, type Events, type Keyset, type Page, type TenantTx, type Workflows } from '@soshogle/core';
import type { AppointmentStatus, Prisma } from '@soshogle/db';
import { freeSlots } from '../slots/engine.ts';
import { loadSlotInput } from '../slots/load.ts';
import { localDate } from '../slots/windows.ts';
import { SlotTaken } from './conflict.ts';
import { canMove, isActive } from './transitions.ts';
import type { changedBy } from './triggers.ts';

export type Appointment = Prisma.AppointmentGetPayload<true>;
export type ChangedBy = (typeof changedBy)['options'][number];

/** How an appointment was made. */
export const sources = ['BOOKING_PAGE', 'ADMIN', 'API', 'WORKFLOW', 'EXTERNAL', 'VOICE'] as const;
export type Source = (typeof sources)[number];

/** What the service needs of the caller's context (a route's, a job's, an action's). */
export interface AppointmentContext {
  tenantId: string;
  events: Events;
  workflows: Workflows;
}

const minuteMs = 60_000;

export interface BookInput {
  calendarId: string;
  /** Without a type (an admin's block of time) there is no grid and no buffer: only overlaps are refused. */
  appointmentTypeId?: string | null;
  start: Date;
  /** Default: the type's duration (required without a type). */
  durationMin?: number;
  contactId?: string | null;
  /** Default: the type's name. */
  title?: string | null;
  description?: string | null;
  /** Default: the type's location. */
  location?: string | null;
  /** The booker's IANA zone; default the calendar's. */
  timeZone?: string | null;
  source: Source;
  answers?: Record<string, unknown>;
  consent?: Prisma.InputJsonValue | null;
  /** Idempotency: the same key books once, and answers the appointment it booked. */
  key?: string | null;
  /** Skip the engine (hours, grid, notice, daily limit); overlaps are still refused. */
  outsideHours?: boolean;
  /** Offer times inside the minimum notice (the admin's own bookings). */
  ignoreNotice?: boolean;
  /** Where problems place the fields: `body.` (default) for the API, `props.` for workflow actions. */
  fieldPrefix?: string;
}

async function typeOf(tx: TenantTx, calendarId: string, typeId: string | null | undefined, prefix: string) {
  if (!typeId) return null;
  const type = await tx.appointmentType.findFirst({ where: { id: typeId } });
  if (!type || type.calendarId !== calendarId) throw invalid(`${prefix}appointmentTypeId`, 'No such appointment type on this calendar');
  return type;
}

type TypeRow = NonNullable<Awaited<ReturnType<typeof typeOf>>>;

/**
 * Bookers of the same start on one calendar take turns: the second sees the first's row and
 * answers 409 at once, instead of both inserting and waiting on each other's exclusion check
 * (which ends in a deadlock for all but one when many race). Different starts never wait here;
 * overlapping ones are still refused by the constraint.
 */
async function queueForStart(tx: TenantTx, calendarId: string, start: Date) {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`calendar-start:${calendarId}:${start.getTime()}`}))`;
}

/**
 * Refuses a start the engine does not offer: 409 (SlotTaken) when only bookings or busy time
 * stand in the way, 422 when the type never offers it (outside hours, off the grid, too soon).
 * A daily limit is checked under a lock per calendar and local date, so two bookings racing for
 * the last place of a day cannot both see it free.
 */
async function checkOffered(
  tx: TenantTx,
  tenantId: string,
  calendarId: string,
  type: TypeRow,
  start: Date,
  durationMin: number,
  options: { excludeAppointmentId?: string; ignoreNotice?: boolean; fieldPrefix?: string },
) {
  const input = await loadSlotInput(tx, tenantId, calendarId, type.id, { from: start, to: +start + 1 }, options);
  if (type.dailyLimit !== null) {
    const date = localDate(+start, input.zone).toISODate()!;
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`cal-day:${calendarId}:${date}`}))`;
    // Counted again now that the lock is held: a booking that committed meanwhile shows.
    Object.assign(input, await loadSlotInput(tx, tenantId, calendarId, type.id, { from: start, to: +start + 1 }, options));
  }
  input.type.durationMin = durationMin;
  const offered = (slots: { start: number }[]) => slots.some((s) => s.start === +start);
  if (offered(freeSlots(input))) return;
  if (offered(freeSlots({ ...input, blocked: [], busy: [], dayCounts: new Map() }))) throw new SlotTaken();
  throw invalid(`${options.fieldPrefix ?? 'body.'}start`, 'Not a start time this type offers: outside the hours, off its grid, too soon or too far ahead');
}

function blockOf(start: Date, durationMin: number, type: { bufferBeforeMin: number; bufferAfterMin: number } | null) {
  const end = new Date(+start + durationMin * minuteMs);
  return {
    startTime: start,
    endTime: end,
    blockStart: new Date(+start - (type?.bufferBeforeMin ?? 0) * minuteMs),
    blockEnd: new Date(+end + (type?.bufferAfterMin ?? 0) * minuteMs),
  };
}

function payloadOf(a: Appointment) {
  return {
    appointmentId: a.id,
    contactId: a.contactId,
    calendarId: a.calendarId,
    appointmentTypeId: a.appointmentTypeId,
    startTime: a.startTime.toISOString(),
    source: a.source,
  };
}

/**
 * Books an appointment inside `tx`: the one insert path (admin API, booking page, workflow
 * action, voice agent). Checks the type offers the start (unless `outsideHours`), inserts it
 * with its blocked range, and raises core.appointment_scheduled in the same transaction.
 * With a `key` it books once: a repeat answers the appointment booked the first time.
 */
export async function bookAppointment(tx: TenantTx, ctx: AppointmentContext, input: BookInput): Promise<Appointment> {
  if (input.key) {
    const existing = await tx.appointment.findFirst({ where: { key: input.key } });
    if (existing) return existing;
  }
  const prefix = input.fieldPrefix ?? 'body.';
  const calendar = await tx.calendar.findFirst({ where: { id: input.calendarId } });
  if (!calendar) throw invalid(`${prefix}calendarId`, 'No such calendar');
  const type = await typeOf(tx, calendar.id, input.appointmentTypeId, prefix);
  const durationMin = input.durationMin ?? type?.durationMin;
  if (!durationMin) throw invalid(`${prefix}durationMin`, 'Required without an appointment type');
  await queueForStart(tx, calendar.id, input.start);
  if (type && !input.outsideHours) await checkOffered(tx, ctx.tenantId, calendar.id, type, input.start, durationMin, { ignoreNotice: input.ignoreNotice, fieldPrefix: prefix });

  const appointment = await tx.appointment.create({
    data: {
      userId: ctx.tenantId,
      calendarId: calendar.id,
      appointmentTypeId: type?.id ?? null,
      contactId: input.contactId ?? null,
      title: input.title ?? type?.name ?? 'Appointment',
      description: input.description ?? null,
      location: input.location ?? type?.location ?? null,
      timezone: input.timeZone ?? calendar.timeZone,
      ...blockOf(input.start, durationMin, type),
      source: input.source,
      answers: (input.answers ?? {}) as Prisma.InputJsonValue,
      consent: input.consent ?? undefined,
      key: input.key ?? null,
    },
  });
  await ctx.events.raise(tx, 'core.appointment_scheduled', payloadOf(appointment), { tenantId: ctx.tenantId });
  return appointment;
}

/** Locks the appointment for the rest of the transaction, so concurrent changes queue up; null if it is not the tenant's. */
export async function lockAppointmentOrNull(tx: TenantTx, tenantId: string, id: string): Promise<Appointment | null> {
  const t = tenantSql(tenantId);
  const [row] = await tx.$queryRaw<{ id: string }[]>(t`select id from "Appointment" where id = ${id} and ${t.owns()} for update`);
  return row ? tx.appointment.findUniqueOrThrow({ where: { id } }) : null;
}

/** The same, 404 if it is not the tenant's. */
export async function lockAppointment(tx: TenantTx, tenantId: string, id: string): Promise<Appointment> {
  const appointment = await lockAppointmentOrNull(tx, tenantId, id);
  if (!appointment) throw notFound('Appointment');
  return appointment;
}

/** What a status change may also write in its own update (the booking's payment, payment/). */
export type AlsoWritten = Pick<Prisma.AppointmentUncheckedUpdateInput, 'paymentStatus'>;

export interface RescheduleInput {
  start: Date;
  /** Default: its current length. */
  durationMin?: number;
  by: ChangedBy;
  outsideHours?: boolean;
  ignoreNotice?: boolean;
  fieldPrefix?: string;
}

/** Moves an active appointment; its own time counts as free. Raises calendar.appointment_rescheduled. */
export async function rescheduleAppointment(tx: TenantTx, ctx: AppointmentContext, id: string, input: RescheduleInput): Promise<Appointment> {
  const current = await lockAppointment(tx, ctx.tenantId, id);
  if (!isActive(current.status)) throw refuseStatus(current.status, 'rescheduled');
  const durationMin = input.durationMin ?? Math.round((+current.endTime - +current.startTime) / minuteMs);
  if (+input.start === +current.startTime && durationMin * minuteMs === +current.endTime - +current.startTime) return current;
  const type = current.calendarId && current.appointmentTypeId ? await tx.appointmentType.findFirst({ where: { id: current.appointmentTypeId } }) : null;
  if (current.calendarId) await queueForStart(tx, current.calendarId, input.start);
  if (current.calendarId && type && !input.outsideHours) {
    await checkOffered(tx, ctx.tenantId, current.calendarId, type, input.start, durationMin, { excludeAppointmentId: id, ignoreNotice: input.ignoreNotice, fieldPrefix: input.fieldPrefix });
  }
  // Without its type, the buffers it was booked with stay.
  const buffers = type ?? {
    bufferBeforeMin: (+current.startTime - +current.blockStart) / minuteMs,
    bufferAfterMin: (+current.blockEnd - +current.endTime) / minuteMs,
  };
  const appointment = await tx.appointment.update({
    where: { id },
    data: { ...blockOf(input.start, durationMin, buffers), version: { increment: 1 } },
  });
  await ctx.events.raise(
    tx,
    'calendar.appointment_rescheduled',
    { ...payloadOf(appointment), previousStartTime: current.startTime.toISOString(), changedBy: input.by },
    { tenantId: ctx.tenantId },
  );
  await ctx.workflows.subjectMoved(tx, 'appointment', id, { tenantId: ctx.tenantId });
  return appointment;
}

/** Cancels an active appointment (a cancelled one is answered as it is). Raises calendar.appointment_cancelled. */
export async function cancelAppointment(
  tx: TenantTx,
  ctx: AppointmentContext,
  id: string,
  input: { by: ChangedBy; reason?: string | null; also?: AlsoWritten },
): Promise<Appointment> {
  const current = await lockAppointment(tx, ctx.tenantId, id);
  if (current.status === 'CANCELLED') return current;
  if (!isActive(current.status)) throw refuseStatus(current.status, 'cancelled');
  const appointment = await tx.appointment.update({
    where: { id },
    data: { ...input.also, status: 'CANCELLED', cancelledAt: new Date(), cancelReason: input.reason ?? null, version: { increment: 1 } },
  });
  await ctx.events.raise(
    tx,
    'calendar.appointment_cancelled',
    { ...payloadOf(appointment), cancelledBy: input.by, reason: input.reason ?? null },
    { tenantId: ctx.tenantId },
  );
  await ctx.workflows.subjectMoved(tx, 'appointment', id, { tenantId: ctx.tenantId });
  return appointment;
}

export type SettableStatus = Extract<AppointmentStatus, 'CONFIRMED' | 'COMPLETED' | 'NO_SHOW'>;

/**
 * Confirms, completes or marks a no-show (COMPLETED and NO_SHOW correct each other); the same
 * status again changes nothing. Completed and no-show raise their events.
 */
export async function setAppointmentStatus(tx: TenantTx, ctx: AppointmentContext, id: string, status: SettableStatus, also?: AlsoWritten): Promise<Appointment> {
  const current = await lockAppointment(tx, ctx.tenantId, id);
  if (current.status === status) return current;
  if (!canMove(current.status, status)) throw refuseStatus(current.status, `marked ${status}`);
  const appointment = await tx.appointment.update({ where: { id }, data: { ...also, status, version: { increment: 1 } } });
  if (status !== 'CONFIRMED') {
    const type = status === 'COMPLETED' ? 'calendar.appointment_completed' : 'calendar.appointment_no_show';
    await ctx.events.raise(tx, type, payloadOf(appointment), { tenantId: ctx.tenantId });
  }
  if (isActive(current.status) !== isActive(status)) await ctx.workflows.subjectMoved(tx, 'appointment', id, { tenantId: ctx.tenantId });
  return appointment;
}

export interface AppointmentPatch {
  title?: string;
  description?: string | null;
  location?: string | null;
  contactId?: string | null;
}

/** Changes what an appointment is about, not its time or status (no event: nothing a workflow waits on). */
export async function updateAppointment(tx: TenantTx, ctx: AppointmentContext, id: string, patch: AppointmentPatch): Promise<Appointment> {
  const current = await lockAppointment(tx, ctx.tenantId, id);
  const data: Prisma.AppointmentUncheckedUpdateInput = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) (data as Record<string, unknown>)[key] = value;
  if (!Object.keys(data).length) return current;
  return tx.appointment.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
}

function refuseStatus(status: AppointmentStatus, what: string) {
  return conflict(`A ${status} appointment cannot be ${what}`, 'status');
}

// ---- Reading ----

const withContact = { contact: { select: { id: true, firstName: true, lastName: true, email: true, phone: true } } } as const;

/** The tenant's appointment with its contact, or 404. */
export async function appointmentDetail(db: TenantTx, id: string) {
  const appointment = await db.appointment.findFirst({ where: { id }, include: withContact });
  if (!appointment) throw notFound('Appointment');
  return appointment;
}

export interface AppointmentFilter {
  from: Date;
  to: Date;
  calendarId?: string;
  contactId?: string;
  status?: AppointmentStatus;
  cursor?: Keyset;
  limit: number;
}

/** Appointments overlapping [from, to), by start; pages with the last row's (start, id). */
export async function listAppointments(db: TenantTx, filter: AppointmentFilter): Promise<Page<Awaited<ReturnType<typeof appointmentDetail>>>> {
  const after = filter.cursor?.at ? { OR: [{ startTime: { gt: filter.cursor.at } }, { startTime: filter.cursor.at, id: { gt: filter.cursor.id } }] } : {};
  const rows = await db.appointment.findMany({
    where: {
      startTime: { lt: filter.to },
      endTime: { gt: filter.from },
      ...(filter.calendarId ? { calendarId: filter.calendarId } : {}),
      ...(filter.contactId ? { contactId: filter.contactId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...after,
    },
    include: withContact,
    orderBy: [{ startTime: 'asc' }, { id: 'asc' }],
    take: filter.limit + 1,
  });
  return page(rows, filter.limit, (last) => keysetOf(last.startTime, last.id));
}
