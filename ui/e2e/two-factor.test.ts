// Two-factor sign-in as a person sets it up: in Settings › Profile, scanning (here: reading) the
// key the page shows into an "app" (the TOTP computed from it), confirming with a first code,
// seeing the recovery codes once; then logging out and back in with a code from the app.
import { testPasswordHash, totpCode } from '@soshogle/core/testing';
import { describe, expect, test } from 'vitest';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();
const { db } = app;

describe('two-factor sign-in', () => {
  test('set up in profile settings with a QR code and the key as text, then required at the next log-in', async () => {
    const { page, shot } = await openPage(browser, app, 'two-factor');
    const user = await logIn(app, page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Profile' }).click();
    const card = page.getByRole('region', { name: 'Two-factor sign-in' });
    await card.getByRole('button', { name: 'Set up two-factor sign-in' }).click();

    const secret = (await card.getByTestId('two-factor-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // The QR code is drawn in the page (a data: URL), not fetched from anywhere.
    const qr = card.getByRole('img', { name: 'QR code for your authenticator app' });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expect.poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);
    await shot('setup');

    // A wrong code lands on the field and changes nothing.
    await card.getByLabel('Code from your app').fill(totpCode(secret) === '000000' ? '111111' : '000000');
    await card.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => card.locator('.field.invalid').textContent()).toMatch(/wrong or already used code/);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorEnabledAt).toBeNull();

    await card.getByLabel('Code from your app').fill(totpCode(secret));
    await card.getByRole('button', { name: 'Turn on' }).click();
    const codes = card.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await expect.poll(() => codes.count()).toBe(10);
    await shot('recovery-codes');
    await card.getByRole('button', { name: 'I have saved them' }).click();
    await expect.poll(() => card.textContent()).toMatch(/On since .* 10 recovery codes left/);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorEnabledAt).not.toBeNull();
    await shot('enabled');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('Code').waitFor();
    // No session yet: only the pending sign-in.
    expect((await page.request.get('/api/auth/session')).status()).toBe(401);
    await shot('code-asked');

    // Now's code went to turning it on; the app's next one (the window takes it).
    await page.getByLabel('Code').fill(totpCode(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await shot('signed-in');
    const log = await db.auditLog.findMany({ where: { userId: user.id }, orderBy: { createdAt: 'asc' }, select: { action: true } });
    expect(log.map((a) => a.action)).toEqual(['auth.login', 'two_factor.failed', 'two_factor.enabled', 'auth.logout', 'auth.login']);
  });

  test("a sub-account whose agency requires it is sent to set it up right after log-in, and gets in once it is on", async () => {
    const { page, shot } = await openPage(browser, app, 'two-factor-required');
    const password = 'correct horse battery staple';
    const agency = await db.user.create({ data: { email: `agency-${Date.now()}@example.test`, role: 'AGENCY', twoFactorRequired: true } });
    const sub = await db.user.create({
      data: { email: `client-${Date.now()}@example.test`, password: await testPasswordHash(password), role: 'SUB_ACCOUNT', agencyId: agency.id, businessName: 'Client Co', onboardingStep: 3, onboardingComplete: true },
    });
    await page.goto('/contacts');
    await page.waitForURL('**/login**');
    await page.getByLabel('Email').fill(sub.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/two-factor-setup');
    // The app is closed to it meanwhile: going there comes back here.
    await page.goto('/contacts');
    await page.waitForURL('**/two-factor-setup');
    const card = page.getByRole('region', { name: 'Two-factor sign-in' });
    await card.getByText('Your account is required to use two-factor sign-in').waitFor();
    await shot('required');
    await card.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const secret = (await card.getByTestId('two-factor-secret').textContent())!.trim();
    await card.getByLabel('Code from your app').fill(totpCode(secret));
    await card.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => card.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count()).toBe(10);
    await shot('recovery-codes');
    await card.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await shot('in');
  });
});
