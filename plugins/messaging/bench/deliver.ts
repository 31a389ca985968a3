// `node --import tsx plugins/messaging/bench/deliver.ts`: a campaign-sized SMS send through
// the delivery job, end to end.
//
// One tenant with a Twilio connection and a send rate of BENCH_RATE per second
// (MessagingSettings.sendRates, set through the settings route), BENCH_MESSAGES contacts
// with phones, and one SMS queued to each the way a campaign queues them (queueMessages,
// pages of 1,000, one delivery job per 100), committed at once. Then the worker sends
// them through the twilio SDK to the local Twilio fake, which runs in a child process
// (as Twilio would be elsewhere) and notes when each request arrived. Reported: messages/s
// from the first request at the fake to the moment the last message was recorded SENT,
// whether each went exactly once, whether the rate held, and where the CPU went.
//
// Settings: BENCH_MESSAGES (20000), BENCH_RATE (5000), WORKER_CONCURRENCY (the
// default, 5), BENCH_FAKE_LATENCY_MS (0: the fake answers at once), BENCH_PROFILE=1 (a CPU
// profile of this process during the sends: the top functions, and a .cpuprofile file),
// DATABASE_URL (default: a throwaway embedded PostgreSQL).
import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { Session, type Profiler } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchSoshogle } from '@soshogle/core/bench';
import { queueMessages } from '../src/sending/service.ts';
import { messagingPlugins } from '../src/testing/plugins.ts';
import { startTwilioFake } from '../src/testing/twilio-fake.ts';

const account = { accountSid: `AC${'e'.repeat(32)}`, authToken: 'token-of-the-delivery-bench-0123' };

/** What the fake tells the bench at the end. */
interface FakeStats {
  requests: number;
  created: number;
  distinctTo: number;
  statuses: Record<string, number>;
  firstAt: number;
  lastAt: number;
  /** The most requests that arrived within any one second. */
  busiestSecond: number;
  cpuMs: number;
}

if (process.argv[2] === 'fake') await serveFake();
else await bench();

