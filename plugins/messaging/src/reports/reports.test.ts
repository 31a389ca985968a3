// Messaging's dashboard report through a real server and database.
import { expectJson, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { messagingPlugins } from '../testing/plugins.ts';

const soshogle = await startTestSoshogle(messagingPlugins());
const { db } = soshogle;
const DAY = 86_400_000;
const localDay = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

type Report = { timezone: string; from: string; to: string; days: string[]; rows: { day: string; channel: string; direction: string; status: string; count: number }[]; totals: Record<string, number> };

describe('GET /api/messaging/reports/messages', () => {
  it("counts messages per day of the account's time zone by channel, direction and status, in the range only", async () => {
    const owner = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    const tz = 'Pacific/Kiritimati';
    await db.user.update({ where: { id: owner.userId }, data: { timezone: tz } });
    const now = new Date();
    const twoDaysAgo = new Date(now.getTime() - 2 * DAY);
    const message = (createdAt: Date, channel: 'SMS' | 'EMAIL', direction: 'INBOUND' | 'OUTBOUND', status: 'SENT' | 'DELIVERED' | 'FAILED', userId = owner.userId) =>
      ({ userId, createdAt, channel, direction, status, content: 'hi', from: 'a', to: 'b' }) as const;
    await db.message.createMany({
      data: [
        message(now, 'SMS', 'OUTBOUND', 'DELIVERED'),
        message(now, 'SMS', 'OUTBOUND', 'DELIVERED'),
        message(now, 'SMS', 'INBOUND', 'DELIVERED'),
        message(twoDaysAgo, 'EMAIL', 'OUTBOUND', 'FAILED'),
        message(new Date(now.getTime() - 45 * DAY), 'EMAIL', 'OUTBOUND', 'SENT'),
        message(now, 'SMS', 'OUTBOUND', 'SENT', other.userId),
      ],
    });
    const report = await expectJson<Report>(await owner.request('GET', '/api/messaging/reports/messages'), 200);
    expect(report).toMatchObject({ timezone: tz, to: localDay(now, tz), totals: { outbound: 3, inbound: 1, failed: 1 } });
    expect(report.days).toHaveLength(30);
    expect(report.days.at(-1)).toBe(report.to);
    expect(report.days[0]).toBe(report.from);
    expect(report.rows).toEqual([
      { day: localDay(twoDaysAgo, tz), channel: 'EMAIL', direction: 'OUTBOUND', status: 'FAILED', count: 1 },
      { day: localDay(now, tz), channel: 'SMS', direction: 'INBOUND', status: 'DELIVERED', count: 1 },
      { day: localDay(now, tz), channel: 'SMS', direction: 'OUTBOUND', status: 'DELIVERED', count: 2 },
    ]);
    const week = await expectJson<Report>(await owner.request('GET', '/api/messaging/reports/messages?days=1'), 200);
    expect(week.days).toEqual([localDay(now, tz)]);
    expect(week.totals).toEqual({ outbound: 2, inbound: 1, failed: 0 });
    const bad = await expectJson<{ errors: { field: string }[] }>(await owner.request('GET', '/api/messaging/reports/messages?days=400'), 422);
    expect(bad.errors.map((e) => e.field)).toEqual(['query.days']);
  });
});
