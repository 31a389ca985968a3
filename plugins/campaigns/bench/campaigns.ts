// `pnpm bench:campaigns`: a 100,000-recipient SMS campaign end to end (see docs/performance.md).
//
// 1. Baseline: raw graphile-worker with Soshogle's runner settings, jobs doing one INSERT.
// 2. Campaign: BENCH_RECIPIENTS contacts (default 100,000) with a tag, one SMS campaign
//    to the tag with a merge field, sent now through the API. The CRM finds the
//    audience, messaging queues and delivers each message through the real twilio SDK
//    to a fake of Twilio's API in another process, at the tenant's send rate
//    (BENCH_RATE, default 5,000/s). Messages/s from "send now" to the last message
//    accepted by Twilio, and to COMPLETED; checks that every recipient got exactly one.
// 3. Status callbacks: the Twilio process signs one "delivered" callback per message
//    (BENCH_CALLBACKS of them, default all) before the clock starts, posts them
//    (BENCH_CALLBACK_CONCURRENCY at a time, default 32, on kept-alive sockets), then the
//    same bytes again (duplicates); callbacks/s with signature verification, CPU per
//    callback by process, and deliveredCount exact.
//
// Settings: BENCH_RECIPIENTS, BENCH_RATE, BENCH_CALLBACKS, BENCH_CALLBACK_CONCURRENCY, WORKER_CONCURRENCY
// (default 10), DATABASE_URL (default: a throwaway embedded PostgreSQL).
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@soshogle/core';
import { cpuSeconds, pgStats, profiled, startBenchSoshogle } from '@soshogle/core/bench';
import { run } from 'graphile-worker';
import pg from 'pg';
import crm from '@soshogle/plugin-crm';
import messaging from '@soshogle/plugin-messaging';
import campaigns from '../src/index.ts';
import { runnerOptions } from '../../../core/src/worker.ts';

const recipients = Number(process.env.BENCH_RECIPIENTS ?? 100_000);
const rate = Number(process.env.BENCH_RATE ?? 5000);
const callbackConcurrency = Number(process.env.BENCH_CALLBACK_CONCURRENCY ?? 32);
const callbacks = Math.min(recipients, Number(process.env.BENCH_CALLBACKS ?? recipients));
// The worker's and the baseline's concurrency (the bench's default is 10).
process.env.WORKER_CONCURRENCY ??= '10';
const concurrency = Number(process.env.WORKER_CONCURRENCY);
const log = createLogger('warn');
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : 0 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Polls every 250 ms: counting 100,000 rows more often would take the CPU being measured.
async function until(check: () => Promise<boolean>, timeoutMs = 900_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await sleep(250);
  }
}

// ---- the Twilio process ------------------------------------------------------------------
const account = { accountSid: `AC${'b'.repeat(32)}`, authToken: 'bench-auth-token-0123456789abcdef' };
const twilioProcess: ChildProcess = fork(fileURLToPath(new URL('./twilio-process.ts', import.meta.url)), {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, BENCH_TWILIO_ACCOUNT: JSON.stringify(account) },
});
const replies: ((message: Record<string, unknown>) => void)[] = [];
twilioProcess.on('message', (message) => replies.shift()?.(message as Record<string, unknown>));
const ask = <T>(command: Record<string, unknown> | null): Promise<T> =>
  new Promise((resolve) => {
    replies.push(resolve as (m: Record<string, unknown>) => void);
    if (command) twilioProcess.send(command);
  });
const { url: twilioUrl } = await ask<{ url: string }>(null);

// Plugin settings come from the environment, as in production.
const { soshogle, databaseUrl, stop } = await startBenchSoshogle('campaigns', [crm, messaging, campaigns], { pluginEnv: { MESSAGING_TWILIO_API_URL: twilioUrl } });
const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency + 4 });
pool.on('error', () => {});
const count = async (sql: string, params: unknown[] = []) => Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);

