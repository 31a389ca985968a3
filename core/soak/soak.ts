// `npx -y pnpm@10 soak`: the chaos soak (issue 23; docs/performance.md, "Chaos soak").
//
// One embedded PostgreSQL (its own data dir and port, so it can be restarted), SOAK_APIS
// API processes (WORKER_ENABLED=false) behind a round-robin balancer and SOAK_WORKERS
// worker processes, all `node core/src/main.ts`; the Twilio fake runs in this process so
// its request log can be counted. A mixed load goes through the balancer (contacts
// created and tagged, a workflow with an event wait, a branch and an SMS, Twilio's signed
// status callbacks), while every SOAK_CHAOS_SECONDS a random process is killed (SIGKILL
// or SIGTERM) and started again, and PostgreSQL is restarted once mid-run. Then it drains
// and checks, from the database and the fake's log, that everything happened exactly once,
// prints the counts and the recovery time after each kill, and the throughput of a batch
// of runs with 1, 2 and 4 worker processes. Exits 1 on a violation.
//
// Settings: SOAK_SECONDS (load time, default 600), SOAK_SHORT=1 (60 s of load, a smaller
// throughput batch: the CI-sized run), SOAK_APIS (2), SOAK_WORKERS (2), SOAK_RATE
// (contacts per second, 4), SOAK_CHAOS_SECONDS (8), SOAK_THROUGHPUT_RUNS (short 300,
// else 2,000; 0 skips it), SOAK_KEEP=1 keeps the temp folder (logs of every process).
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { applyMigrations, createPrismaClient, startEmbeddedPostgres, type EmbeddedPostgres } from '@soshogle/db';
import { freePort } from '@soshogle/db/testing';
import { startTwilioFake } from '@soshogle/plugin-messaging/testing/twilio-fake';
import { Logger, runMigrations } from 'graphile-worker';
import pg from 'pg';
import { generateKey } from '../src/secrets.ts';
import { startBalancer } from './balancer.ts';
import { cluster, type SoakProcess } from './cluster.ts';

const short = process.env.SOAK_SHORT === '1';
const loadSeconds = Number(process.env.SOAK_SECONDS ?? (short ? 60 : 600));
const apiCount = Number(process.env.SOAK_APIS ?? 2);
const workerCount = Number(process.env.SOAK_WORKERS ?? 2);
const rate = Number(process.env.SOAK_RATE ?? 4);
const chaosEveryMs = Number(process.env.SOAK_CHAOS_SECONDS ?? 8) * 1000;
const throughputRuns = Number(process.env.SOAK_THROUGHPUT_RUNS ?? (short ? 300 : 2000));
const recoveryGoalMs = 30_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const since = (t: number) => (performance.now() - t) / 1000;
const started = performance.now();
const say = (line: string) => console.log(`[${since(started).toFixed(0).padStart(4)} s] ${line}`);
const loadAverage = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

// ---- PostgreSQL, migrations, the tenant ---------------------------------------------------
// Under the system temp folder: run as root, PostgreSQL runs as `postgres` and must reach it.
const dir = await mkdtemp(path.join(os.tmpdir(), 'soshogle-soak-'));
chmodSync(dir, 0o755);
const logDir = path.join(dir, 'logs');
mkdirSync(logDir);
const pgPort = await freePort();
const startPostgres = () => startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: pgPort, database: 'soak', sharedBuffers: '256MB', settings: { max_connections: '300' } });
let postgres: EmbeddedPostgres = await startPostgres();
const databaseUrl = postgres.url;
say(`soak: ${loadSeconds} s of load, ${apiCount} API + ${workerCount} worker processes, ${rate} contacts/s, chaos every ${chaosEveryMs / 1000} s; ${os.cpus().length} CPUs, load average ${loadAverage()}; logs in ${logDir}`);

const db = new pg.Pool({ connectionString: databaseUrl, max: 6 });
// This process's pool outlives the PostgreSQL restart: its dead connections are dropped, not fatal.
db.on('error', () => {});
db.on('connect', (client) => client.on('error', () => {}));
const rows = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows;
const num = async (sql: string, params: unknown[] = []) => Number((await rows<{ n: string }>(sql, params))[0]!.n);

