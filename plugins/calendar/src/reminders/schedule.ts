// Reminder rows follow the appointment: each (channel, offset, start) gets one row, PENDING
// with a `calendar.send_reminder` job at its due time, or SKIPPED with the reason. Called by
// the subscribers to the appointment events (subscribers.ts), in the transaction that changed
// the appointment, so a rolled-back booking or reschedule leaves no reminder behind.
import type { Jobs, TenantTx } from '@soshogle/core';
import { remindersInput } from '../availability/schemas.ts';
import { activeStatuses } from '../slots/load.ts';
import type { ReminderChannel } from './templates.ts';

/** Which of the booker's consent boxes a channel needs (booking-page appointments only). */
const consentFor: Record<ReminderChannel, 'email' | 'sms'> = { EMAIL: 'email', SMS: 'sms', WHATSAPP: 'sms' };

/** A reminder due this close to now (or past) is not sent: it would arrive after it is useful. */
const tooLateMs = 60_000;


/** Where the reminders of an appointment's queued messages are grouped, so a cancel can stop them. */
export const reminderSendGroup = (appointmentId: string) => `appointment-reminders:${appointmentId}`;

interface Scope {
  tx: TenantTx;
  tenantId: string;
  jobs: Jobs;
}

/**
 * The rows (and jobs) for the appointment's current start, from its type's rules. Idempotent:
 * rows that exist for this start are kept as they are. Marks the appointment `reminderSent`
 * (the meaning: its reminders are scheduled).
 */
export async function scheduleReminders({ tx, tenantId, jobs }: Scope, appointmentId: string, now = new Date()): Promise<void> {
  const appointment = await tx.appointment.findUnique({
    where: { id: appointmentId },
    select: { id: true, status: true, startTime: true, appointmentTypeId: true, contactId: true, source: true, consent: true },
  });
  if (!appointment || !(activeStatuses as readonly string[]).includes(appointment.status) || !appointment.appointmentTypeId) return;
  const type = await tx.appointmentType.findUnique({ where: { id: appointment.appointmentTypeId }, select: { reminders: true } });
  const rules = remindersInput.safeParse(type?.reminders ?? []);
  if (!rules.success || !rules.data.length) return;

  const consent = (appointment.consent ?? {}) as Partial<Record<'email' | 'sms', unknown>>;
  const fromPage = appointment.source === 'BOOKING_PAGE';
  const rows = rules.data
    // Booking-page appointments: only the channels the booker ticked (messaging's opt-out ledger still wins later).
    .filter((rule) => !fromPage || consent[consentFor[rule.channel]] === true)
    .map((rule) => {
      const dueAt = new Date(appointment.startTime.getTime() - rule.offsetMin * 60_000);
      const reason = !appointment.contactId ? 'no contact' : dueAt.getTime() <= now.getTime() + tooLateMs ? 'too late' : null;
      return {
        userId: tenantId, appointmentId, channel: rule.channel, offsetMin: rule.offsetMin, forStart: appointment.startTime, dueAt,
        status: reason ? 'SKIPPED' : 'PENDING', reason,
      };
    });
  if (rows.length) {
    const made = await tx.appointmentReminder.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true, status: true, dueAt: true } });
    for (const row of made) {
      if (row.status === 'PENDING') await jobs.enqueue(tx, 'calendar.send_reminder', { reminderId: row.id }, { tenantId, runAt: row.dueAt });
    }
  }
  await tx.appointment.update({ where: { id: appointmentId }, data: { reminderSent: true } });
}

/** PENDING rows of the appointment → CANCELLED with `reason`; their jobs find nothing to do. Sent ones stay as history. */
export async function cancelReminders(tx: TenantTx, appointmentId: string, reason: string): Promise<void> {
  await tx.appointmentReminder.updateMany({ where: { appointmentId, status: 'PENDING' }, data: { status: 'CANCELLED', reason } });
}