try {
  console.log(`campaigns benchmark: ${fmt(recipients)} recipients, send rate ${fmt(rate)}/s, worker concurrency ${concurrency}, ${os.cpus().length} CPUs, node ${process.version}\n`);

  // ---- 1. baseline ------------------------------------------------------------------------
  await pool.query('create table bench_baseline (id bigserial primary key, n int not null, at timestamptz not null default now())');
  const baselineJobs = 20_000;
  await pool.query(
    `select graphile_worker.add_jobs(array(select json_populate_record(null::graphile_worker.job_spec,
       json_build_object('identifier', 'bench_insert', 'payload', json_build_object('n', g))) from generate_series(1, $1::int) g))`,
    [baselineJobs],
  );
  let done = 0;
  const baselineStarted = performance.now();
  const runner = await run(
    runnerOptions({ pgPool: pool, concurrency, log }, {
      bench_insert: async (payload) => {
        await pool.query('insert into bench_baseline (n) values ($1)', [(payload as { n: number }).n]);
        done++;
      },
    }),
  );
  await until(async () => done >= baselineJobs);
  const baseline = baselineJobs / ((performance.now() - baselineStarted) / 1000);
  await runner.stop();
  console.log(`baseline  graphile-worker job with one INSERT: ${fmt(baseline)} jobs/s`);

  // ---- 2. the campaign -----------------------------------------------------------------------
  const tenant = await soshogle.db.user.create({ data: { email: `bench-${Date.now()}@example.test`, timezone: 'UTC' } });
  const apiKey = await createApiKey(tenant.id);
  const api = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${soshogle.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${route}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  await api('PUT', '/api/connections/messaging/twilio', { credentials: { ...account, smsFrom: '+15125550100' } });
  await api('PUT', '/api/messaging/settings', { quietHoursEnabled: false, sendRates: { twilio: rate } });
  // Valid US numbers, one per contact: (415) 2xx-xxxx.
  await pool.query(
    `insert into "Contact" (id, "userId", "firstName", phone, tags, "updatedAt")
     select 'bench-' || g, $1, 'Contact ' || g, '+1415' || (200 + g / 10000) || lpad((g % 10000)::text, 4, '0'), '{bench}', now()
     from generate_series(0, $2::int - 1) g`,
    [tenant.id, recipients],
  );
  await pool.query('vacuum analyze "Contact"');
  const campaign = await api('POST', '/api/campaigns/campaigns', { name: 'Bench', type: 'SMS', targetTags: ['bench'], message: 'Hi {{ contact.firstName }}, our sale starts today.' });
  const campaignId = campaign.id as string;
  const group = `campaign:${campaignId}`;

  const started = performance.now();
  await api('POST', `/api/campaigns/campaigns/${campaignId}/send`);
  let queuedAt = 0;
  await until(async () => {
    if (!queuedAt && (await count(`select count(*) n from "CampaignRecipient" where "campaignId" = $1`, [campaignId])) >= recipients) queuedAt = performance.now();
    return (await count(`select count(*) n from "Message" where "sendGroup" = $1 and status <> 'QUEUED'`, [group])) >= recipients;
  });
  const sentSeconds = (performance.now() - started) / 1000;
  await until(async () => (await api('GET', `/api/campaigns/campaigns/${campaignId}`)).status === 'COMPLETED');
  const completedSeconds = (performance.now() - started) / 1000;
  const perSecond = recipients / sentSeconds;

  const stats = await ask<{ messages: number; recipients: number; creates: number }>({ type: 'stats' });
  const rows = {
    recipients: await count(`select count(*) n from "CampaignRecipient" where "campaignId" = $1`, [campaignId]),
    messages: await count(`select count(*) n from "Message" where "sendGroup" = $1`, [group]),
    sent: await count(`select count(*) n from "Message" where "sendGroup" = $1 and status = 'SENT' and "twilioSid" is not null`, [group]),
  };
  const exact = stats.messages === recipients && stats.recipients === recipients && rows.recipients === recipients && rows.messages === recipients && rows.sent === recipients;
  console.log(`campaign  all ${fmt(recipients)} recipient records written after ${(queuedAt - started) / 1000 > 0 ? ((queuedAt - started) / 1000).toFixed(1) : '?'} s`);
  console.log(`campaign  ${fmt(recipients)} messages accepted by Twilio in ${sentSeconds.toFixed(1)} s: ${fmt(perSecond)} messages/s end to end (target >= 1,000: ${perSecond >= 1000 ? 'met' : 'NOT met'}), ${((perSecond / baseline) * 100).toFixed(0)}% of the one-INSERT baseline`);
  console.log(`campaign  COMPLETED after ${completedSeconds.toFixed(1)} s`);
  console.log(`campaign  exactly one message per recipient: ${exact ? 'yes' : 'NO'} (Twilio got ${fmt(stats.messages)} messages to ${fmt(stats.recipients)} numbers; ${fmt(rows.recipients)} recipient records, ${fmt(rows.messages)} Message rows, ${fmt(rows.sent)} SENT)`);

  // ---- 3. status callbacks ---------------------------------------------------------------------
  // The answer comes once a callback is in the webhook inbox; "applied" is until the inbox's
  // job has applied every one (statuses, MessageEvents, the campaign's recipient records).
  const pending = () => count(`select count(*) n from "WebhookInbox" where "appliedAt" is null and "failedAt" is null`);
  // The Twilio process (the load generator: signing and posting) is one of the children: counted apart.
  const twilioCpu = () => {
    const rest = readFileSync(`/proc/${twilioProcess.pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100;
  };
  // Signed before the clock and the CPU counters start: Twilio's signing is not our cost.
  await ask({ type: 'sign', status: 'delivered', limit: callbacks });
  // Only phase 3's statements (BENCH_PG_STATS).
  if (pgStats) await pool.query('select pg_stat_statements_reset()');
  const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');
  console.log(`callbacks load average before: ${load()}`);
  const cpuBefore = { ...cpuSeconds(), twilio: twilioCpu() };
  const callbacksStarted = performance.now();
  const first = await profiled(async () => {
    const posted = await ask<{ posted: number; refused: number; seconds: number }>({ type: 'callbacks', concurrency: callbackConcurrency });
    await until(async () => (await pending()) === 0);
    return posted;
  });
  const appliedSeconds = (performance.now() - callbacksStarted) / 1000;
  const cpuAfter = { ...cpuSeconds(), twilio: twilioCpu() };
  const callbacksPerSecond = first.posted / first.seconds;
  const appliedPerSecond = first.posted / appliedSeconds;
  const perCallback = (seconds: number) => `${((seconds * 1000) / first.posted).toFixed(2)} ms`;
  console.log(`callbacks ${fmt(first.posted)} signed "delivered" callbacks answered in ${first.seconds.toFixed(1)} s: ${fmt(callbacksPerSecond)} verified callbacks/s (target >= 1,500: ${callbacksPerSecond >= 1500 ? 'met' : 'NOT met'}), ${first.refused} refused`);
  console.log(`callbacks all applied after ${appliedSeconds.toFixed(1)} s: ${fmt(appliedPerSecond)} callbacks/s answered and applied (target >= 1,500: ${appliedPerSecond >= 1500 ? 'met' : 'NOT met'}), ${((appliedPerSecond / baseline) * 100).toFixed(0)}% of the one-INSERT baseline`);
  const twilioSeconds = cpuAfter.twilio - cpuBefore.twilio;
  console.log(`callbacks CPU per callback, answered and applied: Soshogle's process ${perCallback(cpuAfter.node - cpuBefore.node)}, PostgreSQL ${perCallback(cpuAfter.children - cpuBefore.children - twilioSeconds)}; the Twilio process signing and posting ${perCallback(twilioSeconds)}`);
  const cpuAgain = { ...cpuSeconds(), twilio: twilioCpu() };
  const again = await ask<{ posted: number; refused: number; seconds: number }>({ type: 'callbacks', concurrency: callbackConcurrency });
  const cpuAgainAfter = { ...cpuSeconds(), twilio: twilioCpu() };
  const twilioAgain = cpuAgainAfter.twilio - cpuAgain.twilio;
  const perDuplicate = (seconds: number) => `${((seconds * 1000) / again.posted).toFixed(2)} ms`;
  console.log(`callbacks the same ${fmt(again.posted)} again (duplicates): ${fmt(again.posted / again.seconds)} /s (target >= 3,000: ${again.posted / again.seconds >= 3000 ? 'met' : 'NOT met'}), ${again.refused} refused`);
  console.log(`callbacks CPU per duplicate: Soshogle's process ${perDuplicate(cpuAgainAfter.node - cpuAgain.node)}, PostgreSQL ${perDuplicate(cpuAgainAfter.children - cpuAgain.children - twilioAgain)}, the Twilio process ${perDuplicate(twilioAgain)}`);
  console.log(`callbacks load average after: ${load()}`);
  await until(async () => {
    const c = await soshogle.db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    return c.deliveredCount === callbacks && c.metricsDueAt === null;
  }, 120_000).catch(() => undefined);
  const final = await soshogle.db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const metrics = await api('GET', `/api/campaigns/campaigns/${campaignId}/metrics`);
  console.log(`metrics   deliveredCount ${fmt(final.deliveredCount)}, sentCount ${fmt(final.sentCount)}; live: delivered ${fmt(metrics.delivered as number)}, sent ${fmt(metrics.sent as number)} (exact: ${final.deliveredCount === callbacks && metrics.delivered === callbacks ? 'yes' : 'NO'})`);
} finally {
  twilioProcess.send({ type: 'close' });
  await pool.end();
  await stop();
}

async function createApiKey(userId: string): Promise<string> {
  const key = `sk_${randomBytes(24).toString('hex')}`;
  await soshogle.db.apiKey.create({ data: { userId, name: 'bench', prefix: key.slice(0, 10), keyHash: createHash('sha256').update(key).digest('hex'), scope: 'WRITE' } });
  return key;
}
