// Settings › Calendar sync as an owner uses it. Microsoft has no OAuth client here, so it
// connects in sandbox mode; Google's client points at the local Google fake, so Connect and
// Reconnect go through a real consent redirect and the OAuth callback page; Apple's
// app-specific password is checked against the local CalDAV fake.
import { startCaldavFake } from '@soshogle/plugin-calendar/testing/caldav-fake';
import { startGoogleFake } from '@soshogle/plugin-calendar/testing/google-fake';
import { afterAll, describe, expect, test } from 'vitest';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

const google = await startGoogleFake({ clientId: 'e2e-google-client', clientSecret: 'e2e-google-secret' });
const apple = { username: 'owner@icloud.test', password: 'abcd-efgh-ijkl-mnop' };
const caldav = await startCaldavFake(apple);
afterAll(async () => {
  await google.close();
  await caldav.close();
});
const app = await startApp({
  // The CalDAV fake listens on 127.0.0.1.
  CALENDAR_CALDAV_PRIVATE_SERVERS: 'true',
  CALENDAR_WEBHOOK_SECRET: 'calendar-webhook-secret-for-e2e',
  CALENDAR_GOOGLE_CLIENT_ID: 'e2e-google-client',
  CALENDAR_GOOGLE_CLIENT_SECRET: 'e2e-google-secret',
  CALENDAR_GOOGLE_OAUTH_URL: google.url,
  CALENDAR_GOOGLE_API_URL: `${google.url}/`,
});
const browser = await launchBrowser();
const { db } = app;

const ourCalendar = (userId: string, name: string) =>
  db.calendar.create({ data: { userId, name, timeZone: 'America/New_York', publicSlug: `${name.toLowerCase().replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2, 8)}` } });

