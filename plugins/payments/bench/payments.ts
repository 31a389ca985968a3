// `pnpm bench:payments`: payment requests made per second, and signed Stripe webhooks
// applied per second, each beside the one-INSERT graphile-worker baseline of the same run
// (so figures from a busy, shared machine still compare).
//
// One tenant with a Stripe connection (through the connections route, as a person saves
// it), pointed at the local Stripe fake. Then:
// 1. BENCH_REQUESTS payment requests (an amount; every fifth an invoice of two lines,
//    numbered under the tenant's lock), each in its own transaction, BENCH_CONCURRENCY at a time.
// 2. BENCH_PAYMENTS of them get a Checkout Session through the Stripe provider; the fake's
//    payer pays each (every fourth after a declined card) without delivering. Every event
//    is then posted signed (Stripe-Signature), every third one twice, all in a seeded
//    shuffled order, BENCH_WEBHOOK_CONCURRENCY at a time, to the tenant's webhook URL.
//    Reported: events applied/s and deliveries/s, and whether the final state is exact
//    (each payment SUCCEEDED with the fake's PaymentIntent, the declined ones' reason kept,
//    one delivery record per event).
//
// Settings: BENCH_REQUESTS (5000), BENCH_PAYMENTS (2000), BENCH_CONCURRENCY (10),
// BENCH_WEBHOOK_CONCURRENCY (16), WORKER_CONCURRENCY, DATABASE_URL (default: a throwaway
// embedded PostgreSQL).
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { importPlugins } from '@soshogle/core';
import { fmt, insertJobBaseline, pool, shuffled, startBenchSoshogle, webhooksApplied } from '@soshogle/core/bench';
import payments from '../src/index.ts';
import { toMinor } from '../src/money.ts';
import { createPaymentRequest } from '../src/requests.ts';
import { startStripeFake, stripeSignature, type FakeEvent } from '../src/testing/stripe-fake.ts';

const requests = Number(process.env.BENCH_REQUESTS ?? 5000);
const paid = Math.min(requests, Number(process.env.BENCH_PAYMENTS ?? 2000));
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
const webhookConcurrency = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 16);

const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
const fake = await startStripeFake({ apiKeys: [secretKey] });
const { soshogle, databaseUrl, stop } = await startBenchSoshogle('payments', [...(await importPlugins(['@soshogle/plugin-crm'])), payments], {
  pluginEnv: { PAYMENTS_STRIPE_API_URL: fake.url },
});
const { db } = soshogle;

