// The public booking page end to end, as an anonymous visitor uses it over HTTP: the page,
// its slots in the visitor's zone, booking (contact found or made, confirmation, reminders,
// manage link), spam defences, and the manage link's reschedule and cancel. The calendar is
// set up by its owner through the admin API.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { importPlugins } from '@soshogle/core';
import { expectJson, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import calendar from '../index.ts';
import { sendReminder } from '../reminders/send-job.ts';
import { bookingPageOn, type Slots } from '../testing/booking-page.ts';

const plugins = await importPlugins(['@soshogle/plugin-crm', '@soshogle/plugin-messaging']);
// Every request here comes from 127.0.0.1: the per-address limits are raised; the per-calendar one is low enough to reach.
const soshogle = await startTestSoshogle([...plugins, calendar], {
  CALENDAR_WEBHOOK_SECRET: 'booking-test-secret-0123456789',
  CALENDAR_BOOKINGS_PER_IP_HOUR: '100000',
  CALENDAR_SLOT_READS_PER_IP_MINUTE: '100000',
  CALENDAR_BOOKINGS_PER_CALENDAR_HOUR: '6',
});
const { db } = soshogle;
const api = '/api/calendar';

const site = bookingPageOn(soshogle);
/** The page with a public 30-minute consultation that reminds by email and SMS (`type` adds to it). */
const page = (type: Record<string, unknown> = {}) => site.page({ reminders: [{ offsetMin: 60, channel: 'EMAIL' }, { offsetMin: 120, channel: 'SMS' }], ...type });
const visit = (method: string, path: string, body?: unknown) => site.visit(method, `${api}${path}`, body);
const { ready } = site;

describe('the page', () => {
  it('shows the calendar and its public, active types only', async () => {
    const p = await page();
    await expectJson(await p.owner.request('POST', `${api}/calendars/${p.calendarId}/types`, { name: 'Private', slug: 'private', durationMin: 30, isPublic: false }), 201);
    await expectJson(await p.owner.request('POST', `${api}/calendars/${p.calendarId}/types`, { name: 'Retired', slug: 'retired', durationMin: 30, active: false }), 201);
    const shown = await expectJson<{ name: string; intro: string; timeZone: string; consentText: string; types: { slug: string }[] }>(await visit('GET', `/public/pages/${p.slug}`), 200);
    expect(shown).toMatchObject({ name: 'Dr Ada', intro: 'Book a visit', timeZone: 'America/New_York', consentText: 'Remind me' });
    expect(shown.types.map((t) => t.slug)).toEqual(['consultation']);
    expect((await visit('GET', `/public/pages/${p.slug}/types/private/slots`)).status).toBe(404);
  });

  it('is a 404 once booking is off, and for an unknown slug', async () => {
    const p = await page();
    await expectJson(await p.owner.request('PATCH', `${api}/calendars/${p.calendarId}`, { bookingEnabled: false }), 200);
    expect((await visit('GET', `/public/pages/${p.slug}`)).status).toBe(404);
    expect((await visit('GET', '/public/pages/no-such-page')).status).toBe(404);
  });

  it("lists free slots by the visitor's local date, labelled in their zone, with a form token", async () => {
    const p = await page();
    const from = new Date(Date.now() + 2 * 86_400_000);
    const to = new Date(+from + 2 * 86_400_000);
    const q = (tz: string) => `?from=${from.toISOString()}&to=${to.toISOString()}&tz=${encodeURIComponent(tz)}`;
    const ny = await expectJson<Slots>(await visit('GET', `/public/pages/${p.slug}/types/consultation/slots${q('America/New_York')}`), 200);
    const tokyo = await expectJson<Slots>(await visit('GET', `/public/pages/${p.slug}/types/consultation/slots${q('Asia/Tokyo')}`), 200);
    expect(ny.calendarTimeZone).toBe('America/New_York');
    expect(tokyo.timeZone).toBe('Asia/Tokyo');
    // The same instants, labelled 09:00 in New York and 22:00 or 23:00 in Tokyo.
    const starts = (s: Slots) => s.days.flatMap((d) => d.slots.map((x) => x.start));
    expect(starts(tokyo)).toEqual(starts(ny));
    const first = ny.days.find((d) => d.slots[0]?.time === '09:00')!.slots[0]!;
    const inTokyo = tokyo.days.flatMap((d) => d.slots).find((s) => s.start === first.start)!;
    expect(['22:00', '23:00']).toContain(inTokyo.time);
    expect(ny.formToken).toMatch(/^\d+\.[\w-]+$/);

    const bad = await expectJson<{ errors: { field: string }[] }>(await visit('GET', `/public/pages/${p.slug}/types/consultation/slots?tz=Mars/Olympus`), 422);
    expect(bad.errors.map((e) => e.field)).toEqual(['query.tz']);
    const long = `?from=${from.toISOString()}&to=${new Date(+from + 43 * 86_400_000).toISOString()}`;
    expect((await expectJson<{ errors: { field: string }[] }>(await visit('GET', `/public/pages/${p.slug}/types/consultation/slots${long}`), 422)).errors.map((e) => e.field)).toEqual(['query.to']);
  });

  it("never shows another tenant's type under a page's slug", async () => {
    const mine = await page();
    const theirs = await page({ slug: 'theirs' });
    expect((await visit('GET', `/public/pages/${mine.slug}/types/theirs/slots`)).status).toBe(404);
    expect((await visit('GET', `/public/pages/${theirs.slug}/types/theirs/slots`)).status).toBe(200);
    expect(await db.appointment.count()).toBe(0);
  });
});

const visitor = (formToken: string, start: string, more: Record<string, unknown> = {}) => ({
  typeSlug: 'consultation', start, timeZone: 'Europe/Paris', name: 'Grace Brewster Hopper', email: 'grace@example.test', phone: '+15005550006',
  consent: { email: true, sms: false }, formToken, ...more,
});

interface Booked { appointmentId: string; start: string; end: string; manageUrl: string }
const tokenOf = (b: Booked) => b.manageUrl.split('/book/manage/')[1]!;

describe('booking', () => {
  it('books: the contact found or made, the consent recorded, a confirmation with the manage link, reminders on the consented channel', async () => {
    const p = await page();
    const { starts, formToken } = await ready(p);
    const booked = await expectJson<Booked>(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, starts[0]!)), 201);
    expect(booked.start).toBe(starts[0]);
    expect(+new Date(booked.end) - +new Date(booked.start)).toBe(30 * 60_000);
    expect(booked.manageUrl).toMatch(new RegExp(`/book/manage/${booked.appointmentId}-[\\w-]{43}$`));
    // No extension-like dot: the UI server answers a path with one as a missing file.
    expect(path.extname(new URL(booked.manageUrl).pathname)).toBe('');

    const appointment = await db.appointment.findUniqueOrThrow({ where: { id: booked.appointmentId } });
    expect(appointment).toMatchObject({ userId: p.owner.userId, calendarId: p.calendarId, appointmentTypeId: p.typeId, source: 'BOOKING_PAGE', status: 'SCHEDULED', title: 'Consultation', timezone: 'Europe/Paris' });
    // The link is signed: nothing of it is stored.
    expect(appointment.manageTokenHash).toBeNull();
    expect(appointment.consent).toMatchObject({ email: true, sms: false, textSha256: createHash('sha256').update('Remind me').digest('hex'), ipPrefix: '127.0.0.0/24' });

    const contact = await db.contact.findUniqueOrThrow({ where: { id: appointment.contactId! } });
    expect(contact).toMatchObject({ userId: p.owner.userId, firstName: 'Grace', lastName: 'Brewster Hopper', email: 'grace@example.test', source: 'booking' });
    const [confirmation, ...others] = await db.message.findMany({ where: { userId: p.owner.userId } });
    expect(others).toEqual([]);
    expect(confirmation).toMatchObject({ channel: 'EMAIL', contactId: contact.id, to: 'grace@example.test' });
    expect(confirmation!.subject).toContain('Booked: Consultation');
    expect(confirmation!.content).toContain(booked.manageUrl);
    expect(confirmation!.content).toContain('(Europe/Paris)');
    // SMS was not ticked: only the email reminder.
    expect((await db.appointmentReminder.findMany({ where: { appointmentId: appointment.id } })).map((r) => r.channel)).toEqual(['EMAIL']);

    // The same person again: the same contact.
    const again = await expectJson<Booked>(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, starts[2]!, { email: 'GRACE@example.test' })), 201);
    expect((await db.appointment.findUniqueOrThrow({ where: { id: again.appointmentId } })).contactId).toBe(contact.id);
    expect(await db.contact.count({ where: { userId: p.owner.userId } })).toBe(1);
  });

  it('answers a taken time 409, a time the type never offers 422, and names missing answers', async () => {
    const p = await page({ questions: [{ id: 'reason', label: 'Reason', kind: 'select', required: true, options: ['Check-up', 'Pain'] }] });
    const { starts, formToken } = await ready(p);
    const ok = { answers: { reason: 'Pain' } };
    await expectJson(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, starts[0]!, ok)), 201);
    const taken = await expectJson<{ errors: { field: string }[] }>(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, starts[0]!, { ...ok, email: 'other@example.test' })), 409);
    expect(taken.errors.map((e) => e.field)).toEqual(['start']);
    const offGrid = new Date(+new Date(starts[1]!) + 7 * 60_000).toISOString();
    const refused = await expectJson<{ errors: { field: string }[] }>(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, offGrid, ok)), 422);
    expect(refused.errors.map((e) => e.field)).toEqual(['body.start']);
    for (const [answers, field] of [[{}, 'body.answers.reason'], [{ reason: 'Other' }, 'body.answers.reason']] as const) {
      const problem = await expectJson<{ errors: { field: string }[] }>(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, starts[1]!, { answers })), 422);
      expect(problem.errors.map((e) => e.field)).toEqual([field]);
    }
    // Nothing of the refused ones was kept: one appointment, one contact, one confirmation.
    expect(await db.appointment.count({ where: { userId: p.owner.userId } })).toBe(1);
    expect(await db.contact.count({ where: { userId: p.owner.userId } })).toBe(1);
    expect(await db.message.count({ where: { userId: p.owner.userId } })).toBe(1);
  });

  it('answers bots with a made-up booking and keeps nothing: the honeypot, a form sent back too fast; an unknown token is a 422', async () => {
    const p = await page();
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const fresh = await expectJson<Slots>(await visit('GET', `/public/pages/${p.slug}/types/consultation/slots?from=${from}`), 200);
    const start = fresh.days[0]!.slots[0]!.start;
    const tooFast = await expectJson<Booked>(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(fresh.formToken, start)), 201);
    expect(tooFast.start).toBe(start);
    await sleep(2_100);
    await expectJson<Booked>(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(fresh.formToken, start, { website: 'http://spam.example' })), 201);
    const expired = await expectJson<{ errors: { field: string }[] }>(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor('123.abc', start)), 422);
    expect(expired.errors.map((e) => e.field)).toEqual(['body.formToken']);
    // A token of another page does not book here either.
    const other = await page();
    const otherToken = (await ready(other)).formToken;
    expect((await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(otherToken, start))).status).toBe(422);
    expect(await db.appointment.count({ where: { userId: p.owner.userId } })).toBe(0);
    expect(await db.contact.count({ where: { userId: p.owner.userId } })).toBe(0);
    // The made-up booking's link leads nowhere.
    expect((await visit('GET', `/public/manage/${tokenOf(tooFast)}`)).status).toBe(404);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a calendar had its bookings of the hour, bots included', async () => {
    const p = await page();
    const { starts, formToken } = await ready(p);
    const bot = visitor(formToken, starts[0]!, { website: 'x' });
    for (let i = 0; i < 6; i++) expect((await visit('POST', `/public/pages/${p.slug}/bookings`, bot)).status).toBe(201);
    const refused = await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, starts[0]!));
    const problem = await expectJson<{ status: number; detail: string }>(refused, 429);
    expect(problem.detail).toContain('bookings on this calendar');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another calendar is not held up by this one.
    const other = await page();
    const ok = await ready(other);
    expect((await visit('POST', `/public/pages/${other.slug}/bookings`, visitor(ok.formToken, ok.starts[0]!))).status).toBe(201);
  });
});

