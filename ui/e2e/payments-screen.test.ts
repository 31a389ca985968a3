// The payments screen over payments made through the API in sandbox mode (no provider
// connected), one paid and one declined through the public pay page's sandbox route: the
// list with its badges and cents, filtered by status, contact and day, its keyset "Load
// more"; the CSV export of the filtered rows; a payment's page with its invoice lines and pay
// link, a refund too large (422 on the field) then a partial one, and the refunded amount;
// the dashboard's revenue total net of it; the contact page's payments and "Request payment".
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { dateIn } from './calendar-fixtures.ts';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();
const laptop = { width: 1366, height: 860 };
const newYorkBrowser = { timezoneId: 'America/New_York', locale: 'en-US' };
/** How long a screen may take to show what the test waits for (expect.poll's own default is 1s). */
const settled = { timeout: 10_000 };

type Payment = { id: string; payUrl: string; amount: string; status: string };

/** The API as the signed-in page (its cookie and CSRF token). */
async function apiAs(page: Page) {
  const session = (await (await page.request.get('/api/auth/session')).json()) as { csrfToken: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await page.request.fetch(`/api${path}`, { method, data: body, headers: { 'x-csrf-token': session.csrfToken } });
    if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

/** The payer on the public pay page, in sandbox mode: no session, only the link's token. */
async function payerChooses(payment: Payment, outcome: 'succeed' | 'decline') {
  const token = payment.payUrl.split('/pay/')[1]!;
  const res = await fetch(`${app.url}/api/payments/public/pay/${token}/sandbox`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome }) });
  expect(res.status).toBe(200);
}

