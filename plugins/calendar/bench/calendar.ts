// `pnpm bench:calendar`: the slot engine and the public booking page (see docs/performance.md).
//
// Setup: one tenant; a calendar in America/New_York open 07:00–22:00 every day with 6 date
// overrides; a type of 30 minutes every 15, buffers 10 before and 5 after; 1,000
// non-overlapping appointments (15–45 min) in the measured 42 days; two external calendars
// blocking it with 300 busy blocks each (20 all-day, 10 of them over 2 days; the second calendar's
// all-day events set not to block).
//
// 1. The loader (loadSlotInput) over the 42 days, 100 runs, and the engine only: freeSlots on
//    that input, 500 runs → p50/p99.
// 2. GET /api/calendar/public/pages/:slug/types/:t/slots for the 42 days, 100 requests one at a
//    time and 300 at concurrency 4 → p50/p99 (goal p99 ≤ 50 ms), and the CPU time each request
//    cost this process (server and client) and the embedded PostgreSQL; after 20 reads that warm
//    the process (compiled code, the page's kept slot input).
// The machine may be shared: before each figure of 1 and 2 the baseline, one `select 1` round
// trip through the same Prisma pool at the same concurrency, is measured again, and the figure
// is also printed as a multiple of it (p50/p50, p99/p99), which stays comparable across loads.
// 3. 50 concurrent bookings of one slot → exactly 1 × 201 and 49 × 409 (else the run fails).
// 4. 500 bookings of distinct slots at concurrency 8 (a second, empty calendar open around the
//    clock; rate limits raised through config) → bookings/s, p50/p99.
//
// Settings: DATABASE_URL (default: a throwaway embedded PostgreSQL), WORKER_CONCURRENCY.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { importPlugins } from '@soshogle/core';
import { startBenchSoshogle } from '@soshogle/core/bench';
import { DateTime } from 'luxon';
import calendar from '../src/index.ts';
import { freeSlots } from '../src/slots/engine.ts';
import { loadSlotInput } from '../src/slots/load.ts';

const minuteMs = 60_000;
const zone = 'America/New_York';
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : 0 });
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const line = (name: string, samples: number[], baseline?: number[]) => {
  const [p50, p99] = [percentile(samples, 50), percentile(samples, 99)];
  const ratio = baseline ? `  = ${fmt(p50 / percentile(baseline, 50)).padStart(5)} × / ${fmt(p99 / percentile(baseline, 99)).padStart(5)} × baseline` : '';
  console.log(`  ${name.padEnd(48)} n=${String(samples.length).padStart(4)}  p50 ${fmt(p50).padStart(6)} ms  p99 ${fmt(p99).padStart(6)} ms${ratio}`);
};
// Seeded, so every run measures the same month.
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

// CPU time, which a shared machine's load moves much less than wall time: this process's (server
// and client), and the embedded PostgreSQL's (the descendants of this process, from /proc; not
// counted with DATABASE_URL or off Linux).
function descendants(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) children.push(...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}
const cpuMs = (pid: number) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 10 ms clock ticks
  } catch {
    return 0;
  }
};
const cpuNow = () => ({ node: process.cpuUsage(), postgres: descendants(process.pid).reduce((sum, pid) => sum + cpuMs(pid), 0) });
const cpuLine = (count: number, since: ReturnType<typeof cpuNow>) => {
  const node = process.cpuUsage(since.node);
  const postgres = cpuNow().postgres - since.postgres;
  console.log(`  ${''.padEnd(48)} CPU per request: this process ${fmt((node.user + node.system) / 1000 / count)} ms, PostgreSQL ${postgres > 0 ? `${fmt(postgres / count)} ms` : 'not counted'}`);
};

/** Runs `work(i)` for i < count, `concurrency` at a time; each one's wall time in ms. */
async function timed(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const started = performance.now();
        await work(i);
        times.push(performance.now() - started);
      }
    }),
  );
  return times;
}

// The plugins it depends on, found as the app finds them (a plugin imports no other plugin's files).
const others = await importPlugins(['@soshogle/plugin-crm', '@soshogle/plugin-messaging']);
const { soshogle, stop } = await startBenchSoshogle('calendar', [...others, calendar], {
  pluginEnv: { CALENDAR_BOOKINGS_PER_IP_HOUR: '1000000', CALENDAR_SLOT_READS_PER_IP_MINUTE: '1000000', CALENDAR_BOOKINGS_PER_CALENDAR_HOUR: '1000000' },
});