await applyMigrations(databaseUrl);
await runMigrations({ pgPool: db, logger: new Logger(() => () => {}) });
const prisma = createPrismaClient(databaseUrl);
const tenant = await prisma.user.create({ data: { email: `soak-${Date.now()}@example.test`, timezone: 'UTC' } });
const apiKey = `sk_${randomBytes(24).toString('hex')}`;
await prisma.apiKey.create({ data: { userId: tenant.id, name: 'soak', prefix: apiKey.slice(0, 10), keyHash: createHash('sha256').update(apiKey).digest('hex'), scope: 'WRITE' } });
await prisma.$disconnect();

// ---- the fakes, the balancer, the processes ----------------------------------------------
const account = { accountSid: `AC${'5'.repeat(32)}`, authToken: 'soak-auth-token-0123456789abcdef' };
const twilio = await startTwilioFake({ accounts: [account] });
const apiPorts: number[] = [];
for (let i = 0; i < apiCount; i++) apiPorts.push(await freePort());
const balancer = await startBalancer(() => apiPorts);
const processes = cluster({
  root,
  logDir,
  env: {
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    DATA_DIR: path.join(dir, 'data'),
    // Every process must read the secrets the others wrote (the Twilio connection).
    SECRETS_KEYS: `soak:${generateKey()}`,
    PUBLIC_URL: balancer.url,
    LOG_LEVEL: 'warn',
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '5',
    MESSAGING_TWILIO_API_URL: twilio.url,
  },
});
for (const port of apiPorts) processes.add('api', port);
for (let i = 0; i < workerCount; i++) processes.add('worker', 0);
await Promise.all(processes.processes.map((p) => processes.start(p)));
say(`started ${processes.processes.length} processes; balancer ${balancer.url}, Twilio fake ${twilio.url}`);

// ---- the API, through the balancer ---------------------------------------------------------
const outcomes = new Map<string, number>();
const tally = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);

async function api(method: string, route: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  try {
    const res = await fetch(`${balancer.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    tally(`${method} ${route.replace(/\/[a-z0-9]{20,}(?=\/|$)/g, '/:id')} ${res.status}`);
    return { status: res.status, json: text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : {} };
  } catch (error) {
    tally(`${method} ${route.replace(/\/[a-z0-9]{20,}(?=\/|$)/g, '/:id')} network error`);
    return { status: 0, json: { error: String(error) } };
  }
}

/** Repeats a request that is safe to repeat until it is answered 2xx (or `timeoutMs` passes). */
async function until2xx(method: string, route: string, body?: unknown, timeoutMs = 300_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(method, route, body);
    if (res.status >= 200 && res.status < 300) return res.json;
    if ((res.status >= 400 && res.status < 500 && res.status !== 429) || Date.now() > deadline) {
      throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(res.json)}`);
    }
    await sleep(500);
  }
}

await until2xx('PUT', '/api/connections/messaging/twilio', { credentials: { ...account, smsFrom: '+15125550100' } });
await until2xx('PUT', '/api/messaging/settings', { quietHoursEnabled: false, quietHoursStart: '21:00', quietHoursEnd: '08:00', timezone: null, sendRates: { twilio: 200 } });

