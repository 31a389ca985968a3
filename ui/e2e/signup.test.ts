// A new business signs up, walks through onboarding and lands on its dashboard.
import { expect, test } from 'vitest';
import { launchBrowser, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();

test('sign up, onboarding (profile, time zone, sandbox) and the dashboard', async () => {
  const { page, shot } = await openPage(browser, app, 'signup');
  await page.goto('/');
  await page.waitForURL('**/login?next=*');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Your name').fill('Dana Smile');
  await page.getByLabel('Email').fill('dana@smile.test');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect.poll(() => page.locator('.field-error').first().textContent()).toMatch(/at least 10 characters/);
  await shot('signup-error');
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Sign up' }).click();

  await page.waitForURL('**/onboarding');
  await page.getByLabel('Business name').fill('Smile Dental');
  await page.getByLabel('Industry').fill('Dental clinic');
  await shot('onboarding-business');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Company address').fill('1 Main St, Austin TX');
  await page.getByLabel('Time zone').selectOption('America/Chicago');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('What do you do, and for whom?').fill('Family dentistry.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: /^Twilio / }).waitFor();
  await shot('onboarding-connect');
  await page.getByRole('button', { name: 'Continue in sandbox mode' }).click();

  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await shot('dashboard');
  const user = await app.db.user.findUniqueOrThrow({ where: { email: 'dana@smile.test' } });
  expect(user).toMatchObject({ businessName: 'Smile Dental', timezone: 'America/Chicago', onboardingComplete: true });
});