interface Managed { appointmentId: string; status: string; start: string; canReschedule: boolean; canCancel: boolean; typeSlug: string; pageSlug: string }

describe('the manage link', () => {
  it('shows the booking, reschedules it to a free time (reminders follow), refuses a taken one, and cancels it', async () => {
    const p = await page();
    const { starts, formToken } = await ready(p);
    const mine = await expectJson<Booked>(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, starts[0]!)), 201);
    await expectJson(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, starts[4]!, { email: 'someone@example.test' })), 201);
    const token = tokenOf(mine);

    const shown = await expectJson<Managed>(await visit('GET', `/public/manage/${token}`), 200);
    expect(shown).toMatchObject({ appointmentId: mine.appointmentId, status: 'SCHEDULED', start: starts[0], canReschedule: true, canCancel: true, typeSlug: 'consultation', pageSlug: p.slug });

    const taken = await expectJson<{ errors: { field: string }[] }>(await visit('POST', `/public/manage/${token}/reschedule`, { start: starts[4] }), 409);
    expect(taken.errors.map((e) => e.field)).toEqual(['start']);
    const moved = await expectJson<Managed>(await visit('POST', `/public/manage/${token}/reschedule`, { start: starts[2] }), 200);
    expect(moved.start).toBe(starts[2]);
    const reminders = await db.appointmentReminder.findMany({ where: { appointmentId: mine.appointmentId }, orderBy: { createdAt: 'asc' } });
    expect(reminders.map((r) => [r.forStart.toISOString(), r.status])).toEqual([[starts[0], 'CANCELLED'], [starts[2], 'PENDING']]);

    const cancelled = await expectJson<Managed>(await visit('POST', `/public/manage/${token}/cancel`, { reason: 'Feeling better' }), 200);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', canReschedule: false, canCancel: false });
    expect(await db.appointment.findUniqueOrThrow({ where: { id: mine.appointmentId } })).toMatchObject({ status: 'CANCELLED', cancelReason: 'Feeling better' });
    // Again: the same answer; a cancelled booking cannot move.
    expect((await expectJson<Managed>(await visit('POST', `/public/manage/${token}/cancel`, {}), 200)).status).toBe('CANCELLED');
    expect((await visit('POST', `/public/manage/${token}/reschedule`, { start: starts[6] })).status).toBe(409);
    // Its time is free again.
    expect((await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, starts[2]!, { email: 'next@example.test' }))).status).toBe(201);
  });

  it('is in every reminder (email and SMS), the same working link as in the confirmation', async () => {
    const p = await page();
    const { starts, formToken } = await ready(p);
    const booked = await expectJson<Booked>(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, starts[0]!, { consent: { email: true, sms: true } })), 201);
    const reminders = await db.appointmentReminder.findMany({ where: { appointmentId: booked.appointmentId }, orderBy: { channel: 'asc' } });
    expect(reminders.map((r) => r.channel)).toEqual(['EMAIL', 'SMS']);
    const ctx = soshogle.tenantContext('calendar', p.owner.userId);
    for (const reminder of reminders) await sendReminder.run({ ...ctx, attempt: 1, maxAttempts: 10 }, { reminderId: reminder.id });
    const sent = await db.message.findMany({ where: { userId: p.owner.userId, channel: 'SMS' } });
    const emails = await db.message.findMany({ where: { userId: p.owner.userId, channel: 'EMAIL', subject: { startsWith: 'Reminder' } } });
    expect([...emails, ...sent].map((m) => m.channel)).toEqual(['EMAIL', 'SMS']);
    for (const message of [...emails, ...sent]) {
      expect(message.content).toContain(`To reschedule or cancel: ${booked.manageUrl}`);
      const token = /\/book\/manage\/(\S+)/.exec(message.content)![1]!;
      expect((await expectJson<Managed>(await visit('GET', `/public/manage/${token}`), 200)).appointmentId).toBe(booked.appointmentId);
    }
  });

  it('is a 404 for a token nobody holds, a forged signature, or an appointment not booked on the page', async () => {
    expect((await visit('GET', `/public/manage/${'x'.repeat(43)}`)).status).toBe(404);
    expect((await visit('POST', `/public/manage/${'x'.repeat(43)}/cancel`, {})).status).toBe(404);
    const p = await page();
    const { starts, formToken } = await ready(p);
    const booked = await expectJson<Booked>(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, starts[0]!)), 201);
    const forged = `${booked.appointmentId}-${'A'.repeat(43)}`;
    expect((await visit('GET', `/public/manage/${forged}`)).status).toBe(404);
    expect((await visit('POST', `/public/manage/${forged}/cancel`, {})).status).toBe(404);
    // The same signature on an appointment the owner made: no booker, no link.
    const signature = tokenOf(booked).slice(-43);
    const made = await db.appointment.update({ where: { id: booked.appointmentId }, data: { source: 'ADMIN' } });
    expect((await visit('GET', `/public/manage/${made.id}-${signature}`)).status).toBe(404);
  });

  it('still opens a link from before links were signed, by its stored hash', async () => {
    const p = await page();
    const { starts, formToken } = await ready(p);
    const booked = await expectJson<Booked>(await visit('POST', `/public/pages/${p.slug}/bookings`, visitor(formToken, starts[0]!)), 201);
    const old = `${'o'.repeat(20)}-${'o'.repeat(22)}`; // 32 random bytes, a dash among them
    await db.appointment.update({ where: { id: booked.appointmentId }, data: { manageTokenHash: createHash('sha256').update(old).digest('hex') } });
    expect((await expectJson<Managed>(await visit('GET', `/public/manage/${old}`), 200)).appointmentId).toBe(booked.appointmentId);
  });
});
