// The delivery job: a batch of queued messages (those due at the same time, up to 500)
// to their providers, each at most once, at the tenant's send rate.
//
// - Set-based: one query loads the batch, one per channel checks consent, one reserves
//   the batch's send slots, one claims what goes now, one records the answers.
// - A message is claimed (providerCalled set and committed) before the provider is
//   called: a second worker, or a retry, finds it claimed and sends nothing.
// - A claimed message with no answer recorded after a crash or a timeout has an unknown
//   outcome: it is flagged for review, never re-sent (the contact may have it already).
// - An answer that says it was not sent (429, 503, a refused connection) releases that
//   message's claim and it alone comes back later; a 429 also holds the tenant's sends to
//   that provider for its Retry-After. One message's failure never fails the others.
// - Consent and quiet hours are checked again just before the claim: a STOP that came
//   meanwhile wins, and a send that rate limits pushed into quiet hours waits for their end.
// - Messages queued with an expiry (the job carries it: every message of a job shares it)
//   are not sent once their slot, or the end of the quiet hours holding them, reaches it:
//   they are CANCELLED "Expired" instead (a reminder after the appointment began is noise).
// - Each channel goes through the provider the tenant connected for its capability
//   (ctx.providers, see capabilities.ts): the job names no provider.
import { setTimeout as sleep } from 'node:timers/promises';
import { defineJob, tenantSql, type JobContext, type TenantTx } from '@soshogle/core';
import type { Message, MessageChannel } from '@soshogle/db';
import { z } from 'zod';
import { messagingConfig, type MessagingConfig } from '../config.ts';
import { changeConsent, optedOutAmong } from '../consent/service.ts';
import { raiseMessageEvents, type MessageFact } from '../message-events.ts';
import { isProviderError, type ProviderError } from '../providers/errors.ts';
import { senderFor, type ChannelSender, type Sent } from './providers.ts';
import { quietHoursOf } from './service.ts';
import { gapOf, heldUntil, holdSends, reserveSlot } from './throttle.ts';

const payload = z.object({
  messageIds: z.array(z.string().min(1)).min(1).max(500),
  /** The send slot of the first message, held by this job (it was rescheduled to it). */
  slot: z.iso.datetime().optional(),
  /** With `slot`: milliseconds between the slots of consecutive messages (slot i = slot + i * gap). */
  gap: z.number().positive().optional(),
  /** The attempt at these messages: a retryable failure brings them back with the next. */
  attempt: z.number().int().min(1).optional(),
  /** When these messages become pointless (queue_messages' expiresAt): none goes at or after it. */
  expiresAt: z.iso.datetime().optional(),
});
type Payload = z.output<typeof payload>;

const day = 24 * 60 * 60 * 1000;
/** How late a job may start a slot it holds before that message takes a new one. */
const slotTolerance = 50;
/** Slots nearer than this are slept to; farther ones are rescheduled. */
const maxSleep = 3000;
/**
 * A rescheduled job comes back this long before its first slot: the queue may start it
 * up to its poll interval (1 s) late. It holds at most maxSleep - comeBackEarly of slots,
 * so all of them are near when it runs, and a worker sleeps at most half of its time.
 */
const comeBackEarly = 1500;
/**
 * Messages whose slots fall within this span are checked (consent, quiet hours, a 429
 * hold) and claimed together just before the first of them goes: few statements at high
 * rates, and at low rates a claim is never long before its send.
 */
const waveMs = 500;
/** A wave's checks and claim start this long before its first slot, so that send is on time. */
const checkAhead = 20;
/** Sends in flight at once per provider in a job: enough for thousands a second over keep-alive connections. */
const inFlight = 32;
/** How stale a job's view of a 429 hold (from another job) may be while it sends. */
const holdRecheckMs = 100;
/** Throttled (429) without a stated wait. */
const defaultHoldSeconds = 30;

const unanswered = 'The provider was called but its answer was never recorded (a crash or a timeout): not sent again. Check with the provider.';
const optedOutReason = (channel: MessageChannel) => `Not sent: the contact asked not to be messaged by ${channel.toLowerCase()}`;

