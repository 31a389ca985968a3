// The calendar plugin: calendars with weekly hours, appointment types, a slot engine, appointments,
// a public booking page that cannot double-book, reminders, and Google / Microsoft / Apple sync.
// Each part declares its own pieces in its folder's index.ts; this file joins them.
import { definePlugin } from '@soshogle/core';
import { appointmentPieces } from './appointments/index.ts';
import { availabilityPieces } from './availability/index.ts';
import { bookingPieces } from './booking/index.ts';
import { calendarConfig } from './config.ts';
import { paymentPieces } from './payment/index.ts';
import { joinPieces } from './pieces.ts';
import { reminderPieces } from './reminders/index.ts';
import { syncPieces } from './sync/index.ts';
import type { calendarActions } from './workflow/actions.ts';
import type { appointmentCancelled, appointmentCompleted, appointmentNoShow, appointmentRescheduled } from './appointments/triggers.ts';

export default definePlugin({
  name: 'calendar',
  displayName: 'Calendar',
  description: 'Calendars, appointment types and a public booking page that cannot double-book; reminders; Google, Microsoft and Apple calendar sync.',
  // Payments: a type with a price is paid at booking (its action and events; see payment/).
  dependsOn: ['crm', 'messaging'],
  screens: [{ path: '/calendar', label: 'Calendar', icon: 'M4 5h16v16H4zM4 10h16M8 3v4m8-4v4', order: 55 }],
  models: [
    'Calendar', 'AppointmentType', 'AvailabilityRule', 'AvailabilityOverride', 'Appointment', 'AppointmentReminder',
    'CalendarConnection', 'ExternalCalendar', 'ExternalBusyBlock',
  ],
  config: calendarConfig,
  ...joinPieces(availabilityPieces, appointmentPieces, bookingPieces, reminderPieces, syncPieces, paymentPieces),
});

// What other plugins may call and hear, typed from these declarations (see Plugins in @soshogle/core).
declare module '@soshogle/core' {
  interface Plugins {
    calendar: {
      actions: typeof calendarActions;
      triggers: [typeof appointmentRescheduled, typeof appointmentCancelled, typeof appointmentCompleted, typeof appointmentNoShow];
    };
  }
}
