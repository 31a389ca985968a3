// The delivery job on batches: one job sends a batch of messages at the tenant's rate,
// several in flight at once, each exactly once whatever else in the batch fails, through
// the twilio SDK against the local fake of Twilio's API (its request times show the pace).
import { eventRecorder, eventually, expectJson, queueSettled, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import type { TenantTx } from '@soshogle/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeConsent } from '../consent/service.ts';
import { messagingPlugins } from '../testing/plugins.ts';
import { startTwilioFake, type TwilioFakeRequest } from '../testing/twilio-fake.ts';
import { queueMessages } from './service.ts';
import { reserveSlot } from './throttle.ts';

const account = { accountSid: `AC${'d'.repeat(32)}`, authToken: 'token-of-the-delivery-tests-0123' };
const fake = await startTwilioFake({ accounts: [account] });
afterAll(() => fake.close());

const { plugin: recorder, heard } = eventRecorder(['messaging.message_event']);
const soshogle = await startTestSoshogle(messagingPlugins(recorder), { MESSAGING_TWILIO_API_URL: fake.url });
const { db } = soshogle;

/** A tenant with a Twilio connection, no quiet hours, and this Twilio rate (sends per second). */
async function tenant(rate: number) {
  const user = await signedInUser(soshogle);
  await expectJson(await user.request('PUT', '/api/connections/messaging/twilio', { credentials: { ...account, smsFrom: '+15125550100' } }), 200);
  await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false, sendRates: { twilio: rate } }), 200);
  return user.userId;
}

// Numbers unique within the file: the fake's requests are told apart by them.
let nextNumber = 0;
const phone = () => `+1737555${String(nextNumber++).padStart(4, '0')}`;

async function contacts(tenantId: string, phones: string[]) {
  return db.contact.createManyAndReturn({ data: phones.map((p, i) => ({ userId: tenantId, firstName: `C${i}`, phone: p })) });
}

/** Queues one SMS per contact in one transaction, as a campaign does: one delivery job per 100. */
async function queue(tenantId: string, to: { id: string }[], also?: (tx: TenantTx) => Promise<void>) {
  const ctx = soshogle.tenantContext('messaging', tenantId);
  return ctx.db.$transaction(async (tx) => {
    const queued = await queueMessages(
      { tenantId, tx, jobs: ctx.jobs, providers: ctx.providers },
      to.map((c) => ({ contactId: c.id, channel: 'SMS' as const, body: `Hello ${c.id}` })),
    );
    await also?.(tx);
    return queued.map((q) => q.message!);
  });
}

const messagesOf = (ids: string[]) => db.message.findMany({ where: { id: { in: ids } } });
const allSettled = (ids: string[], ms = 20_000) =>
  eventually(async () => {
    const messages = await messagesOf(ids);
    return messages.every((m) => m.status !== 'QUEUED' || m.needsReview) ? messages : null;
  }, ms);
const allSent = (ids: string[]) =>
  eventually(async () => {
    const messages = await messagesOf(ids);
    return messages.every((m) => m.status === 'SENT') ? messages : null;
  }, 20_000);
/** The fake's message requests to these numbers, in arrival order. */
const requestsTo = (phones: string[]): TwilioFakeRequest[] =>
  fake.requests.filter((r) => r.method === 'POST' && phones.includes(r.body?.To as string)).sort((a, b) => a.at - b.at);
/** The message_event kinds heard per message. */
const eventsOf = (ids: string[]) => {
  const kinds = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of heard) {
    const { messageId, kind } = e.payload;
    kinds.get(messageId)?.push(kind);
  }
  return kinds;
};
/** The most requests that were at the fake at once. */
const peakOverlap = (requests: TwilioFakeRequest[]) => {
  const edges = requests.flatMap((r) => [
    [r.at, 1],
    [r.answeredAt, -1],
  ]);
  edges.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let now = 0;
  let peak = 0;
  for (const [, step] of edges) peak = Math.max(peak, (now += step!));
  return peak;
};

// The first send of the process loads the SDK's API modules: warm it up, so the paces
// measured below are the job's.
beforeAll(async () => {
  const tenantId = await tenant(100);
  const [message] = await queue(tenantId, await contacts(tenantId, [phone()]));
  await allSent([message!.id]);
});

