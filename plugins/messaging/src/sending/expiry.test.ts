// Messages with an expiry (queue_messages' expiresAt, what a calendar reminder passes as
// the appointment's start): skipped when quiet hours would hold them past it, and never
// sent when their delivery comes at or after it. Through ctx.actions, as another plugin
// queues them, and the delivery job against the local fake of Twilio's API.
import { eventually, expectJson, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import type { ActionProps, TenantTx } from '@soshogle/core';
import { afterAll, describe, expect, it } from 'vitest';
import { messagingPlugins } from '../testing/plugins.ts';
import { startTwilioFake } from '../testing/twilio-fake.ts';
import { reserveSlot } from './throttle.ts';

const account = { accountSid: `AC${'e'.repeat(32)}`, authToken: 'token-of-the-expiry-tests-0123456' };
const fake = await startTwilioFake({ accounts: [account] });
afterAll(() => fake.close());

const soshogle = await startTestSoshogle(messagingPlugins(), { MESSAGING_TWILIO_API_URL: fake.url });
const { db } = soshogle;

const hour = 60 * 60 * 1000;
const hhmm = (minutes: number) => {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};
/** Quiet hours (UTC) from an hour ago to two hours from now: now is quiet. */
function quietNow() {
  const now = new Date();
  const minutes = now.getUTCHours() * 60 + now.getUTCMinutes();
  return { quietHoursEnabled: true, quietHoursStart: hhmm(minutes - 60), quietHoursEnd: hhmm(minutes + 120), timezone: 'UTC' };
}

// Numbers unique within the file: the fake's requests are told apart by them.
let nextNumber = 0;

/** A tenant with a Twilio connection at `rate` sends per second, quiet hours off, and one contact. */
async function tenant(rate = 50) {
  const user = await signedInUser(soshogle);
  await expectJson(await user.request('PUT', '/api/connections/messaging/twilio', { credentials: { ...account, smsFrom: '+15125550100' } }), 200);
  await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false, sendRates: { twilio: rate } }), 200);
  const phone = `+1737666${String(nextNumber++).padStart(4, '0')}`;
  const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Booker', phone } });
  return { user, contact, phone };
}

type Message = ActionProps<'messaging.queue_messages'>['messages'][number];
/**
 * messaging.queue_messages through another plugin's ctx.actions (as the calendar's reminder
 * job runs it), in a transaction of its own; `also` (messaging's own writes) runs in it after.
 */
const queue = (tenantId: string, messages: Message[], also?: (tx: TenantTx) => Promise<unknown>) =>
  soshogle.tenantContext('messaging', tenantId).db.$transaction(async (tx) => {
    const out = await soshogle.contextFor('crm').actions.run(tx, 'messaging.queue_messages', { channel: 'SMS', messages }, { tenantId, idempotencyKey: 'reminders' });
    await also?.(tx);
    return out.results;
  });
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const requestsTo = (phone: string) => fake.requests.filter((r) => r.method === 'POST' && r.body?.To === phone);