try {
  console.log(`payments benchmark: ${fmt(requests)} payment requests, ${fmt(paid)} paid through Stripe's webhooks, concurrency ${concurrency} (webhooks ${webhookConcurrency}), ${os.cpus().length} CPUs, node ${process.version}\n`);
  const baseline = await insertJobBaseline(databaseUrl);
  console.log(`baseline  graphile-worker job with one INSERT: ${fmt(baseline)} jobs/s`);

  // ---- the tenant, its Stripe connection through the same route as a person -------------
  const user = await db.user.create({ data: { email: `bench-payments-${Date.now()}@example.test` } });
  const apiKey = `sk_${randomBytes(24).toString('base64url')}`;
  await db.apiKey.create({ data: { userId: user.id, name: 'bench', prefix: apiKey.slice(0, 10), keyHash: createHash('sha256').update(apiKey).digest('hex'), scope: 'WRITE' } });
  const put = await fetch(`${soshogle.url}/api/connections/payments/stripe`, {
    method: 'PUT', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ credentials: { secretKey, webhookSecret } }),
  });
  if (put.status !== 200) throw new Error(`connecting Stripe: ${put.status} ${await put.text()}`);
  const ctx = soshogle.tenantContext('payments', user.id);
  const webhookUrl = `${soshogle.url}/webhooks/payments/${user.id}/stripe`;

  // ---- 1. payment requests -------------------------------------------------------------------
  const ids: string[] = new Array(requests);
  let started = performance.now();
  await pool(requests, concurrency, async (i) => {
    const input = i % 5 === 4
      ? { lines: [{ description: 'Consultation', quantity: 2, unitAmount: '45.50' }, { description: 'Travel', quantity: 1, unitAmount: '9.00' }] }
      : { amount: `${10 + (i % 90)}.${String(i % 100).padStart(2, '0')}`, description: `Deposit ${i}` };
    const { payment } = await ctx.db.$transaction((tx) => createPaymentRequest(ctx, tx, { source: 'API', currency: 'USD', ...input }));
    ids[i] = payment.id;
  });
  const requestSeconds = (performance.now() - started) / 1000;
  const perSecond = requests / requestSeconds;
  console.log(`requests  ${fmt(requests)} payment requests in ${requestSeconds.toFixed(1)} s: ${fmt(perSecond)} requests/s, ${((perSecond / baseline) * 100).toFixed(0)}% of the baseline`);

  // ---- 2. webhooks -----------------------------------------------------------------------------
  const connected = await ctx.providers.get('payments.checkout');
  if (!connected) throw new Error('Stripe is not connected');
  const sessions: string[] = new Array(paid);
  await pool(paid, concurrency, async (i) => {
    const payment = await db.payment.findUniqueOrThrow({ where: { id: ids[i]! } });
    const amountMinor = toMinor(payment.amount, payment.currency);
    const made = await connected.service.createCheckout({
      paymentId: payment.id, idempotencyKey: `pay_${payment.id}`, amountMinor, currency: payment.currency, description: payment.description ?? 'Payment',
      lines: [{ description: payment.description ?? 'Payment', quantity: 1, unitAmountMinor: amountMinor }], customer: { email: null, name: null, phone: null },
      returnUrl: `${soshogle.url}/pay/${payment.payToken}`, cancelUrl: `${soshogle.url}/pay/${payment.payToken}`, expiresAt: null,
    });
    await db.payment.update({ where: { id: payment.id }, data: { checkoutId: made.checkoutId, checkoutUrl: made.url } });
    sessions[i] = made.checkoutId;
    if (i % 4 === 0) await fake.decline(made.checkoutId, { deliver: false });
    await fake.pay(made.checkoutId, { deliver: false });
  });
  const events: FakeEvent[] = [...fake.events];
  const deliveries = shuffled(events.flatMap((event, i) => (i % 3 === 0 ? [event, event] : [event])), 19);
  // Each signed as it is sent, as Stripe does (a signature older than 5 minutes is refused,
  // and a big run takes longer): the signing, microseconds each, is in the figure.
  const statuses: Record<number, number> = {};
  let duplicates = 0;
  started = performance.now();
  await pool(deliveries.length, webhookConcurrency, async (i) => {
    const body = JSON.stringify(deliveries[i]);
    const res = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(body, [webhookSecret]) }, body });
    const text = await res.text();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (text.includes('"duplicate":true')) duplicates++;
  });
  // Answered is not applied: the inbox's job applies the deliveries, and the figure counts until it has.
  await webhooksApplied(soshogle, 600_000);
  const webhookSeconds = (performance.now() - started) / 1000;
  const applied = events.length / webhookSeconds;

  // ---- the exact final state ----------------------------------------------------------------
  const rows = await db.payment.findMany({ where: { id: { in: ids.slice(0, paid) } }, select: { id: true, status: true, checkoutId: true, stripePaymentIntentId: true, failureReason: true, paidAt: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const wrong = ids.slice(0, paid).filter((id, i) => {
    const row = byId.get(id);
    const session = fake.sessions.get(sessions[i]!)!;
    return !row || row.status !== 'SUCCEEDED' || !row.paidAt || row.stripePaymentIntentId !== session.payment_intent || row.failureReason !== (i % 4 === 0 ? 'insufficient_funds' : null);
  });
  const records = await db.webhookInbox.count({ where: { plugin: 'payments', tenantId: user.id, appliedAt: { not: null }, deliveryId: { in: events.map((e) => e.id) } } });
  const exact = wrong.length === 0 && records === events.length && duplicates === deliveries.length - events.length && (statuses[200] ?? 0) === deliveries.length;
  console.log(
    `webhooks  ${fmt(deliveries.length)} signed deliveries (${fmt(events.length)} events, ${fmt(deliveries.length - events.length)} duplicates, shuffled) in ${webhookSeconds.toFixed(1)} s: ` +
      `${fmt(applied)} events applied/s (${fmt(deliveries.length / webhookSeconds)} deliveries/s), ${((applied / baseline) * 100).toFixed(0)}% of the baseline`,
  );
  console.log(
    `webhooks  answers ${Object.entries(statuses).map(([s, n]) => `${fmt(n)} x ${s}`).join(', ')}; exact final state: ${exact ? 'yes' : 'NO'} ` +
      `(${fmt(paid - wrong.length)}/${fmt(paid)} payments right, ${fmt(records)}/${fmt(events.length)} delivery records, ${fmt(duplicates)} acknowledged as duplicates)`,
  );
  if (!exact) process.exitCode = 1;
} finally {
  await stop();
  await fake.close();
}