describe('a batch in one job', () => {
  it('sends each of 50 messages once, at the tenant’s rate across the batch (20/s)', async () => {
    const tenantId = await tenant(20);
    const phones = Array.from({ length: 50 }, phone);
    const queued = await queue(tenantId, await contacts(tenantId, phones));
    const ids = queued.map((m) => m.id);
    const settled = await allSettled(ids);
    expect(settled.every((m) => m.status === 'SENT' && m.twilioSid && !m.needsReview)).toBe(true);
    const requests = requestsTo(phones);
    expect(requests.map((r) => r.status)).toEqual(phones.map(() => 201));
    expect(new Set(requests.map((r) => r.body?.To)).size).toBe(50);
    // 50 ms apart: 49 gaps, and never 21 sends within a second (a few ms of jitter allowed).
    // The batch's 50 slots, 50 ms apart, were reserved at once: the throttle's next free
    // slot is the 51st. No send went before its slot (a millisecond of rounding aside).
    const throttle = await db.sendThrottle.findFirstOrThrow({ where: { userId: tenantId, provider: 'twilio' } });
    const firstSlot = throttle.nextSendAt.getTime() - 50 * 50;
    const times = requests.map((r) => r.at);
    times.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(firstSlot + i * 50 - 1));
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2400);
    await eventually(async () => [...eventsOf(ids).values()].every((kinds) => kinds.length === 1));
    await queueSettled(soshogle);
    expect([...eventsOf(ids).values()].every((kinds) => kinds.join() === 'sent')).toBe(true);
  });

  it('has several sends in flight at once, so high rates are reachable', async () => {
    const tenantId = await tenant(2000);
    fake.answerAfter(20);
    try {
      const phones = Array.from({ length: 200 }, phone);
      const queued = await queue(tenantId, await contacts(tenantId, phones));
      const settled = await allSettled(queued.map((m) => m.id));
      expect(settled.every((m) => m.status === 'SENT')).toBe(true);
      const requests = requestsTo(phones);
      expect(requests).toHaveLength(200);
      // One at a time, 20 ms each, could not go faster than 50/s.
      expect(peakOverlap(requests)).toBeGreaterThanOrEqual(8);
      // Half a millisecond apart at least.
      expect(requests.at(-1)!.at - requests[0]!.at).toBeGreaterThanOrEqual(199 * 0.5 - 5);
    } finally {
      fake.answerAfter(0);
    }
  });

  it('ends each message of a mixed batch in its own state with exactly one sent or failed event', async () => {
    const tenantId = await tenant(50);
    const fine = Array.from({ length: 6 }, phone);
    const [stopped, unavailable, ambiguous] = [phone(), phone(), phone()];
    const invalid = '+15005550001'; // Twilio answers 21211: not a valid number
    const unsubscribed = '+15005550004'; // Twilio answers 21610: the recipient texted STOP
    // The 503 first: the others must not wait for its retry.
    const all = await contacts(tenantId, [unavailable, ...fine, stopped, ambiguous, invalid, unsubscribed]);
    const by = (number: string) => all.find((c) => c.phone === number)!;
    fake.failTo(unavailable, 1, { status: 503 });
    fake.failTo(ambiguous, 1, { status: 500 });
    // The STOP comes after the message was queued, before it goes.
    const queued = await queue(tenantId, all, (tx) =>
      changeConsent(tx, tenantId, { contactId: by(stopped).id, channel: 'SMS', doNotDisturb: true, source: 'keyword', reason: 'Replied STOP' }).then(() => undefined),
    );
    const messageTo = (number: string) => queued.find((m) => m.to === number)!;
    const ids = queued.map((m) => m.id);
    // The 503 comes back after the queue's first backoff (e^1 s).
    await eventually(async () => ((await messagesOf([messageTo(unavailable).id]))[0]!.status === 'SENT' ? true : null), 20_000);
    const final = new Map((await allSettled(ids)).map((m) => [m.to, m]));
    for (const number of fine) expect(final.get(number)).toMatchObject({ status: 'SENT', needsReview: false });
    expect(final.get(stopped)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('asked not to be messaged') });
    expect(final.get(unavailable)).toMatchObject({ status: 'SENT', error: null, needsReview: false });
    expect(final.get(ambiguous)).toMatchObject({ status: 'QUEUED', needsReview: true, error: expect.stringContaining('Unknown outcome') });
    expect(final.get(invalid)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('21211') });
    expect(final.get(unsubscribed)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('21610') });
    expect(await db.consentChange.findFirst({ where: { contactId: by(unsubscribed).id } })).toMatchObject({ source: 'unsubscribe', doNotDisturb: true, messageId: messageTo(unsubscribed).id });

    // At the fake: the stopped one never, the 503 twice (refused, then taken), the others once.
    const statuses = (number: string) => requestsTo([number]).map((r) => r.status);
    expect(statuses(stopped)).toEqual([]);
    expect(statuses(unavailable)).toEqual([503, 201]);
    expect(statuses(ambiguous)).toEqual([500]);
    for (const number of fine) expect(statuses(number)).toEqual([201]);
    const retried = requestsTo([unavailable])[1]!.at;
    expect(requestsTo([...fine, ambiguous, invalid, unsubscribed]).every((r) => r.at < retried)).toBe(true);

    const expected = new Map([...fine, unavailable].map((n) => [messageTo(n).id, 'sent']));
    for (const n of [stopped, invalid, unsubscribed]) expected.set(messageTo(n).id, 'failed');
    expected.set(messageTo(ambiguous).id, '');
    await eventually(async () => [...eventsOf(ids)].every(([id, kinds]) => kinds.join() === expected.get(id)));
    await queueSettled(soshogle);
    expect(Object.fromEntries(eventsOf(ids))).toEqual(Object.fromEntries([...expected].map(([id, kind]) => [id, kind ? [kind] : []])));
  });

  it('holds the rest of the batch after a 429 for its Retry-After, then sends each once', async () => {
    const tenantId = await tenant(50);
    const phones = Array.from({ length: 10 }, phone);
    fake.failTo(phones[3]!, 1, { status: 429, retryAfter: 1 });
    const queued = await queue(tenantId, await contacts(tenantId, phones));
    const settled = await allSent(queued.map((m) => m.id));
    expect(settled).toHaveLength(10);
    const requests = requestsTo(phones);
    expect(requests.filter((r) => r.status === 201).map((r) => r.body?.To).sort()).toEqual([...phones].sort());
    const throttled = requests.find((r) => r.status === 429)!;
    // Nothing went between the 429 and the end of its Retry-After (sends already on their way aside).
    expect(requests.filter((r) => r.at > throttled.at + 100 && r.at < throttled.at + 950)).toEqual([]);
    expect(requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('keeps slots beyond a few seconds for a job that comes back for them, evenly spaced (2/s)', async () => {
    const tenantId = await tenant(2);
    const phones = Array.from({ length: 10 }, phone);
    const queued = await queue(tenantId, await contacts(tenantId, phones));
    const settled = await allSettled(queued.map((m) => m.id));
    expect(settled.every((m) => m.status === 'SENT')).toBe(true);
    const times = requestsTo(phones).map((r) => r.at);
    expect(times).toHaveLength(10);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500 - 30);
  });

  it('sends each message once when two jobs, or overlapping batches, carry the same ids', async () => {
    const tenantId = await tenant(200);
    const phones = Array.from({ length: 40 }, phone);
    const ctx = soshogle.tenantContext('messaging', tenantId);
    let ids: string[] = [];
    await queue(tenantId, await contacts(tenantId, phones), async (tx) => {
      ids = (await tx.message.findMany({ where: { to: { in: phones } }, select: { id: true } })).map((m) => m.id);
      await ctx.jobs.enqueue(tx, 'messaging.deliver', { messageIds: ids }, { tenantId });
      await ctx.jobs.enqueue(tx, 'messaging.deliver', { messageIds: ids.slice(10, 30) }, { tenantId });
      await ctx.jobs.enqueue(tx, 'messaging.deliver', { messageIds: [...ids].reverse() }, { tenantId });
    });
    // A job that finds a message claimed by the other one flags it until the other records
    // the answer, which then clears the flag: the end state is what counts.
    const settled = await allSent(ids);
    expect(settled.every((m) => !m.needsReview && m.error === null)).toBe(true);
    await queueSettled(soshogle);
    const requests = requestsTo(phones);
    expect(requests.map((r) => r.body?.To).sort()).toEqual([...phones].sort());
    await eventually(async () => [...eventsOf(ids).values()].every((kinds) => kinds.length >= 1));
    await queueSettled(soshogle);
    expect([...eventsOf(ids).values()].every((kinds) => kinds.join() === 'sent')).toBe(true);
  });
});

