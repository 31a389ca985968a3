// What the calendar adds to a contact's timeline: one entry per appointment, when it was
// booked, saying what and when (in the appointment's zone) and where it stands now.
import { defineTimelineSource } from '@soshogle/core';
import { DateTime } from 'luxon';

export const appointmentsTimeline = defineTimelineSource({
  name: 'appointments',
  async entries({ db }, contactId, { before, limit }) {
    const older = before ? { OR: [{ createdAt: { lt: before.at } }, { createdAt: before.at, id: { lt: before.id } }] } : {};
    const rows = await db.appointment.findMany({ where: { contactId, ...older }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
    const typeIds = [...new Set(rows.flatMap((a) => (a.appointmentTypeId ? [a.appointmentTypeId] : [])))];
    const types = new Map((await db.appointmentType.findMany({ where: { id: { in: typeIds } }, select: { id: true, name: true } })).map((t) => [t.id, t.name]));
    return rows.map((a) => {
      const when = DateTime.fromJSDate(a.startTime, { zone: a.timezone }).toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
      return {
        id: a.id,
        kind: 'appointment',
        at: a.createdAt,
        title: `Booked: ${types.get(a.appointmentTypeId ?? '') ?? a.title} — ${when}`,
        link: `/calendar?appointment=${a.id}`,
        data: { status: a.status, startTime: a.startTime.toISOString(), calendarId: a.calendarId, source: a.source },
      };
    });
  },
});
