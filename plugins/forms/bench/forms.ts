// `pnpm bench:forms`: form submissions end to end, beside the one-INSERT graphile-worker
// baseline of the same run (so figures from a busy, shared machine still compare).
//
// One tenant with a published form (name, email, a select, a note; two tags; an email consent
// checkbox) and a live workflow listening to core.form_submitted for it. Then:
// 1. Throughput: BENCH_SUBMISSIONS submissions POSTed over HTTP to the public endpoint,
//    BENCH_CONCURRENCY at a time, each a different person (every tenth one a repeat of an
//    earlier email, so the CRM finds instead of making). Measured until every submission is
//    PROCESSED (contact, tags, consent line, core.form_submitted raised in that transaction):
//    submissions/s, and the POSTs alone (accepted/s).
// 2. Latency: for BENCH_SECONDS, submissions sent open-loop at about half the rate phase 1
//    processed; p50/p99 of the HTTP POST, and whether processing kept up.
//
// As deployed: this process is the load generator (node:http on kept-alive sockets, bodies
// built before the clock starts), the API a process of its own (WORKER_ENABLED=false) and
// the worker another (startBenchProcesses); the CPU per submission is printed for each.
//
// Settings: BENCH_SUBMISSIONS (5000), BENCH_CONCURRENCY (32), BENCH_SECONDS (10),
// WORKER_CONCURRENCY, DATABASE_URL (default: a throwaway embedded PostgreSQL),
// BENCH_CPU_PROFILE=<file> (profiles of each process in <file>.api/, <file>.worker/), BENCH_PG_STATS=1.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { cpuSeconds, fmt, insertJobBaseline, pool, processCpuSeconds, request, startBenchProcesses } from '@soshogle/core/bench';
import type { Prisma } from '@soshogle/db';
import { formDefinition } from '../src/definition.ts';

