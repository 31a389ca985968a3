// Reminders follow appointments through their events, against the real database, worker and
// messaging plugin. The appointments here are written as the appointments service writes them:
// the row and its event in one transaction (`book`, `move`, `cancel` below), so these tests
// prove the contract between the two parts (the events), not the service.
import { importPlugins, tenantSql, type TenantTx } from '@soshogle/core';
import { eventually, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import calendar from '../index.ts';
import { sendReminder } from './send-job.ts';

const plugins = await importPlugins(['@soshogle/plugin-crm', '@soshogle/plugin-messaging']);
const soshogle = await startTestSoshogle([...plugins, calendar]);
const { db } = soshogle;

const hour = 3_600_000;
const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / 60_000) * 60_000);

interface Booking {
  start?: Date;
  reminders?: { offsetMin: number; channel: string }[];
  source?: string;
  consent?: { email: boolean; sms: boolean } | null;
  contact?: { firstName: string; email?: string; phone?: string } | null;
}

/** A tenant with a calendar, a 30-minute type with `reminders`, a contact, and one booked appointment. */
async function book({ start = at(48 * hour), reminders = [{ offsetMin: 1440, channel: 'EMAIL' }, { offsetMin: 60, channel: 'SMS' }], source = 'ADMIN', consent = null, contact = { firstName: 'Ada', email: 'ada@example.test', phone: '+15005550006' } }: Booking = {}) {
  const { userId: tenantId } = await signedInUser(soshogle);
  const person = contact ? await soshogle.tenantContext('crm', tenantId).db.contact.create({ data: { userId: tenantId, ...contact } }) : null;
  const ctx = soshogle.tenantContext('calendar', tenantId);
  const appointment = await ctx.db.$transaction(async (tx) => {
    const cal = await tx.calendar.create({ data: { userId: tenantId, name: 'Dr Who', timeZone: 'Europe/Paris', publicSlug: `dr-who-${tenantId}` } });
    const type = await tx.appointmentType.create({
      data: { userId: tenantId, calendarId: cal.id, name: 'Check-up', slug: 'check-up', durationMin: 30, reminders, location: '1 Rue de Rivoli' },
    });
    const end = new Date(start.getTime() + 30 * 60_000);
    const row = await tx.appointment.create({
      data: {
        userId: tenantId, calendarId: cal.id, appointmentTypeId: type.id, contactId: person?.id ?? null, title: 'Check-up',
        startTime: start, endTime: end, blockStart: start, blockEnd: end, source, ...(consent ? { consent } : {}),
      },
    });
    await ctx.events.raise(tx, 'core.appointment_scheduled', { appointmentId: row.id, contactId: row.contactId, startTime: start.toISOString(), calendarId: cal.id, appointmentTypeId: type.id, source }, { tenantId });
    return row;
  });
  return { tenantId, ctx, appointment, contact: person };
}

type Booked = Awaited<ReturnType<typeof book>>;
const payloadOf = (a: Booked['appointment'], start: Date) => ({
  appointmentId: a.id, contactId: a.contactId, calendarId: a.calendarId, appointmentTypeId: a.appointmentTypeId, startTime: start.toISOString(), source: a.source,
});
const lockAppointment = (tx: TenantTx, tenantId: string, id: string) => {
  const t = tenantSql(tenantId);
  return tx.$queryRaw(t`select id from "Appointment" where id = ${id} and ${t.owns()} for update`);
};

/** A reschedule as the service does it: lock, move, event, one transaction. */
async function move({ ctx, tenantId, appointment }: Booked, start: Date) {
  await ctx.db.$transaction(async (tx) => {
    await lockAppointment(tx, tenantId, appointment.id);
    const end = new Date(start.getTime() + 30 * 60_000);
    await tx.appointment.update({ where: { id: appointment.id }, data: { startTime: start, endTime: end, blockStart: start, blockEnd: end, version: { increment: 1 } } });
    await ctx.events.raise(tx, 'calendar.appointment_rescheduled', { ...payloadOf(appointment, start), previousStartTime: appointment.startTime.toISOString(), changedBy: 'user' }, { tenantId });
  });
}