describe('queue_messages expiresAt', () => {
  it('skips as expired a message quiet hours would hold past its expiry, and queues one they hold to before it', async () => {
    const { user, contact } = await tenant();
    await expectJson(await user.request('PUT', '/api/messaging/settings', quietNow()), 200);
    const [held, kept, plain, past] = await queue(user.userId, [
      { contactId: contact.id, body: 'In 1 hour', idempotencyKey: 'r:1h', expiresAt: at(hour) },
      { contactId: contact.id, body: 'In 3 hours', idempotencyKey: 'r:3h', expiresAt: at(3 * hour) },
      { contactId: contact.id, body: 'No expiry', idempotencyKey: 'r:none' },
      { contactId: contact.id, body: 'Already over', idempotencyKey: 'r:past', expiresAt: at(-1000) },
    ]);
    expect(held).toMatchObject({ messageId: null, status: 'skipped', reason: expect.stringMatching(/^Expired: quiet hours hold it until .+, past its expiry at /) });
    expect(past).toMatchObject({ messageId: null, status: 'skipped', reason: expect.stringMatching(/^Expired: it expired at /) });
    for (const queued of [kept, plain]) {
      expect(queued).toMatchObject({ status: 'queued', sendAfter: expect.any(String) });
      expect(Date.parse(queued!.sendAfter!)).toBeGreaterThan(Date.now() + hour);
    }
    const stored = await db.message.findMany({ where: { userId: user.userId }, select: { idempotencyKey: true, status: true } });
    expect(stored.map((m) => m.idempotencyKey).sort()).toEqual(['r:3h', 'r:none']);
    expect(stored.every((m) => m.status === 'QUEUED')).toBe(true);
  });

  it('refuses an expiry that is no time with 422 naming the field', async () => {
    const { user, contact } = await tenant();
    await expect(queue(user.userId, [{ contactId: contact.id, body: 'x', idempotencyKey: 'bad', expiresAt: 'tomorrow' }])).rejects.toMatchObject({
      status: 422,
      errors: [{ field: 'props.messages.0.expiresAt' }],
    });
  });

  it('does not send a message whose send slot comes at or after its expiry', async () => {
    const { user, contact, phone } = await tenant(1);
    // Ten sends already hold the next ten seconds of the tenant's one-a-second rate.
    await reserveSlot(soshogle.tenantContext('messaging', user.userId).db, user.userId, 'twilio', 1, 10);
    const [queued] = await queue(user.userId, [{ contactId: contact.id, body: 'Too late', idempotencyKey: 'slot', expiresAt: at(5000) }]);
    expect(queued!.status).toBe('queued');
    const message = await eventually(async () => {
      const m = await db.message.findUniqueOrThrow({ where: { id: queued!.messageId! } });
      return m.status === 'QUEUED' ? null : m;
    }, 20_000);
    expect(message).toMatchObject({ status: 'CANCELLED', providerCalled: null, error: expect.stringMatching(/^Expired: not sent by /) });
    expect(requestsTo(phone)).toEqual([]);
  });

  it('does not send a message that quiet hours, begun since it was queued, would hold past its expiry; defers one they hold to before it', async () => {
    const { user, contact, phone } = await tenant();
    // Quiet hours begin in the queueing transaction, after the queue-time check: the delivery job meets them.
    const results = await queue(
      user.userId,
      [
        { contactId: contact.id, body: 'In 1 hour', idempotencyKey: 'q:1h', expiresAt: at(hour) },
        { contactId: contact.id, body: 'In 3 hours', idempotencyKey: 'q:3h', expiresAt: at(3 * hour) },
      ],
      (tx) => tx.messagingSettings.updateMany({ data: quietNow() }),
    );
    expect(results.map((r) => r.status)).toEqual(['queued', 'queued']);
    const [expired, deferred] = await eventually(async () => {
      const rows = await Promise.all(results.map((r) => db.message.findUniqueOrThrow({ where: { id: r.messageId! } })));
      return rows[0]!.status !== 'QUEUED' && rows[1]!.sendAfter ? rows : null;
    }, 20_000);
    expect(expired).toMatchObject({ status: 'CANCELLED', providerCalled: null, error: expect.stringMatching(/^Expired: not sent by /) });
    expect(deferred).toMatchObject({ status: 'QUEUED', providerCalled: null });
    expect(deferred!.sendAfter!.getTime()).toBeGreaterThan(Date.now() + hour);
    expect(requestsTo(phone)).toEqual([]);
  });

  it('sends a message before its expiry as any other', async () => {
    const { user, contact, phone } = await tenant();
    const [queued] = await queue(user.userId, [{ contactId: contact.id, body: 'In time', idempotencyKey: 'ok', expiresAt: at(hour) }]);
    const sent = await eventually(async () => {
      const m = await db.message.findUniqueOrThrow({ where: { id: queued!.messageId! } });
      return m.status === 'SENT' ? m : null;
    }, 20_000);
    expect(sent.twilioSid).toBeTruthy();
    expect(requestsTo(phone)).toHaveLength(1);
  });
});
