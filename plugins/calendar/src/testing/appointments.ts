// Appointments as the appointments service makes them (its branch owns it): each change and
// its event in one transaction; and a calendar writing to a connected calendar.
import { eventually, expectJson, queueSettled, type TestClient } from '@soshogle/core/testing';
import { expect } from 'vitest';
import type { startSyncServer } from './sync-server.ts';

const hour = 3_600_000;

export function appointmentsOn({ soshogle, connect }: Awaited<ReturnType<typeof startSyncServer>>) {
  /** A calendar writing to the connection's remote calendar `remoteId`. */
  async function calendarWritingTo(user: TestClient, provider: 'google' | 'microsoft', remoteId: string) {
    const connection = await connect(user, provider);
    const target = connection.externalCalendars.find((c) => c.remoteId === remoteId)!;
    const cal = await soshogle.db.calendar.create({ data: { userId: user.userId, name: 'Chair', timeZone: 'UTC', publicSlug: `chair-${provider}-${user.userId}` } });
    expect(await expectJson(await user.request('PUT', `/api/calendar/calendars/${cal.id}/write-target`, { externalCalendarId: target.id }), 200)).toEqual({ calendarId: cal.id, writeTargetId: target.id });
    await queueSettled(soshogle);
    return cal;
  }

  // What the appointments service does (its branch owns it): the change and its event in one transaction.
  async function book(tenantId: string, calendarId: string, start: number) {
    return soshogle.tenantContext('calendar', tenantId).db.$transaction(async (tx) => {
      const a = await tx.appointment.create({
        data: { userId: tenantId, calendarId, title: 'Consult', startTime: new Date(start), endTime: new Date(start + hour / 2), blockStart: new Date(start), blockEnd: new Date(start + hour / 2), timezone: 'UTC' },
      });
      await soshogle.events.raise(tx, 'core.appointment_scheduled', { appointmentId: a.id, calendarId, startTime: a.startTime.toISOString(), source: 'ADMIN' }, { tenantId });
      return a;
    });
  }
  async function move(tenantId: string, id: string, start: number) {
    await soshogle.tenantContext('calendar', tenantId).db.$transaction(async (tx) => {
      const before = await tx.appointment.findUniqueOrThrow({ where: { id } });
      const a = await tx.appointment.update({ where: { id }, data: { startTime: new Date(start), endTime: new Date(start + hour / 2), blockStart: new Date(start), blockEnd: new Date(start + hour / 2), version: { increment: 1 } } });
      await soshogle.events.raise(tx, 'calendar.appointment_rescheduled', { appointmentId: id, calendarId: a.calendarId, startTime: a.startTime.toISOString(), previousStartTime: before.startTime.toISOString(), changedBy: 'user', source: a.source }, { tenantId });
    });
  }
  async function cancel(tenantId: string, id: string) {
    await soshogle.tenantContext('calendar', tenantId).db.$transaction(async (tx) => {
      const a = await tx.appointment.update({ where: { id }, data: { status: 'CANCELLED', cancelledAt: new Date(), version: { increment: 1 } } });
      await soshogle.events.raise(tx, 'calendar.appointment_cancelled', { appointmentId: id, calendarId: a.calendarId, startTime: a.startTime.toISOString(), cancelledBy: 'user', source: a.source }, { tenantId });
    });
  }
  const synced = (id: string) =>
    eventually(async () => {
      const a = await soshogle.db.appointment.findUniqueOrThrow({ where: { id } });
      return a.syncedVersion === a.version && (a.status === 'CANCELLED' ? !a.externalEventId : a.externalEventId) ? a : null;
    });

  return { calendarWritingTo, book, move, cancel, synced, hour, tomorrow: Math.ceil(Date.now() / hour) * hour + 24 * hour };
}