/** A cancel as the service does it; `hold` runs between the lock and the change (a barrier for races). */
async function cancel({ ctx, tenantId, appointment }: Booked, hold: () => Promise<void> = async () => {}) {
  await ctx.db.$transaction(async (tx) => {
    await lockAppointment(tx, tenantId, appointment.id);
    await hold();
    await tx.appointment.update({ where: { id: appointment.id }, data: { status: 'CANCELLED', cancelledAt: new Date(), version: { increment: 1 } } });
    await ctx.events.raise(tx, 'calendar.appointment_cancelled', { ...payloadOf(appointment, appointment.startTime), cancelledBy: 'booker' }, { tenantId });
  });
}

const remindersOf = (appointmentId: string) =>
  db.appointmentReminder.findMany({ where: { appointmentId }, orderBy: [{ forStart: 'asc' }, { offsetMin: 'desc' }] });

/** The queued `calendar.send_reminder` jobs of these reminders, with their run times. */
const jobsOf = (reminderIds: string[]) =>
  db.$queryRaw<{ reminderId: string; runAt: Date }[]>`
    select j.payload->'payload'->>'reminderId' as "reminderId", j.run_at as "runAt" from graphile_worker._private_jobs j
    where j.payload->>'key' = 'calendar.send_reminder' and j.payload->'payload'->>'reminderId' = any(${reminderIds}::text[])
    order by j.run_at`;

/** Quiet hours (UTC) for the tenant from the last full hour but one to the top of the hour after next: messages queued now wait 1 to 2 hours. */
async function quietNow(tenantId: string) {
  const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
  const h = new Date().getUTCHours();
  await soshogle.tenantContext('messaging', tenantId).db.messagingSettings.create({
    data: { userId: tenantId, quietHoursStart: hh(h - 1), quietHoursEnd: hh(h + 2), timezone: 'UTC' },
  });
}

/** Runs the send job as the worker would, now (a due job). */
const runJob = (b: Booked, reminderId: string) => sendReminder.run({ ...soshogle.tenantContext('calendar', b.tenantId), attempt: 1, maxAttempts: 10 }, { reminderId });

