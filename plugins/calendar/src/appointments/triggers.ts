// What happens to an appointment, as workflows and the calendar's other parts hear it.
// core.appointment_scheduled (the core's trigger) is raised for a new appointment; these
// follow it. Each is raised in the transaction that changes the appointment.
import { defineTrigger } from '@soshogle/core';
import { z } from 'zod';

const id = z.string().min(1);

/** What every appointment event carries. */
export const appointmentPayload = z.object({
  appointmentId: id,
  contactId: id.nullish(),
  calendarId: id.nullish(),
  appointmentTypeId: id.nullish(),
  /** ISO instant of the (new) start. */
  startTime: z.string(),
  /** How the appointment was made: BOOKING_PAGE, ADMIN, API, WORKFLOW, EXTERNAL, VOICE. */
  source: z.string(),
});

/** The one filter every appointment trigger takes. */
export const appointmentFilter = z.object({
  calendarId: id.optional().describe('Only appointments on this calendar'),
  appointmentTypeId: id.optional().describe('Only appointments of this type'),
});

function matchesAppointment(filter: z.output<typeof appointmentFilter>, payload: z.output<typeof appointmentPayload>): boolean {
  return (!filter.calendarId || filter.calendarId === payload.calendarId)
    && (!filter.appointmentTypeId || filter.appointmentTypeId === payload.appointmentTypeId);
}

/** Who changed it: the booker (manage link), a user, the external calendar, a workflow, or the calendar itself (an unpaid booking's hold ended). */
export const changedBy = z.enum(['booker', 'user', 'external', 'workflow', 'system']);

export const appointmentRescheduled = defineTrigger({
  name: 'appointment_rescheduled',
  displayName: 'Appointment rescheduled',
  description: 'An appointment moved to another time.',
  payload: appointmentPayload.extend({ previousStartTime: z.string(), changedBy }),
  filter: appointmentFilter,
  matches: matchesAppointment,
});

export const appointmentCancelled = defineTrigger({
  name: 'appointment_cancelled',
  displayName: 'Appointment cancelled',
  description: 'An appointment was cancelled, by the booker, a user, the external calendar or a workflow.',
  payload: appointmentPayload.extend({ cancelledBy: changedBy, reason: z.string().nullish() }),
  filter: appointmentFilter,
  matches: matchesAppointment,
});

export const appointmentCompleted = defineTrigger({
  name: 'appointment_completed',
  displayName: 'Appointment completed',
  description: 'An appointment was marked completed.',
  payload: appointmentPayload,
  filter: appointmentFilter,
  matches: matchesAppointment,
});

export const appointmentNoShow = defineTrigger({
  name: 'appointment_no_show',
  displayName: 'Appointment no-show',
  description: 'The contact did not come to an appointment.',
  payload: appointmentPayload,
  filter: appointmentFilter,
  matches: matchesAppointment,
});

export const appointmentTriggers = [appointmentRescheduled, appointmentCancelled, appointmentCompleted, appointmentNoShow];