test('list, filter, export, refund part of a payment, see revenue net of it, and ask a contact for a payment', async () => {
  const { page, shot } = await openPage(browser, app, 'payments-screen', laptop, newYorkBrowser);
  const user = await logIn(app, page);
  const call = await apiAs(page);
  const ada = await app.db.contact.create({ data: { userId: user.id, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test' } });
  const bo = await app.db.contact.create({ data: { userId: user.id, firstName: 'Bo', lastName: 'Diddley', email: 'bo@example.test' } });
  // Older payment requests nobody paid (a page and more of them), and another tenant's paid one: neither counts as revenue.
  const old = new Date(Date.now() - 40 * 86_400_000);
  await app.db.payment.createMany({
    data: Array.from({ length: 50 }, (_, i) => ({ userId: user.id, amount: '5', provider: 'STRIPE' as const, sandbox: true, description: `Old request ${i}`, createdAt: new Date(+old - i * 60_000) })),
  });
  const stranger = await app.db.user.create({ data: { email: 'stranger@example.test', onboardingComplete: true } });
  await app.db.payment.create({ data: { userId: stranger.id, amount: '999', provider: 'STRIPE', sandbox: true, status: 'SUCCEEDED', paidAt: new Date() } });

  const cleaning = await call<Payment>('POST', '/payments/payments', {
    contactId: ada.id, currency: 'USD', dueDate: '2027-01-31', description: 'Cleaning visit',
    lines: [{ description: 'Cleaning', quantity: 2, unitAmount: '40' }, { description: 'X-ray', quantity: 1, unitAmount: '20.50' }],
  });
  const deposit = await call<Payment>('POST', '/payments/payments', { contactId: bo.id, amount: '49.90', description: 'Deposit' });
  const kit = await call<Payment>('POST', '/payments/payments', { contactId: bo.id, amount: '15', description: 'Whitening kit' });
  await payerChooses(cleaning, 'succeed');
  await payerChooses(kit, 'decline');

  // The list: newest first, a page of 50, cents kept, the contact's name, the status.
  await page.goto('/payments');
  const rows = page.getByRole('table', { name: 'Payments' }).locator('tbody tr');
  await rows.first().waitFor();
  expect(await rows.count()).toBe(50);
  await expect.poll(() => rows.nth(0).innerText(), settled).toMatch(/Bo Diddley\s+Whitening kit\s+\$15\.00\s+—\s+Failed\s+Stripe \(sandbox\)/);
  expect(await rows.nth(1).innerText()).toMatch(/Bo Diddley\s+Deposit\s+\$49\.90\s+—\s+Pending/);
  expect(await rows.nth(2).innerText()).toMatch(/Ada Lovelace\s+Cleaning visit\s+\$100\.50\s+—\s+Paid/);
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect.poll(() => rows.count(), settled).toBe(53);
  expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  await shot('list');

  // Filters: status, then a contact, then the day they were made.
  await page.getByLabel('Status').selectOption('SUCCEEDED');
  await expect.poll(() => rows.count(), settled).toBe(1);
  expect(await rows.first().innerText()).toContain('Cleaning visit');
  await page.getByLabel('Status').selectOption('');
  await page.getByRole('combobox', { name: 'Contact' }).fill('Bo');
  await page.getByRole('option', { name: /Bo Diddley/ }).click();
  await expect.poll(() => rows.count(), settled).toBe(2);
  expect(await rows.allInnerTexts()).toEqual([expect.stringContaining('Whitening kit'), expect.stringContaining('Deposit')]);
  await shot('filtered-by-contact');

  // The CSV of what the filters match: the same two rows, newest first, exact amounts.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  // The browser may be another process (the run's shared Chromium): saveAs copies the file here.
  const file = path.join(tmpdir(), `payments-${crypto.randomUUID()}.csv`);
  await (await download).saveAs(file);
  expect((await download).suggestedFilename()).toMatch(/^payments-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(csv[0]).toMatch(/^id,createdAt,status,amount,amountRefunded,currency,description,/);
  expect(csv.slice(1).map((line) => line.split(',').slice(0, 7).filter((_, i) => i !== 1))).toEqual([
    [kit.id, 'FAILED', '15', '0', 'USD', 'Whitening kit'],
    [deposit.id, 'PENDING', '49.9', '0', 'USD', 'Deposit'],
  ]);

  await page.getByRole('button', { name: 'Any contact' }).click();
  await page.getByLabel('From').fill(dateIn('America/New_York'));
  await expect.poll(() => rows.count(), settled).toBe(3);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect.poll(() => rows.count(), settled).toBe(50);

  // The paid one's page: its invoice lines and pay link; a refund of too much is refused on the field, then part of it.
  await rows.nth(2).getByRole('link').click();
  await page.getByRole('heading', { name: 'Invoice INV-000001' }).waitFor();
  const lines = page.getByRole('table', { name: 'Invoice lines' });
  expect(await lines.locator('tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/Cleaning\s+2\s+\$40\.00\s+\$80\.00/), expect.stringMatching(/X-ray\s+1\s+\$20\.50\s+\$20\.50/)]);
  expect(await page.locator('#pay-link').inputValue()).toBe(cleaning.payUrl);
  expect(await page.getByTestId('payment-status').innerText()).toBe('Paid');
  await page.getByRole('button', { name: 'Refund…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Refund payment' });
  expect(await dialog.getByTestId('refund-left').innerText()).toBe('$100.50');
  await dialog.getByLabel('Amount to refund').fill('200');
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await dialog.locator('#refund-amount-error').waitFor();
  await shot('refund-too-much', { fullPage: false });
  await dialog.getByLabel('Amount to refund').fill('30.25');
  await dialog.getByLabel('Reason (optional)').fill('Goodwill');
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await page.getByRole('list', { name: 'Refunds' }).getByText('$30.25').waitFor();
  await expect.poll(() => page.getByTestId('payment-refunded').innerText(), settled).toBe('$30.25');
  expect(await page.getByTestId('payment-status').innerText()).toBe('Paid');
  await shot('refunded');
  expect(await app.db.payment.findUniqueOrThrow({ where: { id: cleaning.id } })).toMatchObject({ status: 'SUCCEEDED' });
  expect((await app.db.payment.findUniqueOrThrow({ where: { id: cleaning.id } })).amountRefunded.toString()).toBe('30.25');

  await page.getByRole('link', { name: '← Payments' }).click();
  await rows.first().waitFor();
  expect(await rows.nth(2).innerText()).toMatch(/\$100\.50\s+\$30\.25\s+Paid/);

  // The dashboard's revenue: the paid payment less its refund (the stranger's and the unpaid do not count).
  await page.goto('/');
  const revenue = page.getByRole('region', { name: 'Revenue' });
  await revenue.getByTestId('revenue-total').waitFor();
  await expect.poll(() => revenue.getByTestId('revenue-total').innerText(), settled).toBe('$70.25');
  expect(await revenue.locator('canvas').count()).toBe(1);
  await shot('dashboard');

  // The contact page: Ada's payment, and "Request payment" asks her for another (a bad amount first).
  await page.goto(`/contacts/${ada.id}`);
  const section = page.getByRole('region', { name: 'Payments' });
  await section.getByRole('link', { name: /\$100\.50/ }).waitFor();
  await section.getByRole('button', { name: 'Request payment' }).click();
  const form = page.getByRole('dialog', { name: 'New payment request' });
  await form.getByText('Ada Lovelace').waitFor();
  await form.getByLabel('Amount', { exact: true }).fill('12.345');
  await form.getByRole('button', { name: 'Create payment request' }).click();
  await form.locator('#payment-amount-error').waitFor();
  await shot('request-bad-amount', { fullPage: false });
  await form.getByLabel('Amount', { exact: true }).fill('12.34');
  await form.getByLabel('Description (optional)').fill('Floss subscription');
  await form.getByRole('button', { name: 'Create payment request' }).click();
  await page.getByTestId('payment-amount').filter({ hasText: '$12.34' }).waitFor();
  expect(await page.getByTestId('payment-status').innerText()).toBe('Pending');
  await shot('requested');
  const made = await app.db.payment.findFirstOrThrow({ where: { userId: user.id, description: 'Floss subscription' } });
  expect(made).toMatchObject({ contactId: ada.id, source: 'UI', status: 'PENDING' });
  expect(made.amount.toString()).toBe('12.34');
}, 90_000);
