// The public booking page, as a visitor in Tokyo books a New York calendar: the times are
// shown in Tokyo (the labels prove the conversion), the booking lands at the right instant,
// the manage link moves it and cancels it; at a phone's width and a laptop's. Two visitors
// racing for one time: one is booked, the other is told it was just taken and offered
// others. A form robot filling the hidden field is told it booked and nothing is stored. And
// the embed script sizes its iframe to the page.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { hashPassword } from '@soshogle/core/testing';
import { dateIn, longDay, newYork, seedCalendar } from './calendar-fixtures.ts';
import { hostSite, launchBrowser, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();
const tokyo = { timezoneId: 'Asia/Tokyo', locale: 'en-US' };
/** A time as the page writes it in Tokyo ("1:00 AM"; plain spaces, as the page uses). */
const tokyoClock = (at: Date) => new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', hour: 'numeric', minute: '2-digit' }).format(at).replace(/\s/g, ' ');
const owner = await app.db.user.create({
  data: { email: 'owner@molar.test', password: await hashPassword('correct horse battery staple'), role: 'USER', businessName: 'Molar & Co', timezone: 'America/New_York', onboardingStep: 3, onboardingComplete: true },
});
const cal = await seedCalendar(app, owner.id);

/** Opens the page and picks `date` (Tokyo) and `time` (as Tokyo reads it) in the day strip. */
async function pickTime(page: Page, date: string, time: string) {
  await page.goto(`/book/${cal.slug}`);
  await page.getByRole('heading', { name: 'Book with Dr. Molar' }).waitFor();
  await page.getByRole('button', { name: new RegExp(`^${longDay(date)}, \\d+ free`) }).click();
  await page.getByRole('list', { name: `Free times on ${longDay(date)}` }).getByRole('button', { name: time, exact: true }).click();
}

/** Fills the booking form; waits out the page's two-second "too fast to be a person" rule. */
async function fillForm(page: Page, who: { name: string; email: string }) {
  await page.getByLabel('Your name').fill(who.name);
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('What brings you in?').fill('A cracked filling');
  await page.waitForTimeout(2_100);
}

test.each([
  { name: 'phone', viewport: { width: 390, height: 844 } },
  { name: 'laptop', viewport: { width: 1366, height: 860 } },
])('a Tokyo visitor books a New York calendar, then moves and cancels it from the manage link ($name)', async ({ name, viewport }) => {
  const { page, shot } = await openPage(browser, app, `booking-${name}`, viewport, tokyo);
  // 11:00 in New York, a few days ahead, is 01:00 the next day in Tokyo (14 hours ahead in winter, 13 in summer).
  const nyDate = dateIn('America/New_York', name === 'phone' ? 3 : 4);
  const start = newYork(nyDate, 11);
  const tokyoDate = dateIn('Asia/Tokyo', 0, start);
  const tokyoTime = tokyoClock(start);

  await page.goto(`/book/${cal.slug}`);
  await page.getByRole('heading', { name: 'Book with Dr. Molar' }).waitFor();
  expect(await page.getByLabel('Times shown in').inputValue()).toBe('Asia/Tokyo');
  await page.getByRole('button', { name: new RegExp(`^${longDay(tokyoDate)}, \\d+ free`) }).click();
  const times = page.getByRole('list', { name: `Free times on ${longDay(tokyoDate)}` });
  await times.getByRole('button', { name: tokyoTime, exact: true }).waitFor();
  // 09:00–17:00 in New York is 23:00–07:00 in Tokyo: no Tokyo morning after 07:00 is offered.
  expect(await times.getByRole('button', { name: '9:00 AM', exact: true }).count()).toBe(0);
  await shot('slots');
  await times.getByRole('button', { name: tokyoTime, exact: true }).click();

  await fillForm(page, { name: `Kenji ${name}`, email: `kenji-${name}@example.test` });
  await shot('form');
  await page.getByRole('button', { name: 'Book it' }).click();
  await page.getByRole('heading', { name: 'You are booked' }).waitFor();
  await shot('booked');

  const booked = await app.db.appointment.findFirstOrThrow({ where: { userId: owner.id, contact: { email: `kenji-${name}@example.test` } } });
  expect(booked).toMatchObject({ calendarId: cal.calendarId, appointmentTypeId: cal.typeId, source: 'BOOKING_PAGE', status: 'SCHEDULED' });
  expect(booked.startTime.toISOString()).toBe(start.toISOString());
  expect(booked.answers).toEqual({ reason: 'A cracked filling' });

  // The manage link: the booking in Tokyo time, moved an hour later, then cancelled.
  await page.getByRole('link', { name: 'Reschedule or cancel' }).click();
  await page.getByRole('heading', { name: 'Your booking' }).waitFor();
  await page.getByText(tokyoTime).first().waitFor();
  const later = newYork(nyDate, 12);
  await page.getByRole('button', { name: 'Reschedule' }).click();
  await page.getByRole('button', { name: new RegExp(`^${longDay(tokyoDate)}, \\d+ free`) }).click();
  await page.getByRole('list', { name: `Free times on ${longDay(tokyoDate)}` }).getByRole('button', { name: tokyoClock(later), exact: true }).click();
  await page.getByText('Your booking was moved.').waitFor();
  await page.getByText(tokyoClock(later)).first().waitFor();
  expect((await app.db.appointment.findUniqueOrThrow({ where: { id: booked.id } })).startTime.toISOString()).toBe(later.toISOString());
  await shot('moved');
  await page.getByRole('button', { name: 'Cancel booking' }).click();
  await page.getByLabel('Reason (optional)').fill('Feeling better');
  await page.getByRole('button', { name: 'Cancel booking' }).click();
  await page.getByText('Your booking is cancelled.').waitFor();
  await shot('cancelled');
  const cancelled = await app.db.appointment.findUniqueOrThrow({ where: { id: booked.id } });
  expect(cancelled.status).toBe('CANCELLED');
}, 60_000);

test('two visitors race for one time: one is booked, the other is offered fresh times', async () => {
  const a = await openPage(browser, app, 'booking-race-a', { width: 1366, height: 860 }, tokyo);
  const b = await openPage(browser, app, 'booking-race-b', { width: 1366, height: 860 }, tokyo);
  const start = newYork(dateIn('America/New_York', 5), 14);
  const date = dateIn('Asia/Tokyo', 0, start);
  const time = tokyoClock(start);
  for (const [t, who] of [[a, 'Aiko'], [b, 'Botan']] as const) {
    await pickTime(t.page, date, time);
    await fillForm(t.page, { name: who, email: `${who.toLowerCase()}@example.test` });
  }
  await Promise.all([a.page.getByRole('button', { name: 'Book it' }).click(), b.page.getByRole('button', { name: 'Book it' }).click()]);
  const outcome = async (page: Page) =>
    Promise.race([
      page.getByRole('heading', { name: 'You are booked' }).waitFor().then(() => 'booked' as const),
      page.getByRole('alert').filter({ hasText: 'That time was just taken.' }).waitFor().then(() => 'taken' as const),
    ]);
  const outcomes = await Promise.all([outcome(a.page), outcome(b.page)]);
  expect([...outcomes].sort()).toEqual(['booked', 'taken']);
  const loser = outcomes[0] === 'taken' ? a : b;
  const alert = loser.page.getByRole('alert').filter({ hasText: 'That time was just taken.' });
  expect(await alert.getByRole('button').count()).toBeGreaterThan(0);
  await loser.shot('taken');
  expect(await app.db.appointment.count({ where: { userId: owner.id, startTime: start, status: { in: ['SCHEDULED', 'CONFIRMED'] } } })).toBe(1);

  // The loser takes an offered time and is booked.
  await alert.getByRole('button').first().click();
  await loser.page.getByRole('button', { name: 'Book it' }).click();
  await loser.page.getByRole('heading', { name: 'You are booked' }).waitFor();
  await loser.shot('booked-instead');
}, 60_000);

test('a form robot filling the hidden field is told it booked, and nothing is stored', async () => {
  const { page, shot } = await openPage(browser, app, 'booking-honeypot', { width: 1366, height: 860 }, tokyo);
  const start = newYork(dateIn('America/New_York', 6), 15);
  await pickTime(page, dateIn('Asia/Tokyo', 0, start), tokyoClock(start));
  await fillForm(page, { name: 'Spam Bot', email: 'bot@spam.test' });
  await page.locator('#bk-website').fill('https://cheap-pills.test', { force: true });
  await page.getByRole('button', { name: 'Book it' }).click();
  await page.getByRole('heading', { name: 'You are booked' }).waitFor();
  await shot('robot-told-booked');
  expect(await app.db.appointment.count({ where: { userId: owner.id, startTime: start } })).toBe(0);
  expect(await app.db.contact.count({ where: { userId: owner.id, email: 'bot@spam.test' } })).toBe(0);
}, 60_000);

test('the embed script puts the page in an iframe as tall as the page', async () => {
  const { page, shot } = await openPage(browser, app, 'booking-embed', { width: 1366, height: 860 }, tokyo);
  // The dentist's own site: a page on another origin that pastes the embed code.
  const site = await hostSite(`<!doctype html><title>Our dentist</title><h1>Book a visit</h1><script src="${app.url}/embed/booking.js" data-soshogle-booking="${cal.slug}" async></script><p>Footer</p>`);
  await page.goto(`${site}/`);
  const frame = page.frameLocator('iframe[title="Book an appointment"]');
  await frame.getByRole('heading', { name: 'Book with Dr. Molar' }).waitFor();
  // Embedded: no "Scheduling by" footer, and the iframe follows the page's height.
  expect(await frame.getByText('Scheduling by Soshogle').count()).toBe(0);
  const iframe = page.locator('iframe[title="Book an appointment"]');
  await expect.poll(async () => (await iframe.boundingBox())?.height).not.toBe(640);
  const inner = await frame.locator('html').evaluate((el) => Math.ceil(el.getBoundingClientRect().height));
  await expect.poll(async () => Math.round((await iframe.boundingBox())?.height ?? 0)).toBe(inner);
  await shot('embedded');
}, 60_000);
