// The owner's side of the calendar. Settings: a calendar made from scratch, its weekly hours,
// an appointment type with a reminder and a question, date overrides — each change seen in
// what the public page offers. The calendar screen: week, day and month views; an
// appointment booked in the dialog, rescheduled onto a taken time (409: the dialog offers
// the free ones), completed, corrected to no-show; another confirmed and cancelled; a deep
// link; the contact page's list and its "Book".
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { dateIn, newYork, seedAppointment, seedCalendar } from './calendar-fixtures.ts';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();
const laptop = { width: 1366, height: 860 };
const newYorkBrowser = { timezoneId: 'America/New_York', locale: 'en-US' };

/** The API as the signed-in page (its cookie and CSRF token). */
async function apiAs(page: Page) {
  const session = (await (await page.request.get('/api/auth/session')).json()) as { csrfToken: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await page.request.fetch(`/api${path}`, { method, data: body, headers: { 'x-csrf-token': session.csrfToken } });
    if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

/** The first date on `weekday` (1 = Monday) at least two days from today in New York. */
function next(weekday: number): string {
  for (let d = 2; ; d++) {
    const date = dateIn('America/New_York', d);
    if (((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1 === weekday) return date;
  }
}
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test('settings: hours, an appointment type and date overrides change what the booking page offers', async () => {
  const { page, shot } = await openPage(browser, app, 'calendar-settings', laptop, newYorkBrowser);
  const user = await logIn(app, page);
  await page.goto('/settings/calendars');
  await page.getByText('No calendars yet').waitFor();
  await shot('empty');

  await page.getByRole('button', { name: 'New calendar' }).click();
  const newCalendar = page.getByRole('dialog', { name: 'New calendar' });
  await newCalendar.getByLabel('Name').fill('Dr. Molar');
  await newCalendar.getByLabel('Time zone').selectOption('America/New_York');
  await newCalendar.getByRole('button', { name: 'Create calendar' }).click();
  await page.getByRole('heading', { name: 'Weekly hours' }).waitFor();
  const calendar = await app.db.calendar.findFirstOrThrow({ where: { userId: user.id } });
  expect(calendar).toMatchObject({ name: 'Dr. Molar', timeZone: 'America/New_York', bookingEnabled: true });

  // Monday 09:00–17:00 (what "+ Hours" starts with), copied to Tuesday–Friday.
  await page.getByRole('button', { name: 'Add hours on Monday' }).click();
  expect(await page.getByLabel('Monday from', { exact: true }).inputValue()).toBe('09:00');
  await page.getByRole('button', { name: 'Copy Monday to Tuesday–Friday' }).click();
  await page.getByRole('button', { name: 'Save hours' }).click();
  await page.getByText('Hours saved').waitFor();
  expect(await app.db.availabilityRule.count({ where: { calendarId: calendar.id } })).toBe(5);
  await shot('hours');

  // A type with a reminder and a question, bookable right away.
  await page.getByRole('link', { name: 'Appointment types' }).click();
  await page.getByRole('button', { name: 'New type' }).click();
  const typeDialog = page.getByRole('dialog', { name: 'New appointment type' });
  await typeDialog.getByLabel('Name', { exact: true }).fill('Checkup');
  await typeDialog.getByLabel('Length (minutes)').fill('30');
  await typeDialog.getByLabel('Minimum notice', { exact: true }).fill('0');
  await typeDialog.getByRole('button', { name: '+ Reminder' }).click();
  await typeDialog.getByRole('button', { name: '+ Question' }).click();
  await typeDialog.getByLabel('Question 1', { exact: true }).fill('Anything we should know?');
  await shot('type-dialog', { fullPage: false });
  await typeDialog.getByRole('button', { name: 'Save type' }).click();
  await page.getByRole('list', { name: 'Appointment types' }).getByText('Checkup', { exact: true }).waitFor();
  const type = await app.db.appointmentType.findFirstOrThrow({ where: { calendarId: calendar.id } });
  expect(type).toMatchObject({ name: 'Checkup', slug: 'checkup', durationMin: 30, minNoticeMin: 0, isPublic: true, active: true });
  expect(type.reminders).toEqual([{ offsetMin: 1440, channel: 'EMAIL' }]);
  expect(type.questions).toEqual([expect.objectContaining({ id: 'anything_we_should_know', label: 'Anything we should know?', kind: 'text', required: false })]);
  await shot('types');

  /** How many times the public page offers on a New York date. */
  const offered = async (date: string) => {
    const query = new URLSearchParams({ from: newYork(date, 0).toISOString(), to: newYork(plusDays(date, 1), 0).toISOString(), tz: 'America/New_York' });
    const res = await page.request.get(`/api/calendar/public/pages/${calendar.publicSlug}/types/checkup/slots?${query}`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { days: { date: string; slots: unknown[] }[] };
    return body.days.filter((d) => d.date === date).flatMap((d) => d.slots).length;
  };
  const monday = next(1);
  const saturday = next(6);
  expect(await offered(monday)).toBe(16);
  expect(await offered(saturday)).toBe(0);

  // Saturday mornings too: 10:00–12:00.
  await page.getByRole('link', { name: 'Hours', exact: true }).click();
  await page.getByRole('button', { name: 'Add hours on Saturday' }).click();
  await page.getByLabel('Saturday from', { exact: true }).fill('10:00');
  await page.getByLabel('Saturday until', { exact: true }).fill('12:00');
  await page.getByRole('button', { name: 'Save hours' }).click();
  await page.getByText('Hours saved').waitFor();
  await expect.poll(() => offered(saturday)).toBe(4);

  // That Monday is a holiday; that Saturday opens only 10:00–11:00.
  await page.getByRole('link', { name: 'Date overrides' }).click();
  await page.getByLabel('Date', { exact: true }).fill(monday);
  await page.getByLabel('Note (optional)').fill('Holiday');
  await page.getByRole('button', { name: 'Save date' }).click();
  await page.getByRole('list', { name: 'Overrides' }).getByText('Holiday').waitFor();
  await page.getByLabel('Date', { exact: true }).fill(saturday);
  await page.getByLabel('Open these hours').check();
  await page.getByLabel('Opens', { exact: true }).fill('10:00');
  await page.getByLabel('Closes', { exact: true }).fill('11:00');
  await page.getByRole('button', { name: 'Save date' }).click();
  await page.getByRole('list', { name: 'Overrides' }).getByText('10:00–11:00').waitFor();
  expect(await offered(monday)).toBe(0);
  expect(await offered(saturday)).toBe(2);
  await shot('overrides');

  // The booking page tab: its address and the embed code.
  await page.getByRole('link', { name: 'Booking page' }).click();
  await page.getByTestId('booking-link').getByText(`/book/${calendar.publicSlug}`).waitFor();
  expect(await page.getByLabel('Embed code').inputValue()).toContain(`data-soshogle-booking="${calendar.publicSlug}"`);
  await page.getByLabel('Introduction (optional)').fill('Check-ups and cleanings.');
  await page.getByRole('button', { name: 'Save booking page' }).click();
  await page.getByText('Booking page saved').waitFor();
  expect((await app.db.calendar.findUniqueOrThrow({ where: { id: calendar.id } })).pageIntro).toBe('Check-ups and cleanings.');
  await shot('booking-page');
}, 120_000);

test('the calendar: views, book in the dialog, reschedule past a taken time, complete, no-show, cancel', async () => {
  const { page, shot } = await openPage(browser, app, 'calendar', laptop, newYorkBrowser);
  const user = await logIn(app, page);
  const call = await apiAs(page);
  const cal = await seedCalendar(app, user.id, { color: '#0d9488' });
  const dana = await call<{ id: string }>('POST', '/crm/contacts', { firstName: 'Dana', lastName: 'Molar', email: 'dana@molar.test' });
  const monday = next(1);

  await page.goto(`/calendar?view=week&date=${monday}`);
  await page.getByTestId('no-appointments').waitFor();
  await shot('week-empty');

  // Booked in the dialog, at a time its free slots offer.
  await page.getByRole('button', { name: 'New appointment' }).click();
  const dialog = page.getByRole('dialog', { name: 'New appointment' });
  await dialog.getByLabel('Appointment type').selectOption({ label: 'First visit · 30 min' });
  await dialog.getByLabel('Contact', { exact: true }).fill('Dan');
  await dialog.getByRole('option', { name: /Dana Molar/ }).click();
  await dialog.getByLabel('Date', { exact: true }).fill(monday);
  await dialog.getByRole('list', { name: /^Free times on / }).getByRole('button', { name: '10:00 AM', exact: true }).click();
  expect(await dialog.getByLabel(/^Time/).inputValue()).toBe('10:00');
  await shot('new-appointment', { fullPage: false });
  await dialog.getByRole('button', { name: 'Book appointment' }).click();
  const first = page.getByRole('button', { name: /^First visit with Dana Molar, Monday, .*10:00 AM to 10:30 AM, Scheduled$/ });
  await first.waitFor();
  const booked = await app.db.appointment.findFirstOrThrow({ where: { userId: user.id, contactId: dana.id } });
  expect(booked).toMatchObject({ calendarId: cal.calendarId, appointmentTypeId: cal.typeId, status: 'SCHEDULED', source: 'ADMIN' });
  expect(booked.startTime.toISOString()).toBe(newYork(monday, 10).toISOString());

  // Someone else holds 11:00; moving there is refused with the free times offered.
  const other = await seedAppointment(app, user.id, { calendarId: cal.calendarId, typeId: cal.typeId, start: newYork(monday, 11), title: 'Walk-in' });
  await page.reload();
  await first.click();
  const open = page.getByRole('dialog', { name: 'First visit' });
  await open.getByRole('button', { name: 'Reschedule' }).click();
  await open.getByLabel(/^New time/).fill('11:00');
  await open.getByRole('button', { name: 'Move appointment' }).click();
  const taken = open.getByRole('alert').filter({ hasText: 'That time is taken.' });
  await taken.waitFor();
  await shot('reschedule-taken', { fullPage: false });
  await taken.getByRole('button', { name: /11:30 AM$/ }).click();
  expect(await open.getByLabel(/^New time/).inputValue()).toBe('11:30');
  await open.getByRole('button', { name: 'Move appointment' }).click();
  await page.getByText('Appointment moved').waitFor();
  expect((await app.db.appointment.findUniqueOrThrow({ where: { id: booked.id } })).startTime.toISOString()).toBe(newYork(monday, 11, 30).toISOString());

  // Completed, then corrected to a no-show.
  await open.getByRole('button', { name: 'Mark completed' }).click();
  await expect.poll(() => open.getByTestId('appointment-status').textContent()).toBe('Completed');
  await open.getByRole('button', { name: 'Mark no-show' }).click();
  await expect.poll(() => open.getByTestId('appointment-status').textContent()).toBe('No-show');
  expect((await app.db.appointment.findUniqueOrThrow({ where: { id: booked.id } })).status).toBe('NO_SHOW');
  await shot('no-show', { fullPage: false });
  await open.getByRole('button', { name: 'Close' }).click();

  // The walk-in: confirmed, then cancelled with a reason.
  await page.getByRole('button', { name: /^Walk-in, Monday, .*11:00 AM to 11:30 AM, Scheduled$/ }).click();
  const walkIn = page.getByRole('dialog', { name: 'Walk-in' });
  await walkIn.getByRole('button', { name: 'Confirm' }).click();
  await expect.poll(() => walkIn.getByTestId('appointment-status').textContent()).toBe('Confirmed');
  await walkIn.getByRole('button', { name: 'Cancel appointment' }).click();
  await walkIn.getByLabel('Reason (optional)').fill('Called to cancel');
  await walkIn.getByRole('button', { name: 'Cancel appointment' }).click();
  await expect.poll(() => walkIn.getByTestId('appointment-status').textContent()).toBe('Cancelled');
  expect(await app.db.appointment.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ status: 'CANCELLED', cancelReason: 'Called to cancel' });
  await walkIn.getByRole('button', { name: 'Close' }).click();
  await shot('week');

  // Day and month.
  await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Day' }).click();
  await page.getByRole('button', { name: /^First visit with Dana Molar, .*No-show$/ }).waitFor();
  await shot('day');
  await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Month' }).click();
  await page.getByRole('button', { name: /^First visit with Dana Molar, 11:30 AM, No-show$/ }).waitFor();
  await shot('month');

  // A deep link (the timeline's) opens the appointment; the contact page lists it.
  await page.goto(`/calendar?appointment=${booked.id}`);
  await page.getByRole('dialog', { name: 'First visit' }).getByText('Dana Molar').waitFor();
  await page.goto(`/contacts/${dana.id}`);
  await page.getByRole('region', { name: 'Appointments' }).getByRole('link', { name: 'First visit' }).waitFor();
  await shot('contact');
  // "Book" there starts a new appointment with them.
  await page.getByRole('region', { name: 'Appointments' }).getByRole('link', { name: 'Book' }).click();
  await page.getByRole('dialog', { name: 'New appointment' }).getByText('Dana Molar').waitFor();
}, 120_000);
