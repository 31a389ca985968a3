// The appointments part of the calendar plugin: what it adds to the plugin's declaration
// (its workflow steps and run context included).
import type { PluginPieces } from '../pieces.ts';
import { calendarActions } from '../workflow/actions.ts';
import { appointmentContext } from '../workflow/run-context.ts';
import { contactData, removeErasedEvent } from './contact-data.ts';
import { cancelAppointmentsOfDeletedContact } from './contact-deletes.ts';
import { moveAppointmentsOfMergedContact } from './merge.ts';
import { appointmentRoutes } from './routes.ts';
import { appointmentsTimeline } from './timeline.ts';
import { appointmentTriggers } from './triggers.ts';

export const appointmentPieces: PluginPieces = {
  routes: appointmentRoutes,
  triggers: appointmentTriggers,
  actions: calendarActions,
  context: [appointmentContext],
  timeline: [appointmentsTimeline],
  subscribers: [moveAppointmentsOfMergedContact, cancelAppointmentsOfDeletedContact],
  jobs: [removeErasedEvent],
  contactData: [contactData],
};
