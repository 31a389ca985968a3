// Payment requests against the real database: exact money, invoice numbering, sandbox mode
// without a connected provider, and idempotency keys.
import { signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { importPlugins, runAction, type ActionProps } from '@soshogle/core';
import { describe, expect, it } from 'vitest';
import payments from './index.ts';
import { fromMinor, toMinor } from './money.ts';
import { createPaymentRequest, type PaymentRequestInput } from './requests.ts';

const soshogle = await startTestSoshogle([...(await importPlugins(['@soshogle/plugin-crm'])), payments]);

async function tenant() {
  const { userId } = await signedInUser(soshogle);
  const ctx = soshogle.tenantContext('payments', userId);
  const request = (input: Omit<PaymentRequestInput, 'source'>) => ctx.db.$transaction((tx) => createPaymentRequest(ctx, tx, { source: 'API', ...input }));
  return { ctx, request };
}

describe('money', () => {
  it('converts exactly in each currency’s minor unit and refuses what it cannot hold', () => {
    expect(toMinor('10.5', 'USD')).toBe(1050);
    expect(toMinor('0.10', 'USD')).toBe(10);
    expect(toMinor('1000', 'JPY')).toBe(1000);
    expect(toMinor('1.234', 'KWD')).toBe(1234);
    expect(fromMinor(1050, 'USD')).toBe('10.50');
    expect(fromMinor(5, 'USD')).toBe('0.05');
    expect(fromMinor(1234, 'KWD')).toBe('1.234');
    for (const [value, currency] of [['10.001', 'USD'], ['1.5', 'JPY'], ['0', 'USD'], ['-1', 'USD'], ['1e3', 'USD'], ['0.1 + 0.2', 'USD']]) {
      expect(() => toMinor(value!, currency!), `${value} ${currency}`).toThrow();
    }
  });
});

describe('a payment request', () => {
  it('records an amount in sandbox mode without a connected provider, with a pay page link', async () => {
    const { request } = await tenant();
    const { payment, invoice, url } = await request({ amount: '49.90', currency: 'usd', description: 'Deposit' });
    expect(payment).toMatchObject({ currency: 'USD', provider: 'STRIPE', sandbox: true, status: 'PENDING', description: 'Deposit' });
    expect(payment.amount.toString()).toBe('49.9');
    expect(invoice).toBeNull();
    expect(url).toMatch(new RegExp(`/pay/${payment.payToken}$`));
    expect(payment.payToken.length).toBeGreaterThanOrEqual(32);
  });

  it('numbers invoices per tenant without gaps, even when made at once, and totals their lines exactly', async () => {
    const { request } = await tenant();
    const made = await Promise.all(Array.from({ length: 6 }, (_, i) => request({
      currency: 'USD', dueDate: '2027-01-31',
      lines: [{ description: 'Consultation', quantity: 3, unitAmount: '33.33' }, { description: `Extra ${i}`, quantity: 1, unitAmount: '0.01' }],
    })));
    expect(made.map((m) => m.invoice!.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(made.every((m) => m.payment.amount.toString() === '100' && m.invoice!.total.toString() === '100')).toBe(true);
    expect(made[0]!.payment.description).toMatch(/^Invoice INV-00000\d$/);
    const other = await tenant();
    expect((await other.request({ currency: 'EUR', lines: [{ description: 'A', quantity: 1, unitAmount: '5' }] })).invoice!.number).toBe(1);
  });

  it('refuses bad money with 422 naming the field, and writes nothing', async () => {
    const { ctx, request } = await tenant();
    const refused = async (input: Omit<PaymentRequestInput, 'source'>) => request(input).then(() => null, (e: { status: number; errors: { field: string }[] }) => [e.status, e.errors[0]!.field]);
    expect(await refused({ amount: '10.001', currency: 'USD' })).toEqual([422, 'amount']);
    expect(await refused({ amount: '10', currency: 'US' })).toEqual([422, 'currency']);
    expect(await refused({ amount: '10', currency: 'USD', lines: [{ description: 'A', quantity: 1, unitAmount: '1' }] })).toEqual([422, 'amount']);
    expect(await refused({ currency: 'JPY', lines: [{ description: 'A', quantity: 1, unitAmount: '1.5' }] })).toEqual([422, 'lines.0.unitAmount']);
    expect(await ctx.db.payment.count()).toBe(0);
    expect(await ctx.db.invoice.count()).toBe(0);
  });

  it('gives back the same payment for the same key', async () => {
    const { request } = await tenant();
    const first = await request({ amount: '5', currency: 'USD', key: 'step-1' });
    const again = await request({ amount: '5', currency: 'USD', key: 'step-1' });
    expect(again.payment.id).toBe(first.payment.id);
  });
});

describe('payments.create_payment_request (what another plugin calls)', () => {
  type Props = ActionProps<'payments.create_payment_request'>;
  const ask = (tenantId: string, props: Props, idempotencyKey: string) =>
    soshogle.tenantContext('payments', tenantId).db.$transaction((tx) => runAction(soshogle, { key: 'payments.create_payment_request', props, tenantId, idempotencyKey, tx }));

  it('makes one payment per key in the caller’s transaction, with its reference, and names bad money as props', async () => {
    const { ctx } = await tenant();
    const props: Props = { amount: '40', currency: 'USD', source: 'BOOKING', reference: 'calendar.appointment:a1', expiresAt: '2030-01-01T10:00:00Z' };
    const first = await ask(ctx.tenantId, props, 'calendar.appointment:a1');
    const again = await ask(ctx.tenantId, props, 'calendar.appointment:a1');
    expect(again).toEqual(first);
    const payment = await ctx.db.payment.findUniqueOrThrow({ where: { id: first.paymentId } });
    expect(payment).toMatchObject({ source: 'BOOKING', key: 'calendar.appointment:a1', reference: 'calendar.appointment:a1', sandbox: true, status: 'PENDING' });
    expect(payment.expiresAt).toEqual(new Date('2030-01-01T10:00:00Z'));
    expect(first.url).toMatch(new RegExp(`/pay/${payment.payToken}$`));

    const refused = await ask(ctx.tenantId, { ...props, amount: '40.001' }, 'other').then(() => null, (e: { status: number; errors: { field: string }[] }) => [e.status, e.errors[0]!.field]);
    expect(refused).toEqual([422, 'props.amount']);
    expect(await ctx.db.payment.count()).toBe(1);
  });
});
