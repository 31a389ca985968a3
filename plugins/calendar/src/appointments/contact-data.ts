// The calendar's part of a contact's data export and erasure: the contact's appointments,
// with their answers and consent. Erasure cancels the live ones through the service (their
// time is freed, reminders stop, workflows waiting on them move on), deletes every one, and
// queues the removal of the events written to connected Google, Microsoft or Apple
// calendars: a job removes them by their remote ids, as the rows are gone by then.
import { defineContactData, defineJob, type ProviderRecordErasure } from '@soshogle/core';
import { z } from 'zod';
import { calendarConfig } from '../config.ts';
import { withProvider } from '../providers/index.ts';
import { ConnectionBroken } from '../providers/types.ts';
import { cancelAppointment } from './service.ts';
import { isActive } from './transitions.ts';

export const contactData = defineContactData({
  name: 'appointments',
  async export({ db }, contactId) {
    const appointments = await db.appointment.findMany({
      where: { contactId },
      orderBy: [{ startTime: 'asc' }, { id: 'asc' }],
      select: {
        id: true, title: true, description: true, location: true, startTime: true, endTime: true, timezone: true, status: true,
        cancelledAt: true, cancelReason: true, source: true, answers: true, consent: true, paymentId: true, paymentStatus: true,
        calendarProvider: true, externalEventId: true, createdAt: true, calendar: { select: { name: true } },
      },
    });
    return { appointments };
  },
  async erase(ctx, contactId, tx) {
    const rows = await tx.appointment.findMany({
      where: { contactId },
      select: { id: true, status: true, externalEventId: true, externalEtag: true, externalCalendarId: true, calendarProvider: true },
      orderBy: { id: 'asc' },
    });
    for (const row of rows) if (isActive(row.status)) await cancelAppointment(tx, ctx, row.id, { by: 'user', reason: 'Erased on request' });
    const remote = rows.flatMap((r) => (r.externalEventId && r.externalCalendarId ? [{ externalCalendarId: r.externalCalendarId, eventId: r.externalEventId, etag: r.externalEtag }] : []));
    // One job per event: one that fails retries alone.
    for (const event of remote) await ctx.jobs.enqueue(tx, 'calendar.remove_erased_event', event, { tenantId: ctx.tenantId });
    const appointments = (await tx.appointment.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
    const byProvider = new Map<string, number>();
    for (const r of rows) if (r.externalEventId && r.externalCalendarId) byProvider.set(r.calendarProvider ?? 'calendar', (byProvider.get(r.calendarProvider ?? 'calendar') ?? 0) + 1);
    const providers: ProviderRecordErasure[] = [...byProvider].map(([provider, count]) => ({ provider, record: 'calendar event', count, outcome: 'delete_queued' }));
    return { erased: { appointments }, providers };
  },
});

/** Removes an erased appointment's event from the external calendar it was written to; one already gone counts as removed. */
export const removeErasedEvent = defineJob({
  name: 'remove_erased_event',
  config: calendarConfig,
  payload: z.object({ externalCalendarId: z.string().min(1), eventId: z.string().min(1), etag: z.string().nullable() }),
  maxAttempts: 8,
  async run(ctx, event) {
    const target = await ctx.db.externalCalendar.findUnique({ where: { id: event.externalCalendarId }, include: { connection: true } });
    // A calendar disconnected since: nothing of ours can reach it any more.
    if (!target) return;
    try {
      await withProvider(ctx, target.connection, (provider) => provider.remove({ remoteId: target.remoteId }, { id: event.eventId, etag: event.etag ?? undefined }));
    } catch (error) {
      // Marked broken and the team told; a retry cannot help until a reconnect.
      if (!(error instanceof ConnectionBroken)) throw error;
    }
  },
});
