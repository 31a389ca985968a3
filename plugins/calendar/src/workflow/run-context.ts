// What workflow runs read as `appointment` (conditions, templates, relative waits): the
// appointment named by the triggering event's `appointmentId`, with its type and calendar
// names and ISO times. A wait "2 hours before appointment.startTime" counts from `times` and
// ends early when the appointment is no longer live (cancelled, completed, no-show).
import { defineRunContext, type TenantTx } from '@soshogle/core';
import { isActive } from '../appointments/transitions.ts';

/** The appointment as runs see it: JSON-plain, times as ISO instants. */
export async function appointmentRecord(db: TenantTx, id: string) {
  const a = await db.appointment.findUnique({ where: { id }, include: { calendar: { select: { name: true, timeZone: true } } } });
  if (!a) return null;
  const type = a.appointmentTypeId ? await db.appointmentType.findUnique({ where: { id: a.appointmentTypeId }, select: { name: true } }) : null;
  return {
    id: a.id,
    title: a.title,
    description: a.description,
    location: a.location,
    status: a.status,
    startTime: a.startTime.toISOString(),
    endTime: a.endTime.toISOString(),
    timezone: a.timezone,
    contactId: a.contactId,
    calendarId: a.calendarId,
    calendarName: a.calendar?.name ?? null,
    calendarTimeZone: a.calendar?.timeZone ?? null,
    appointmentTypeId: a.appointmentTypeId,
    typeName: type?.name ?? null,
    source: a.source,
    cancelReason: a.cancelReason,
  };
}

const fieldNames = [
  'id', 'title', 'description', 'location', 'status', 'startTime', 'endTime', 'timezone', 'contactId', 'calendarId',
  'calendarName', 'calendarTimeZone', 'appointmentTypeId', 'typeName', 'source', 'cancelReason',
] as const;

export const appointmentContext = defineRunContext({
  name: 'appointment',
  load: appointmentRecord,
  fields: { names: fieldNames },
  times: ['startTime', 'endTime'],
  live: (appointment) => isActive(String(appointment.status)),
});