async function publish(name: string, trigger: string, triggerFilter: Record<string, unknown>, actions: unknown[]): Promise<string> {
  const workflow = await until2xx('POST', '/api/workflows', { name, trigger, triggerFilter, actions });
  await until2xx('POST', `/api/workflows/${workflow.id as string}/publish`);
  return workflow.id as string;
}
const note = (id: string, content: string, next?: string) => ({ id, type: 'action', action: 'crm.create_note', props: { content }, ...(next ? { next } : {}) });
// Every contact created: one note. Every contact tagged `soak`: a note, an event wait for
// the tag `go` (timing out after a minute), a branch on `vip`, then an SMS or a note.
const createdFlow = await publish('Soak: created', 'CONTACT_CREATED', {}, [note('created', 'soak:created')]);
const soakFlow = await publish('Soak: tagged', 'TAG_ADDED', { tag: 'soak' }, [
  note('first', 'soak:first', 'wait'),
  { id: 'wait', type: 'wait', wait: { mode: 'event', event: 'core.tag_added', filter: { tag: 'go' }, timeout: { amount: 1, unit: 'minutes' } }, next: 'is-vip', timeoutNext: 'is-vip' },
  { id: 'is-vip', type: 'branch', condition: { has_tag: 'vip' }, then: 'sms', else: 'other' },
  { id: 'sms', type: 'action', action: 'messaging.send_sms', props: { body: 'Hi {{ contact.firstName }}, thanks for joining' } },
  note('other', 'soak:other'),
]);
const probeFlow = await publish('Soak: probe', 'TAG_ADDED', { tag: 'probe' }, [note('probe', 'soak:probe')]);
say(`workflows published; load average ${loadAverage()}`);

// ---- load ----------------------------------------------------------------------------------
let contactNumber = 0;
const phoneOf = (n: number) => `+1415${200 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, '0')}`;
const pending = new Set<Promise<unknown>>();
const track = (work: Promise<unknown>) => {
  const p = work.catch((error: unknown) => say(`load: ${(error as Error).message}`)).finally(() => pending.delete(p));
  pending.add(p);
};

/** One contact: created (once: a create with an unknown outcome is not repeated), tagged, and half of them later tagged `go`. */
async function contactLoad(): Promise<void> {
  const n = contactNumber++;
  const res = await api('POST', '/api/crm/contacts', { firstName: `Soak${n}`, email: `soak-${n}@example.test`, phone: phoneOf(n) });
  if (res.status !== 201) return;
  const id = res.json.id as string;
  await until2xx('POST', `/api/crm/contacts/${id}/tags`, { add: n % 3 === 0 ? ['soak', 'vip'] : ['soak'] });
  if (n % 2 === 0) {
    await sleep(1000 + Math.random() * 20_000);
    await until2xx('POST', `/api/crm/contacts/${id}/tags`, { add: ['go'] });
  }
}

/** An SMS campaign to everyone tagged `soak` so far, sent while the rest goes on (a send with an unknown outcome is sent again: a second send is refused). */
let campaignId: string | undefined;
async function campaignLoad(): Promise<void> {
  const campaign = await until2xx('POST', '/api/campaigns/campaigns', { name: 'Soak campaign', type: 'SMS', targetTags: ['soak'], message: 'Soak news for {{ contact.firstName }}' });
  campaignId = campaign.id as string;
  const deadline = Date.now() + 300_000;
  for (;;) {
    const res = await api('POST', `/api/campaigns/campaigns/${campaignId}/send`);
    if ((res.status >= 200 && res.status < 300) || res.status === 409) return;
    if (res.status !== 0 && res.status < 500 && res.status !== 429) throw new Error(`campaign send: ${res.status} ${JSON.stringify(res.json)}`);
    if (Date.now() > deadline) throw new Error('campaign send: no answer');
    await sleep(500);
  }
}

// Twilio's side: a `delivered` callback for every message it accepted, sent twice (Twilio
// retries), and again until our answer is 200, as Twilio does.
const acknowledged = new Set<string>();
const inFlight = new Set<string>();
let callbacksSent = 0;
let callbacksRefused = 0;
async function callbackLoad(): Promise<void> {
  for (const sid of twilio.messages.keys()) {
    if (acknowledged.has(sid) || inFlight.has(sid) || inFlight.size >= 8) continue;
    inFlight.add(sid);
    const delivery = twilio.statusCallback(sid, 'delivered', { duplicate: 1 });
    callbacksSent++;
    track(
      twilio
        .deliver(delivery.url, delivery)
        .then((res) => (res.status === 200 ? acknowledged.add(sid) : callbacksRefused++))
        .catch(() => callbacksRefused++)
        .finally(() => inFlight.delete(sid)),
    );
  }
}

