// The revenue report against the real database: paid payments less their refunds, per
// currency, bucketed by when they were paid in the account's time zone; unpaid payments,
// other tenants and payments outside the range do not count; bad ranges name the field.
import { expectJson, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import payments from '../index.ts';

const soshogle = await startTestSoshogle([payments]);

type Report = {
  timezone: string;
  interval: string;
  periods: string[];
  rows: { period: string; currency: string; amount: string; payments: number }[];
  totals: { currency: string; amount: string; gross: string; refunded: string; payments: number }[];
};
type Problem = { errors: { field: string }[] };

async function tenant(timezone: string) {
  const user = await signedInUser(soshogle, { email: `rev-${crypto.randomUUID()}@example.test` });
  await soshogle.db.user.update({ where: { id: user.userId }, data: { timezone } });
  const paid = (amount: string, paidAt: string, more: { currency?: string; amountRefunded?: string; status?: 'SUCCEEDED' | 'REFUNDED' | 'PENDING' | 'FAILED' } = {}) =>
    soshogle.db.payment.create({
      data: {
        userId: user.userId,
        amount,
        currency: more.currency ?? 'USD',
        amountRefunded: more.amountRefunded ?? '0',
        status: more.status ?? 'SUCCEEDED',
        provider: 'STRIPE',
        sandbox: true,
        source: 'API',
        paidAt: more.status === 'PENDING' || more.status === 'FAILED' ? null : new Date(paidAt),
      },
    });
  const report = (q: string) => user.request('GET', `/api/payments/revenue?${q}`);
  return { user, paid, report };
}

describe('GET /api/payments/revenue', () => {
  it('nets refunds per currency in the account’s days, leaves out the unpaid and the out-of-range', async () => {
    const { paid, report } = await tenant('America/New_York');
    // 03:00Z on Dec 2 is still Dec 1 in New York.
    await paid('100.50', '2026-12-02T03:00:00Z');
    await paid('40', '2026-12-02T15:00:00Z', { amountRefunded: '10.25' });
    await paid('30', '2026-12-03T15:00:00Z', { amountRefunded: '30', status: 'REFUNDED' });
    await paid('5000', '2026-12-03T15:00:00Z', { currency: 'JPY' });
    await paid('999', '2026-12-03T15:00:00Z', { status: 'PENDING' });
    await paid('999', '2026-12-03T15:00:00Z', { status: 'FAILED' });
    await paid('999', '2026-11-20T15:00:00Z');
    const other = await tenant('UTC');
    await other.paid('777', '2026-12-02T15:00:00Z');

    const got = await expectJson<Report>(await report('from=2026-12-01T05:00:00Z&to=2026-12-04T05:00:00Z&interval=day'), 200);
    expect(got.timezone).toBe('America/New_York');
    expect(got.periods).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(got.rows).toEqual([
      { period: '2026-12-01', currency: 'USD', amount: '100.5', payments: 1 },
      { period: '2026-12-02', currency: 'USD', amount: '29.75', payments: 1 },
      { period: '2026-12-03', currency: 'JPY', amount: '5000', payments: 1 },
      { period: '2026-12-03', currency: 'USD', amount: '0', payments: 1 },
    ]);
    expect(got.totals).toEqual([
      { currency: 'USD', amount: '130.25', gross: '170.5', refunded: '40.25', payments: 3 },
      { currency: 'JPY', amount: '5000', gross: '5000', refunded: '0', payments: 1 },
    ]);

    const monthly = await expectJson<Report>(await report('from=2026-11-01T04:00:00Z&to=2026-12-31T05:00:00Z&interval=month'), 200);
    expect(monthly.periods).toEqual(['2026-11-01', '2026-12-01']);
    expect(monthly.rows.filter((r) => r.currency === 'USD')).toEqual([
      { period: '2026-11-01', currency: 'USD', amount: '999', payments: 1 },
      { period: '2026-12-01', currency: 'USD', amount: '130.25', payments: 3 },
    ]);
  });

  it('defaults to the last 30 days by day, and refuses an empty or too long range naming the field', async () => {
    const { paid, report } = await tenant('UTC');
    await paid('12', new Date(Date.now() - 60_000).toISOString());
    const got = await expectJson<Report>(await report(''), 200);
    expect(got.interval).toBe('day');
    expect(got.periods.length).toBeGreaterThanOrEqual(30);
    expect(got.totals).toEqual([{ currency: 'USD', amount: '12', gross: '12', refunded: '0', payments: 1 }]);

    const field = async (q: string) => (await expectJson<Problem>(await report(q), 422)).errors[0]!.field;
    expect(await field('from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z')).toBe('query.from');
    expect(await field('from=2020-01-01T00:00:00Z&to=2026-12-01T00:00:00Z&interval=day')).toBe('query.from');
    expect(await field('interval=year')).toBe('query.interval');
    expect(await field('from=yesterday')).toBe('query.from');
  });
});
