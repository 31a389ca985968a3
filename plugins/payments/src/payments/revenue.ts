// Revenue for the dashboard: what payments brought in per day, week or month in the
// account's time zone, per currency (amounts in different currencies are never added up).
// A payment counts where it was paid (paidAt) and counts what it kept: its amount less what
// was refunded of it, so a refund lowers the period the money came in, not a later one.
import { decimal, defineRoute, invalid, isoDate, reportTimeZone, tenantSql } from '@soshogle/core';
import { Prisma } from '@soshogle/db';
import { z } from 'zod';

const intervals = ['day', 'week', 'month'] as const;
type Interval = (typeof intervals)[number];

/** The shortest length of each period, to bound how many a report may have. */
const shortest: Record<Interval, number> = { day: 86_400_000, week: 7 * 86_400_000, month: 28 * 86_400_000 };
const maxPeriods = 400;

const instant = z.iso.datetime({ offset: true, error: 'An ISO instant with its offset, such as 2026-12-07T09:00:00Z' }).transform((iso) => new Date(iso));

export const revenueQuery = z.object({
  /** Paid at or after this instant; default 30 days before `to`. */
  from: instant.optional(),
  /** Paid before this instant; default now. */
  to: instant.optional(),
  interval: z.enum(intervals).default('day'),
});

const money = z.object({ currency: z.string(), amount: decimal });

export const revenueReport = z
  .object({
    timezone: z.string(),
    interval: z.enum(intervals),
    from: isoDate,
    to: isoDate,
    periods: z.array(z.string()).describe("The first day of every period from `from` to `to`, YYYY-MM-DD in the account's time zone"),
    rows: z.array(money.extend({ period: z.string(), payments: z.number().int() })).describe('Net revenue of each period and currency that has any'),
    totals: z
      .array(money.extend({ gross: decimal, refunded: decimal, payments: z.number().int() }))
      .describe('Per currency over the whole range, the one with most payments first: `amount` = `gross` - `refunded`'),
  })
  .meta({ id: 'RevenueReport', description: "Payments' net revenue (paid less refunded) per period in the account's time zone, per currency" });

type Row = { period: string; currency: string; amount: string; payments: number };
type Total = { currency: string; amount: string; gross: string; refunded: string; payments: number };

export const revenueRoute = defineRoute({
  method: 'GET',
  path: '/revenue',
  summary: "Revenue per day, week or month ([from, to), the account's time zone), per currency: paid payments less their refunds, counted when paid",
  query: revenueQuery,
  response: revenueReport,
  async handler({ db, tenantId, query }) {
    const to = query.to ?? new Date();
    const from = query.from ?? new Date(+to - 30 * shortest.day);
    if (+from >= +to) throw invalid('query.from', 'Must be before `to`');
    if ((+to - from.getTime()) / shortest[query.interval] > maxPeriods) throw invalid('query.from', `At most ${maxPeriods} ${query.interval}s at a time: choose a longer interval or a shorter range`);
    const user = await db.user.findFirstOrThrow({ select: { timezone: true } });
    const tz = reportTimeZone(user.timezone);
    const unit = query.interval;
    const step = `1 ${unit}`;
    const [fromIso, toIso] = [from.toISOString(), to.toISOString()];
    // Every period, so a chart shows the quiet ones too (the last starts before `to`).
    const periods = await db.$queryRaw<{ period: string }[]>`
      select to_char(p, 'YYYY-MM-DD') as period
      from generate_series(date_trunc(${unit}, ${fromIso}::timestamptz at time zone ${tz}),
                           date_trunc(${unit}, (${toIso}::timestamptz - interval '1 millisecond') at time zone ${tz}),
                           ${step}::interval) as p`;
    const t = tenantSql(tenantId);
    // Sums are exact numerics printed without trailing zeros ("29.75", "5000"), as the rest of the API.
    // paidAt is stored as UTC wall time (timestamp without zone).
    const paid = Prisma.sql`"paidAt" >= (${fromIso}::timestamptz at time zone 'UTC') and "paidAt" < (${toIso}::timestamptz at time zone 'UTC')`;
    const rows = await db.$queryRaw<Row[]>(t`
      select to_char(date_trunc(${unit}, ("paidAt" at time zone 'UTC') at time zone ${tz}), 'YYYY-MM-DD') as period,
             currency, trim_scale(sum(amount - "amountRefunded"))::text as amount, count(*)::int as payments
      from "Payment"
      where ${t.owns()} and status in ('SUCCEEDED', 'REFUNDED') and ${paid}
      group by 1, 2
      order by 1, 2`);
    const totals = await db.$queryRaw<Total[]>(t`
      select currency, trim_scale(sum(amount - "amountRefunded"))::text as amount, trim_scale(sum(amount))::text as gross, trim_scale(sum("amountRefunded"))::text as refunded, count(*)::int as payments
      from "Payment"
      where ${t.owns()} and status in ('SUCCEEDED', 'REFUNDED') and ${paid}
      group by 1
      order by count(*) desc, 1`);
    return { timezone: tz, interval: unit, from, to, periods: periods.map((p) => p.period), rows, totals };
  },
});
