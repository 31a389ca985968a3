// The CRM's dashboard reports through a real server and database.
import { expectJson, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import crm from '../index.ts';

const soshogle = await startTestSoshogle([crm]);
const { db } = soshogle;
const DAY = 86_400_000;
const localDay = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

describe('GET /api/crm/reports/contacts', () => {
  it("counts contacts added per day of the account's time zone, in the range, and the total", async () => {
    const owner = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    const tz = 'Pacific/Kiritimati';
    await db.user.update({ where: { id: owner.userId }, data: { timezone: tz } });
    const now = new Date();
    const fiveDaysAgo = new Date(now.getTime() - 5 * DAY);
    const at = [now, now, fiveDaysAgo, new Date(now.getTime() - 50 * DAY)];
    await db.contact.createMany({ data: at.map((createdAt, i) => ({ userId: owner.userId, firstName: `C${i}`, createdAt })) });
    await db.contact.create({ data: { userId: other.userId, firstName: 'Theirs' } });

    type Report = { timezone: string; days: { day: string; count: number }[]; added: number; total: number; to: string };
    const report = await expectJson<Report>(await owner.request('GET', '/api/crm/reports/contacts'), 200);
    expect(report).toMatchObject({ timezone: tz, added: 3, total: 4, to: localDay(now, tz) });
    expect(report.days).toHaveLength(30);
    expect(report.days.find((d) => d.day === localDay(now, tz))?.count).toBe(2);
    expect(report.days.find((d) => d.day === localDay(fiveDaysAgo, tz))?.count).toBe(1);
    expect(report.days.reduce((n, d) => n + d.count, 0)).toBe(3);

    const ninety = await expectJson<Report>(await owner.request('GET', '/api/crm/reports/contacts?days=90'), 200);
    expect(ninety).toMatchObject({ added: 4, total: 4 });
    expect(ninety.days).toHaveLength(90);
    const theirs = await expectJson<Report>(await other.request('GET', '/api/crm/reports/contacts'), 200);
    expect(theirs).toMatchObject({ added: 1, total: 1 });

    const bad = await expectJson<{ errors: { field: string }[] }>(await owner.request('GET', '/api/crm/reports/contacts?days=abc'), 422);
    expect(bad.errors.map((e) => e.field)).toEqual(['query.days']);
  });
});

describe('GET /api/crm/reports/pipeline', () => {
  it('sums the tenant’s deals per stage and currency, every stage in pipeline order', async () => {
    const owner = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    await db.deal.createMany({
      data: [
        { userId: owner.userId, title: 'A', value: '1000.50', stage: 'LEAD' },
        { userId: owner.userId, title: 'B', value: '250', stage: 'LEAD' },
        { userId: owner.userId, title: 'C', value: '90', stage: 'LEAD', currency: 'EUR' },
        { userId: owner.userId, title: 'D', value: '5000', stage: 'CLOSED_WON' },
        { userId: other.userId, title: 'X', value: '99999', stage: 'LEAD' },
      ],
    });
    const report = await expectJson<{ stages: { stage: string; count: number; totals: { currency: string; count: number; value: string }[] }[] }>(
      await owner.request('GET', '/api/crm/reports/pipeline'),
      200,
    );
    expect(report.stages.map((s) => s.stage)).toEqual(['LEAD', 'QUALIFIED', 'PROPOSAL', 'NEGOTIATION', 'CLOSED_WON', 'CLOSED_LOST']);
    expect(report.stages[0]).toEqual({
      stage: 'LEAD',
      count: 3,
      totals: [
        { currency: 'EUR', count: 1, value: '90.0000' },
        { currency: 'USD', count: 2, value: '1250.5000' },
      ],
    });
    expect(report.stages[1]).toEqual({ stage: 'QUALIFIED', count: 0, totals: [] });
    expect(report.stages[4]!.totals).toEqual([{ currency: 'USD', count: 1, value: '5000.0000' }]);
  });
});
