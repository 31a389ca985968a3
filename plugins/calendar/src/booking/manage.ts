// The booker's manage link: see the booking, move it to another free time, or cancel it. The
// token in the URL names the appointment, signed (links.ts); the changes go through the
// appointments service like any other (events, reminders, sync). The link keeps working after
// a reschedule (to move it again) and a cancel (to see it cancelled).
import { conflict, defineRoute, notFound, type AnyRoute, type Secrets, type TenantTx } from '@soshogle/core';
import { bookingTransaction, orFreshSlots } from '../appointments/conflict.ts';
import { cancelAppointment, rescheduleAppointment, type Appointment } from '../appointments/service.ts';
import { isActive } from '../appointments/transitions.ts';
import { calendarConfig } from '../config.ts';
import { linkedSource, readManageToken } from './links.ts';
import { limitReads } from './limits.ts';
import { bookingTenant } from './page.ts';
import { cancelBody, managedBooking, rescheduleBody, tokenParams } from './schemas.ts';

/** The link's booking, after the per-address limit (a signature is 256 bits, but guessing still costs). */
async function bookingOf(ctx: Parameters<typeof limitReads>[0] & { db: TenantTx; http: { ip: string }; secrets: Secrets }, token: string): Promise<Appointment> {
  await limitReads(ctx, ctx.http.ip);
  const read = readManageToken(ctx.secrets, token);
  if (!read) throw notFound('Booking');
  const where = 'appointmentId' in read ? { id: read.appointmentId, source: linkedSource } : { manageTokenHash: read.hash };
  const appointment = await ctx.db.appointment.findFirst({ where });
  if (!appointment) throw notFound('Booking');
  return appointment;
}

/** The booking as the manage page shows it; changes are open while it is active and has not started. */
async function shown(db: TenantTx, appointment: Appointment) {
  const type = appointment.appointmentTypeId ? await db.appointmentType.findFirst({ where: { id: appointment.appointmentTypeId } }) : null;
  const calendar = appointment.calendarId ? await db.calendar.findFirst({ where: { id: appointment.calendarId } }) : null;
  const open = isActive(appointment.status) && +appointment.startTime > Date.now();
  return {
    appointmentId: appointment.id,
    status: appointment.status,
    start: appointment.startTime,
    end: appointment.endTime,
    timeZone: calendar?.timeZone ?? appointment.timezone,
    typeName: type?.name ?? appointment.title,
    typeSlug: type?.slug ?? null,
    calendarName: calendar?.name ?? '',
    pageSlug: calendar?.publicSlug ?? '',
    location: appointment.location,
    canReschedule: open && Boolean(type?.active),
    canCancel: open,
  };
}

/** A booking that has started (or ended) is no longer the booker's to change. */
function refuseStarted(appointment: Appointment): void {
  if (+appointment.startTime <= Date.now()) throw conflict('This appointment has already started', 'start');
}

const getRoute = defineRoute({
  config: calendarConfig,
  method: 'GET',
  path: '/public/manage/:token',
  summary: "A booking as its manage link shows it, and whether it may still be rescheduled or cancelled",
  access: 'public',
  params: tokenParams,
  response: managedBooking,
  tenant: bookingTenant,
  handler: async (ctx) => shown(ctx.db, await bookingOf(ctx, ctx.params.token)),
});

const rescheduleRoute = defineRoute({
  config: calendarConfig,
  method: 'POST',
  path: '/public/manage/:token/reschedule',
  summary: 'Move a booking to another free start of its type; 409 with fresh slots when that time was just taken',
  access: 'public',
  params: tokenParams,
  body: rescheduleBody,
  response: managedBooking,
  tenant: bookingTenant,
  async handler(ctx) {
    const current = await bookingOf(ctx, ctx.params.token);
    refuseStarted(current);
    const start = new Date(ctx.body.start);
    const asked = { calendarId: current.calendarId ?? '', appointmentTypeId: current.appointmentTypeId, start, timeZone: current.timezone, excludeAppointmentId: current.id };
    const moved = await orFreshSlots(ctx.db, asked, () => ctx.db.$transaction((tx) => rescheduleAppointment(tx, ctx, current.id, { start, by: 'booker' }), bookingTransaction));
    return shown(ctx.db, moved);
  },
});

const cancelRoute = defineRoute({
  config: calendarConfig,
  method: 'POST',
  path: '/public/manage/:token/cancel',
  summary: 'Cancel a booking (cancelling twice answers the cancelled booking)',
  access: 'public',
  params: tokenParams,
  body: cancelBody,
  response: managedBooking,
  tenant: bookingTenant,
  async handler(ctx) {
    const current = await bookingOf(ctx, ctx.params.token);
    if (current.status !== 'CANCELLED') refuseStarted(current);
    const cancelled = await ctx.db.$transaction((tx) => cancelAppointment(tx, ctx, current.id, { by: 'booker', reason: ctx.body.reason ?? null }));
    return shown(ctx.db, cancelled);
  },
});

export const manageRoutes: AnyRoute[] = [getRoute, rescheduleRoute, cancelRoute];
