// Settings › Data as an account owner and an installation admin: how long finished workflow
// runs are kept (a bad number lands on the field and changes nothing; a good one is saved),
// and, for admins only, the lifecycle jobs with their last runs.
import { describe, expect, test } from 'vitest';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();
const { db } = app;

describe('data retention', () => {
  test('the owner sets how long runs are kept; an admin also sees the lifecycle jobs', async () => {
    const { page, shot } = await openPage(browser, app, 'data-retention');
    const user = await logIn(app, page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Data' }).click();
    await page.waitForURL('**/settings/data');
    const field = page.getByLabel('Keep finished workflow runs for (days)');
    await expect.poll(() => field.inputValue()).toBe('90');
    // Not an admin: no operator view (and no 403 asked for).
    expect(await page.getByRole('region', { name: 'Lifecycle jobs' }).count()).toBe(0);

    // Out of range: the API's 422 lands on the field; nothing is saved.
    await field.fill('0');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await expect.poll(() => page.locator('.field.invalid').textContent()).toMatch(/>=\s*1|at least 1|too small/i);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).executionLogRetentionDays).toBe(90);
    await shot('invalid');

    await field.fill('30');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await expect.poll(async () => (await db.user.findUniqueOrThrow({ where: { id: user.id } })).executionLogRetentionDays).toBe(30);
    expect(await page.locator('.field.invalid').count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByLabel('Keep finished workflow runs for (days)').inputValue()).toBe('30');

    // As an installation admin: each job with its last run (a good one and a failed one here).
    await db.user.update({ where: { id: user.id }, data: { role: 'ADMIN' } });
    await db.lifecycleRun.createMany({
      data: [
        { job: 'core.expired_sessions', startedAt: new Date(Date.now() - 5000), finishedAt: new Date(), lastPruned: 1200, totalPruned: 45_000 },
        { job: 'core.webhook_deliveries', startedAt: new Date(Date.now() - 5000), finishedAt: new Date(), lastError: 'canceling statement due to lock timeout' },
      ],
    });
    await page.reload();
    const jobs = page.getByRole('region', { name: 'Lifecycle jobs' });
    await jobs.getByRole('table').waitFor();
    const sessions = jobs.getByTestId('lifecycle-core.expired_sessions');
    await expect.poll(() => sessions.getByRole('cell').nth(3).textContent()).toBe(`${(1200).toLocaleString('en-US')} / ${(45_000).toLocaleString('en-US')}`);
    expect(await sessions.getByRole('cell').nth(4).textContent()).toBe('OK');
    expect(await jobs.getByTestId('lifecycle-core.webhook_deliveries').getByRole('cell').nth(4).textContent()).toBe('Failed: canceling statement due to lock timeout');
    expect(await jobs.getByTestId('lifecycle-core.workflow_runs').getByRole('cell').nth(4).textContent()).toBe('Not run yet');
    // Every job of the enabled plugins is listed, the CRM's too.
    expect(await jobs.getByTestId('lifecycle-crm.stale_uploads').count()).toBe(1);
    await shot('admin');
  });
});
