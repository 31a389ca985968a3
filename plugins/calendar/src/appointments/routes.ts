// The appointments API under /api/calendar (signed in): list by time, book, read, change,
// reschedule, cancel and set the status. Handlers only parse and shape; the rules live in
// service.ts. A time someone else holds answers 409 with fresh slots (conflict.ts).
import { defineRoute, listOf, type AnyRoute, type Auth, type TenantTx } from '@soshogle/core';
import { bookingTransaction, orFreshSlots } from './conflict.ts';
import {
  appointmentInput,
  appointmentListQuery,
  appointmentParams,
  appointmentPatch,
  appointmentResponse,
  cancelInput,
  rescheduleInput,
  statusInput,
} from './schemas.ts';
import {
  appointmentDetail,
  bookAppointment,
  cancelAppointment,
  listAppointments,
  rescheduleAppointment,
  setAppointmentStatus,
  updateAppointment,
} from './service.ts';

const sourceOf = (auth: Auth) => (auth.via === 'api_key' ? 'API' : 'ADMIN');

const listRoute = defineRoute({
  method: 'GET',
  path: '/appointments',
  summary: 'Appointments overlapping [from, to) (at most 62 days), by start; filter by calendar, contact or status',
  query: appointmentListQuery,
  response: listOf(appointmentResponse),
  handler: ({ db, query }) => listAppointments(db, query),
});

const createRoute = defineRoute({
  method: 'POST',
  path: '/appointments',
  summary: 'Book an appointment (raises "Appointment scheduled"); a taken time answers 409 with fresh slots. Send `Idempotency-Key` to book once.',
  status: 201,
  body: appointmentInput,
  response: appointmentResponse,
  async handler(ctx) {
    const { body } = ctx;
    const key = ctx.http.get('idempotency-key').slice(0, 200);
    const asked = { calendarId: body.calendarId, appointmentTypeId: body.appointmentTypeId ?? null, start: body.start, ignoreNotice: true };
    const appointment = await orFreshSlots(ctx.db, asked, () =>
      ctx.db.$transaction((tx) =>
        bookAppointment(tx, ctx, {
          ...body,
          answers: body.answers,
          source: sourceOf(ctx.auth),
          key: key ? `api:${key}` : null,
          ignoreNotice: true,
        }),
      bookingTransaction),
    );
    return appointmentDetail(ctx.db, appointment.id);
  },
});

const getRoute = defineRoute({
  method: 'GET',
  path: '/appointments/:id',
  summary: 'An appointment with its contact',
  params: appointmentParams,
  response: appointmentResponse,
  handler: ({ db, params }) => appointmentDetail(db, params.id),
});

const updateRoute = defineRoute({
  method: 'PATCH',
  path: '/appointments/:id',
  summary: 'Change the title, description, location or contact of an appointment (times: reschedule)',
  params: appointmentParams,
  body: appointmentPatch,
  response: appointmentResponse,
  handler: (ctx) =>
    ctx.db.$transaction(async (tx) => {
      await updateAppointment(tx, ctx, ctx.params.id, ctx.body);
      return appointmentDetail(tx, ctx.params.id);
    }),
});

/** The time an appointment asks for, to offer others if it is taken. */
async function askedFor(db: TenantTx, id: string, start: Date) {
  const current = await appointmentDetail(db, id);
  return { calendarId: current.calendarId ?? '', appointmentTypeId: current.appointmentTypeId, start, excludeAppointmentId: id, ignoreNotice: true };
}

const rescheduleRoute = defineRoute({
  method: 'POST',
  path: '/appointments/:id/reschedule',
  summary: 'Move a scheduled or confirmed appointment (raises "Appointment rescheduled"); a taken time answers 409 with fresh slots',
  params: appointmentParams,
  body: rescheduleInput,
  response: appointmentResponse,
  async handler(ctx) {
    const asked = await askedFor(ctx.db, ctx.params.id, ctx.body.start);
    await orFreshSlots(ctx.db, asked, () =>
      ctx.db.$transaction((tx) => rescheduleAppointment(tx, ctx, ctx.params.id, { ...ctx.body, by: 'user', ignoreNotice: true }), bookingTransaction),
    );
    return appointmentDetail(ctx.db, ctx.params.id);
  },
});

const cancelRoute = defineRoute({
  method: 'POST',
  path: '/appointments/:id/cancel',
  summary: 'Cancel a scheduled or confirmed appointment (raises "Appointment cancelled"); cancelling again changes nothing',
  params: appointmentParams,
  body: cancelInput,
  response: appointmentResponse,
  handler: (ctx) =>
    ctx.db.$transaction(async (tx) => {
      await cancelAppointment(tx, ctx, ctx.params.id, { by: 'user', reason: ctx.body.reason });
      return appointmentDetail(tx, ctx.params.id);
    }),
});

const statusRoute = defineRoute({
  method: 'POST',
  path: '/appointments/:id/status',
  summary: 'Confirm, complete or mark a no-show (raises "Appointment completed" / "Appointment no-show"); 409 for a move its status does not allow',
  params: appointmentParams,
  body: statusInput,
  response: appointmentResponse,
  handler: (ctx) =>
    ctx.db.$transaction(async (tx) => {
      await setAppointmentStatus(tx, ctx, ctx.params.id, ctx.body.status);
      return appointmentDetail(tx, ctx.params.id);
    }),
});

export const appointmentRoutes: AnyRoute[] = [listRoute, createRoute, getRoute, updateRoute, rescheduleRoute, cancelRoute, statusRoute];
