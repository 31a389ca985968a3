// The calendar in workflows and on the contact, through a real server, worker and database:
// its steps run by published workflows, what runs read as `appointment`, the timeline entry,
// and appointments following a contact merge.
import { scopeToTenant } from '@soshogle/core';
import { eventually, expectJson, publishWorkflow, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import crm from '@soshogle/plugin-crm';
import messaging from '@soshogle/plugin-messaging';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import calendarPlugin from '../index.ts';
import { appointmentContext } from './run-context.ts';

const soshogle = await startTestSoshogle([crm, messaging, calendarPlugin]);
const zone = 'America/New_York';
const monday = (() => {
  let d = DateTime.now().setZone(zone).startOf('day').plus({ days: 3 });
  while (d.weekday !== 1) d = d.plus({ days: 1 });
  return d;
})();
const at = (time: string) => DateTime.fromISO(`${monday.toISODate()}T${time}`, { zone }).toUTC().toISO()!;

type Appointment = { id: string; status: string; contactId: string | null; source: string; startTime: string };

/** A signed-in tenant with a calendar open 09:00–12:00 on weekdays and a 30-minute type. */
async function tenant() {
  const user = await signedInUser(soshogle);
  const api = (method: string, path: string, body?: unknown) => user.request(method, path, body);
  const calendar = await expectJson<{ id: string }>(await api('POST', '/api/calendar/calendars', { name: 'Chair', timeZone: zone }), 201);
  await expectJson(await api('PUT', `/api/calendar/calendars/${calendar.id}/hours`, { hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 720 })) }), 200);
  const type = await expectJson<{ id: string }>(await api('POST', `/api/calendar/calendars/${calendar.id}/types`, { name: 'Cleaning', durationMin: 30 }), 201);
  const contact = async (firstName: string) => (await expectJson<{ id: string }>(await api('POST', '/api/crm/contacts', { firstName }), 201)).id;
  const book = async (start: string, contactId: string | null = null) =>
    expectJson<Appointment>(await api('POST', '/api/calendar/appointments', { calendarId: calendar.id, appointmentTypeId: type.id, start, contactId }), 201);
  return { user, api, calendarId: calendar.id, typeId: type.id, contact, book };
}

describe('workflow steps', () => {
  it('confirms each new appointment', async () => {
    const t = await tenant();
    await publishWorkflow(t.user, {
      trigger: 'APPOINTMENT_SCHEDULED',
      triggerFilter: { calendarId: t.calendarId },
      actions: [{ id: 'confirm', type: 'action', action: 'calendar.set_appointment_status', props: { appointmentId: '{{ event.payload.appointmentId }}', status: 'CONFIRMED' } }],
    });
    const booked = await t.book(at('09:00'), await t.contact('Ann'));
    await eventually(async () => (await soshogle.db.appointment.findUnique({ where: { id: booked.id } }))?.status === 'CONFIRMED');
  });

  it("books the run's contact, once per run; a time already taken fails the step", async () => {
    const t = await tenant();
    await publishWorkflow(t.user, {
      trigger: 'CONTACT_CREATED',
      actions: [{ id: 'book', type: 'action', action: 'calendar.book_appointment', props: { appointmentTypeId: t.typeId, start: at('10:00') } }],
    });
    const first = await t.contact('Bea');
    const booked = await eventually(() => soshogle.db.appointment.findFirst({ where: { contactId: first } }));
    expect(booked).toMatchObject({ source: 'WORKFLOW', calendarId: t.calendarId, startTime: new Date(at('10:00')) });

    const second = await t.contact('Cy');
    const failed = await eventually(() => soshogle.db.workflowExecution.findFirst({ where: { contactId: second, status: 'FAILED' } }));
    expect(failed).toBeTruthy();
    expect(await soshogle.db.appointment.count({ where: { calendarId: t.calendarId } })).toBe(1);
  });

  it('cancels the appointment the trigger is about', async () => {
    const t = await tenant();
    await publishWorkflow(t.user, {
      trigger: 'APPOINTMENT_SCHEDULED',
      actions: [{ id: 'cancel', type: 'action', action: 'calendar.cancel_appointment', props: { appointmentId: '{{ event.payload.appointmentId }}', reason: 'Closed that day' } }],
    });
    const booked = await t.book(at('11:00'), await t.contact('Dee'));
    const cancelled = await eventually(async () => {
      const a = await soshogle.db.appointment.findUnique({ where: { id: booked.id } });
      return a?.status === 'CANCELLED' ? a : null;
    });
    expect(cancelled.cancelReason).toBe('Closed that day');
  });
});

