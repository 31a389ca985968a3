// Writing appointments out to the connected calendar they belong to (the calendar's write
// target). The appointment events' transactional subscribers queue `calendar.push_appointment`
// in the transaction that changed the appointment; the job makes the remote event match the
// appointment as it is when it runs, so repeats and reorders settle on the latest state.
// A create is idempotent at the provider (Google: an id derived from ours; Graph:
// transactionId), so a retry after a lost answer never makes a second event.
import { defineJob, defineSubscriber, type SubscriberDefinition, type TenantContext } from '@soshogle/core';
import { z } from 'zod';
import { calendarConfig, type CalendarConfig } from '../config.ts';
import { withProvider } from '../providers/index.ts';
import { ConnectionBroken, type OutboundEvent } from '../providers/types.ts';

const active = new Set(['SCHEDULED', 'CONFIRMED']);

/** Queues the write-out when the appointment has a place to go (its own, or its calendar's target). */
async function queuePush(ctx: TenantContext, appointmentId: string): Promise<void> {
  const appointment = await ctx.db.appointment.findUnique({
    where: { id: appointmentId },
    select: { externalCalendarId: true, calendar: { select: { writeTargetId: true } } },
  });
  if (!appointment?.externalCalendarId && !appointment?.calendar?.writeTargetId) return;
  await ctx.jobs.enqueue(ctx.db, 'calendar.push_appointment', { appointmentId }, { tenantId: ctx.tenantId });
}

export const writeOutSubscribers: SubscriberDefinition[] = [
  defineSubscriber({
    name: 'write_out_scheduled',
    event: 'core.appointment_scheduled',
    transactional: true,
    // An appointment made from an external event is there already.
    run: (ctx, event) => (event.payload.source === 'EXTERNAL' ? Promise.resolve() : queuePush(ctx, event.payload.appointmentId)),
  }),
  defineSubscriber({
    name: 'write_out_rescheduled',
    event: 'calendar.appointment_rescheduled',
    transactional: true,
    // A move read in from the remote calendar is not written back (no ping-pong).
    run: (ctx, event) => (event.payload.changedBy === 'external' ? Promise.resolve() : queuePush(ctx, event.payload.appointmentId)),
  }),
  defineSubscriber({
    name: 'write_out_cancelled',
    event: 'calendar.appointment_cancelled',
    transactional: true,
    run: (ctx, event) => (event.payload.cancelledBy === 'external' ? Promise.resolve() : queuePush(ctx, event.payload.appointmentId)),
  }),
];

export type PushResult = 'written' | 'removed' | 'unchanged' | 'skipped';

/** Makes the remote event match the appointment now; records the version written only if it is still current. */
export async function pushAppointment(ctx: TenantContext<CalendarConfig>, appointmentId: string): Promise<PushResult> {
  const appointment = await ctx.db.appointment.findUnique({ where: { id: appointmentId }, include: { calendar: { select: { writeTargetId: true } } } });
  if (!appointment) return 'skipped';
  const wanted = active.has(appointment.status);
  const cancelled = appointment.status === 'CANCELLED';
  // COMPLETED and NO_SHOW leave the remote event as it was.
  if (!wanted && !cancelled) return 'unchanged';
  if (appointment.syncedVersion === appointment.version && (cancelled ? !appointment.externalEventId : Boolean(appointment.externalEventId))) return 'unchanged';
  const targetId = appointment.externalCalendarId ?? appointment.calendar?.writeTargetId;
  if (!targetId) return 'skipped';
  const target = await ctx.db.externalCalendar.findUnique({ where: { id: targetId }, include: { connection: true } });
  if (!target || !target.connection.syncEnabled) return 'skipped';
  const ref = { remoteId: target.remoteId };
  const existing = appointment.externalEventId ? { id: appointment.externalEventId, etag: appointment.externalEtag ?? undefined } : null;
  let written: { id: string; etag?: string | undefined } | null;
  try {
    written = await withProvider(ctx, target.connection, async (provider) => {
      if (cancelled) {
        if (existing) await provider.remove(ref, existing);
        return null;
      }
      const event: OutboundEvent = {
        appointmentId: appointment.id,
        title: appointment.title,
        description: appointment.description,
        location: appointment.location,
        start: appointment.startTime,
        end: appointment.endTime,
        timeZone: appointment.timezone,
      };
      return provider.upsert(ref, event, existing);
    });
  } catch (error) {
    // A broken connection is marked and the team told; retrying cannot help until a reconnect.
    if (error instanceof ConnectionBroken) return 'skipped';
    throw error;
  }
  // A change made meanwhile bumped the version: its own job writes it, this one records nothing.
  await ctx.db.appointment.updateMany({
    where: { id: appointment.id, version: appointment.version },
    data: {
      syncedVersion: appointment.version,
      externalEventId: written?.id ?? null,
      externalEtag: written?.etag ?? null,
      externalCalendarId: target.id,
      calendarProvider: target.connection.provider,
    },
  });
  return written ? 'written' : 'removed';
}

export const pushAppointmentJob = defineJob({
  name: 'push_appointment',
  config: calendarConfig,
  payload: z.object({ appointmentId: z.string().min(1) }),
  maxAttempts: 8,
  async run(ctx, job) {
    await pushAppointment(ctx, job.appointmentId);
  },
});
