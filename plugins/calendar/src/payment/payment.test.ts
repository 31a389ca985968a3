// Appointment types that require payment, end to end over HTTP against the real payments
// plugin in sandbox mode (no provider connected): a booking of a priced type holds its time
// and answers the pay link; paying on the public sandbox route confirms it (the payments
// event, heard by the calendar); unpaid past the hold (the release run with a clock the test
// sets), it is cancelled by the system and its time is free again.
import { importPlugins } from '@soshogle/core';
import { eventRecorder, eventually, expectJson, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import calendar from '../index.ts';
import { bookingPageOn, type BookingPage } from '../testing/booking-page.ts';
import { appointmentReference, defaultHoldMinutes } from './request.ts';
import { releaseUnpaid, releaseUnpaidBooking } from './release.ts';

const plugins = await importPlugins(['@soshogle/plugin-crm', '@soshogle/plugin-messaging', '@soshogle/plugin-payments']);
const recorder = eventRecorder(['calendar.appointment_cancelled']);
const soshogle = await startTestSoshogle([...plugins, calendar, recorder.plugin], {
  CALENDAR_BOOKINGS_PER_IP_HOUR: '100000',
  CALENDAR_SLOT_READS_PER_IP_MINUTE: '100000',
});
const { db } = soshogle;
const api = '/api/calendar';
const minute = 60_000;

const { page, visit, ready } = bookingPageOn(soshogle);

interface Booked { appointmentId: string; start: string; manageUrl: string; payUrl: string | null; paymentDueAt: string | null }

const book = async (p: BookingPage, formToken: string, start: string, email = 'grace@example.test') =>
  expectJson<Booked>(
    await visit('POST', `${api}/public/pages/${p.slug}/bookings`, {
      typeSlug: 'consultation', start, timeZone: 'Europe/Paris', name: 'Grace Hopper', email, consent: { email: true, sms: false }, formToken,
    }),
    201,
  );

const payToken = (b: Booked) => b.payUrl!.split('/pay/')[1]!;
const payInSandbox = (b: Booked, outcome: 'succeed' | 'decline') => visit('POST', `/api/payments/public/pay/${payToken(b)}/sandbox`, { outcome });

describe('an appointment type with a price', () => {
  it('is set with its currency and hold in the admin API, shown on the public page, and refused without a currency', async () => {
    const p = await page({ price: '49.90', currency: 'eur', paymentHoldMinutes: 15 });
    const type = await expectJson<{ price: string; currency: string; paymentHoldMinutes: number }>(await p.owner.request('GET', `${api}/types/${p.typeId}`), 200);
    expect([Number(type.price), type.currency, type.paymentHoldMinutes]).toEqual([49.9, 'EUR', 15]);
    const shown = await expectJson<{ types: { price: string; currency: string; paymentHoldMinutes: number }[] }>(await visit('GET', `${api}/public/pages/${p.slug}`), 200);
    expect(shown.types.map((t) => [Number(t.price), t.currency, t.paymentHoldMinutes])).toEqual([[49.9, 'EUR', 15]]);

    const fields = async (res: Response) => (await expectJson<{ errors: { field: string }[] }>(res, 422)).errors.map((e) => e.field);
    expect(await fields(await p.owner.request('PATCH', `${api}/types/${p.typeId}`, { currency: null }))).toEqual(['body.currency']);
    expect(await fields(await p.owner.request('PATCH', `${api}/types/${p.typeId}`, { price: '-3' }))).toEqual(['body.price']);
    expect(await fields(await p.owner.request('PATCH', `${api}/types/${p.typeId}`, { paymentHoldMinutes: 1 }))).toEqual(['body.paymentHoldMinutes']);
    // Free again: the page shows no price.
    await expectJson(await p.owner.request('PATCH', `${api}/types/${p.typeId}`, { price: null }), 200);
    expect((await expectJson<{ types: { price: string | null }[] }>(await visit('GET', `${api}/public/pages/${p.slug}`), 200)).types[0]!.price).toBeNull();
  });

  it('holds the booked time awaiting a sandbox payment, answers the pay link, and is confirmed once paid on the pay page', async () => {
    const p = await page({ price: '40', currency: 'USD' });
    const { starts, formToken } = await ready(p);
    const before = Date.now();
    const booked = await book(p, formToken, starts[0]!);
    expect(booked.payUrl).toMatch(/\/pay\/[\w-]{32,}$/);

    const appointment = await db.appointment.findUniqueOrThrow({ where: { id: booked.appointmentId } });
    expect(appointment).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'AWAITING' });
    const dueAt = appointment.paymentDueAt!.getTime();
    expect(dueAt).toBeGreaterThanOrEqual(before + defaultHoldMinutes * minute);
    expect(dueAt).toBeLessThanOrEqual(Date.now() + defaultHoldMinutes * minute);
    expect(new Date(booked.paymentDueAt!).getTime()).toBe(dueAt);

    const payment = await db.payment.findUniqueOrThrow({ where: { id: appointment.paymentId! } });
    expect(payment).toMatchObject({
      userId: p.owner.userId, contactId: appointment.contactId, status: 'PENDING', sandbox: true, currency: 'USD', source: 'BOOKING',
      reference: appointmentReference(appointment.id), key: appointmentReference(appointment.id), payToken: payToken(booked),
    });
    expect(payment.amount.toString()).toBe('40');
    expect(payment.expiresAt!.getTime()).toBe(dueAt);
    // The release is queued for the hold's end.
    const jobs = await db.$queryRaw<{ runAt: Date }[]>`
      select j.run_at as "runAt" from graphile_worker._private_jobs j
      where j.payload->>'key' = 'calendar.release_unpaid_booking' and j.payload->'payload'->>'appointmentId' = ${appointment.id}`;
    expect(jobs.map((j) => j.runAt.getTime())).toEqual([dueAt]);
    // The confirmation email carries the pay link.
    const [confirmation] = await db.message.findMany({ where: { userId: p.owner.userId } });
    expect(confirmation!.content).toContain(booked.payUrl);

    await expectJson(await payInSandbox(booked, 'succeed'), 200);
    expect(await db.appointment.findUniqueOrThrow({ where: { id: appointment.id } })).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'PAID' });
    // The hold's end finds it paid: nothing to release.
    const ctx = soshogle.tenantContext('calendar', p.owner.userId);
    expect(await ctx.db.$transaction((tx) => releaseUnpaid(tx, ctx, appointment.id, new Date(dueAt + minute)))).toBe(false);
    expect((await db.appointment.findUniqueOrThrow({ where: { id: appointment.id } })).status).toBe('CONFIRMED');
  });

  it('stays held after a declined payment, is cancelled unpaid when the hold ends, and its time can be booked again', async () => {
    const p = await page({ price: '25.50', currency: 'USD', paymentHoldMinutes: 10 });
    const { starts, formToken } = await ready(p);
    const booked = await book(p, formToken, starts[0]!);
    // Declined: the payer may try again until the hold ends.
    await expectJson(await payInSandbox(booked, 'decline'), 200);
    const held = await db.appointment.findUniqueOrThrow({ where: { id: booked.appointmentId } });
    expect(held).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'AWAITING' });
    // The time is still held.
    expect((await visit('POST', `${api}/public/pages/${p.slug}/bookings`, { typeSlug: 'consultation', start: starts[0], timeZone: 'Europe/Paris', name: 'Ada', email: 'ada@example.test', formToken })).status).toBe(409);

    const ctx = soshogle.tenantContext('calendar', p.owner.userId);
    const dueAt = held.paymentDueAt!.getTime();
    const release = (now: number) => ctx.db.$transaction((tx) => releaseUnpaid(tx, ctx, held.id, new Date(now)));
    expect(await release(dueAt - 1_000)).toBe(false);
    expect(await release(dueAt + 1_000)).toBe(true);
    expect(await db.appointment.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({ status: 'CANCELLED', cancelReason: 'unpaid', paymentStatus: 'EXPIRED' });
    const heard = await eventually(async () => recorder.heard.find((e) => e.payload.appointmentId === held.id));
    expect(heard.payload).toMatchObject({ cancelledBy: 'system', reason: 'unpaid' });
    // Run again (a retried job): nothing more happens.
    await releaseUnpaidBooking.run({ ...ctx, attempt: 2, maxAttempts: 10 }, { appointmentId: held.id });
    expect((await db.appointment.findUniqueOrThrow({ where: { id: held.id } })).version).toBe(held.version + 1);

    // The time is free: another visitor books it (and gets a payment of their own).
    const next = await book(p, formToken, starts[0]!, 'ada@example.test');
    expect(next.payUrl).not.toBe(booked.payUrl);
    expect((await db.appointment.findUniqueOrThrow({ where: { id: next.appointmentId } })).paymentStatus).toBe('AWAITING');

    // A payment that lands after the release (its link was still open) is recorded on the cancelled booking, which stays cancelled.
    await expectJson(await payInSandbox(booked, 'succeed'), 200);
    expect(await db.appointment.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({ status: 'CANCELLED', paymentStatus: 'PAID' });
    expect((await db.appointment.findUniqueOrThrow({ where: { id: next.appointmentId } })).status).toBe('SCHEDULED');
  });
});
