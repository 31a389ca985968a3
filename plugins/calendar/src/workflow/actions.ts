// The calendar's workflow steps: book the run's contact an appointment, cancel one, set its
// status; and find_slots, offered to other plugins (the voice agent) only. Each runs in the
// step's transaction through the same service as the API, so its event and the step commit
// together. What retrying cannot change (a taken time, a cancelled appointment) fails at once.
import { defineAction, isExclusionViolation, PermanentFailure, Problem } from '@soshogle/core';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { SlotTaken } from '../appointments/conflict.ts';
import { bookAppointment, cancelAppointment, setAppointmentStatus } from '../appointments/service.ts';
import { timeZone } from '../availability/schemas.ts';
import { loadFreeSlots } from '../slots/load.ts';

// Required, with the template suggested. (The engine now renders a default template too, so
// this could default to it; that changes the step's settings, left for its own change.)
const thisAppointment = z.string().trim().min(1).describe('Appointment: the one the trigger is about is {{ event.payload.appointmentId }}');

/** Refusals retrying cannot change become a PermanentFailure saying why. */
async function orFail<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SlotTaken || isExclusionViolation(error)) throw new PermanentFailure('That time is already booked');
    if (error instanceof Problem && error.status < 500) throw new PermanentFailure(error.message);
    throw error;
  }
}

function instant(value: string, what: string): Date {
  const date = DateTime.fromISO(value, { setZone: true });
  if (!date.isValid || !/[zZ]|[+-]\d\d:?\d\d$/.test(value)) throw new PermanentFailure(`${what} is not an ISO instant with its offset: "${value}"`);
  return date.toJSDate();
}

export const bookAppointmentAction = defineAction({
  name: 'book_appointment',
  version: 1,
  displayName: 'Book appointment',
  description: "Books the run's contact an appointment of a type at a start time; a time already taken fails the step.",
  props: z.object({
    appointmentTypeId: z.string().trim().min(1).describe('Appointment type'),
    start: z.string().trim().min(1).describe('Start, an ISO instant with its offset (templates allowed)'),
  }),
  output: z.object({ appointmentId: z.string(), start: z.string() }),
  idempotent: true,
  transactional: true,
  describe: (p) => `Book appointment type ${p.appointmentTypeId} at ${p.start}`,
  async run(ctx) {
    const contactId = ctx.run.contactId;
    if (!contactId) throw new PermanentFailure('This run has no contact to book');
    const type = await ctx.db.appointmentType.findUnique({ where: { id: ctx.props.appointmentTypeId }, select: { calendarId: true } });
    if (!type) throw new PermanentFailure('No such appointment type');
    const start = instant(ctx.props.start, 'start');
    const appointment = await orFail(() =>
      bookAppointment(ctx.db, ctx, {
        calendarId: type.calendarId,
        appointmentTypeId: ctx.props.appointmentTypeId,
        start,
        contactId,
        source: 'WORKFLOW',
        key: `workflow:${ctx.idempotencyKey}`,
        fieldPrefix: 'props.',
      }),
    );
    return { appointmentId: appointment.id, start: appointment.startTime.toISOString() };
  },
});

const statusOutput = z.object({ appointmentId: z.string(), status: z.string() });

export const cancelAppointmentAction = defineAction({
  name: 'cancel_appointment',
  version: 1,
  displayName: 'Cancel appointment',
  description: 'Cancels a scheduled or confirmed appointment (one already cancelled stays as it is).',
  props: z.object({ appointmentId: thisAppointment, reason: z.string().trim().max(500).optional().describe('Reason') }),
  output: statusOutput,
  idempotent: true,
  transactional: true,
  describe: (p) => `Cancel appointment ${p.appointmentId}`,
  async run(ctx) {
    const a = await orFail(() => cancelAppointment(ctx.db, ctx, ctx.props.appointmentId, { by: 'workflow', reason: ctx.props.reason || null }));
    return { appointmentId: a.id, status: a.status };
  },
});

export const setAppointmentStatusAction = defineAction({
  name: 'set_appointment_status',
  version: 1,
  displayName: 'Set appointment status',
  description: 'Confirms an appointment, or marks it completed or a no-show.',
  props: z.object({ appointmentId: thisAppointment, status: z.enum(['CONFIRMED', 'COMPLETED', 'NO_SHOW']).describe('Status') }),
  output: statusOutput,
  idempotent: true,
  transactional: true,
  describe: (p) => `Mark appointment ${p.appointmentId} ${p.status}`,
  async run(ctx) {
    const a = await orFail(() => setAppointmentStatus(ctx.db, ctx, ctx.props.appointmentId, ctx.props.status));
    return { appointmentId: a.id, status: a.status };
  },
});

export const findSlotsAction = defineAction({
  name: 'find_slots',
  version: 1,
  displayName: 'Find free slots',
  description: 'The free start times of an appointment type (by id, or by its slug when one calendar of the tenant has it) between two instants (at most 42 days), in a zone.',
  internal: true,
  props: z
    .object({
      appointmentTypeId: z.string().min(1).optional(),
      /** The type's slug, as the booking page names it: for callers that know types by name (the voice agent). */
      typeSlug: z.string().min(1).max(100).optional(),
      from: z.iso.datetime({ offset: true }),
      to: z.iso.datetime({ offset: true }),
      /** Dates and times of the answer are in it; default the calendar's. */
      timeZone: timeZone.optional(),
    })
    .refine((p) => !!p.appointmentTypeId !== !!p.typeSlug, { message: 'Give appointmentTypeId or typeSlug', path: ['appointmentTypeId'] }),
  output: z.object({
    appointmentTypeId: z.string(),
    typeName: z.string(),
    timeZone: z.string(),
    slots: z.array(z.object({ start: z.string(), end: z.string(), date: z.string(), time: z.string() })),
  }),
  idempotent: true,
  transactional: true,
  async run(ctx) {
    const { appointmentTypeId, typeSlug, timeZone: asked } = ctx.props;
    const from = new Date(ctx.props.from);
    const to = new Date(Math.min(+new Date(ctx.props.to), +from + 42 * 86_400_000));
    const include = { calendar: { select: { timeZone: true } } } as const;
    // A slug is unique per calendar only: one the tenant's live calendars share is no answer.
    const types = appointmentTypeId
      ? await ctx.db.appointmentType.findMany({ where: { id: appointmentTypeId }, include })
      : await ctx.db.appointmentType.findMany({ where: { slug: typeSlug, active: true, calendar: { archivedAt: null } }, include, take: 2 });
    const type = types[0];
    if (!type) throw new PermanentFailure('No such appointment type');
    if (types.length > 1) throw new PermanentFailure(`Several calendars have an appointment type "${typeSlug}": name it by its id`);
    const zone = asked ?? type.calendar.timeZone;
    const slots = await loadFreeSlots(ctx.db, ctx.tenantId, type.calendarId, type.id, { from, to });
    return {
      appointmentTypeId: type.id,
      typeName: type.name,
      timeZone: zone,
      slots: slots.map(({ start, end }) => {
        const local = DateTime.fromMillis(start, { zone });
        return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), date: local.toISODate()!, time: local.toFormat('HH:mm') };
      }),
    };
  },
});

export const calendarActions = [bookAppointmentAction, cancelAppointmentAction, setAppointmentStatusAction, findSlotsAction];