/** A queued message with what sending it needs from its conversation and contact. */
type Loaded = Message & { lastInboundAt: Date | null; customFields: unknown };
/** A message and its send slot (epoch ms). */
interface Slotted {
  message: Loaded;
  at: number;
}

/** One provider's part of the job. */
interface Run {
  ctx: JobContext<MessagingConfig>;
  /** The provider's name: its send rate and 429 hold are the tenant's for it. */
  provider: string;
  /** The provider for each of the job's channels it serves. */
  senders: Map<MessageChannel, ChannelSender>;
  /** The payload's attempt, carried to the jobs this one schedules. */
  attempt: number;
  /** This try at the messages: the payload's attempt plus the queue's retries of this job. */
  tries: number;
  perSecond: number;
  gap: number;
  hold: HoldWatch;
  quietHours: (customFields: unknown, now?: Date) => Date;
  /** Bounds the sends in flight, across the job's waves. */
  limit: Limiter;
  /** The payload's expiry (epoch ms), carried to the jobs this one schedules. */
  expiresAt: number | null;
}

export const deliver = defineJob({
  name: 'deliver',
  config: messagingConfig,
  payload,
  maxAttempts: 12,
  async run(ctx, job) {
    const messages = await loadBatch(ctx, job.messageIds);
    await flagUnanswered(ctx, messages.filter((m) => m.providerCalled));
    const fresh = messages.filter((m) => !m.providerCalled);
    const expiresAt = job.expiresAt ? Date.parse(job.expiresAt) : null;
    if (expiresAt !== null && Date.now() >= expiresAt) return expire(ctx, fresh, expiresAt);
    await settleSandbox(ctx, fresh.filter((m) => m.sandbox));
    const live = fresh.filter((m) => !m.sandbox);
    // Each channel goes through the provider the tenant connected for it now.
    const senders = new Map<MessageChannel, ChannelSender | null>();
    for (const channel of new Set(live.map((m) => m.channel))) senders.set(channel, await senderFor(ctx, channel));
    const unconnected = live.filter((m) => !senders.get(m.channel));
    await failUnsent(ctx, unconnected.map((message) => ({ message, error: `Not sent: no ${message.channel.toLowerCase()} provider is connected any more` })));
    const groups = groupBy(
      live.filter((m) => senders.get(m.channel)),
      (m) => senders.get(m.channel)!.provider,
    );
    const slots = heldSlots(job);
    // Each provider has its own rate limit: they go side by side.
    const done = await Promise.allSettled(
      [...groups].map(([provider, group]) => {
        const own = new Map(group.map((m) => [m.channel, senders.get(m.channel)!]));
        return deliverLive(ctx, job, provider, own, group, slots);
      }),
    );
    const failed = done.find((d) => d.status === 'rejected');
    if (failed) throw failed.reason;
  },
});

