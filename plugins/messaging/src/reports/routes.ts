// Dashboard report of messaging: messages per day (in the account's time zone) by channel,
// direction and status, aggregated in PostgreSQL.
import { defineRoute, reportQuery, reportTimeZone, tenantSql } from '@soshogle/core';
import { MessageChannel, MessageDirection, MessageStatus } from '@soshogle/db';
import { z } from 'zod';

const messagesReport = z
  .object({
    timezone: z.string(),
    from: z.string().describe('The first day, YYYY-MM-DD'),
    to: z.string().describe('Today, YYYY-MM-DD'),
    days: z.array(z.string()).describe('Every day from `from` to `to`'),
    rows: z.array(z.object({ day: z.string(), channel: z.enum(MessageChannel), direction: z.enum(MessageDirection), status: z.enum(MessageStatus), count: z.number().int() })),
    totals: z.object({ outbound: z.number().int(), inbound: z.number().int(), failed: z.number().int() }),
  })
  .meta({ id: 'MessagesReport', description: "Messages per day in the account's time zone, by channel, direction and status" });

type Row = z.output<typeof messagesReport>['rows'][number];

export const reportRoutes = [
  defineRoute({
    method: 'GET',
    path: '/reports/messages',
    summary: "Messages per day over the last `days` days (the account's time zone), counted by channel, direction and status",
    query: reportQuery,
    response: messagesReport,
    async handler({ db, tenantId, query }) {
      const user = await db.user.findFirstOrThrow({ select: { timezone: true } });
      const tz = reportTimeZone(user.timezone);
      const [bounds] = await db.$queryRaw<{ from: string; to: string }[]>`
        select to_char(date_trunc('day', now() at time zone ${tz}) - make_interval(days => ${query.days - 1}::int), 'YYYY-MM-DD') as "from",
               to_char(now() at time zone ${tz}, 'YYYY-MM-DD') as "to"`;
      const t = tenantSql(tenantId);
      const rows = await db.$queryRaw<Row[]>(t`
        select to_char(("createdAt" at time zone 'UTC') at time zone ${tz}, 'YYYY-MM-DD') as day,
               channel::text as channel, direction::text as direction, status::text as status, count(*)::int as count
        from "Message"
        where ${t.owns()}
          and "createdAt" >= ((date_trunc('day', now() at time zone ${tz}) - make_interval(days => ${query.days - 1}::int)) at time zone ${tz}) at time zone 'UTC'
        group by 1, 2, 3, 4
        order by 1, 2, 3, 4`);
      const totals = { outbound: 0, inbound: 0, failed: 0 };
      for (const r of rows) {
        if (r.direction === 'OUTBOUND') totals.outbound += r.count;
        else totals.inbound += r.count;
        if (r.status === 'FAILED') totals.failed += r.count;
      }
      return { timezone: tz, from: bounds!.from, to: bounds!.to, days: dayList(bounds!.from, bounds!.to), rows, totals };
    },
  }),
];

/** Every calendar day from `from` to `to` (YYYY-MM-DD), so a chart shows the quiet days too. */
function dayList(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}
