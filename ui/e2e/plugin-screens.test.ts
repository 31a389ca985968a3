// The navigation is built from the catalog: with only the CRM enabled, its screens are in
// the nav and those of leads, messaging and campaigns are not, and their URLs say the
// feature is not enabled (one guard in the app layout) instead of failing their API calls.
import { expect, test } from 'vitest';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp({}, ['@soshogle/plugin-crm']);
const browser = await launchBrowser();

test("the nav lists the core's screens and the enabled plugin's, in their order; a disabled plugin's screen says so", async () => {
  const { page, shot } = await openPage(browser, app, 'plugin-screens');
  await logIn(app, page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Dashboard', 'Contacts', 'Pipeline', 'Workflows', 'Settings']);
  await shot('nav-crm-only', { fullPage: false });

  const failed: string[] = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/') && res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
  });
  for (const path of ['/leads', '/inbox', '/campaigns', '/campaigns/c123']) {
    await page.goto(path);
    await page.getByRole('heading', { name: 'This feature is not enabled' }).waitFor();
    expect(await nav.locator('[aria-current="page"]').count()).toBe(0);
  }
  await shot('not-enabled');
  expect(failed).toEqual([]);

  // An enabled plugin's screen, deeper than its nav entry, renders as usual.
  await page.goto('/contacts/duplicates');
  await page.getByRole('heading', { name: 'Duplicates' }).first().waitFor();
  expect(await page.getByText('This feature is not enabled').count()).toBe(0);
});