describe('checks at the moment of sending', () => {
  it('defers a message that reached quiet hours since it was queued to their end, in the contact’s own time zone', async () => {
    const tenantId = await tenant(50);
    const [here, farAway] = [phone(), phone()];
    const [local] = await contacts(tenantId, [here]);
    // 12 hours ahead of UTC: outside the 3-hour quiet window below.
    const [abroad] = await db.contact.createManyAndReturn({ data: [{ userId: tenantId, firstName: 'Abroad', phone: farAway, customFields: { timezone: 'Etc/GMT-12' } }] });
    const now = Date.now();
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    // Quiet hours begin (around now, UTC) after the messages were queued, before they go.
    const queued = await queue(tenantId, [local!, abroad!], async (tx) => {
      await tx.messagingSettings.update({
        where: { userId: tenantId },
        data: { quietHoursEnabled: true, timezone: 'UTC', quietHoursStart: hhmm(now - 3600_000), quietHoursEnd: hhmm(now + 2 * 3600_000) },
      });
    });
    const [deferred, sent] = [queued.find((m) => m.to === here)!, queued.find((m) => m.to === farAway)!];
    await allSent([sent.id]);
    const waiting = await eventually(async () => (await db.message.findFirst({ where: { id: deferred.id, sendAfter: { not: null } } })) ?? null);
    expect(waiting).toMatchObject({ status: 'QUEUED', providerCalled: null, needsReview: false });
    expect(waiting.sendAfter!.getTime()).toBeGreaterThan(now + 2 * 3600_000 - 60_000);
    // The job that deferred it may not have been deleted yet: the latest job is the deferred one.
    const [job] = await db.$queryRaw<{ run_at: Date }[]>`select run_at from graphile_worker._private_jobs where payload::text like ${`%${deferred.id}%`} order by run_at desc limit 1`;
    expect(job?.run_at.getTime()).toBe(waiting.sendAfter!.getTime());
    expect(requestsTo([here])).toEqual([]);
  });

  it('gives up after the last attempt with the reason and one failed event; an earlier attempt comes back with the next after the backoff', async () => {
    const tenantId = await tenant(50);
    const [last, early] = [phone(), phone()];
    const people = await contacts(tenantId, [last, early]);
    for (const number of [last, early]) fake.failTo(number, 5, { status: 503 });
    const ctx = soshogle.tenantContext('messaging', tenantId);
    const [gaveUp, retried] = await ctx.db.$transaction(async (tx) => {
      const made = [];
      for (const [person, attempt] of [
        [people[0]!, 12],
        [people[1]!, 3],
      ] as const) {
        const m = await tx.message.create({ data: { userId: tenantId, contactId: person.id, channel: 'SMS', direction: 'OUTBOUND', status: 'QUEUED', content: 'retry me', from: '', to: person.phone! } });
        await ctx.jobs.enqueue(tx, 'messaging.deliver', { messageIds: [m.id], attempt }, { tenantId });
        made.push(m);
      }
      return made;
    });
    const failed = await eventually(async () => db.message.findFirst({ where: { id: gaveUp!.id, status: 'FAILED' } }));
    expect(failed).toMatchObject({ providerCalled: null, needsReview: false, error: expect.stringMatching(/^Gave up after 12 attempts: .*Service Unavailable/) });
    const released = await eventually(async () => db.message.findFirst({ where: { id: retried!.id, error: { not: null } } }));
    expect(released).toMatchObject({ status: 'QUEUED', providerCalled: null, needsReview: false });
    const [job] = await db.$queryRaw<{ run_at: Date; payload: { payload: { attempt?: number } } }[]>`
      select run_at, payload from graphile_worker._private_jobs where payload::text like ${`%${retried!.id}%`}`;
    expect(job!.payload.payload.attempt).toBe(4);
    // exp(3) s, as graphile-worker backs off a failed job's third attempt.
    expect(job!.run_at.getTime() - Date.now()).toBeGreaterThan(15_000);
    expect(requestsTo([early])).toHaveLength(1);
    await eventually(async () => eventsOf([gaveUp!.id]).get(gaveUp!.id)!.length > 0);
    await queueSettled(soshogle);
    expect(Object.fromEntries(eventsOf([gaveUp!.id, retried!.id]))).toEqual({ [gaveUp!.id]: ['failed'], [retried!.id]: [] });
  });
});

describe('the send throttle', () => {
  it('reserves a batch of slots in one statement: the next batch starts after it, at fractions of a millisecond apart', async () => {
    const tenantId = await tenant(3000);
    const scoped = soshogle.tenantContext('messaging', tenantId).db;
    const first = await reserveSlot(scoped, tenantId, 'twilio', 3000, 1500);
    const second = await reserveSlot(scoped, tenantId, 'twilio', 3000, 1500);
    // 1,500 slots a third of a millisecond apart: half a second (rounded up to the millisecond).
    expect(second.getTime() - first.getTime()).toBeGreaterThanOrEqual(500);
    expect(second.getTime() - first.getTime()).toBeLessThanOrEqual(502);
  });
});