try {
  // The machine is shared: its load says how far the figures are from an idle one.
  console.log(`calendar benchmark: ${os.cpus().length} CPUs, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  const tenant = await soshogle.db.user.create({ data: { email: 'bench-calendar@example.test' } });
  const tenantId = tenant.id;
  const { db } = soshogle.tenantContext('calendar', tenantId);

  // ---- setup ---------------------------------------------------------------------------------
  const monthStart = DateTime.now().setZone(zone).plus({ days: 1 }).startOf('day');
  const from = monthStart.toJSDate();
  const to = monthStart.plus({ days: 42 }).toJSDate();
  const cal = await db.calendar.create({ data: { userId: tenantId, name: 'Busy', timeZone: zone, publicSlug: `busy-${tenantId}` } });
  await db.availabilityRule.createMany({ data: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ userId: tenantId, calendarId: cal.id, weekday, startMinute: 420, endMinute: 1320 })) });
  await db.availabilityOverride.createMany({
    data: [3, 9, 15, 21, 27, 33].map((d, i) => ({
      userId: tenantId, calendarId: cal.id, date: new Date(`${monthStart.plus({ days: d }).toISODate()}T00:00:00Z`),
      ...(i % 2 ? { startMinute: 600, endMinute: 840 } : { startMinute: null, endMinute: null }),
    })),
  });
  const type = await db.appointmentType.create({
    data: { userId: tenantId, calendarId: cal.id, name: 'Visit', slug: 'visit', durationMin: 30, slotIntervalMin: 15, bufferBeforeMin: 10, bufferAfterMin: 5, minNoticeMin: 0 },
  });
  // 1,000 appointments end to end through the month (the blocks, widened by the type's buffers, never overlap).
  const appointments = [];
  let cursor = +from + 10 * minuteMs;
  for (let i = 0; i < 1000; i++) {
    // Mostly back to back, one in five with an hour free before it: 1,000 fit in 42 days and leave some slots.
    const start = cursor + (random() < 0.2 ? 60 : 0) * minuteMs;
    const end = start + pick(1, 3) * 15 * minuteMs;
    appointments.push({
      userId: tenantId, calendarId: cal.id, appointmentTypeId: type.id, title: 'Visit', startTime: new Date(start), endTime: new Date(end),
      blockStart: new Date(start - 10 * minuteMs), blockEnd: new Date(end + 5 * minuteMs), source: 'ADMIN',
    });
    cursor = end + 15 * minuteMs; // its buffer after, and the next one's before
  }
  if (cursor > +to) throw new Error('the appointments do not fit in the month');
  await db.appointment.createMany({ data: appointments });
  for (const n of [1, 2]) {
    const connection = await db.calendarConnection.create({ data: { userId: tenantId, provider: 'google', status: 'SANDBOX' } });
    // The second one's all-day events (holidays, say) are set not to block: else they would close most of the month.
    const external = await db.externalCalendar.create({
      data: { userId: tenantId, connectionId: connection.id, remoteId: `remote-${n}`, name: `Remote ${n}`, blocksCalendarId: cal.id, allDayBlocks: n === 1 },
    });
    await db.externalBusyBlock.createMany({
      data: Array.from({ length: 300 }, (_, i) => {
        const day = monthStart.plus({ days: pick(0, 41) });
        const allDay = i < 20;
        const start = allDay ? day : day.set({ hour: pick(7, 21), minute: pick(0, 3) * 15 });
        const end = allDay ? day.plus({ days: i < 10 ? 2 : 1 }) : start.plus({ minutes: pick(1, 8) * 15 });
        return { userId: tenantId, externalCalendarId: external.id, remoteEventId: `event-${i}`, start: start.toJSDate(), end: end.toJSDate(), allDay };
      }),
    });
  }
  await soshogle.db.$executeRawUnsafe('vacuum analyze');

  // The same-run baseline, measured just before the figure it is compared with, the same number
  // of times at the same concurrency.
  // An HTTP figure also gets the floor of any request through the same server and client
  // (GET /healthz), so what the route itself costs shows.
  const measured = async (name: string, count: number, concurrency: number, work: (i: number) => Promise<void>, http = false) => {
    const baseline = await timed(count, concurrency, async () => void (await soshogle.db.$queryRaw`select 1`));
    const floor = http ? await timed(count, concurrency, async () => void (await (await fetch(`${soshogle.url}/healthz`)).arrayBuffer())) : null;
    const cpu = cpuNow();
    const samples = await timed(count, concurrency, work);
    line(`  baseline: select 1, concurrency ${concurrency}`, baseline);
    if (floor) line(`  floor: GET /healthz, concurrency ${concurrency}`, floor, baseline);
    line(name, samples, baseline);
    if (http) cpuLine(count, cpu);
    return baseline;
  };

  // ---- 1. engine only --------------------------------------------------------------------------
  const input = await loadSlotInput(db, tenantId, cal.id, type.id, { from, to });
  console.log(`1. engine: ${fmt(freeSlots(input).length)} free slots in 42 days (the loader hands it ${input.blocked.length} blocked ranges and ${input.busy.length} busy blocks)`);
  const roundTrip = await measured('loadSlotInput, 42 days', 100, 1, async () => void (await loadSlotInput(db, tenantId, cal.id, type.id, { from, to })));
  line('freeSlots, 42 days (no I/O)', await timed(500, 1, async () => void freeSlots(input)), roundTrip);

  // ---- 2. the public slots route ---------------------------------------------------------------
  const slotsUrl = `${soshogle.url}/api/calendar/public/pages/${cal.publicSlug}/types/visit/slots?from=${from.toISOString()}&to=${to.toISOString()}&tz=Asia/Tokyo`;
  const read = async () => {
    const res = await fetch(slotsUrl);
    if (res.status !== 200) throw new Error(`slots: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  console.log('\n2. public slots route, 42 days');
  // Warm: V8 compiles the route's code paths and the first read loads the input the page then
  // keeps (slots/cache.ts); a cold read's database work is what section 1's loader figure shows.
  for (let i = 0; i < 20; i++) await read();
  await measured('GET …/slots, one at a time', 100, 1, read, true);
  await measured('GET …/slots, concurrency 4 (goal p99 ≤ 50 ms)', 300, 4, read, true);

  // ---- 3. a rush on one slot, 4. bookings/s -----------------------------------------------------
  const open = await db.calendar.create({ data: { userId: tenantId, name: 'Open', timeZone: zone, publicSlug: `open-${tenantId}` } });
  await db.availabilityRule.createMany({ data: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ userId: tenantId, calendarId: open.id, weekday, startMinute: 0, endMinute: 1440 })) });
  await db.appointmentType.create({ data: { userId: tenantId, calendarId: open.id, name: 'Call', slug: 'call', durationMin: 30, minNoticeMin: 0, maxAdvanceDays: 60 } });
  const page = `${soshogle.url}/api/calendar/public/pages/${open.publicSlug}`;
  const slots = (await (await fetch(`${page}/types/call/slots?from=${from.toISOString()}&to=${to.toISOString()}`)).json()) as { days: { slots: { start: string }[] }[]; formToken: string };
  const starts = slots.days.flatMap((d) => d.slots.map((s) => s.start));
  await new Promise((r) => setTimeout(r, 2_100)); // the form token's minimum age
  const book = (start: string, i: number) =>
    fetch(`${page}/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ typeSlug: 'call', start, timeZone: zone, name: `Booker ${i}`, email: `booker-${i}@example.test`, consent: { email: true, sms: false }, formToken: slots.formToken }),
    });

  const rushStarted = performance.now();
  const rush = await Promise.all(Array.from({ length: 50 }, (_, i) => book(starts[0]!, i)));
  const rushMs = performance.now() - rushStarted;
  const statuses = rush.map((r) => r.status).sort();
  const won = statuses.filter((s) => s === 201).length;
  const lost = statuses.filter((s) => s === 409).length;
  console.log(`\n3. 50 concurrent bookings of one slot: ${won} × 201, ${lost} × 409 in ${fmt(rushMs)} ms`);
  if (won !== 1 || lost !== 49) throw new Error(`expected 1 × 201 and 49 × 409, got ${statuses.join(', ')}`);

  const bookingsStarted = performance.now();
  const bookings = await timed(500, 8, async (i) => {
    const res = await book(starts[i + 1]!, 100 + i);
    if (res.status !== 201) throw new Error(`booking: ${res.status} ${await res.text()}`);
  });
  const seconds = (performance.now() - bookingsStarted) / 1000;
  console.log(`\n4. 500 bookings of distinct slots, concurrency 8: ${fmt(500 / seconds)} bookings/s`);
  line('POST …/bookings', bookings);
  console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  await stop();
}
