// The dashboard's reports as the API answers them, and the charts drawn from them.
import type { ChartConfiguration } from 'chart.js';
import type { ItemOf, Reply, Schema } from '../api.ts';

/** GET /crm/reports/contacts */
export type ContactsReport = Schema<'ContactsReport'>;
/** GET /crm/reports/pipeline */
export type PipelineReport = Schema<'PipelineReport'>;
export type MessagesReport = Reply<'/messaging/reports/messages'>;
export type RunsReport = Schema<'WorkflowRunsReport'>;
/** GET /payments/revenue */
export type RevenueReport = Schema<'RevenueReport'>;
/** A campaign as the dashboard's recent-campaigns card reads it. */
export type Campaign = ItemOf<'/campaigns/campaigns'>;

export const stageNames: Record<string, string> = {
  LEAD: 'Lead',
  QUALIFIED: 'Qualified',
  PROPOSAL: 'Proposal',
  NEGOTIATION: 'Negotiation',
  CLOSED_WON: 'Won',
  CLOSED_LOST: 'Lost',
};
export const channelNames: Record<string, string> = { SMS: 'SMS', EMAIL: 'Email', WHATSAPP: 'WhatsApp', FACEBOOK: 'Messenger', INSTAGRAM: 'Instagram' };
const channelColors: Record<string, string> = { SMS: '#0ea5e9', EMAIL: '#6366f1', WHATSAPP: '#22c55e', FACEBOOK: '#3b82f6', INSTAGRAM: '#db2777' };
const palette = { accent: '#4f46e5', ok: '#16a34a', danger: '#dc2626', warn: '#d97706', sky: '#0ea5e9', slate: '#94a3b8' };

/** "2025-03-05" as "Mar 5": the day is already the account's, so it is formatted as UTC. */
export function shortDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** Money per currency ("$1,250 + €90"): amounts in different currencies are never added up. */
export function moneyByCurrency(totals: Map<string, number>): string {
  if (!totals.size) return new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(0);
  return [...totals.entries()]
    .map(([currency, value]) => new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(value))
    .join(' + ');
}

/** Open deals (not won or lost) summed per currency. */
export function openDealValue(report: PipelineReport): { count: number; totals: Map<string, number> } {
  const totals = new Map<string, number>();
  let count = 0;
  for (const stage of report.stages) {
    if (stage.stage === 'CLOSED_WON' || stage.stage === 'CLOSED_LOST') continue;
    count += stage.count;
    for (const t of stage.totals) totals.set(t.currency, (totals.get(t.currency) ?? 0) + Number(t.value));
  }
  return { count, totals };
}

/** The currency most of the pipeline's value is in: the bar chart shows that one (mixing currencies means nothing). */
export function mainCurrency(report: PipelineReport): string {
  const sums = new Map<string, number>();
  for (const s of report.stages) for (const t of s.totals) sums.set(t.currency, (sums.get(t.currency) ?? 0) + t.count);
  return [...sums.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'USD';
}

const axisMoney = (currency: string) => (value: string | number) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(Number(value));

export function pipelineChart(report: PipelineReport, currency: string): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: report.stages.map((s) => stageNames[s.stage] ?? s.stage),
      datasets: [
        {
          label: `Value (${currency})`,
          data: report.stages.map((s) => Number(s.totals.find((t) => t.currency === currency)?.value ?? 0)),
          backgroundColor: report.stages.map((s) => (s.stage === 'CLOSED_WON' ? palette.ok : s.stage === 'CLOSED_LOST' ? palette.slate : palette.accent)),
          borderRadius: 4,
        },
      ],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { callback: axisMoney(currency) } } } },
  };
}