describe('scheduling', () => {
  it('schedules a 24-hour email and a 1-hour SMS with their jobs at the due times, and marks the appointment', async () => {
    const b = await book();
    const start = b.appointment.startTime.getTime();
    const rows = await remindersOf(b.appointment.id);
    expect(rows.map((r) => [r.channel, r.offsetMin, r.status, r.dueAt.getTime()])).toEqual([
      ['EMAIL', 1440, 'PENDING', start - 24 * hour],
      ['SMS', 60, 'PENDING', start - hour],
    ]);
    expect(await jobsOf(rows.map((r) => r.id))).toEqual(rows.map((r) => ({ reminderId: r.id, runAt: r.dueAt })));
    expect((await db.appointment.findUniqueOrThrow({ where: { id: b.appointment.id } })).reminderSent).toBe(true);
  });

  it('skips a reminder that would be due already, and schedules nothing without reminder rules', async () => {
    const soon = await book({ start: at(2 * hour) });
    expect((await remindersOf(soon.appointment.id)).map((r) => [r.channel, r.status, r.reason])).toEqual([
      ['EMAIL', 'SKIPPED', 'too late'],
      ['SMS', 'PENDING', null],
    ]);
    const none = await book({ reminders: [] });
    expect(await remindersOf(none.appointment.id)).toEqual([]);
    expect((await db.appointment.findUniqueOrThrow({ where: { id: none.appointment.id } })).reminderSent).toBe(false);
  });

  it('schedules only the channels a booking-page booker consented to', async () => {
    const emailOnly = await book({ source: 'BOOKING_PAGE', consent: { email: true, sms: false } });
    expect((await remindersOf(emailOnly.appointment.id)).map((r) => r.channel)).toEqual(['EMAIL']);
    const neither = await book({ source: 'BOOKING_PAGE', consent: { email: false, sms: false } });
    expect(await remindersOf(neither.appointment.id)).toEqual([]);
  });

  it('a reschedule cancels the old start’s reminders and schedules the new start’s', async () => {
    const b = await book();
    const later = at(72 * hour);
    await move(b, later);
    const rows = await remindersOf(b.appointment.id);
    expect(rows.map((r) => [r.channel, r.forStart.getTime(), r.status, r.reason])).toEqual([
      ['EMAIL', b.appointment.startTime.getTime(), 'CANCELLED', 'rescheduled'],
      ['SMS', b.appointment.startTime.getTime(), 'CANCELLED', 'rescheduled'],
      ['EMAIL', later.getTime(), 'PENDING', null],
      ['SMS', later.getTime(), 'PENDING', null],
    ]);
    const fresh = rows.filter((r) => r.status === 'PENDING');
    expect(await jobsOf(fresh.map((r) => r.id))).toEqual(fresh.map((r) => ({ reminderId: r.id, runAt: r.dueAt })));
    // The old rows' jobs find nothing to do when they come.
    await runJob(b, rows[0]!.id);
    expect(await db.message.count({ where: { userId: b.tenantId } })).toBe(0);
  });

  it('a cancel cancels pending reminders', async () => {
    const b = await book();
    await cancel(b);
    expect((await remindersOf(b.appointment.id)).map((r) => [r.status, r.reason])).toEqual([
      ['CANCELLED', 'cancelled'],
      ['CANCELLED', 'cancelled'],
    ]);
  });

  it('rolls back with the booking: no reminder rows', async () => {
    const { userId: tenantId } = await signedInUser(soshogle);
    const ctx = soshogle.tenantContext('calendar', tenantId);
    await expect(
      ctx.db.$transaction(async (tx) => {
        const cal = await tx.calendar.create({ data: { userId: tenantId, name: 'X', timeZone: 'UTC', publicSlug: `x-${tenantId}` } });
        const type = await tx.appointmentType.create({ data: { userId: tenantId, calendarId: cal.id, name: 'X', slug: 'x', durationMin: 30, reminders: [{ offsetMin: 60, channel: 'EMAIL' }] } });
        const start = at(48 * hour);
        const row = await tx.appointment.create({ data: { userId: tenantId, calendarId: cal.id, appointmentTypeId: type.id, title: 'X', startTime: start, endTime: at(49 * hour), blockStart: start, blockEnd: at(49 * hour) } });
        await ctx.events.raise(tx, 'core.appointment_scheduled', { appointmentId: row.id, startTime: start.toISOString(), source: 'ADMIN' }, { tenantId });
        expect(await tx.appointmentReminder.count()).toBe(1);
        throw new Error('the booking failed later');
      }),
    ).rejects.toThrow('the booking failed later');
    expect(await db.appointmentReminder.count({ where: { userId: tenantId } })).toBe(0);
  });
});