/** The batch's queued outbound messages not under review, in the job's order (slots follow it). */
async function loadBatch(ctx: JobContext<MessagingConfig>, ids: string[]): Promise<Loaded[]> {
  const t = tenantSql(ctx.tenantId);
  const rows = await ctx.db.$queryRaw<Loaded[]>(t`
    select m.*, c."lastInboundAt", k."customFields"
    from "Message" m
    left join "Conversation" c on c.id = m."conversationId"
    left join "Contact" k on k.id = m."contactId"
    where ${t.owns('m')} and m.id = any(${ids}::text[])
      and m.direction = 'OUTBOUND' and m.status = 'QUEUED' and not m."needsReview"`);
  const order = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/** Claimed before, by a worker that never recorded the answer: unknown outcome, never re-sent. */
async function flagUnanswered(ctx: JobContext<MessagingConfig>, messages: Loaded[]): Promise<void> {
  if (!messages.length) return;
  await ctx.db.message.updateMany({
    where: { id: { in: messages.map((m) => m.id) }, status: 'QUEUED', needsReview: false, providerCalled: { not: null } },
    data: { needsReview: true, error: unanswered },
  });
}

/** The slot each message of a rescheduled job holds, by id. */
function heldSlots(job: Payload): Map<string, number> {
  if (!job.slot) return new Map();
  const first = Date.parse(job.slot);
  // Without a gap only the first message holds a slot.
  const ids = job.gap ? job.messageIds : job.messageIds.slice(0, 1);
  return new Map(ids.map((id, i) => [id, first + i * (job.gap ?? 0)]));
}

/** Sandbox mode (no connection when queued): recorded sent, consent still applies. */
async function settleSandbox(ctx: JobContext<MessagingConfig>, messages: Loaded[]): Promise<void> {
  if (!messages.length) return;
  const rest = await withoutOptedOut(ctx, messages, (m) => m);
  if (!rest.length) return;
  await ctx.db.$transaction(async (tx) => {
    const moved = await tx.message.updateManyAndReturn({
      where: { id: { in: rest.map((m) => m.id) }, status: 'QUEUED', providerCalled: null },
      data: { status: 'SENT', from: 'sandbox' },
      select: { id: true },
    });
    const sent = new Set(moved.map((m) => m.id));
    await raiseMessageEvents({ tx, tenantId: ctx.tenantId, events: ctx.events }, rest.filter((m) => sent.has(m.id)).map((message) => ({ message, kind: 'sent' })));
  });
}

/**
 * Fails the items whose contact opted out of the message's channel (one query per
 * channel) and returns the rest: consent checked at the moment of sending.
 */
async function withoutOptedOut<T>(ctx: JobContext<MessagingConfig>, items: T[], messageOf: (item: T) => Loaded): Promise<T[]> {
  const out = new Set<string>();
  for (const [channel, group] of groupBy(items.map(messageOf), (m) => m.channel)) {
    const contacts = [...new Set(group.flatMap((m) => (m.contactId ? [m.contactId] : [])))];
    const stopped = await optedOutAmong(ctx.db, contacts, channel);
    for (const m of group) if (m.contactId && stopped.has(m.contactId)) out.add(m.id);
  }
  const optedOut = items.filter((item) => out.has(messageOf(item).id));
  await failUnsent(ctx, optedOut.map((item) => ({ message: messageOf(item), error: optedOutReason(messageOf(item).channel) })));
  return items.filter((item) => !out.has(messageOf(item).id));
}

/** Fails messages before any provider call, each with its 'failed' event (once, however many workers try). */
async function failUnsent(ctx: JobContext<MessagingConfig>, items: { message: Loaded; error: string }[]): Promise<void> {
  if (!items.length) return;
  const json = JSON.stringify(items.map((i) => ({ id: i.message.id, error: i.error })));
  await ctx.db.$transaction(async (tx) => {
    const t = tenantSql(ctx.tenantId);
    const moved = await tx.$queryRaw<{ id: string }[]>(t`
      update "Message" m set status = 'FAILED', error = r.error, "updatedAt" = now() at time zone 'UTC'
      from json_to_recordset(${json}::json) as r(id text, error text)
      where m.id = r.id and ${t.owns('m')} and m.status = 'QUEUED' and m."providerCalled" is null
      returning m.id`);
    const failed = new Set(moved.map((m) => m.id));
    const facts = items.filter((i) => failed.has(i.message.id)).map((i): MessageFact => ({ message: i.message, kind: 'failed', error: i.error }));
    await raiseMessageEvents({ tx, tenantId: ctx.tenantId, events: ctx.events }, facts);
  });
}

/** The tenant's sends per second for a provider: their setting, else the provider's own default. */
async function rateOf(ctx: JobContext<MessagingConfig>, provider: string, senders: Map<MessageChannel, ChannelSender>): Promise<number> {
  const settings = await ctx.db.messagingSettings.findFirst({ select: { sendRates: true } });
  const rate = (settings?.sendRates as Record<string, unknown> | null)?.[provider];
  return typeof rate === 'number' && rate > 0 ? rate : Math.min(...[...senders.values()].map((s) => s.sendsPerSecond));
}

/** One provider's messages of the job: slots, then waves of checks, claims and sends. */
async function deliverLive(
  ctx: JobContext<MessagingConfig>,
  job: Payload,
  provider: string,
  senders: Map<MessageChannel, ChannelSender>,
  messages: Loaded[],
  slots: Map<string, number>,
): Promise<void> {
  const perSecond = await rateOf(ctx, provider, senders);
  const attempt = job.attempt ?? 1;
  const run: Run = {
    ctx,
    provider,
    senders,
    attempt,
    tries: attempt + ctx.attempt - 1,
    perSecond,
    gap: gapOf(perSecond),
    hold: holdWatch(ctx, provider),
    quietHours: await quietHoursOf(ctx.db, ctx.tenantId),
    limit: limiter(inFlight),
    expiresAt: job.expiresAt ? Date.parse(job.expiresAt) : null,
  };
  const all = await slotsFor(run, messages, slots);
  // A slot at or after the expiry would send it too late: it goes nowhere.
  const slotted = all.filter((s) => !tooLate(run, s.at));
  await expire(ctx, all.filter((s) => tooLate(run, s.at)).map((s) => s.message), run.expiresAt);
  // Far slots free the worker and come back for them.
  const now = Date.now();
  const near = slotted.filter((s) => s.at - now <= maxSleep);
  const far = slotted.filter((s) => s.at - now > maxSleep);
  if (far.length) await ctx.db.$transaction((tx) => comeBack(run, tx, far));
  await sendWaves(run, wavesOf(near));
}

/**
 * Each wave is checked and claimed just before its first slot, then its sends go out
 * while the next wave is prepared: a slow answer does not delay the next wave's sends.
 * Every wave's answers are recorded before the job ends, even when a later one fails.
 */
async function sendWaves(run: Run, waves: Slotted[][]): Promise<void> {
  const sending: Promise<void>[] = [];
  let failure: { error: unknown } | null = null;
  try {
    for (const [i, wave] of waves.entries()) {
      const go = await prepareWave(run, wave);
      if (!go) {
        // A 429 hold came first: these and the rest take new slots after it.
        await reslot(run, waves.slice(i).flat());
        break;
      }
      if (go.length) sending.push(sendAll(run, go).then((outcomes) => record(run, outcomes)));
    }
  } catch (error) {
    failure = { error };
  }
  const recorded = await Promise.allSettled(sending);
  const rejected = recorded.find((r) => r.status === 'rejected');
  if (failure) throw failure.error;
  if (rejected) throw rejected.reason;
}

/** Each message's slot, in slot order: the one it holds if still on time, else a new one. */
async function slotsFor(run: Run, messages: Loaded[], held: Map<string, number>): Promise<Slotted[]> {
  const now = Date.now();
  const kept: Slotted[] = [];
  const late: Loaded[] = [];
  for (const message of messages) {
    const at = held.get(message.id);
    // Came too late for its slot (the queue was busy): sending now could crowd the
    // next slot's message, so it takes a new one.
    if (at !== undefined && now - at <= slotTolerance) kept.push({ message, at });
    else late.push(message);
  }
  return [...kept, ...(await reserve(run, late))].sort((a, b) => a.at - b.at);
}

/** New consecutive slots for the messages, in their order: one statement for all of them. */
async function reserve(run: Run, messages: Loaded[]): Promise<Slotted[]> {
  if (!messages.length) return [];
  const first = (await reserveSlot(run.ctx.db, run.ctx.tenantId, run.provider, run.perSecond, messages.length)).getTime();
  return messages.map((message, i) => ({ message, at: first + i * run.gap }));
}

/** Groups slot-ordered messages into waves of at most waveMs from the first of each. */
function wavesOf(slotted: Slotted[]): Slotted[][] {
  const waves: Slotted[][] = [];
  for (const s of slotted) {
    const wave = waves.at(-1);
    if (wave && s.at - wave[0]!.at < waveMs) wave.push(s);
    else waves.push([s]);
  }
  return waves;
}

/**
 * Schedules slotted messages as jobs that come back a little before their first slot.
 * A job holds evenly spaced slots (slot i = slot + i * gap) spanning less than
 * maxSleep - comeBackEarly; the rest go in further jobs.
 */
async function comeBack(run: Run, tx: TenantTx, slotted: Slotted[]): Promise<void> {
  const sorted = [...slotted].sort((a, b) => a.at - b.at);
  const jobs: Slotted[][] = [];
  for (const s of sorted) {
    const job = jobs.at(-1);
    const even = job && Math.abs(s.at - job.at(-1)!.at - run.gap) < 0.001;
    if (job && even && s.at - job[0]!.at < maxSleep - comeBackEarly && job.length < 500) job.push(s);
    else jobs.push([s]);
  }
  for (const job of jobs) {
    // Rounded up: a send is never before its slot.
    const first = Math.ceil(job[0]!.at);
    await run.ctx.jobs.enqueue(
      tx,
      'messaging.deliver',
      { messageIds: job.map((s) => s.message.id), slot: new Date(first).toISOString(), gap: run.gap, ...carried(run) },
      { tenantId: run.ctx.tenantId, runAt: new Date(first - comeBackEarly) },
    );
  }
}

/** What a job this one schedules keeps of its payload: the attempt and the expiry. */
const carried = (run: Run, attempt = run.attempt) => ({
  ...(attempt > 1 ? { attempt } : {}),
  ...(run.expiresAt !== null ? { expiresAt: new Date(run.expiresAt).toISOString() } : {}),
});

/** Whether a send at `at` would be at or after the job's expiry. */
const tooLate = (run: Run, at: number) => run.expiresAt !== null && at >= run.expiresAt;

/** Past their expiry before they could go: cancelled, never sent (and no 'failed' event: nothing failed). */
async function expire(ctx: JobContext<MessagingConfig>, messages: Loaded[], expiresAt: number | null): Promise<void> {
  if (!messages.length || expiresAt === null) return;
  await ctx.db.message.updateMany({
    where: { id: { in: messages.map((m) => m.id) }, status: 'QUEUED', providerCalled: null },
    data: { status: 'CANCELLED', error: `Expired: not sent by ${new Date(expiresAt).toISOString()}` },
  });
}

/**
 * New slots after a 429 hold for messages that have not gone (nor been claimed): they
 * come after the hold, and a job coming back early sleeps to them.
 */
async function reslot(run: Run, slotted: Slotted[]): Promise<void> {
  const fresh = await reserve(run, slotted.map((s) => s.message));
  await run.ctx.db.$transaction((tx) => comeBack(run, tx, fresh));
}

/**
 * Just before a wave's first slot: the hold, consent and quiet hours are checked, and
 * the rest is claimed. Returns the claimed ones, or null when a 429 hold stops the wave.
 */
async function prepareWave(run: Run, wave: Slotted[]): Promise<Slotted[] | null> {
  const { ctx } = run;
  await sleepUntil(wave[0]!.at - checkAhead);
  if (await run.hold.refresh()) return null;
  const allowed = await withoutOptedOut(ctx, wave, (s) => s.message);
  const quiet = allowed.flatMap((s) => {
    // Contacts only: a test send to an address was asked for now.
    const until = s.message.contactId ? run.quietHours(s.message.customFields, new Date(s.at)) : null;
    return until && until.getTime() > s.at ? [{ message: s.message, until }] : [];
  });
  await expire(ctx, quiet.filter((q) => tooLate(run, q.until.getTime())).map((q) => q.message), run.expiresAt);
  await deferUntil(run, quiet.filter((q) => !tooLate(run, q.until.getTime())));
  const deferred = new Set(quiet.map((q) => q.message.id));
  return claim(ctx, allowed.filter((s) => !deferred.has(s.message.id)));
}

/** In quiet hours at the moment of sending: wait for their end (sendAfter says when), not dropped. */
async function deferUntil(run: Run, items: { message: Loaded; until: Date }[]): Promise<void> {
  if (!items.length) return;
  const { ctx } = run;
  await ctx.db.$transaction(async (tx) => {
    for (const group of groupBy(items, (i) => i.until.getTime()).values()) {
      const ids = group.map((i) => i.message.id);
      const until = group[0]!.until;
      await tx.message.updateMany({ where: { id: { in: ids }, status: 'QUEUED', providerCalled: null }, data: { sendAfter: until } });
      await ctx.jobs.enqueue(tx, 'messaging.deliver', { messageIds: ids, ...carried(run) }, { tenantId: ctx.tenantId, runAt: until });
    }
  });
}

/** Claims the messages still queued and unclaimed, committed before any provider call; returns those it got. */
async function claim(ctx: JobContext<MessagingConfig>, slotted: Slotted[]): Promise<Slotted[]> {
  if (!slotted.length) return [];
  const got = await ctx.db.message.updateManyAndReturn({
    where: { id: { in: slotted.map((s) => s.message.id) }, status: 'QUEUED', providerCalled: null, needsReview: false },
    data: { providerCalled: new Date() },
    select: { id: true },
  });
  const ids = new Set(got.map((m) => m.id));
  return slotted.filter((s) => ids.has(s.message.id));
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

async function sleepUntil(at: number): Promise<void> {
  for (let wait = at - Date.now(); wait > 0; wait = at - Date.now()) await sleep(Math.ceil(wait));
}

/** What came of one claimed message. */
type Outcome =
  | { kind: 'sent'; message: Loaded; sent: Sent }
  /** Not sent: a 429 hold began before its slot. */
  | { kind: 'held'; message: Loaded; at: number }
  | { kind: 'error'; message: Loaded; error: unknown };

/** Sends each at (not before) its slot, with at most inFlight of the job's sends at once. */
function sendAll(run: Run, slotted: Slotted[]): Promise<Outcome[]> {
  return Promise.all(
    slotted.map(async ({ message, at }) => {
      await sleepUntil(at);
      return run.limit(() => sendOne(run, message, at));
    }),
  );
}

async function sendOne(run: Run, message: Loaded, at: number): Promise<Outcome> {
  if (await run.hold.active()) return { kind: 'held', message, at };
  const sessionOpen = Boolean(message.lastInboundAt && Date.now() - message.lastInboundAt.getTime() < day);
  try {
    return { kind: 'sent', message, sent: await run.senders.get(message.channel)!.send({ ...message, sessionOpen }) };
  } catch (error) {
    // The job's other sends stop at once, not at the next look at the database.
    if (isProviderError(error) && isThrottled(error)) run.hold.note(Date.now() + holdSeconds(error) * 1000);
    return { kind: 'error', message, error };
  }
}

type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `max` tasks at once, the others in the order they came. */
function limiter(max: number): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running < max) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // Hands the place straight to the next one, if any.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** The tenant's 429 hold for the provider as this job knows it: read at most every holdRecheckMs. */
interface HoldWatch {
  /** Reads the hold now; returns it when there is one. */
  refresh(): Promise<Date | null>;
  /** Whether sends are held now. */
  active(): Promise<boolean>;
  /** A hold this job learnt from the provider itself. */
  note(until: number): void;
}

function holdWatch(ctx: JobContext<MessagingConfig>, provider: string): HoldWatch {
  let until = 0;
  let readAt = -Infinity;
  let reading: Promise<Date | null> | null = null;
  const refresh = () =>
    (reading ??= heldUntil(ctx.db, provider)
      .then((held) => {
        until = Math.max(until, held?.getTime() ?? 0);
        readAt = Date.now();
        return until > Date.now() ? new Date(until) : null;
      })
      .finally(() => (reading = null)));
  return {
    refresh,
    async active() {
      if (Date.now() - readAt > holdRecheckMs) {
        // A failed read keeps what is known: it is at most a moment old.
        await refresh().catch((error: unknown) => ctx.log.warn({ err: error }, 'could not read the send hold'));
      }
      return until > Date.now();
    },
    note(at) {
      until = Math.max(until, at);
    },
  };
}

/**
 * Whether a failure means the provider certainly did not take the message: a refused
 * connection, a 4xx (throttling), or 503 (not serving). Other 5xx answers (a gateway 504)
 * can come after the provider took it: those are flagged, not sent again.
 */
const notTaken = (error: ProviderError) =>
  error.status === null ? error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND' : error.status < 500 || error.status === 503;

/** Throttled with a stated wait (Retry-After, Meta's usage header) or a plain 429. */
const isThrottled = (error: ProviderError) => error.retryable && notTaken(error) && (error.retryAfterSeconds !== undefined || error.status === 429);
const holdSeconds = (error: ProviderError) => error.retryAfterSeconds ?? defaultHoldSeconds;

/** A row of the one statement that records every answer but success. */
interface Unsent {
  message: Loaded;
  status: 'FAILED' | null;
  error: string | null;
  needsReview: boolean;
  /** Frees the claim: the provider certainly did not take it. */
  release: boolean;
}

/** What to do about the messages that were not sent, decided per message. */
interface Decisions {
  rows: Unsent[];
  /** 'failed' events, raised for the rows that moved. */
  failed: Map<string, string>;
  /** The provider says the person opted out (Twilio 21610). */
  unsubscribed: { message: Loaded; code: string | null }[];
  /** Throttled: back after the wait, without using up an attempt. */
  throttled: { message: Loaded; seconds: number }[];
  /** Retryable: back after the queue's backoff, with the next attempt. */
  retried: Loaded[];
  /** Held by a 429 before their slot: new slots after the hold. */
  held: Slotted[];
  /** Seconds to hold the tenant's sends to the provider. */
  holdFor: number;
}

function decide(run: Run, outcomes: Outcome[]): Decisions {
  const d: Decisions = { rows: [], failed: new Map(), unsubscribed: [], throttled: [], retried: [], held: [], holdFor: 0 };
  for (const outcome of outcomes) {
    const { message } = outcome;
    if (outcome.kind === 'sent') continue;
    if (outcome.kind === 'held') {
      d.held.push({ message, at: outcome.at });
      d.rows.push({ message, status: null, error: null, needsReview: false, release: true });
      continue;
    }
    const { error } = outcome;
    if (!isProviderError(error)) {
      // A bug of ours, maybe after the call: the outcome is unknown.
      run.ctx.log.error({ err: error, messageId: message.id }, 'delivery failed with an unexpected error');
      d.rows.push({ message, status: null, error: `Unknown outcome: ${(error as Error).message}`, needsReview: true, release: false });
      continue;
    }
    const reason = `${error.message}${error.code ? ` (${run.provider} error ${error.code})` : ''}`;
    const fail = (why: string, release: boolean) => {
      d.rows.push({ message, status: 'FAILED', error: why, needsReview: false, release });
      d.failed.set(message.id, why);
    };
    if (!error.retryable) {
      fail(reason, false);
      if (error.optedOut && message.contactId) d.unsubscribed.push({ message, code: error.code });
    } else if (!notTaken(error)) {
      d.rows.push({ message, status: null, error: `Unknown outcome: ${reason}`, needsReview: true, release: false });
    } else if (isThrottled(error)) {
      d.rows.push({ message, status: null, error: reason, needsReview: false, release: true });
      d.throttled.push({ message, seconds: holdSeconds(error) });
      d.holdFor = Math.max(d.holdFor, holdSeconds(error));
    } else if (run.tries >= run.ctx.maxAttempts) {
      // The last attempt: say so on the message instead of leaving it queued for ever.
      fail(`Gave up after ${run.tries} attempts: ${reason}`, true);
    } else {
      d.rows.push({ message, status: null, error: reason, needsReview: false, release: true });
      d.retried.push(message);
      // Throttled without a stated wait (Meta's 613 is a retryable 4xx): hold the others briefly.
      if (error.status !== null && error.status < 500) d.holdFor = Math.max(d.holdFor, 5);
    }
  }
  return d;
}

/** Records a wave's answers: the sent ones first (they matter most), then the rest. */
async function record(run: Run, outcomes: Outcome[]): Promise<void> {
  await recordSent(
    run,
    outcomes.flatMap((o) => (o.kind === 'sent' ? [o] : [])),
  );
  const d = decide(run, outcomes);
  if (!d.rows.length) return;
  const { ctx } = run;
  // Before new slots are taken, so they come after the hold.
  if (d.holdFor) await holdSends(ctx.db, ctx.tenantId, run.provider, d.holdFor);
  const held = await reserve(run, d.held.map((h) => h.message));
  await ctx.db.$transaction(async (tx) => {
    const moved = await recordUnsent(tx, ctx.tenantId, d.rows);
    const facts = d.rows.filter((r) => d.failed.has(r.message.id) && moved.has(r.message.id)).map((r): MessageFact => ({ message: r.message, kind: 'failed', error: r.error }));
    await raiseMessageEvents({ tx, tenantId: ctx.tenantId, events: ctx.events }, facts);
    for (const { message, code } of d.unsubscribed) {
      // Recorded with the failure, so the next send is refused here instead of at the provider.
      await changeConsent(tx, ctx.tenantId, {
        contactId: message.contactId!,
        channel: message.channel,
        doNotDisturb: true,
        source: 'unsubscribe',
        reason: `${run.provider}: the recipient unsubscribed${code ? ` (error ${code})` : ''}`,
        messageId: message.id,
      });
    }
    for (const [seconds, group] of groupBy(d.throttled, (t) => t.seconds)) {
      await later(run, tx, group.map((t) => t.message), Date.now() + seconds * 1000, run.attempt);
    }
    // The queue's own backoff, as if the job had failed: exp(min(10, attempt)) seconds.
    if (d.retried.length) await later(run, tx, d.retried, Date.now() + Math.exp(Math.min(10, run.tries)) * 1000, run.tries + 1);
    if (held.length) await comeBack(run, tx, held);
  });
}

/** Back later without a slot (it takes one then). */
async function later(run: Run, tx: TenantTx, messages: Loaded[], at: number, attempt: number): Promise<void> {
  const ids = messages.map((m) => m.id);
  await run.ctx.jobs.enqueue(tx, 'messaging.deliver', { messageIds: ids, ...carried(run, attempt) }, { tenantId: run.ctx.tenantId, runAt: new Date(at) });
}

/**
 * The sent ones in one statement and one transaction with their 'sent' events. A status
 * webhook may have landed while the provider answered (SendGrid finds the message by its
 * own id): a newer status stays, the provider's id is recorded either way.
 */
async function recordSent(run: Run, sent: Extract<Outcome, { kind: 'sent' }>[]): Promise<void> {
  if (!sent.length) return;
  const { ctx } = run;
  const json = JSON.stringify(
    sent.map(({ message, sent: s }) => ({
      id: message.id,
      twilioSid: s.twilioSid ?? null,
      sendgridId: s.sendgridId ?? null,
      metaMid: s.metaMid ?? null,
      templateSid: s.templateSid ?? null,
      providerMessageId: s.providerMessageId ?? null,
      from: s.from,
    })),
  );
  await ctx.db.$transaction(async (tx) => {
    const t = tenantSql(ctx.tenantId);
    await tx.$executeRaw(t`
      update "Message" m set
        status = case when m.status = 'QUEUED' then 'SENT'::"MessageStatus" else m.status end,
        "twilioSid" = coalesce(r."twilioSid", m."twilioSid"),
        "sendgridId" = coalesce(r."sendgridId", m."sendgridId"),
        "metaMid" = coalesce(r."metaMid", m."metaMid"),
        "templateSid" = coalesce(r."templateSid", m."templateSid"),
        "providerMessageId" = coalesce(r."providerMessageId", m."providerMessageId"),
        provider = ${run.provider},
        "from" = r."from", error = null, "needsReview" = false, "updatedAt" = now() at time zone 'UTC'
      from json_to_recordset(${json}::json) as r(id text, "twilioSid" text, "sendgridId" text, "metaMid" text, "templateSid" text, "providerMessageId" text, "from" text)
      where m.id = r.id and ${t.owns('m')}`);
    await raiseMessageEvents({ tx, tenantId: ctx.tenantId, events: ctx.events }, sent.map(({ message }) => ({ message, kind: 'sent' })));
  });
}

/** Every other answer in one statement; returns the ids it changed (a webhook may have moved one on). */
async function recordUnsent(tx: TenantTx, tenantId: string, rows: Unsent[]): Promise<Set<string>> {
  const json = JSON.stringify(rows.map((r) => ({ id: r.message.id, status: r.status, error: r.error, needsReview: r.needsReview, release: r.release })));
  const t = tenantSql(tenantId);
  const moved = await tx.$queryRaw<{ id: string }[]>(t`
    update "Message" m set
      status = coalesce(r.status::"MessageStatus", m.status),
      error = coalesce(r.error, m.error),
      "needsReview" = r."needsReview",
      "providerCalled" = case when r.release then null else m."providerCalled" end,
      "updatedAt" = now() at time zone 'UTC'
    from json_to_recordset(${json}::json) as r(id text, status text, error text, "needsReview" boolean, release boolean)
    where m.id = r.id and ${t.owns('m')} and m.status = 'QUEUED'
    returning m.id`);
  return new Set(moved.map((m) => m.id));
}
