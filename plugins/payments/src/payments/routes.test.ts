// The payments API and the pay page in sandbox mode (no provider connected), against the
// real server and database: requests and invoices, filters and pages, the CSV export,
// the pay page's simulated outcomes, refunds (full, partial, too much, nothing left), voids.
import { importPlugins } from '@soshogle/core';
import { eventRecorder, eventually, expectJson, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import payments from '../index.ts';

const recorder = eventRecorder(['payments.payment_succeeded', 'payments.payment_failed', 'payments.payment_refunded']);
const soshogle = await startTestSoshogle([...(await importPlugins(['@soshogle/plugin-crm'])), payments, recorder.plugin]);

type Payment = { id: string; status: string; amount: string; amountRefunded: string; payUrl: string; sandbox: boolean; invoiceId: string | null; refunds: { id: string; amount: string; status: string }[]; invoice: { label: string; total: string; status: string; lines: unknown[] } | null };
type Problem = { errors?: { field: string }[]; detail: string };

async function tenant() {
  const user = await signedInUser(soshogle, { email: `pay-${crypto.randomUUID()}@example.test` });
  await soshogle.db.user.update({ where: { id: user.userId }, data: { businessName: 'Bright Dental' } });
  const contact = await soshogle.db.contact.create({ data: { userId: user.userId, firstName: 'Ada', email: 'ada@example.test' } });
  const create = (body: unknown, headers: Record<string, string> = {}) => user.request('POST', '/api/payments/payments', body, headers);
  return { user, contact, create };
}

const tokenOf = (p: Payment) => p.payUrl.split('/pay/')[1]!;
const pay = (token: string, path = '', body?: unknown) => fetch(`${soshogle.url}/api/payments/public/pay/${token}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('payment requests through the API', () => {
  it('makes an amount once per Idempotency-Key, and refuses bad money and another tenant’s contact naming the field', async () => {
    const { contact, create } = await tenant();
    const made = await expectJson<Payment>(await create({ contactId: contact.id, amount: '49.90', currency: 'usd', description: 'Deposit' }, { 'idempotency-key': 'k1' }), 201);
    expect(made).toMatchObject({ status: 'PENDING', amount: '49.9', sandbox: true, invoice: null, refunds: [] });
    expect(made.payUrl).toMatch(/\/pay\/[\w-]{32}$/);
    const again = await expectJson<Payment>(await create({ contactId: contact.id, amount: '49.90', currency: 'USD' }, { 'idempotency-key': 'k1' }), 201);
    expect(again.id).toBe(made.id);

    const other = await tenant();
    const refused = async (body: unknown) => (await expectJson<Problem>(await create(body), 422)).errors![0]!.field;
    expect(await refused({ amount: '10.001', currency: 'USD' })).toBe('body.amount');
    expect(await refused({ amount: '10', currency: 'USD', lines: [{ description: 'A', quantity: 1, unitAmount: '1' }] })).toBe('body.amount');
    expect(await refused({ contactId: other.contact.id, amount: '10' })).toBe('body.contactId');
    expect(await refused({ lines: [{ description: 'A', quantity: 1, unitAmount: '1.999' }] })).toBe('body.lines.0.unitAmount');
  });

  it('lists newest first by keyset pages, filtered by status, contact and time, and exports the same as CSV', async () => {
    const { user, contact, create } = await tenant();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await expectJson<Payment>(await create({ amount: `${i + 1}`, contactId: i % 2 ? contact.id : null }), 201)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const got: { items: Payment[]; nextCursor: string | null } = await expectJson(await user.request('GET', `/api/payments/payments?limit=2${q}`), 200);
      seen.push(...got.items.map((p) => p.id));
      cursor = got.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const mine = await expectJson<{ items: Payment[] }>(await user.request('GET', `/api/payments/payments?contactId=${contact.id}`), 200);
    expect(mine.items.map((p) => p.id)).toEqual([ids[3], ids[1]]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await expectJson<{ items: Payment[] }>(await user.request('GET', `/api/payments/payments?from=${encodeURIComponent(future)}`), 200)).items).toEqual([]);
    expect((await expectJson<{ items: Payment[] }>(await user.request('GET', '/api/payments/payments?status=SUCCEEDED'), 200)).items).toEqual([]);
    expect((await expectJson<Problem>(await user.request('GET', '/api/payments/payments?status=PAID'), 422)).errors![0]!.field).toBe('query.status');

    const csv = await user.request('GET', `/api/payments/payments/export.csv?contactId=${contact.id}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toMatch(/^id,createdAt,status,amount,/);
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual([ids[3], ids[1]]);
  });
});