/** The child process: the Twilio fake, answering the bench's questions over IPC. */
async function serveFake(): Promise<void> {
  const fake = await startTwilioFake({ accounts: [account] });
  const latency = Number(process.env.BENCH_FAKE_LATENCY_MS ?? 0);
  if (latency > 0) fake.answerAfter(latency);
  const cpuAtStart = process.cpuUsage();
  process.on('message', (message) => {
    if (message === 'stats') {
      const posts = fake.requests.filter((r) => r.method === 'POST');
      const times = posts.map((r) => r.at).sort((a, b) => a - b);
      const statuses: Record<string, number> = {};
      for (const r of posts) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      const cpu = process.cpuUsage(cpuAtStart);
      const stats: FakeStats = {
        requests: posts.length,
        created: fake.messages.size,
        distinctTo: new Set([...fake.messages.values()].map((m) => m.to)).size,
        statuses,
        firstAt: times[0] ?? 0,
        lastAt: times.at(-1) ?? 0,
        busiestSecond: busiest(times, 1000),
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
      process.send!(stats);
    }
    if (message === 'close') void fake.close().then(() => process.exit(0));
  });
  process.send!({ url: fake.url });
}

/** The most of the sorted times within any window of `ms`. */
function busiest(times: number[], ms: number): number {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= ms) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

async function bench(): Promise<void> {
  const count = Number(process.env.BENCH_MESSAGES ?? 20_000);
  const rate = Number(process.env.BENCH_RATE ?? 5000);
  const int = (n: number) => Math.round(n).toLocaleString('en-US');

  const child = fork(fileURLToPath(import.meta.url), ['fake'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const ask = <T>(question: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (answer) => resolve(answer as T));
      child.send(question);
    });
  const fakeUrl = await new Promise<string>((resolve) => child.once('message', (m) => resolve((m as { url: string }).url)));

  const { soshogle, dataDir, stop } = await startBenchSoshogle('deliver', messagingPlugins(), { pluginEnv: { MESSAGING_TWILIO_API_URL: fakeUrl } });
  const config = soshogle.config;
  const { db } = soshogle;
  try {
    console.log(
      `delivery benchmark: ${int(count)} SMS at ${int(rate)}/s, worker concurrency ${config.WORKER_CONCURRENCY}, ` +
        `${os.cpus().length} CPUs, node ${process.version}, fake latency ${process.env.BENCH_FAKE_LATENCY_MS ?? 0} ms\n`,
    );

    // ---- the tenant, through the same routes as a person ---------------------------------
    const user = await db.user.create({ data: { email: `bench-deliver-${Date.now()}@example.test` } });
    const key = `sk_${randomBytes(24).toString('base64url')}`;
    await db.apiKey.create({ data: { userId: user.id, name: 'bench', prefix: key.slice(0, 10), keyHash: createHash('sha256').update(key).digest('hex'), scope: 'WRITE' } });
    const put = async (url: string, body: unknown) => {
      const res = await fetch(`${soshogle.url}${url}`, { method: 'PUT', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 200) throw new Error(`PUT ${url}: ${res.status} ${await res.text()}`);
    };
    await put('/api/connections/messaging/twilio', { credentials: { ...account, smsFrom: '+15125550100' } });
    await put('/api/messaging/settings', { quietHoursEnabled: false, sendRates: { twilio: rate } });
    const phones = Array.from({ length: count }, (_, i) => `+1737${String(i).padStart(7, '0')}`);
    for (let i = 0; i < count; i += 5000) {
      await db.contact.createMany({ data: phones.slice(i, i + 5000).map((phone, j) => ({ userId: user.id, firstName: `Bench${i + j}`, phone })) });
    }
    const contactIds = (await db.contact.findMany({ where: { userId: user.id }, select: { id: true }, orderBy: { phone: 'asc' } })).map((c) => c.id);

    // ---- queue, as a campaign does, committed at once ------------------------------------
    const ctx = soshogle.tenantContext('messaging', user.id);
    const queueStarted = performance.now();
    await ctx.db.$transaction(
      async (tx) => {
        for (let i = 0; i < contactIds.length; i += 1000) {
          const page = contactIds.slice(i, i + 1000).map((contactId) => ({ contactId, channel: 'SMS' as const, body: 'Our spring sale starts today: 20% off everything. Reply STOP to opt out.', sendGroup: 'campaign:bench' }));
          await queueMessages({ tenantId: user.id, tx, jobs: ctx.jobs, providers: ctx.providers }, page);
        }
      },
      { timeout: 600_000, maxWait: 60_000 },
    );
    const committed = Date.now();
    console.log(`queued ${int(count)} messages in ${int(performance.now() - queueStarted)} ms (one transaction)`);

    // ---- deliver --------------------------------------------------------------------------
    const profiler = process.env.BENCH_PROFILE ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const cpuBefore = process.cpuUsage();
    const postgresBefore = await postgresCpuMs();
    // Polled a few times a second (a count costs the database too); the end is the last
    // SENT message's update time, on the same clock as the fake's.
    let settled = { sent: 0, failed: 0, review: 0, lastSent: 0 };
    let lastProgress = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      const [row] = await db.$queryRaw<{ sent: bigint; failed: bigint; review: bigint; lastSent: Date | null }[]>`
        select count(*) filter (where status = 'SENT') as sent, count(*) filter (where status = 'FAILED') as failed,
          count(*) filter (where "needsReview") as review, max("updatedAt") filter (where status = 'SENT') as "lastSent"
        from "Message" where "userId" = ${user.id}`;
      const now = { sent: Number(row!.sent), failed: Number(row!.failed), review: Number(row!.review), lastSent: row!.lastSent?.getTime() ?? 0 };
      if (now.sent > settled.sent) lastProgress = Date.now();
      settled = now;
      if (now.sent + now.failed + now.review >= count) break;
      if (Date.now() - lastProgress > 60_000) throw new Error(`no progress for a minute: ${JSON.stringify(now)}`);
    }
    const { lastSent } = settled;
    const cpu = process.cpuUsage(cpuBefore);
    const postgresMs = (await postgresCpuMs()) - postgresBefore;
    const profile = profiler ? ((await profiler.post('Profiler.stop')) as { profile: Profiler.Profile }).profile : null;
    const fake = await ask<FakeStats>('stats');

    const seconds = (lastSent - fake.firstAt) / 1000;
    const perSecond = settled.sent / seconds;
    console.log(`\nsent ${int(settled.sent)}, failed ${int(settled.failed)}, flagged for review ${int(settled.review)}`);
    console.log(
      `at the fake: ${int(fake.requests)} requests (${Object.entries(fake.statuses).map(([s, n]) => `${int(n)} x ${s}`).join(', ')}), ` +
        `${int(fake.created)} messages to ${int(fake.distinctTo)} numbers${fake.created === fake.distinctTo && fake.created === count ? ' (each exactly once)' : ' (NOT each exactly once)'}`,
    );
    console.log(`rate: at most ${int(fake.busiestSecond)} requests in any one second (limit ${int(rate)})${fake.busiestSecond <= rate + 1 ? '' : '  (EXCEEDED)'}`);
    console.log(`first request ${int(fake.firstAt - committed)} ms after the commit; requests over ${int(fake.lastAt - fake.firstAt)} ms`);
    console.log(`\nTHROUGHPUT: ${int(perSecond)} messages/s from the first send to the last SENT (${seconds.toFixed(2)} s)${perSecond >= 1000 ? '' : '  (below 1,000/s)'}`);
    const wall = lastSent - committed;
    const appMs = (cpu.user + cpu.system) / 1000;
    console.log(
      `CPU while sending, per message: this process ${(appMs / count).toFixed(3)} ms, PostgreSQL ${postgresMs ? (postgresMs / count).toFixed(3) : '?'} ms, ` +
        `the fake ${(fake.cpuMs / count).toFixed(3)} ms (${int(appMs + postgresMs + fake.cpuMs)} ms in all, over ${int(wall)} ms of wall time on ${os.cpus().length} CPUs)`,
    );
    if (profile) await printProfile(profile, dataDir);
    else if (perSecond < 1000) console.log('slow: run with BENCH_PROFILE=1 for the functions this process spent its time in');
  } finally {
    child.send('close');
    await stop();
  }
}

/** CPU time of every postgres process on this machine (Linux /proc; 0 elsewhere): the embedded server's share. */
async function postgresCpuMs(): Promise<number> {
  const ticks = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (!name.startsWith('postgres')) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime (fields 14-17 of stat; 12-15 after the name).
    total += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  }
  return (total / ticks) * 1000;
}

/** The top functions by own time, and the profile saved for a closer look (Chrome DevTools, speedscope). */
async function printProfile(profile: Profiler.Profile, dataDir: string): Promise<void> {
  const file = path.join(os.tmpdir(), `deliver-bench-${Date.now()}.cpuprofile`);
  await writeFile(file, JSON.stringify(profile));
  const interval = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples?.length ?? 1);
  const own = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = `${functionName || '(anonymous)'} ${url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '').replace(dataDir, '')}:${lineNumber + 1}`;
    own.set(where, (own.get(where) ?? 0) + (node.hitCount ?? 0) * interval);
  }
  const total = [...own.values()].reduce((a, b) => a + b, 0);
  console.log(`\nCPU profile of this process (${Math.round(total)} ms sampled; saved to ${file}), top functions by own time:`);
  for (const [where, ms] of [...own].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`  ${String(Math.round(ms)).padStart(6)} ms  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${where}`);
  }
}
