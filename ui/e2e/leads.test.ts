// Leads: a sandbox Google Places search with its progress, the results, status changes
// (one and in bulk), and converting a lead into a contact with a deal.
import path from 'node:path';
import { expect, test } from 'vitest';
import { launchBrowser, logIn, openPage, screenshotsDir, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();

test('sandbox search, progress, statuses and conversion', async () => {
  const { page, shot } = await openPage(browser, app, 'leads');
  const user = await logIn(app, page);
  await page.goto('/leads');
  await page.getByText('Sandbox mode: no Google Places key is connected').waitFor();
  await page.getByText('No leads yet.').waitFor();

  // A slow start, as on a real network, so the progress shows before the results.
  await page.route('**/api/leads/leads/searches', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.fallback();
  });
  await page.getByLabel('Search', { exact: true }).fill('dentist in Austin, TX');
  await page.getByRole('button', { name: 'Search places' }).click();
  const progress = page.getByRole('status', { name: 'Search progress' });
  await progress.getByText(/Starting the search \(sandbox\)|Searching…/).waitFor();
  expect(await page.getByRole('button', { name: 'Searching…' }).isDisabled()).toBe(true);
  await shot('searching');
  await progress.getByText('Search finished: 45 places — 45 new leads, 0 already known.').waitFor();
  expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');

  const rows = page.locator('tbody tr');
  await expect.poll(() => rows.count()).toBe(45);
  expect(await page.locator('tbody').textContent()).toContain('Austin, TX');
  const stored = await app.db.lead.findMany({ where: { userId: user.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  expect(stored).toHaveLength(45);
  expect(stored.every((l) => l.source === 'google_places_sandbox' && l.status === 'NEW')).toBe(true);
  await shot('results');

  // One lead's status from its row.
  const [first, second, third, fourth] = stored as [(typeof stored)[0], (typeof stored)[0], (typeof stored)[0], (typeof stored)[0]];
  await page.getByLabel(`Status of ${first.businessName}`).selectOption('CONTACTED');
  await page.getByText(`${first.businessName}: Contacted`).waitFor();
  expect((await app.db.lead.findUniqueOrThrow({ where: { id: first.id } })).status).toBe('CONTACTED');

  // Two at once.
  await page.getByLabel(`Select ${second.businessName}`).check();
  await page.getByLabel(`Select ${third.businessName}`).check();
  const bulk = page.getByRole('region', { name: 'Selected leads' });
  await bulk.getByText('2 selected').waitFor();
  await bulk.getByLabel('Set status to').selectOption('QUALIFIED');
  await bulk.getByRole('button', { name: 'Apply' }).click();
  await page.getByText('2 leads set to Qualified').waitFor();
  const qualified = await app.db.lead.findMany({ where: { userId: user.id, status: 'QUALIFIED' }, select: { id: true } });
  expect(qualified.map((l) => l.id).sort()).toEqual([second.id, third.id].sort());
  await expect.poll(() => page.getByLabel(`Status of ${second.businessName}`).inputValue()).toBe('QUALIFIED');

  // Convert one into a contact with a deal.
  await page.getByRole('button', { name: `Convert ${fourth.businessName}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('First name').fill('Pat');
  await dialog.getByLabel('Last name').fill('Lee');
  await dialog.getByLabel('Email').fill('Pat@Example.test');
  await dialog.getByLabel('Also open a deal').check();
  await dialog.getByLabel('Deal value (USD)').fill('1500');
  await dialog.getByLabel('Deal stage').selectOption('QUALIFIED');
  await shot('convert-dialog');
  // Full-page shots tile a modal oddly; this one shows what the user sees.
  await page.screenshot({ path: path.join(screenshotsDir, 'leads', 'convert-dialog-viewport.png') });
  await dialog.getByRole('button', { name: 'Convert' }).click();
  const contactLink = dialog.getByRole('link', { name: 'Open the contact' });
  await contactLink.waitFor();
  const contact = await app.db.contact.findFirstOrThrow({ where: { userId: user.id, source: 'lead_conversion' }, include: { deals: true } });
  expect(contact).toMatchObject({ firstName: 'Pat', lastName: 'Lee', email: 'pat@example.test', company: fourth.businessName });
  expect(contact.phone).toMatch(/^\+1201555/);
  expect(await contactLink.getAttribute('href')).toBe(`/contacts/${contact.id}`);
  expect(contact.deals).toEqual([expect.objectContaining({ isPrimary: true })]);
  const deal = await app.db.deal.findUniqueOrThrow({ where: { id: contact.deals[0]!.dealId } });
  expect(deal).toMatchObject({ title: fourth.businessName, stage: 'QUALIFIED' });
  expect(deal.value.toFixed(2)).toBe('1500.00');
  expect(await dialog.getByRole('link', { name: /Open the deal/ }).getAttribute('href')).toBe(`/pipeline/${deal.id}`);
  expect((await app.db.lead.findUniqueOrThrow({ where: { id: fourth.id } })).status).toBe('CONVERTED');
  await page.screenshot({ path: path.join(screenshotsDir, 'leads', 'converted-viewport.png') });
  await dialog.getByRole('button', { name: 'Done' }).click();

  const row = rows.filter({ hasText: fourth.businessName });
  await row.getByText('Converted').waitFor();
  expect(await row.getByRole('link', { name: 'Open contact' }).getAttribute('href')).toBe(`/contacts/${contact.id}`);
  expect(await row.getByRole('combobox').count()).toBe(0);

  // Filters.
  await page.getByLabel('Status', { exact: true }).selectOption('CONVERTED');
  await expect.poll(() => rows.count()).toBe(1);
  await page.getByLabel('Status', { exact: true }).selectOption('');
  await page.getByLabel('Business name').fill(first.businessName);
  await expect.poll(() => rows.count()).toBe(1);
  await page.getByLabel('Business name').fill('');
  await expect.poll(() => rows.count()).toBe(45);

  await page.setViewportSize({ width: 820, height: 1000 });
  await shot('results-820');
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(screenshotsDir, 'leads', 'results-820-viewport.png') });
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
}, 60_000);