// ---- chaos ---------------------------------------------------------------------------------
interface Disruption {
  what: string;
  /** Seconds to stop it (a SIGTERM drains first). */
  stopSeconds: number;
  /** Seconds from the kill until it said it listens again. */
  backSeconds?: number;
  /** Seconds from the kill until a probe event raised then had its run completed. */
  recoverySeconds?: number;
  /** Seconds from the kill until no job locked before it was still locked. */
  releasedSeconds?: number;
}
const disruptions: Disruption[] = [];

/** A new contact tagged `probe` (retried until accepted); resolves when its run completed. */
async function probe(timeoutMs = 180_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let id: string | undefined;
  while (!id && Date.now() < deadline) {
    const n = contactNumber++;
    const res = await api('POST', '/api/crm/contacts', { firstName: `Probe${n}`, email: `soak-${n}@example.test`, phone: phoneOf(n) });
    if (res.status === 201) id = res.json.id as string;
    else await sleep(200);
  }
  if (!id) return false;
  await until2xx('POST', `/api/crm/contacts/${id}/tags`, { add: ['probe'] }, Math.max(1000, deadline - Date.now()));
  while (Date.now() < deadline) {
    const done = await num(`select count(*) n from "WorkflowExecution" where "workflowId" = $1 and "contactId" = $2 and status = 'COMPLETED'`, [probeFlow, id]).catch(() => 0);
    if (done) return true;
    await sleep(100);
  }
  return false;
}

async function released(killedAt: Date, timeoutMs = 120_000): Promise<number | undefined> {
  const t = performance.now();
  while (performance.now() - t < timeoutMs) {
    const held = await num(`select count(*) n from graphile_worker._private_jobs where locked_at is not null and locked_at <= $1`, [killedAt]).catch(() => -1);
    if (held === 0) return since(t);
    await sleep(200);
  }
  return undefined;
}

async function disrupt(victim: SoakProcess, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const t = performance.now();
  const killedAt = new Date();
  await processes.stop(victim, signal);
  const stopSeconds = since(t);
  const back = processes.start(victim).then(() => since(t), () => undefined);
  const [recovered, releasedAfter, backSeconds] = await Promise.all([probe().then((ok) => (ok ? since(t) : undefined)), released(killedAt).then((s) => (s === undefined ? s : s + stopSeconds)), back]);
  const d: Disruption = { what: `${signal} ${victim.name}`, stopSeconds, backSeconds, recoverySeconds: recovered, releasedSeconds: releasedAfter };
  disruptions.push(d);
  say(`${d.what}: stopped in ${stopSeconds.toFixed(1)} s, back after ${backSeconds?.toFixed(1) ?? 'NEVER'} s, probe run completed after ${recovered?.toFixed(1) ?? 'NEVER'} s, jobs held at the kill released after ${releasedAfter?.toFixed(1) ?? 'NEVER'} s`);
}

async function restartPostgres(): Promise<void> {
  const t = performance.now();
  await postgres.stop();
  const stopSeconds = since(t);
  await sleep(2000);
  postgres = await startPostgres();
  const upSeconds = since(t);
  const recovered = await probe().then((ok) => (ok ? since(t) : undefined));
  disruptions.push({ what: 'PostgreSQL restart', stopSeconds, backSeconds: upSeconds, recoverySeconds: recovered });
  say(`PostgreSQL restart: stopped in ${stopSeconds.toFixed(1)} s, up again after ${upSeconds.toFixed(1)} s, probe run completed after ${recovered?.toFixed(1) ?? 'NEVER'} s`);
}