export function contactsChart(report: ContactsReport): ChartConfiguration {
  return {
    type: 'line',
    data: {
      labels: report.days.map((d) => shortDay(d.day)),
      datasets: [{ label: 'New contacts', data: report.days.map((d) => d.count), borderColor: palette.accent, backgroundColor: 'rgb(79 70 229 / 0.12)', fill: true, tension: 0.2, pointRadius: report.days.length > 31 ? 0 : 2 }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  };
}

export type MessageGrouping = 'direction' | 'channel';

export function messagesChart(report: MessagesReport, by: MessageGrouping): ChartConfiguration {
  const groups =
    by === 'direction'
      ? [
          { key: 'OUTBOUND', label: 'Sent', color: palette.accent },
          { key: 'INBOUND', label: 'Received', color: palette.sky },
        ]
      : [...new Set(report.rows.map((r) => r.channel))].sort().map((c) => ({ key: c, label: channelNames[c] ?? c, color: channelColors[c] ?? palette.slate }));
  return {
    type: 'bar',
    data: {
      labels: report.days.map(shortDay),
      datasets: groups.map((g) => ({
        label: g.label,
        backgroundColor: g.color,
        data: report.days.map((day) => report.rows.filter((r) => r.day === day && (by === 'direction' ? r.direction : r.channel) === g.key).reduce((n, r) => n + r.count, 0)),
      })),
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  };
}

export function runsChart(report: RunsReport): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: report.days.map((d) => shortDay(d.day)),
      datasets: [
        { label: 'Completed', data: report.days.map((d) => d.completed), backgroundColor: palette.ok },
        { label: 'Failed', data: report.days.map((d) => d.failed), backgroundColor: palette.danger },
        { label: 'Needs review', data: report.days.map((d) => d.needsReview), backgroundColor: palette.warn },
        { label: 'In progress', data: report.days.map((d) => d.started - d.completed - d.failed - d.needsReview), backgroundColor: palette.slate },
      ],
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  };
}

export function campaignsChart(campaigns: Campaign[]): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: campaigns.map((c) => (c.name.length > 24 ? `${c.name.slice(0, 23)}…` : c.name)),
      datasets: [
        { label: 'Sent', data: campaigns.map((c) => c.sentCount), backgroundColor: palette.slate },
        { label: 'Delivered', data: campaigns.map((c) => c.deliveredCount), backgroundColor: palette.accent },
        { label: 'Opened', data: campaigns.map((c) => c.openCount), backgroundColor: palette.sky },
        { label: 'Clicked', data: campaigns.map((c) => c.clickCount), backgroundColor: palette.ok },
      ],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  };
}

/** Messages of the last 7 days of the report (its last 7 entries are today and the 6 days before). */
export function lastWeek(report: MessagesReport): { sent: number; received: number } {
  const week = new Set(report.days.slice(-7));
  let sent = 0;
  let received = 0;
  for (const r of report.rows) {
    if (!week.has(r.day)) continue;
    if (r.direction === 'OUTBOUND') sent += r.count;
    else received += r.count;
  }
  return { sent, received };
}

/** The revenue report's query for the last `days` days: by day, by week beyond a month (a bar a day would be too thin). */
export function revenueRange(days: number): { from: string; interval: 'day' | 'week' } {
  return { from: new Date(Date.now() - days * 86_400_000).toISOString(), interval: days > 31 ? 'week' : 'day' };
}

/** Net revenue per period in one currency (the one with the most): currencies are never added up. */
export function revenueChart(report: RevenueReport, currency: string): ChartConfiguration {
  const byPeriod = new Map(report.rows.filter((r) => r.currency === currency).map((r) => [r.period, Number(r.amount)]));
  return {
    type: 'bar',
    data: {
      labels: report.periods.map((p) => (report.interval === 'week' ? `Week of ${shortDay(p)}` : shortDay(p))),
      datasets: [{ label: `Net revenue (${currency})`, data: report.periods.map((p) => byPeriod.get(p) ?? 0), backgroundColor: palette.ok, borderRadius: 4 }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { callback: axisMoney(currency) } } } },
  };
}
