// Settings as a business owner and as an agency would use them: provider connections,
// API keys, tags and custom fields, sub-accounts and the audit log of all of it.
// Dialogs are found as the open <dialog>: Modal.svelte's title id is shared by every modal,
// so their accessible names are not unique.
import { hashPassword } from '@soshogle/core/testing';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();
const { db } = app;

const goodTwilio = { sid: `AC${'0123456789abcdef'.repeat(2)}`, token: 'token-of-account-a-0123456789', from: '+15125550100' };

describe('settings', () => {
  test('connect Twilio (422 on the field, then live with masked secrets), disconnect, API key once, tag and custom field, audit log', async () => {
    const { page, shot } = await openPage(browser, app, 'settings');
    const user = await logIn(app, page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL('**/settings');
    // A plain user gets no sub-account or user admin tab.
    await expect.poll(() => page.getByRole('navigation', { name: 'Settings' }).getByRole('link').allTextContents()).toEqual(['Connections', 'Profile', 'API keys', 'Tags & fields', 'Calendars', 'Calendar sync', 'Data', 'Audit log']);
    await expect.poll(() => page.getByTestId('messaging-twilio-mode').textContent()).toBe('Sandbox');
    await expect.poll(() => page.getByTestId('channel-SMS').textContent()).toBe('Sandbox');
    await shot('connections');

    // Bad credentials: the API's 422 lands on the field it names.
    await page.getByRole('button', { name: 'Connect Twilio' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Account Sid').fill('not-a-sid');
    await dialog.getByLabel('Auth Token').fill('0123456789abcdef-token');
    await dialog.getByLabel('Sms From').fill('+15125550100');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.locator('.field.invalid').first().textContent()).toMatch(/Account SID: AC followed by 32 hex digits/);
    expect(await dialog.locator('.field.invalid').count()).toBe(1);
    expect(await db.providerConnection.count({ where: { userId: user.id } })).toBe(0);
    await shot('twilio-invalid');

    await dialog.getByLabel('Account Sid').fill(goodTwilio.sid);
    await dialog.getByLabel('Auth Token').fill(goodTwilio.token);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('messaging-twilio-mode').textContent()).toBe('Live');
    const saved = page.getByRole('definition');
    await expect.poll(() => saved.allTextContents()).toEqual([goodTwilio.sid, '••••6789', goodTwilio.from]);
    expect(await page.content()).not.toContain(goodTwilio.token);
    await expect.poll(() => page.getByTestId('channel-SMS').textContent()).toBe('Live');
    expect(await db.providerConnection.findMany({ where: { userId: user.id }, select: { plugin: true, provider: true } })).toEqual([{ plugin: 'messaging', provider: 'twilio' }]);
    await shot('twilio-live');

    await page.getByRole('button', { name: 'Disconnect Twilio' }).click();
    await page.locator('dialog[open]').getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => page.getByTestId('messaging-twilio-mode').textContent()).toBe('Sandbox');
    await expect.poll(() => page.getByTestId('channel-SMS').textContent()).toBe('Sandbox');
    expect(await db.providerConnection.count({ where: { userId: user.id } })).toBe(0);

    // An API key: shown once, and it works.
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByText('No API keys yet.').waitFor();
    await page.getByLabel('Key name').fill('Zapier');
    await page.getByLabel('Access').selectOption('WRITE');
    await page.getByRole('button', { name: 'Create key' }).click();
    const keyDialog = page.locator('dialog[open]');
    const key = await keyDialog.getByLabel('New API key').inputValue();
    expect(key).toMatch(/^sk_/);
    await shot('api-key-once');
    const asKey = await fetch(`${app.url}/api/api-keys`, { headers: { authorization: `Bearer ${key}` } });
    expect(asKey.status).toBe(200);
    await keyDialog.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByRole('cell', { name: 'Zapier', exact: true }).waitFor();
    expect(await page.content()).not.toContain(key);
    expect(await page.getByRole('cell', { name: `${key.slice(0, 10)}…` }).count()).toBe(1);
    expect(await db.apiKey.findMany({ where: { userId: user.id }, select: { name: true, scope: true } })).toEqual([{ name: 'Zapier', scope: 'WRITE' }]);
    await shot('api-keys');

    // A tag with a colour and a custom field.
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Tags & fields' }).click();
    await page.getByLabel('Tag name').fill('VIP');
    await page.getByRole('button', { name: 'Colour #dc2626' }).first().click();
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('button', { name: 'Edit tag VIP' }).waitFor();
    expect(await db.tag.findMany({ where: { userId: user.id }, select: { name: true, color: true } })).toEqual([{ name: 'VIP', color: '#dc2626' }]);

    await page.getByRole('button', { name: 'Add field' }).click();
    const fieldDialog = page.locator('dialog[open]');
    await fieldDialog.getByLabel('Type').selectOption('SELECT');
    await fieldDialog.getByLabel('Field label').fill('Membership level');
    expect(await fieldDialog.getByLabel('Key').inputValue()).toBe('membershipLevel');
    await fieldDialog.getByRole('button', { name: 'Add field' }).click();
    // Choices are required for a choice field: the API says so on the field.
    await expect.poll(() => fieldDialog.locator('.field-error').first().textContent()).toMatch(/Choices are required/);
    await fieldDialog.getByLabel('Choices').fill('Gold, Silver, Bronze');
    await fieldDialog.getByRole('button', { name: 'Add field' }).click();
    await page.getByRole('cell', { name: 'Gold, Silver, Bronze' }).waitFor();
    expect(await db.customField.findMany({ where: { userId: user.id }, select: { key: true, label: true, type: true, options: true } })).toEqual([
      { key: 'membershipLevel', label: 'Membership level', type: 'SELECT', options: ['Gold', 'Silver', 'Bronze'] },
    ]);
    await shot('tags-and-fields');

    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('cell', { name: /API key created/ }).waitFor();
    const actions = await page.locator('tbody tr td:nth-child(2) code').allTextContents();
    expect(actions.slice(0, 4)).toEqual(['api_key.created', 'connection.removed', 'connection.saved', 'auth.login']);
    await shot('audit-log');

    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Profile' }).click();
    await page.getByLabel('Business name').waitFor();
    expect(await page.getByLabel('Business name').inputValue()).toBe('Acme Dental');
    await page.getByLabel('Industry').fill('Dental clinic');
    await page.getByLabel('Time zone').selectOption('Europe/Lisbon');
    await page.getByLabel('Business language').fill('pt-BR');
    await page.getByLabel('Company address').fill('1 Rua Augusta, Lisboa');
    await page.getByLabel('What you do, and for whom').fill('Family dentistry.');
    await page.getByLabel('Website').fill('ftp://acme');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.locator('.field.invalid').first().textContent()).toMatch(/http/);
    await page.getByLabel('Website').fill('https://acme.test');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved').waitFor();
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      industry: 'Dental clinic',
      website: 'https://acme.test',
      timezone: 'Europe/Lisbon',
      businessLanguage: 'pt-BR',
      businessDescription: 'Family dentistry.',
    });
    await shot('profile');
  });

  test('an agency creates a sub-account, works in it and comes back (at tablet width)', async () => {
    const { page, shot } = await openPage(browser, app, 'settings-agency', { width: 820, height: 1000 });
    await logInAgency(page);
    await page.goto('/settings/accounts');
    await page.getByText('No sub-accounts yet.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'New sub-account' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Business name').fill('Bright Smiles');
    await dialog.getByLabel("Owner's email").fill('not-an-email');
    await dialog.getByRole('button', { name: 'Create sub-account' }).click();
    await expect.poll(() => dialog.locator('.field-error').first().textContent()).toBeTruthy();
    await dialog.getByLabel("Owner's email").fill('owner@brightsmiles.test');
    await dialog.getByRole('button', { name: 'Create sub-account' }).click();
    await page.getByRole('button', { name: 'Work in Bright Smiles' }).waitFor();
    const sub = await db.user.findUniqueOrThrow({ where: { email: 'owner@brightsmiles.test' } });
    expect(sub).toMatchObject({ role: 'SUB_ACCOUNT', businessName: 'Bright Smiles' });
    await db.contact.create({ data: { userId: sub.id, firstName: 'Client contact' } });
    await page.reload();
    const cells = async () => (await page.getByRole('row', { name: /Bright Smiles/ }).first().getByRole('cell').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    await expect.poll(cells).toEqual([
      'Bright Smiles Work in this account',
      'owner@brightsmiles.test',
      'Off',
      '1', '0', '0', '0', '0',
    ]);
    await shot('sub-accounts');

    await page.getByRole('button', { name: 'Work in Bright Smiles' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('In Bright Smiles').waitFor();
    await shot('in-sub-account');
    // The shell reloads the page after switching back; wait for that before navigating on.
    const reloaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Back to agency' }).click();
    await reloaded;
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    expect(await page.getByText('In Bright Smiles').count()).toBe(0);

    await page.goto('/settings/audit-log');
    await page.getByRole('cell', { name: /Sub-account created/ }).waitFor();
    const actions = await page.locator('tbody tr td:nth-child(2) code').allTextContents();
    expect(actions.slice(0, 2)).toEqual(['agency.switch', 'agency.sub_account_created']);
    await shot('agency-audit-log');
    // The client's own log has the agency's visit (leaving is itself a change made while inside).
    expect((await db.auditLog.findMany({ where: { userId: sub.id }, orderBy: { createdAt: 'asc' } })).map((e) => e.action)).toEqual([
      'agency.sub_account_created',
      'agency.switch',
      'agency.switch_back',
      'agency.acted',
    ]);
    // No sideways scroll at tablet width.
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  });

  test('the API keys screen links to the API reference, whose "Try it out" reads the contacts with the session', async () => {
    const { page, shot } = await openPage(browser, app, 'api-reference');
    const user = await logIn(app, page);
    await db.contact.create({ data: { userId: user.id, firstName: 'Reference', lastName: 'Reader' } });
    await page.goto('/settings/api-keys');
    await page.getByRole('link', { name: 'API reference' }).click();
    await page.waitForURL('**/api/docs');
    await page.getByRole('heading', { name: /Soshogle API/ }).waitFor();
    await shot('reference', { fullPage: false });
    // Swagger UI renders the operations near the viewport only: a deep link, loaded afresh, opens one.
    await page.goto('/api/docs#/crm/getApiCrmContacts');
    await page.reload();
    const contacts = page.locator('#operations-crm-getApiCrmContacts');
    await contacts.getByRole('button', { name: 'Try it out' }).click();
    await contacts.getByRole('button', { name: 'Execute' }).click();
    const status = contacts.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('200');
    expect(await contacts.locator('.live-responses-table tbody .microlight').first().textContent()).toContain('Reference');
    await status.scrollIntoViewIfNeeded();
    await shot('try-it-out', { fullPage: false });
  });
});

async function logInAgency(page: Page) {
  const email = 'agency@example.test';
  const password = 'correct horse battery staple';
  await db.user.create({
    data: { email, password: await hashPassword(password), role: 'AGENCY', businessName: 'Growth Agency', timezone: 'America/Chicago', onboardingStep: 3, onboardingComplete: true },
  });
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  // At tablet width the main navigation hides behind the menu button.
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}