// ---- the run -------------------------------------------------------------------------------
// What a probe takes with nothing disrupted, on this machine now: the floor of every recovery figure.
const quietProbe = performance.now();
const quietProbeSeconds = (await probe()) ? since(quietProbe) : undefined;
say(`a probe run completes ${quietProbeSeconds?.toFixed(1) ?? 'NEVER'} s after its contact is created, with nothing disrupted`);
const loadStart = performance.now();
const loadEnd = loadStart + loadSeconds * 1000;
const ticker = (async () => {
  let nextContact = performance.now();
  let campaignSent = false;
  while (performance.now() < loadEnd) {
    if (!campaignSent && performance.now() > loadStart + (loadEnd - loadStart) / 3) {
      campaignSent = true;
      track(campaignLoad());
    }
    while (nextContact <= performance.now()) {
      track(contactLoad());
      nextContact += 1000 / rate;
    }
    await callbackLoad();
    await sleep(50);
  }
})();
// A kill does not wait for the last one's restart (on a busy machine a start takes a minute
// or more), but one process of each role stays up: the service is meant to stay available
// while processes are replaced. PostgreSQL is restarted once, half-way.
const chaos = (async () => {
  let postgresRestarted = false;
  const disrupting = new Set<Promise<void>>();
  while (performance.now() + chaosEveryMs < loadEnd || !postgresRestarted) {
    await sleep(chaosEveryMs);
    if (!postgresRestarted && performance.now() > loadStart + (loadEnd - loadStart) / 2) {
      postgresRestarted = true;
      await restartPostgres();
      continue;
    }
    const up = processes.processes.filter((p) => p.up);
    const candidates = up.filter((p) => up.filter((q) => q.role === p.role).length > 1);
    if (!candidates.length) continue;
    const victim = candidates[Math.floor(Math.random() * candidates.length)]!;
    const d = disrupt(victim, Math.random() < 0.5 ? 'SIGKILL' : 'SIGTERM').finally(() => disrupting.delete(d));
    disrupting.add(d);
  }
  await Promise.all(disrupting);
})();
await Promise.all([ticker, chaos]);
say(`load over: ${contactNumber} contacts asked for; draining (load average ${loadAverage()})`);

// ---- drain -----------------------------------------------------------------------------------
await Promise.all(processes.processes.map((p) => p.ready?.catch(() => undefined)));
const drainStarted = performance.now();
const drainLimit = (short ? 180 : 300) * 1000;
const open = async () => ({
  starts: await num(`select count(*) n from "WorkflowStart"`),
  runs: await num(`select count(*) n from "WorkflowExecution" where status in ('PENDING', 'RUNNING', 'WAITING')`),
  jobs: await num(`select count(*) n from graphile_worker._private_jobs where run_at <= now() and attempts < max_attempts`),
  queued: await num(`select count(*) n from "Message" where status = 'QUEUED'`),
  inbox: await num(`select count(*) n from "WebhookInbox" where "appliedAt" is null and "failedAt" is null`),
  callbacks: [...twilio.messages.keys()].filter((sid) => !acknowledged.has(sid)).length,
  campaign: campaignId ? await num(`select count(*) n from "Campaign" where id = $1 and (status <> 'COMPLETED' or "metricsDueAt" is not null)`, [campaignId]) : 0,
});
let left = await open().catch(() => undefined);
while (performance.now() - drainStarted < drainLimit) {
  await callbackLoad();
  await Promise.all(pending);
  left = await open().catch(() => undefined);
  if (left && Object.values(left).every((n) => n === 0)) break;
  await sleep(1000);
}
say(`drained after ${since(drainStarted).toFixed(0)} s${left && Object.values(left).some((n) => n > 0) ? `, NOT fully: ${JSON.stringify(left)}` : ''}`);

