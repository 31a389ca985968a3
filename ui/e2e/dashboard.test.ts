// The dashboard over seeded data: contacts added on different days, deals in stages,
// messages both ways, workflow runs (one failed) and a sent campaign. The stat cards
// must show the right totals for each date range, and every chart must draw.
import { describe, expect, test } from 'vitest';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();
const { db } = app;
const DAY = 86_400_000;
const ago = (days: number, hours = 0) => new Date(Date.now() - days * DAY - hours * 3_600_000);

async function seed(userId: string) {
  await db.contact.createMany({
    data: [ago(0), ago(1), ago(10), ago(60), ago(200)].map((createdAt, i) => ({ userId, firstName: `Contact ${i}`, createdAt })),
  });
  await db.deal.createMany({
    data: [
      { userId, title: 'Cleaning plan', value: '1000', stage: 'LEAD' },
      { userId, title: 'Implants', value: '2500', stage: 'PROPOSAL' },
      { userId, title: 'Braces', value: '5000', stage: 'CLOSED_WON' },
      { userId, title: 'Whitening', value: '400', stage: 'CLOSED_LOST' },
    ],
  });
  const message = (createdAt: Date, direction: 'INBOUND' | 'OUTBOUND', channel: 'SMS' | 'EMAIL') => ({ userId, createdAt, direction, channel, status: 'DELIVERED' as const, content: 'Hi', from: 'a', to: 'b' });
  await db.message.createMany({
    data: [
      message(ago(0), 'OUTBOUND', 'SMS'),
      message(ago(1), 'OUTBOUND', 'SMS'),
      message(ago(2), 'OUTBOUND', 'EMAIL'),
      message(ago(0), 'INBOUND', 'SMS'),
      message(ago(3), 'INBOUND', 'EMAIL'),
      message(ago(20), 'OUTBOUND', 'EMAIL'),
    ],
  });
  const steps = [{ id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'x' } }];
  const workflow = await db.workflow.create({ data: { userId, name: 'Welcome', trigger: 'CONTACT_CREATED', triggerKey: 'core.contact_created', actions: steps, publishedVersion: 1 } });
  const version = await db.workflowVersion.create({ data: { userId, workflowId: workflow.id, version: 1, triggerKey: 'core.contact_created', triggerFilter: {}, actions: steps, allowReentry: true } });
  const runs = [
    { at: ago(0), status: 'COMPLETED' },
    { at: ago(2), status: 'FAILED' },
    { at: ago(40), status: 'FAILED' },
  ] as const;
  await db.workflowExecution.createMany({
    data: runs.map((r, i) => ({ userId, workflowId: workflow.id, versionId: version.id, status: r.status, contextData: {}, eventId: `e${i}`, dedupeKey: `e${i}`, startedAt: r.at })),
  });
  await db.campaign.create({
    data: { userId, name: 'Spring check-up', type: 'EMAIL', message: 'Book now', status: 'COMPLETED', sentCount: 120, deliveredCount: 110, openCount: 64, clickCount: 12, recipientCount: 120 },
  });
  await db.campaign.create({ data: { userId, name: 'Draft idea', type: 'SMS', message: 'Soon', status: 'DRAFT' } });
}

describe('dashboard', () => {
  test('stat cards total the seeded data per date range, and every chart draws', async () => {
    const { page, shot } = await openPage(browser, app, 'dashboard');
    // Someone else's data must not count.
    const stranger = await db.user.create({ data: { email: 'stranger@example.test', onboardingComplete: true } });
    await seed(stranger.id);
    const user = await logIn(app, page);
    await seed(user.id);
    await page.goto('/');

    const stat = (name: string) => page.getByTestId(`stat-${name}`);
    const detail = (name: string) => page.getByRole('region', { name: new RegExp(name, 'i') }).locator('.hint');
    await expect.poll(() => stat('contacts').textContent()).toBe('5');
    expect(await detail('^Contacts$').textContent()).toBe('3 new in the last 30 days');
    await expect.poll(() => stat('open-deals-value').textContent()).toBe('$3,500');
    expect(await detail('Open deals value').textContent()).toBe('2 open deals');
    await expect.poll(() => stat('messages-this-week').textContent()).toBe('5');
    expect(await detail('Messages this week').textContent()).toBe('3 sent · 2 received');
    await expect.poll(() => stat('failed-runs').textContent()).toBe('1');
    expect(await detail('Failed runs').textContent()).toBe('of 2 runs in the last 30 days');
    // Five charts, each drawn by chart.js (it sizes the canvas when it draws).
    await expect.poll(() => page.locator('canvas').count()).toBe(5);
    await expect.poll(() => page.locator('canvas').evaluateAll((all) => all.every((c) => (c as unknown as { width: number }).width > 0 && c.hasAttribute('style')))).toBe(true);
    // Only campaigns that were sent, with their results.
    const campaign = page.getByRole('row', { name: /Spring check-up/ });
    expect(await campaign.getByRole('cell').allTextContents()).toEqual(['Spring check-up', '120', '110', '64', '12']);
    expect(await page.getByText('Draft idea').count()).toBe(0);
    await shot('last-30-days');

    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await expect.poll(() => detail('^Contacts$').textContent()).toBe('2 new in the last 7 days');
    await expect.poll(() => detail('Failed runs').textContent()).toBe('of 2 runs in the last 7 days');
    expect(await stat('failed-runs').textContent()).toBe('1');
    await page.getByRole('button', { name: 'Last 90 days' }).click();
    await expect.poll(() => detail('^Contacts$').textContent()).toBe('4 new in the last 90 days');
    await expect.poll(() => stat('failed-runs').textContent()).toBe('2');
    expect(await page.getByRole('button', { name: 'Last 90 days' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('Group messages by').selectOption('channel');
    await shot('last-90-days-by-channel');

    await page.setViewportSize({ width: 820, height: 1000 });
    await page.waitForTimeout(300);
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await shot('tablet');
  });

  test('an account without data sees empty states, not broken charts', async () => {
    const { page, shot } = await openPage(browser, app, 'dashboard-empty');
    await logIn(app, page);
    await page.goto('/');
    await page.getByText('No deals yet. Add one on the pipeline.').waitFor();
    await page.getByText('No contacts added in this period.').waitFor();
    await page.getByText('No messages sent or received in this period.').waitFor();
    await page.getByText('No workflow runs in this period.').waitFor();
    await page.getByText('No campaigns sent yet.').waitFor();
    expect(await page.getByTestId('stat-contacts').textContent()).toBe('0');
    expect(await page.locator('canvas').count()).toBe(0);
    await shot('empty');
  });
});