describe('the pay page in sandbox mode, refunds and invoices', () => {
  it('shows the invoice, pays it by simulation once, and refunds part, then the rest, then nothing', async () => {
    const { user, contact, create } = await tenant();
    const made = await expectJson<Payment>(await create({
      contactId: contact.id, currency: 'USD', dueDate: '2027-01-31',
      lines: [{ description: 'Cleaning', quantity: 2, unitAmount: '40' }, { description: 'X-ray', quantity: 1, unitAmount: '20.50' }],
    }), 201);
    expect(made.invoice).toMatchObject({ label: 'INV-000001', total: '100.5', status: 'OPEN' });
    const token = tokenOf(made);
    const page = await expectJson<Record<string, unknown>>(await pay(token), 200);
    expect(page).toMatchObject({ businessName: 'Bright Dental', amount: '100.5', currency: 'USD', status: 'PENDING', sandbox: true, expired: false });
    expect(page.invoice).toMatchObject({ label: 'INV-000001', dueDate: '2027-01-31T00:00:00.000Z', lines: [{ description: 'Cleaning', quantity: 2, unitAmount: '40' }, { description: 'X-ray', quantity: 1, unitAmount: '20.5' }] });
    expect(await expectJson(await pay(token, '/checkout', {}), 200)).toEqual({ url: expect.stringContaining(`/pay/${token}?sandbox=1`) });

    const refundsOf = (body: unknown) => user.request('POST', `/api/payments/payments/${made.id}/refunds`, body);
    expect((await expectJson<Problem>(await refundsOf({}), 409)).detail).toMatch(/paid/);
    expect(await expectJson(await pay(token, '/sandbox', { outcome: 'decline' }), 200)).toEqual({ status: 'FAILED' });
    expect(await expectJson(await pay(token, '/sandbox', { outcome: 'succeed' }), 200)).toEqual({ status: 'SUCCEEDED' });
    expect((await expectJson<Problem>(await pay(token, '/sandbox', { outcome: 'succeed' }), 409)).detail).toMatch(/already paid/);
    expect((await expectJson<Problem>(await pay(token, '/checkout', {}), 409)).detail).toMatch(/already paid/);
    expect(recorder.heard.filter((e) => e.payload.paymentId === made.id).map((e) => e.type).sort()).toEqual(['payments.payment_failed', 'payments.payment_succeeded']);

    expect((await expectJson<Problem>(await refundsOf({ amount: '100.51' }), 422)).errors![0]!.field).toBe('body.amount');
    expect(await expectJson(await refundsOf({ amount: '0.50', reason: 'Goodwill' }), 201)).toMatchObject({ amount: '0.5', status: 'SUCCEEDED', reason: 'Goodwill' });
    expect(await expectJson(await refundsOf({}), 201)).toMatchObject({ amount: '100', status: 'SUCCEEDED' });
    expect((await expectJson<Problem>(await refundsOf({}), 409)).detail).toMatch(/Nothing is left/);
    const after = await expectJson<Payment>(await user.request('GET', `/api/payments/payments/${made.id}`), 200);
    expect(after).toMatchObject({ status: 'REFUNDED', amountRefunded: '100.5' });
    expect(after.refunds.map((r) => r.amount)).toEqual(['0.5', '100']);
    await eventually(() => Promise.resolve(recorder.heard.filter((e) => e.type === 'payments.payment_refunded' && e.payload.paymentId === made.id).length === 2));

    // A paid invoice is not voided.
    expect((await user.request('POST', `/api/payments/invoices/${made.invoiceId}/void`)).status).toBe(409);
  });

  it('abandoning fails the payment with its reason; a voided invoice’s link is expired', async () => {
    const { user, create } = await tenant();
    const made = await expectJson<Payment>(await create({ lines: [{ description: 'Plan', quantity: 1, unitAmount: '30' }] }), 201);
    expect(await expectJson(await pay(tokenOf(made), '/sandbox', { outcome: 'abandon' }), 200)).toEqual({ status: 'FAILED' });
    expect(await soshogle.db.payment.findUniqueOrThrow({ where: { id: made.id } })).toMatchObject({ status: 'FAILED', failureReason: 'abandoned' });

    const voided = await expectJson<{ status: string; payments: { id: string }[] }>(await user.request('POST', `/api/payments/invoices/${made.invoiceId}/void`), 200);
    expect(voided).toMatchObject({ status: 'VOID', payments: [{ id: made.id }] });
    expect(await expectJson(await pay(tokenOf(made)), 200)).toMatchObject({ expired: true });
    expect((await pay(tokenOf(made), '/sandbox', { outcome: 'succeed' })).status).toBe(409);
    const listed = await expectJson<{ items: { id: string; status: string }[] }>(await user.request('GET', '/api/payments/invoices?status=VOID'), 200);
    expect(listed.items.map((i) => i.id)).toEqual([made.invoiceId]);
  });

  it('answers 404 for a token that names no payment', async () => {
    expect((await pay('x'.repeat(32))).status).toBe(404);
  });
});
