// Reminders follow the appointment through its events, in the transaction that changed it
// (the appointments part raises them there): scheduled → rows and jobs; rescheduled → the old
// start's pending rows cancelled and new ones made; cancelled, completed, no-show → pending
// rows cancelled. Reminder messages already queued but not yet handed to a provider (held by
// quiet hours) are stopped too: they speak of a time that no longer holds.
import { defineSubscriber, type TenantContext, type TenantTx } from '@soshogle/core';
import { cancelReminders, reminderSendGroup, scheduleReminders } from './schedule.ts';

/** The subscriber's `db` is the raising transaction. */
const txOf = (ctx: TenantContext) => ctx.db as unknown as TenantTx;

async function stopReminders(ctx: TenantContext, appointmentId: string, reason: string, eventId: string): Promise<void> {
  const tx = txOf(ctx);
  await cancelReminders(tx, appointmentId, reason);
  const sendGroup = reminderSendGroup(appointmentId);
  await ctx.actions.run(tx, 'messaging.cancel_messages', { sendGroup }, { tenantId: ctx.tenantId, idempotencyKey: `${sendGroup}:cancel:${eventId}` });
}

export const remindOfScheduled = defineSubscriber({
  name: 'remind_of_scheduled',
  event: 'core.appointment_scheduled',
  transactional: true,
  run: (ctx, event) => scheduleReminders({ tx: txOf(ctx), tenantId: ctx.tenantId, jobs: ctx.jobs }, event.payload.appointmentId),
});

export const remindOfRescheduled = defineSubscriber({
  name: 'remind_of_rescheduled',
  event: 'calendar.appointment_rescheduled',
  transactional: true,
  async run(ctx, event) {
    await stopReminders(ctx, event.payload.appointmentId, 'rescheduled', event.id);
    await scheduleReminders({ tx: txOf(ctx), tenantId: ctx.tenantId, jobs: ctx.jobs }, event.payload.appointmentId);
  },
});

const stopOn = (name: string, event: 'calendar.appointment_cancelled' | 'calendar.appointment_completed' | 'calendar.appointment_no_show', reason: string) =>
  defineSubscriber({ name, event, transactional: true, run: (ctx, e) => stopReminders(ctx, e.payload.appointmentId, reason, e.id) });

export const reminderSubscribers = [
  remindOfScheduled,
  remindOfRescheduled,
  stopOn('stop_reminders_of_cancelled', 'calendar.appointment_cancelled', 'cancelled'),
  stopOn('stop_reminders_of_completed', 'calendar.appointment_completed', 'completed'),
  stopOn('stop_reminders_of_no_show', 'calendar.appointment_no_show', 'no-show'),
];