describe('sending', () => {
  it('sends through messaging when due, once however often the job runs', async () => {
    const b = await book();
    const [email] = await remindersOf(b.appointment.id);
    await Promise.all([runJob(b, email!.id), runJob(b, email!.id)]);
    await runJob(b, email!.id);
    const row = await db.appointmentReminder.findUniqueOrThrow({ where: { id: email!.id } });
    expect(row).toMatchObject({ status: 'QUEUED', reason: null });
    const messages = await db.message.findMany({ where: { userId: b.tenantId } });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ id: row.messageId, channel: 'EMAIL', to: 'ada@example.test', contactId: b.contact!.id, idempotencyKey: `reminder:${row.id}` });
    expect(messages[0]!.subject).toContain('Check-up');
    expect(messages[0]!.content).toContain('Hi Ada');
    expect(messages[0]!.content).toContain('(Europe/Paris)');
    expect(messages[0]!.content).toContain('1 Rue de Rivoli');
  });

  it('runs from the queue at its time', async () => {
    const b = await book();
    const [, sms] = await remindersOf(b.appointment.id);
    await db.$executeRaw`update graphile_worker._private_jobs set run_at = now() where payload->>'key' = 'calendar.send_reminder' and payload->'payload'->>'reminderId' = ${sms!.id}`;
    await db.$executeRaw`select pg_notify('jobs:insert', '{"count":1}')`;
    const sent = await eventually(async () => (await db.appointmentReminder.findUniqueOrThrow({ where: { id: sms!.id } })).messageId);
    expect(await db.message.findUniqueOrThrow({ where: { id: sent } })).toMatchObject({ channel: 'SMS', to: '+15005550006' });
  });

  it('records what messaging refuses as SKIPPED with its reason', async () => {
    const b = await book({ contact: { firstName: 'Bo' } });
    const [email] = await remindersOf(b.appointment.id);
    await runJob(b, email!.id);
    expect(await db.appointmentReminder.findUniqueOrThrow({ where: { id: email!.id } })).toMatchObject({ status: 'SKIPPED', reason: 'The contact has no email address' });
  });

  it('quiet hours defer a reminder to before the start, and skip one they would hold past it', async () => {
    // Quiet for the next 1 to 2 hours: a reminder of an appointment 4 hours away waits; one 45 minutes away expires.
    const later = await book({ start: at(4 * hour), reminders: [{ offsetMin: 60, channel: 'SMS' }] });
    await quietNow(later.tenantId);
    const [deferred] = await remindersOf(later.appointment.id);
    await runJob(later, deferred!.id);
    const held = await db.appointmentReminder.findUniqueOrThrow({ where: { id: deferred!.id } });
    expect(held.status).toBe('QUEUED');
    expect((await db.message.findUniqueOrThrow({ where: { id: held.messageId! } })).sendAfter!.getTime()).toBeLessThan(later.appointment.startTime.getTime());

    const soon = await book({ start: at(0.75 * hour), reminders: [{ offsetMin: 10, channel: 'SMS' }] });
    await quietNow(soon.tenantId);
    const [late] = await remindersOf(soon.appointment.id);
    await runJob(soon, late!.id);
    expect(await db.appointmentReminder.findUniqueOrThrow({ where: { id: late!.id } })).toMatchObject({ status: 'SKIPPED', reason: expect.stringMatching(/^Expired: quiet hours hold it until /) });
    expect(await db.message.count({ where: { userId: soon.tenantId } })).toBe(0);
  });

  it('a cancel racing the job: whichever locks the appointment first, no reminder of a cancelled appointment stays queued', async () => {
    // The cancel holds the appointment while the job starts: the job waits, then sees the cancel.
    const first = await book();
    const [email] = await remindersOf(first.appointment.id);
    let job: Promise<void> | undefined;
    await cancel(first, async () => {
      job = runJob(first, email!.id);
      await eventually(async () => {
        const waiting = await db.$queryRaw<{ n: bigint }[]>`select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%for share%'`;
        return waiting[0]!.n > 0n;
      });
    });
    await job;
    expect(await db.appointmentReminder.findUniqueOrThrow({ where: { id: email!.id } })).toMatchObject({ status: 'CANCELLED', messageId: null });
    expect(await db.message.count({ where: { userId: first.tenantId } })).toBe(0);

    // The job queued its message first (held by quiet hours): the cancel stops it before it reaches a provider.
    const second = await book();
    await quietNow(second.tenantId);
    const [early] = await remindersOf(second.appointment.id);
    await runJob(second, early!.id);
    await cancel(second);
    const [message] = await db.message.findMany({ where: { userId: second.tenantId } });
    expect(message).toMatchObject({ status: 'CANCELLED', providerCalled: null });
  });
});