describe('waiting relative to an appointment', () => {
  it('waits until an hour before the start, follows a reschedule, and ends when the appointment is cancelled', async () => {
    const t = await tenant();
    await publishWorkflow(t.user, {
      trigger: 'APPOINTMENT_SCHEDULED',
      actions: [
        { id: 'before', type: 'wait', wait: { mode: 'relative', to: 'appointment.startTime', amount: 1, unit: 'hours', direction: 'before' }, next: 'confirm' },
        { id: 'confirm', type: 'action', action: 'calendar.set_appointment_status', props: { appointmentId: '{{ event.payload.appointmentId }}', status: 'CONFIRMED' } },
      ],
    });
    const waitOf = (appointmentId: string) => soshogle.db.workflowWait.findFirst({ where: { subject: 'appointment', subjectId: appointmentId } });
    const hourBefore = (iso: string) => new Date(+new Date(iso) - 3_600_000);

    const booked = await t.book(at('09:00'), await t.contact('Fay'));
    expect((await eventually(() => waitOf(booked.id))).dueAt).toEqual(hourBefore(at('09:00')));
    // The move and the wait's new due time commit together.
    await expectJson(await t.api('POST', `/api/calendar/appointments/${booked.id}/reschedule`, { start: at('11:00') }), 200);
    expect((await waitOf(booked.id))?.dueAt).toEqual(hourBefore(at('11:00')));

    // Cancelled, it is no longer live: the wait ends, and the run with it (no timeoutNext), never confirming.
    await expectJson(await t.api('POST', `/api/calendar/appointments/${booked.id}/cancel`, {}), 200);
    await eventually(async () => !(await waitOf(booked.id)));
    expect((await soshogle.db.appointment.findUnique({ where: { id: booked.id } }))?.status).toBe('CANCELLED');
  });
});

describe('the appointment as runs read it', () => {
  it('has its type and calendar names and ISO times, and is live only while scheduled or confirmed', async () => {
    const t = await tenant();
    const booked = await t.book(at('09:30'));
    const db = scopeToTenant(soshogle.db, t.user.userId);
    const record = (await appointmentContext.load(db, booked.id)) as Record<string, unknown>;
    expect(record).toMatchObject({ id: booked.id, typeName: 'Cleaning', calendarName: 'Chair', status: 'SCHEDULED', startTime: new Date(at('09:30')).toISOString() });
    expect(appointmentContext.live?.(record)).toBe(true);
    expect(appointmentContext.times).toEqual(['startTime', 'endTime']);
    for (const name of Object.keys(record)) expect(appointmentContext.fields?.names).toContain(name);

    await expectJson(await t.api('POST', `/api/calendar/appointments/${booked.id}/cancel`, {}), 200);
    expect(appointmentContext.live?.((await appointmentContext.load(db, booked.id)) as Record<string, unknown>)).toBe(false);
    const other = await tenant();
    expect(await appointmentContext.load(scopeToTenant(soshogle.db, other.user.userId), booked.id)).toBeNull();
  });
});

describe('the contact', () => {
  it("shows each appointment on the contact's timeline, and keeps them through a merge", async () => {
    const t = await tenant();
    const kept = await t.contact('Eve');
    const merged = await t.contact('Eve (dup)');
    const booked = await t.book(at('11:30'), merged);

    const timeline = await expectJson<{ items: { source: string; title: string; link: string; data: { status: string } }[] }>(
      await t.api('GET', `/api/contacts/${merged}/timeline`),
      200,
    );
    const entry = timeline.items.find((e) => e.source === 'calendar.appointments');
    expect(entry).toMatchObject({ title: expect.stringMatching(/^Booked: Cleaning — Mon .* 11:30 /), link: `/calendar?appointment=${booked.id}`, data: { status: 'SCHEDULED' } });

    await expectJson(await t.api('POST', '/api/crm/contacts/merge', { keepId: kept, mergeId: merged }), 200);
    expect((await soshogle.db.appointment.findUnique({ where: { id: booked.id } }))?.contactId).toBe(kept);
  });
});
