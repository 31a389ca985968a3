// Sends one reminder, once. One transaction: the appointment is locked FOR SHARE first (a
// cancel or reschedule, which locks it FOR UPDATE, either commits before us and we see it, or
// waits for us and then stops the queued message), the row moves PENDING → QUEUED (0 rows: it
// was sent, cancelled or moved already), and the message is queued through messaging with the
// row's id as its idempotency key. Consent, quiet hours and the do-not-disturb ledger are
// messaging's: a refusal is recorded as SKIPPED with messaging's reason. The message expires at
// the appointment's start: a reminder quiet hours would hold until after it began is skipped.
import { defineJob, tenantSql, type JobContext, type TenantTx } from '@soshogle/core';
import { z } from 'zod';
import { linkedSource, managePath, manageToken } from '../booking/links.ts';
import { activeStatuses } from '../slots/load.ts';
import { reminderSendGroup } from './schedule.ts';
import { reminderMessage, type ReminderChannel } from './templates.ts';

const zoneOf = (customFields: unknown): string | null => {
  const zone = (customFields as Record<string, unknown> | null)?.timezone;
  return typeof zone === 'string' && zone ? zone : null;
};

export const sendReminder = defineJob({
  name: 'send_reminder',
  payload: z.object({ reminderId: z.string().min(1) }),
  async run(ctx, { reminderId }) {
    await ctx.db.$transaction((tx) => sendOne(ctx, tx, reminderId));
  },
});

async function sendOne(ctx: JobContext, tx: TenantTx, reminderId: string): Promise<void> {
  const { tenantId } = ctx;
  const seen = await tx.appointmentReminder.findUnique({ where: { id: reminderId }, select: { appointmentId: true, status: true } });
  if (seen?.status !== 'PENDING') return;
  const t = tenantSql(tenantId);
  const [appointment] = await tx.$queryRaw<{ status: string; startTime: Date }[]>(t`
    select status::text as status, "startTime" from "Appointment" where id = ${seen.appointmentId} and ${t.owns()} for share`);
  const [reminder] = await tx.appointmentReminder.updateManyAndReturn({ where: { id: reminderId, status: 'PENDING' }, data: { status: 'QUEUED' } });
  if (!reminder || !appointment) return;
  const settle = (status: string, reason: string | null, messageId: string | null = null) =>
    tx.appointmentReminder.update({ where: { id: reminderId }, data: { status, reason, messageId } });
  // A missed cancel or reschedule hook would leave a row for a start that no longer holds.
  if (!(activeStatuses as readonly string[]).includes(appointment.status)) return void (await settle('CANCELLED', appointment.status.toLowerCase()));
  if (appointment.startTime.getTime() !== reminder.forStart.getTime()) return void (await settle('CANCELLED', 'rescheduled'));

  const full = await tx.appointment.findUniqueOrThrow({
    where: { id: reminder.appointmentId },
    select: { contactId: true, title: true, location: true, calendarId: true, appointmentTypeId: true, timezone: true, source: true },
  });
  if (!full.contactId) return void (await settle('SKIPPED', 'no contact'));
  // One after another: a transaction is one connection.
  const contact = await tx.contact.findUnique({ where: { id: full.contactId }, select: { firstName: true, customFields: true } });
  const type = full.appointmentTypeId ? await tx.appointmentType.findUnique({ where: { id: full.appointmentTypeId }, select: { name: true, location: true } }) : null;
  const calendar = full.calendarId ? await tx.calendar.findUnique({ where: { id: full.calendarId }, select: { timeZone: true } }) : null;
  if (!contact) return void (await settle('SKIPPED', 'no contact'));
  const channel = reminder.channel as ReminderChannel;
  const message = reminderMessage(channel, {
    name: contact.firstName,
    type: type?.name ?? full.title,
    start: reminder.forStart,
    zone: zoneOf(contact.customFields) ?? calendar?.timeZone ?? full.timezone,
    location: full.location ?? type?.location ?? null,
    manageUrl: full.source === linkedSource ? ctx.publicUrl(managePath(manageToken(ctx.secrets, reminder.appointmentId))) : null,
  });
  const key = `reminder:${reminder.id}`;
  const { results } = await ctx.actions.run(
    tx,
    'messaging.queue_messages',
    { channel, sendGroup: reminderSendGroup(reminder.appointmentId), messages: [{ contactId: full.contactId, ...message, idempotencyKey: key, expiresAt: reminder.forStart.toISOString() }] },
    { tenantId, idempotencyKey: key, contactId: full.contactId },
  );
  const [result] = results;
  if (result?.messageId) await settle('QUEUED', null, result.messageId);
  else await settle('SKIPPED', result?.reason ?? 'not sent');
}