// ---- checks ----------------------------------------------------------------------------------
const violations: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) violations.push(what);
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
};
const contacts = await rows<{ id: string; phone: string; tags: string[]; first: string }>(`select id, phone, tags, "firstName" first from "Contact" where "userId" = $1`, [tenant.id]);
const soakContacts = contacts.filter((c) => c.tags.includes('soak'));
const vip = soakContacts.filter((c) => c.tags.includes('vip'));
const perContact = async (sql: string, params: unknown[]) => new Map((await rows<{ id: string; n: string }>(sql, params)).map((r) => [r.id, Number(r.n)]));
const runsOf = (workflowId: string) => perContact(`select "contactId" id, count(*) n from "WorkflowExecution" where "workflowId" = $1 group by 1`, [workflowId]);
const notesOf = (content: string) => perContact(`select "contactId" id, count(*) n from "Note" where "userId" = $1 and content = $2 group by 1`, [tenant.id, content]);
const exactly = (counts: Map<string, number>, ids: string[], want: number) => ids.filter((id) => (counts.get(id) ?? 0) !== want);
const [createdRuns, soakRuns, createdNotes, firstNotes, otherNotes] = await Promise.all([runsOf(createdFlow), runsOf(soakFlow), notesOf('soak:created'), notesOf('soak:first'), notesOf('soak:other')]);
const messages = await rows<{ id: string; to: string; content: string; status: string; twilioSid: string | null; needsReview: boolean; contactId: string; sendGroup: string | null }>(
  `select id, "to", content, status, "twilioSid", "needsReview", "contactId", "sendGroup" from "Message" where "userId" = $1 and direction = 'OUTBOUND'`,
  [tenant.id],
);
// One SMS per number and text: a vip contact gets the workflow's and the campaign's.
const twilioTo = new Map<string, number>();
for (const m of twilio.messages.values()) twilioTo.set(`${m.to} ${m.body}`, (twilioTo.get(`${m.to} ${m.body}`) ?? 0) + 1);
const messagesOf = new Map<string, number>();
for (const m of messages) if (!m.sendGroup) messagesOf.set(m.contactId, (messagesOf.get(m.contactId) ?? 0) + 1);
const inReview = messages.filter((m) => m.needsReview && !m.twilioSid);
const statuses = await rows<{ status: string; n: string }>(`select status, count(*) n from "WorkflowExecution" where "userId" = $1 group by 1 order by 1`, [tenant.id]);

