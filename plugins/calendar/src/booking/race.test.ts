// No double booking under a rush (design §3.2): 50 visitors posting the same slot at once get
// exactly one 201 and 49 409s; the losers' transactions leave nothing behind (no contact, no
// event, no email, no reminder). 50 different slots at once all book.
import { setTimeout as sleep } from 'node:timers/promises';
import { importPlugins } from '@soshogle/core';
import { eventRecorder, expectJson, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import calendar from '../index.ts';

const plugins = await importPlugins(['@soshogle/plugin-crm', '@soshogle/plugin-messaging']);
const recorder = eventRecorder(['core.appointment_scheduled']);
const soshogle = await startTestSoshogle([...plugins, calendar, recorder.plugin], {
  CALENDAR_BOOKINGS_PER_IP_HOUR: '100000',
  CALENDAR_SLOT_READS_PER_IP_MINUTE: '100000',
  CALENDAR_BOOKINGS_PER_CALENDAR_HOUR: '100000',
});
const { db } = soshogle;
const api = `${soshogle.url}/api/calendar`;
const post = (path: string, body: unknown) => fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A page open around the clock, 30-minute slots, with reminders (so losers could leave some behind). */
async function openPage() {
  const owner = await signedInUser(soshogle);
  const cal = await expectJson<{ id: string; publicSlug: string }>(await owner.request('POST', '/api/calendar/calendars', { name: 'Rush', timeZone: 'UTC' }), 201);
  await expectJson(await owner.request('PUT', `/api/calendar/calendars/${cal.id}/hours`, { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 })) }), 200);
  await expectJson(await owner.request('POST', `/api/calendar/calendars/${cal.id}/types`, { name: 'Visit', slug: 'visit', durationMin: 30, reminders: [{ offsetMin: 60, channel: 'EMAIL' }] }), 201);
  const from = new Date(Date.now() + 86_400_000).toISOString();
  const slots = await expectJson<{ days: { slots: { start: string }[] }[]; formToken: string }>(await fetch(`${api}/public/pages/${cal.publicSlug}/types/visit/slots?from=${from}`), 200);
  await sleep(2_100); // a person's pace: faster forms are taken for bots
  return { tenantId: owner.userId, slug: cal.publicSlug, formToken: slots.formToken, starts: slots.days.flatMap((d) => d.slots.map((s) => s.start)) };
}

const booking = (formToken: string, start: string, i: number) => ({
  typeSlug: 'visit', start, timeZone: 'Europe/Paris', name: `Visitor ${i}`, email: `visitor-${i}@example.test`, consent: { email: true, sms: false }, formToken,
});

describe('a rush on one slot', () => {
  it('50 at once: one 201, 49 409s naming the start, and nothing of the losers left', async () => {
    const page = await openPage();
    const start = page.starts[10]!;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => post(`/public/pages/${page.slug}/bookings`, booking(page.formToken, start, i))));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(49).fill(409)]);
    const conflict = (await answers.find((r) => r.status === 409)!.json()) as { errors: { field: string }[] };
    expect(conflict.errors.map((e) => e.field)).toEqual(['start']);

    const tenant = { userId: page.tenantId };
    expect(await db.appointment.count({ where: tenant })).toBe(1);
    expect(await db.contact.count({ where: tenant })).toBe(1);
    expect(await db.message.count({ where: tenant })).toBe(1);
    expect(await db.appointmentReminder.count({ where: tenant })).toBe(1);
    const [won] = await db.appointment.findMany({ where: tenant });
    await expect.poll(() => recorder.heard.filter((e) => e.tenantId === page.tenantId).length).toBe(1);
    expect(recorder.heard.find((e) => e.tenantId === page.tenantId)!.payload).toMatchObject({ appointmentId: won!.id, source: 'BOOKING_PAGE' });
  });

  it('50 different slots at once all book', async () => {
    const page = await openPage();
    const answers = await Promise.all(page.starts.slice(0, 50).map((start, i) => post(`/public/pages/${page.slug}/bookings`, booking(page.formToken, start, i))));
    expect(answers.map((r) => r.status)).toEqual(Array<number>(50).fill(201));
    expect(await db.appointment.count({ where: { userId: page.tenantId } })).toBe(50);
  });
});
