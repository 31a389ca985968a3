// Campaigns: an SMS campaign to a tag is written in the editor (its preview following the
// typing, a refused save shown on its field), sent now, watched to completion, and its
// metrics and recipients match what was sent.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
/** No sideways scroll of the page (the browser's own globals: this file is type-checked without the DOM). */
const fitsWidth = (p: Page) => p.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
const browser = await launchBrowser();

test('create an SMS campaign to a tag, preview as you type, refuse an empty message, send now, metrics and recipients', async () => {
  const { page, shot } = await openPage(browser, app, 'campaigns');
  const { id: userId, email } = await logIn(app, page);
  // Sends go out at once whatever the hour the test runs.
  await app.db.messagingSettings.create({ data: { userId, quietHoursEnabled: false } });
  await app.db.tag.create({ data: { userId, name: 'spring', color: '#16a34a' } });
  await app.db.tag.create({ data: { userId, name: 'vip', color: '#db2777' } });
  const people = [
    { firstName: 'Ada', lastName: 'Lovelace', phone: '+15125550101' },
    { firstName: 'Bob', lastName: 'Marley', phone: '+15125550102' },
    { firstName: 'Cy', lastName: 'Young', phone: '+15125550103' },
  ];
  for (const p of people) await app.db.contact.create({ data: { userId, ...p, tags: ['spring'] } });
  await app.db.contact.create({ data: { userId, firstName: 'Dee', phone: '+15125550104', tags: ['vip'] } });

  await page.goto('/campaigns');
  await page.getByText('No campaigns yet').waitFor();
  await page.getByRole('button', { name: 'New campaign' }).click();
  await page.getByLabel('Campaign name').fill('Spring sale');
  await page.getByRole('radio', { name: 'SMS' }).check();
  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.waitForURL(/\/campaigns\/[^/?]+$/);
  const campaignId = new URL(page.url()).pathname.split('/').pop()!;

  // The audience: the tag, counted live.
  await page.getByRole('checkbox', { name: /spring/ }).check();
  await page.getByText('Reaches 3 contacts').waitFor();

  // An empty message is refused on its field, and nothing is saved.
  const message = page.getByLabel('Message', { exact: true });
  await message.fill('');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#campaign-message-error').getByText('Write the message').waitFor();
  expect(await page.locator('.field.invalid #campaign-message').count()).toBe(1);
  await page.getByText('Not saved: see the fields marked in red.').waitFor();
  expect((await app.db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).targetTags).toEqual([]);
  await shot('empty-message-refused');

  // The preview follows the typing, for the contact chosen.
  await message.fill('Hi {{ contact.firstName }}, spring sale!');
  // The message goes once the field is written in.
  expect(await page.locator('#campaign-message-error').count()).toBe(0);
  const preview = page.getByTestId('preview-body');
  await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toMatch(/^Hi (Ada|Bob|Cy), spring sale!$/);
  await page.getByLabel('Preview for contact').fill('Bob');
  await page.getByRole('option', { name: /Bob Marley/ }).click();
  await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toBe('Hi Bob, spring sale!');
  await message.press('End');
  await message.pressSequentially(' Reply {{ contact.lastName }}');
  await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toBe('Hi Bob, spring sale! Reply Marley');
  await page.getByText(/characters · 1 segment/).waitFor();
  // A template that does not parse shows in the preview before any save.
  await message.pressSequentially(' {{ contact.firstName | nope }}');
  await page.locator('.problems').getByText(/message:/).waitFor();
  for (let i = 0; i < ' {{ contact.firstName | nope }}'.length; i++) await message.press('Backspace');
  await expect.poll(() => page.locator('.problems').count(), { timeout: 10_000 }).toBe(0);
  await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toBe('Hi Bob, spring sale! Reply Marley');
  await shot('editor-preview');

  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('button', { name: 'Saved', exact: true }).waitFor();
  expect(await app.db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).toMatchObject({
    name: 'Spring sale',
    type: 'SMS',
    targetTags: ['spring'],
    message: 'Hi {{ contact.firstName }}, spring sale! Reply {{ contact.lastName }}',
    status: 'DRAFT',
  });

  // Send now, confirmed; the page follows it to completion.
  await page.getByRole('button', { name: 'Send now…' }).click();
  await page.getByText('This cannot be undone').waitFor();
  await shot('confirm-send');
  await page.getByRole('button', { name: 'Send to 3 contacts' }).click();
  const status = page.getByTestId('campaign-status');
  await expect.poll(() => status.textContent(), { timeout: 30_000, interval: 500 }).toBe('Completed');
  await page.getByRole('tab', { name: 'Metrics' }).and(page.locator('[aria-selected="true"]')).waitFor();
  await expect.poll(() => page.getByTestId('metric-sent').textContent(), { timeout: 10_000 }).toBe('3');
  expect(await page.getByTestId('metric-recipients').textContent()).toBe('3');
  expect(await page.getByTestId('metric-failed').textContent()).toBe('0');
  expect(await page.getByTestId('metric-skipped').textContent()).toBe('0');

  // The recipients: the three tagged contacts, sent, each their own text; Dee got nothing.
  const rows = page.getByRole('table', { name: 'Recipients' }).locator('tbody tr');
  await expect.poll(() => rows.count()).toBe(3);
  expect((await rows.allTextContents()).map((t) => t.match(/^(\w+ \w+)/)?.[1]).sort()).toEqual(['Ada Lovelace', 'Bob Marley', 'Cy Young']);
  for (const row of await rows.all()) expect(await row.getByText('Sent', { exact: true }).count()).toBe(1);
  const messages = await app.db.message.findMany({ where: { userId, sendGroup: `campaign:${campaignId}` }, include: { contact: true } });
  expect(messages.map((m) => [m.to, m.content, m.status]).sort()).toEqual(
    people.map((p) => [p.phone, `Hi ${p.firstName}, spring sale! Reply ${p.lastName}`, 'SENT']).sort(),
  );
  await page.waitForFunction("document.querySelector('canvas')?.style.display === 'block'"); // chart.js drew it
  await shot('metrics');

  // Filtering the recipients by status.
  await page.getByLabel('Status', { exact: true }).selectOption('FAILED');
  await page.getByText('No failed recipients.').waitFor();
  await page.getByLabel('Status', { exact: true }).selectOption('SENT');
  await expect.poll(() => rows.count()).toBe(3);

  // The list shows it completed with its counts.
  await page.getByRole('link', { name: '← Campaigns' }).click();
  const listed = page.getByRole('row').filter({ hasText: 'Spring sale' });
  await listed.getByText('Completed').waitFor();
  expect(await listed.locator('td.num').first().textContent()).toBe('3');
  await shot('list');

  // A tablet: the editor stacks, the metrics fit, nothing scrolls sideways.
  const tablet = await openPage(browser, app, 'campaigns-tablet', { width: 820, height: 1000 });
  await tablet.page.goto('/login');
  await tablet.page.getByLabel('Email').fill(email);
  await tablet.page.getByLabel('Password').fill('correct horse battery staple');
  await tablet.page.getByRole('button', { name: 'Log in' }).click();
  await tablet.page.waitForURL((url) => url.pathname === '/');
  await tablet.page.goto(`/campaigns/${campaignId}`);
  await tablet.page.getByTestId('metric-sent').waitFor();
  await tablet.page.waitForFunction("document.querySelector('canvas')?.style.display === 'block'");
  expect(await fitsWidth(tablet.page)).toBe(true);
  await tablet.shot('metrics');
  await tablet.page.getByRole('tab', { name: 'Content' }).click();
  await tablet.page.getByTestId('preview-body').waitFor();
  expect(await fitsWidth(tablet.page)).toBe(true);
  await tablet.shot('content');
  await tablet.page.goto('/campaigns');
  await tablet.page.getByRole('row').filter({ hasText: 'Spring sale' }).waitFor();
  expect(await fitsWidth(tablet.page)).toBe(true);
  await tablet.shot('list');
}, 60_000);