console.log(`\ncounts: ${contacts.length} contacts (${soakContacts.length} tagged soak, ${vip.length} vip), runs by status ${statuses.map((s) => `${s.status} ${s.n}`).join(', ')}`);
console.log(`        ${messages.length} SMS recorded, ${twilio.messages.size} accepted by Twilio, ${inReview.length} in review; ${callbacksSent} status callbacks sent (each twice), ${callbacksRefused} not answered 200 and sent again`);
console.log(`checks:`);
check(exactly(createdRuns, contacts.map((c) => c.id), 1).length === 0, `every contact created started exactly one "created" run (${exactly(createdRuns, contacts.map((c) => c.id), 1).length} not)`);
check(exactly(createdNotes, contacts.map((c) => c.id), 1).length === 0, `every "created" run wrote its note exactly once (${exactly(createdNotes, contacts.map((c) => c.id), 1).length} not)`);
const untagged = contacts.filter((c) => !c.tags.includes('soak')).map((c) => c.id);
check(exactly(soakRuns, soakContacts.map((c) => c.id), 1).length === 0 && untagged.every((id) => !soakRuns.has(id)), `every soak tag committed started exactly one "tagged" run, and no other contact one (${exactly(soakRuns, soakContacts.map((c) => c.id), 1).length} not)`);
check(exactly(firstNotes, soakContacts.map((c) => c.id), 1).length === 0, `its first step wrote exactly one note (${exactly(firstNotes, soakContacts.map((c) => c.id), 1).length} not)`);
const others = soakContacts.filter((c) => !c.tags.includes('vip')).map((c) => c.id);
check(exactly(otherNotes, others, 1).length === 0 && vip.every((c) => !otherNotes.has(c.id)), `the branch's else step wrote exactly one note for each non-vip contact, none for vip (${exactly(otherNotes, others, 1).length} not)`);
check(exactly(messagesOf, vip.map((c) => c.id), 1).length === 0 && others.every((id) => !messagesOf.has(id)), `the branch's then step queued exactly one SMS per vip contact, none for others (${exactly(messagesOf, vip.map((c) => c.id), 1).length} not)`);
const twice = [...twilioTo.entries()].filter(([, n]) => n > 1);
check(twice.length === 0, `no number got an SMS from Twilio twice (${twice.length} did)`);
const unsent = messages.filter((m) => !m.needsReview && (twilioTo.get(`${m.to} ${m.content}`) ?? 0) !== 1);
check(unsent.length === 0, `every SMS reached Twilio exactly once or is in review (${unsent.length} not: ${unsent.slice(0, 3).map((m) => `${m.to} ${m.status}`).join(', ')})`);
const strays = [...twilioTo.keys()].filter((key) => !messages.some((m) => `${m.to} ${m.content}` === key));
check(strays.length === 0, `Twilio got no SMS we have no record of (${strays.length})`);
if (campaignId) {
  const [campaign] = await rows<{ status: string; sentCount: number; deliveredCount: number }>(`select status, "sentCount", "deliveredCount" from "Campaign" where id = $1`, [campaignId]);
  const [recipients] = await rows<{ n: string; sent: string; delivered: string; messages: string }>(
    `select count(*) n, count(r."sentAt") sent, count(r."deliveredAt") delivered, count(distinct r."messageId") messages from "CampaignRecipient" r where r."campaignId" = $1`,
    [campaignId],
  );
  const group = messages.filter((m) => m.sendGroup === `campaign:${campaignId}`);
  console.log(`  campaign: ${campaign?.status}, ${recipients?.n} recipients, ${group.length} SMS, sentCount ${campaign?.sentCount}, deliveredCount ${campaign?.deliveredCount}`);
  check(campaign?.status === 'COMPLETED' && Number(recipients?.messages) === group.length && Number(recipients?.n) === group.length, `the campaign completed with exactly one SMS per recipient`);
  const delivered = group.filter((m) => m.status === 'DELIVERED').length;
  check(campaign?.sentCount === Number(recipients?.sent) && campaign?.deliveredCount === Number(recipients?.delivered) && campaign?.deliveredCount === delivered, `campaign counters exact (sent ${campaign?.sentCount} = ${recipients?.sent} recipients sent; delivered ${campaign?.deliveredCount} = ${recipients?.delivered} recipients = ${delivered} SMS delivered)`);
}
const sentNotDelivered = messages.filter((m) => m.twilioSid && m.status !== 'DELIVERED');
check(sentNotDelivered.length === 0, `every status callback answered 200 was applied: each SMS Twilio took is DELIVERED (${sentNotDelivered.length} not)`);
check((await num(`select count(*) n from "WebhookInbox" where "appliedAt" is null`)) === 0, `no webhook left unapplied or failed in the inbox`);
const counters = await rows<{ name: string; count: number; runs: string }>(
  `select w.name, w."executionCount" count, (select count(*) from "WorkflowExecution" e where e."workflowId" = w.id) runs from "Workflow" w where w."userId" = $1`,
  [tenant.id],
);
const wrongCounters = counters.filter((c) => c.count !== Number(c.runs));
check(wrongCounters.length === 0, `workflow counters exact (${wrongCounters.map((c) => `${c.name}: counter ${c.count}, runs ${c.runs}`).join('; ') || 'all'})`);
check((await num(`select count(*) n from "WorkflowExecution" where status in ('PENDING', 'RUNNING', 'WAITING')`)) === 0, `no run stuck (pending, running or waiting)`);
check((await num(`select count(*) n from "WorkflowExecution" where status in ('FAILED', 'NEEDS_REVIEW')`)) === 0, `no run failed or in review`);
check((await num(`select count(*) n from "WorkflowStart"`)) === 0, `no event left in a start queue`);
check((await num(`select count(*) n from graphile_worker._private_jobs where locked_at is not null`)) === 0, `no job locked`);
const spent = await rows<{ task: string; n: string; error: string | null }>(
  `select t.identifier task, count(*) n, max(j.last_error) error from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where j.attempts >= j.max_attempts group by 1`,
);
check(spent.length === 0, `no job gave up (${spent.map((s) => `${s.task} ${s.n}: ${s.error?.slice(0, 120)}`).join('; ') || 'none'})`);
const due = await num(`select count(*) n from graphile_worker._private_jobs where run_at <= now()`);
check(due === 0, `no job due and not done (${due})`);
const crashes = processes.processes.filter((p) => p.crashes > 0);
check(crashes.length === 0, `no process exited by itself (${crashes.map((p) => `${p.name} ${p.crashes}x`).join(', ') || 'none'}; logs in ${logDir})`);