describe('calendar connections', () => {
  test('sandbox connect, choose what a calendar blocks and where appointments are written, sync now, disconnect', async () => {
    const { page, shot } = await openPage(browser, app, 'calendar-connections');
    const user = await logIn(app, page);
    const ada = await ourCalendar(user.id, 'Dr Ada');
    await page.goto('/settings');
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Calendar sync' }).click();
    await page.waitForURL('**/settings/calendar-connections');
    await page.getByText('No calendar account connected yet.').waitFor();
    await shot('empty');

    await page.getByRole('button', { name: 'Connect Microsoft' }).click();
    const card = page.locator('article.connection');
    await expect.poll(() => card.getByTestId('connection-status').textContent()).toBe('Sandbox');
    await card.getByText('Sandbox mode:').waitFor();
    const connection = await db.calendarConnection.findFirstOrThrow({ where: { userId: user.id }, include: { externalCalendars: true } });
    expect(connection).toMatchObject({ provider: 'microsoft', status: 'SANDBOX' });
    const sandbox = connection.externalCalendars[0]!;

    // Its busy time blocks Dr Ada's slots, all-day events aside.
    await page.getByLabel('What Sandbox calendar blocks').selectOption({ label: 'Dr Ada' });
    await expect.poll(async () => (await db.externalCalendar.findUniqueOrThrow({ where: { id: sandbox.id } })).blocksCalendarId).toBe(ada.id);
    await card.getByLabel('Block the day').uncheck();
    await expect.poll(async () => (await db.externalCalendar.findUniqueOrThrow({ where: { id: sandbox.id } })).allDayBlocks).toBe(false);
    await page.getByLabel('Where Dr Ada writes its appointments').selectOption({ label: 'Sandbox calendar (Microsoft · sandbox@example.invalid)' });
    await expect.poll(async () => (await db.calendar.findUniqueOrThrow({ where: { id: ada.id } })).writeTargetId).toBe(sandbox.id);
    // A reload shows what was saved.
    await page.reload();
    await expect.poll(() => page.getByLabel('What Sandbox calendar blocks').inputValue()).toBe(ada.id);
    expect(await page.getByLabel('Block the day').isChecked()).toBe(false);
    expect(await page.getByLabel('Where Dr Ada writes its appointments').inputValue()).toBe(sandbox.id);

    // Nothing to read from a simulated calendar: no Sync now.
    expect(await card.getByRole('button', { name: /^Sync/ }).count()).toBe(0);
    await shot('sandbox-connected');
    // At phone width the tables scroll inside their cards, the page does not scroll sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('sandbox-connected-phone');
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.setViewportSize({ width: 1366, height: 860 });

    await page.getByRole('button', { name: /^Disconnect Microsoft/ }).click();
    await page.locator('dialog[open]').getByRole('button', { name: 'Disconnect' }).click();
    await page.getByText('No calendar account connected yet.').waitFor();
    expect(await db.calendarConnection.count({ where: { userId: user.id } })).toBe(0);
  });

  test('a BROKEN Google connection shows the Reconnect banner and reconnects in place through the consent page; Apple refuses a wrong password on its field', async () => {
    const { page, shot } = await openPage(browser, app, 'calendar-connections-broken');
    const user = await logIn(app, page);
    const ada = await ourCalendar(user.id, 'Dr Ada');
    const broken = await db.calendarConnection.create({
      data: { userId: user.id, provider: 'google', status: 'BROKEN', accountEmail: 'owner@example.test', brokenAt: new Date(), brokenReason: 'Google said invalid_grant: the access was revoked.' },
    });
    const work = await db.externalCalendar.create({ data: { userId: user.id, connectionId: broken.id, remoteId: 'primary-calendar@example.test', name: 'Work', blocksCalendarId: ada.id } });

    await page.goto('/settings/calendar-connections');
    const banner = page.getByRole('alert').filter({ hasText: 'Google stopped accepting this connection.' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('invalid_grant');
    expect(await page.getByTestId('connection-status').textContent()).toBe('Broken');
    await shot('broken-banner');

    // Reconnect: off to the (fake) consent page, back to the callback page, back here, ACTIVE, same row.
    await banner.getByRole('button', { name: 'Reconnect' }).click();
    await page.waitForURL('**/settings/calendar-connections');
    await expect.poll(() => page.getByTestId('connection-status').textContent()).toBe('Active');
    expect(await page.getByRole('alert').filter({ hasText: 'stopped accepting' }).count()).toBe(0);
    const reconnected = await db.calendarConnection.findUniqueOrThrow({ where: { id: broken.id }, include: { externalCalendars: true } });
    expect(reconnected).toMatchObject({ status: 'ACTIVE', brokenAt: null, oauthStateHash: null });
    // Its calendar and the choice made for it stay.
    expect(reconnected.externalCalendars.map((c) => ({ id: c.id, blocks: c.blocksCalendarId }))).toEqual([{ id: work.id, blocks: ada.id }]);
    expect(await db.calendarConnection.count({ where: { userId: user.id } })).toBe(1);
    await shot('reconnected');

    // An event made in Google since: Sync now reads it in as busy time.
    const busyIn = () => db.externalBusyBlock.count({ where: { externalCalendarId: work.id } });
    await expect.poll(busyIn, { timeout: 10_000 }).toBe(0);
    await expect.poll(async () => (await db.externalCalendar.findUniqueOrThrow({ where: { id: work.id } })).syncToken, { timeout: 10_000 }).toBeTruthy();
    const tomorrow = new Date(Date.now() + 86_400_000);
    google.addBusy('primary-calendar@example.test', { start: tomorrow, end: new Date(tomorrow.getTime() + 3_600_000), summary: 'Dentist' });
    await page.getByRole('button', { name: 'Sync Work now' }).click();
    await page.getByText('Reading Work in now').waitFor();
    await expect.poll(busyIn, { timeout: 10_000 }).toBe(1);

    // Apple: the API's 422 on the password lands under that field.
    await page.getByRole('button', { name: 'Connect Apple' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Apple ID').fill(apple.username);
    await dialog.getByLabel('App-specific password').fill('my-apple-id-password');
    await dialog.getByText('Another CalDAV server').click();
    await dialog.getByLabel('CalDAV server').fill(caldav.url);
    await dialog.getByRole('button', { name: 'Connect Apple' }).click();
    await expect.poll(() => dialog.locator('.field.invalid').first().textContent()).toMatch(/app-specific password/);
    expect(await dialog.locator('.field.invalid label').allTextContents()).toEqual(['App-specific password']);
    await shot('apple-refused', { fullPage: false });
    await dialog.getByLabel('App-specific password').fill(apple.password);
    await dialog.getByRole('button', { name: 'Connect Apple' }).click();
    await page.getByRole('heading', { name: `Apple · ${apple.username}` }).waitFor();
    expect(await db.calendarConnection.findFirst({ where: { userId: user.id, provider: 'apple' }, select: { status: true } })).toEqual({ status: 'ACTIVE' });
    await shot('google-and-apple');
  });

  test('the OAuth callback page shows a refused state and the provider’s own refusal, and starts again', async () => {
    const { page, shot } = await openPage(browser, app, 'calendar-connections-callback');
    const user = await logIn(app, page);
    await page.goto('/settings/calendars/oauth/google?code=some-code&state=not-a-state-we-made');
    await expect.poll(() => page.getByTestId('oauth-error').textContent()).toBe('This connection attempt has expired or was already used. Start connecting again.');
    await shot('bad-state');
    // Starting again from here goes through the consent page and lands on the connections screen, connected.
    await page.getByRole('button', { name: 'Connect Google again' }).click();
    await page.waitForURL('**/settings/calendar-connections');
    await expect.poll(() => page.getByTestId('connection-status').textContent()).toBe('Active');
    await page.goto('/settings/calendars/oauth/microsoft?error=access_denied&error_description=The%20user%20declined');
    await expect.poll(() => page.getByTestId('oauth-error').textContent()).toBe('Microsoft did not connect: The user declined');
    await page.getByRole('link', { name: 'Back to calendar sync' }).click();
    await page.waitForURL('**/settings/calendar-connections');
    expect(await db.calendarConnection.findMany({ where: { userId: user.id }, select: { provider: true, status: true } })).toEqual([{ provider: 'google', status: 'ACTIVE' }]);
  });
});