const submissions = Number(process.env.BENCH_SUBMISSIONS ?? 5000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

const { url, db, databaseUrl, pids, stop } = await startBenchProcesses('forms', ['@soshogle/plugin-crm', '@soshogle/plugin-messaging', '@soshogle/plugin-forms'], {
  // Every request comes from one address: the per-address and per-form limits are out of the way.
  pluginEnv: { FORMS_SUBMISSIONS_PER_IP_HOUR: '100000000', FORMS_SUBMISSIONS_PER_FORM_MINUTE: '100000000', FORMS_READS_PER_IP_MINUTE: '100000000', FORMS_MIN_FILL_SECONDS: '0' },
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function processedCount(formId: string): Promise<number> {
  return db.formSubmission.count({ where: { formId, status: 'PROCESSED' } });
}

async function waitProcessed(formId: string, total: number): Promise<void> {
  for (;;) {
    const done = await processedCount(formId);
    if (done >= total) return;
    const stuck = await db.formSubmission.count({ where: { formId, status: 'FAILED' } });
    if (stuck) throw new Error(`${stuck} submissions FAILED`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

try {
  console.log(`forms benchmark: ${fmt(submissions)} submissions, concurrency ${concurrency}, then ${seconds} s at half the rate; ${os.cpus().length} CPUs, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  const baseline = await insertJobBaseline(databaseUrl);
  console.log(`baseline    graphile-worker job with one INSERT: ${fmt(baseline)} jobs/s`);

  // ---- the tenant, its form and a workflow that listens --------------------------------------
  const user = await db.user.create({ data: { email: `bench-forms-${Date.now()}@example.test` } });
  const definition = formDefinition.parse({
    title: 'Get a quote',
    fields: [
      { key: 'name', type: 'text', label: 'Name', required: true, mapsTo: { contact: 'firstName' } },
      { key: 'email', type: 'email', label: 'Email', required: true, mapsTo: { contact: 'email' } },
      { key: 'budget', type: 'select', label: 'Budget', required: true, options: ['Small', 'Large'] },
      { key: 'note', type: 'textarea', label: 'Note', required: false },
    ],
    tags: ['Website lead', 'Quote'],
    consent: { email: true, sms: false, wording: 'Email me offers; I can unsubscribe at any time.' },
    after: { kind: 'message', message: 'Thanks!' },
  }) as Prisma.InputJsonObject;
  const form = await db.form.create({ data: { userId: user.id, name: 'Quote', status: 'PUBLISHED', draft: definition } });
  const version = await db.formVersion.create({ data: { userId: user.id, formId: form.id, version: 1, definition } });
  await db.form.update({ where: { id: form.id }, data: { publishedVersionId: version.id } });
  const steps = [{ id: 'wait', type: 'wait', wait: { mode: 'duration', amount: 30, unit: 'days' } }];
  const workflow = await db.workflow.create({
    data: { userId: user.id, name: 'Big budgets', trigger: 'FORM_SUBMITTED', triggerKey: 'core.form_submitted', triggerFilter: { formId: form.id, fields: { budget: 'Large' } }, actions: steps, status: 'ACTIVE', publishedVersion: 1 },
  });
  await db.workflowVersion.create({
    data: { userId: user.id, workflowId: workflow.id, version: 1, triggerKey: 'core.form_submitted', triggerFilter: { formId: form.id, fields: { budget: 'Large' } }, actions: steps, allowReentry: false },
  });

  const page = (await (await fetch(`${url}/api/forms/public/${form.id}`)).json()) as { versionId: string; formToken: string };
  const submitUrl = `${url}/api/forms/public/${form.id}/submissions`;
  // Built before the clock starts: the generator's CPU is the requests', not the bodies'.
  const bodyOf = (i: number) => {
    const email = i % 10 === 9 ? `person${i - 9}@example.test` : `person${i}@example.test`;
    return JSON.stringify({ versionId: page.versionId, formToken: page.formToken, website: '', consent: true, answers: { name: `Person ${i}`, email, budget: i % 2 ? 'Large' : 'Small', note: 'Call me after 5' } });
  };
  const headers = { 'content-type': 'application/json' };
  let sent = 0;
  const post = async (body: string) => {
    const started = performance.now();
    const res = await request(submitUrl, { method: 'POST', headers, body });
    if (res.status !== 200) throw new Error(`POST answered ${res.status}`);
    sent++;
    return performance.now() - started;
  };

  // ---- 1. throughput -----------------------------------------------------------------------------
  const bodies = Array.from({ length: submissions }, (_, i) => bodyOf(i));
  // This process's children are PostgreSQL's and the API and worker: each counted apart.
  const cpuNow = () => {
    const { node, children } = cpuSeconds();
    const api = processCpuSeconds(pids.api);
    const worker = processCpuSeconds(pids.worker);
    return { generator: node, api, worker, postgres: children - api - worker };
  };
  const cpuBefore = cpuNow();
  let started = performance.now();
  await pool(submissions, concurrency, async (i) => void (await post(bodies[i]!)));
  const postSeconds = (performance.now() - started) / 1000;
  await waitProcessed(form.id, submissions);
  const allSeconds = (performance.now() - started) / 1000;
  const perSecond = submissions / allSeconds;
  console.log(`accepted    ${fmt(submissions)} POSTs in ${postSeconds.toFixed(1)} s: ${fmt(submissions / postSeconds)} submissions/s (${((submissions / postSeconds / baseline) * 100).toFixed(0)}% of the baseline)`);
  console.log(`processed   all ${fmt(submissions)} PROCESSED (contact, tags, consent, event) in ${allSeconds.toFixed(1)} s: ${fmt(perSecond)} submissions/s, ${((perSecond / baseline) * 100).toFixed(0)}% of the baseline`);
  const contacts = await db.contact.count({ where: { userId: user.id } });
  const consents = await db.consentChange.count({ where: { userId: user.id } });
  // The workflow's runs: one per person with a Large budget (a contact goes through it once).
  const expectedRuns = new Set(Array.from({ length: submissions }, (_, i) => i).filter((i) => i % 2).map((i) => (i % 10 === 9 ? i - 9 : i))).size;
  const runsSoFar = await db.workflowExecution.count({ where: { workflowId: workflow.id } });
  while ((await db.workflowExecution.count({ where: { workflowId: workflow.id } })) < expectedRuns) await new Promise((r) => setTimeout(r, 50));
  const runsSeconds = (performance.now() - started) / 1000;
  const cpu = cpuNow();
  const perSubmission = (seconds: number) => ((seconds * 1000) / submissions).toFixed(2);
  const used = (side: keyof typeof cpu) => cpu[side] - cpuBefore[side];
  const total = used('api') + used('worker') + used('postgres') + used('generator');
  console.log(
    `cpu         per submission with its run: ${perSubmission(used('api'))} ms in the API, ${perSubmission(used('worker'))} ms in the worker, ` +
      `${perSubmission(used('postgres'))} ms in PostgreSQL, ${perSubmission(used('generator'))} ms in the load generator: ${perSubmission(total)} ms, ${(total / runsSeconds).toFixed(2)} of the ${os.cpus().length} CPUs`,
  );
  console.log(`            ${fmt(contacts)} contacts (${fmt(submissions - contacts)} repeats found), ${fmt(consents)} consent lines; ${fmt(runsSoFar)} of the ${fmt(expectedRuns)} workflow runs started by then, all ${(runsSeconds - allSeconds).toFixed(1)} s later (${fmt(submissions / runsSeconds)} submissions/s with their runs)`);

  // ---- 2. latency at about half the rate -----------------------------------------------------------
  const rate = Math.max(1, Math.round(perSecond / 2));
  const count = rate * seconds;
  const lateBodies = Array.from({ length: count }, (_, k) => bodyOf(submissions + k));
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  started = performance.now();
  for (let k = 0; k < count; k++) {
    const due = started + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(post(lateBodies[k]!).then((ms) => void latencies.push(ms)));
  }
  await Promise.all(inFlight);
  const offered = (performance.now() - started) / 1000;
  await waitProcessed(form.id, submissions + count);
  const behind = (performance.now() - started) / 1000 - offered;
  latencies.sort((a, b) => a - b);
  console.log(
    `latency     ${fmt(count)} POSTs at ${fmt(rate)}/s for ${offered.toFixed(1)} s: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms; ` +
      `all processed ${behind.toFixed(1)} s after the last POST`,
  );
  console.log(`\nload average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${fmt(sent)} submissions in all`);
} finally {
  await stop();
}