console.log(`\nrecovery (goal <= ${recoveryGoalMs / 1000} s from the kill until a probe event's run completed):`);
console.log(`  ${'disruption'.padEnd(20)} ${'stopped'.padStart(8)} ${'back'.padStart(8)} ${'probe run'.padStart(10)} ${'held jobs freed'.padStart(16)}`);
const s = (n: number | undefined) => (n === undefined ? 'NEVER' : `${n.toFixed(1)} s`);
for (const d of disruptions) console.log(`  ${d.what.padEnd(20)} ${s(d.stopSeconds).padStart(8)} ${s(d.backSeconds).padStart(8)} ${s(d.recoverySeconds).padStart(10)} ${(d.what.startsWith('Postgre') ? '' : s(d.releasedSeconds)).padStart(16)}`);
const worst = Math.max(0, ...disruptions.map((d) => d.recoverySeconds ?? Infinity));
console.log(`  worst ${s(worst === Infinity ? undefined : worst)}: goal ${worst * 1000 <= recoveryGoalMs ? 'met' : 'NOT met'} (a probe with nothing disrupted: ${s(quietProbeSeconds)})`);
console.log(`\nHTTP answers through the balancer: ${[...outcomes.entries()].sort().map(([k, n]) => `${k}: ${n}`).join('; ')}`);

// ---- throughput with 1, 2 and 4 worker processes ---------------------------------------------
if (throughputRuns > 0) {
  console.log(`\nthroughput: ${throughputRuns} runs of a two-step workflow (note, note) started by hand, with 1, 2 and 4 worker processes (load average ${loadAverage()})`);
  const flow = await publish('Soak: throughput', 'MANUAL', {}, [note('one', 'soak:tp-1', 'two'), note('two', 'soak:tp-2')]);
  const workers = () => processes.processes.filter((p) => p.role === 'worker');
  for (const want of [1, 2, 4]) {
    while (workers().length < want) processes.add('worker', 0);
    // Fresh processes each round: one that went through the chaos may be alive with its job runner stopped (docs/performance.md).
    await Promise.all(workers().map((p) => processes.stop(p, 'SIGTERM')));
    await Promise.all(workers().slice(0, want).map((p) => processes.start(p)));
    const tag = `tp${want}`;
    await db.query(
      `insert into "Contact" (id, "userId", "firstName", tags, "updatedAt") select 'soak-' || $3 || '-' || g, $1, 'Runner ' || g, array[$3], now() from generate_series(1, $2::int) g`,
      [tenant.id, throughputRuns, tag],
    );
    const t = performance.now();
    await until2xx('POST', `/api/workflows/${flow}/start`, { tags: [tag] });
    const doneSql = `select count(*) n from "WorkflowExecution" e join "Contact" c on c.id = e."contactId" where e."workflowId" = $1 and $2 = any(c.tags) and e.status = 'COMPLETED'`;
    let done = 0;
    while ((done = await num(doneSql, [flow, tag])) < throughputRuns && since(t) < 300) await sleep(100);
    const seconds = since(t);
    console.log(`  ${want} worker process${want > 1 ? 'es' : ''}: ${done} of ${throughputRuns} runs in ${seconds.toFixed(1)} s, ${(done / seconds).toFixed(0)} runs/s (load average ${loadAverage()})`);
  }
}

// ---- done --------------------------------------------------------------------------------------
await processes.stopAll();
await balancer.close();
await twilio.close();
await db.end();
await postgres.stop();
if (process.env.SOAK_KEEP !== '1' && violations.length === 0) await rm(dir, { recursive: true, force: true });
console.log(`\n${violations.length === 0 ? 'soak passed' : `soak FAILED: ${violations.length} violation(s)`} after ${since(started).toFixed(0)} s (load average ${loadAverage()})`);
process.exit(violations.length === 0 ? 0 : 1);
