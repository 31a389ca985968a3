// The sending policy, the same for every channel: quiet hours in the contact's time zone
// defer a send (never drop it), and a STOP on a chat channel blocks the next send. Run in
// sandbox mode (no provider connections), which takes the same path.
import { expectJson, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import type { MessageChannel } from '@soshogle/db';
import { describe, expect, it } from 'vitest';
import { messagingPlugins } from './testing/plugins.ts';
import { sendableAt } from './sending/quiet-hours.ts';

const soshogle = await startTestSoshogle(messagingPlugins());
const { db } = soshogle;

describe('sendableAt', () => {
  const at = (iso: string) => new Date(iso);
  it('is now outside quiet hours, and their end inside them, in the contact’s zone, across midnight', () => {
    // 14:00 in Chicago (UTC-6 in winter): outside 21:00-08:00.
    expect(sendableAt(at('2026-12-01T20:00:00Z'), 'America/Chicago', '21:00', '08:00')).toEqual(at('2026-12-01T20:00:00Z'));
    // 23:30 in Chicago: deferred to 08:00 Chicago = 14:00 UTC the next day.
    expect(sendableAt(at('2026-12-02T05:30:00Z'), 'America/Chicago', '21:00', '08:00')).toEqual(at('2026-12-02T14:00:00Z'));
    // 06:15 in Tokyo (UTC+9): deferred to 08:00 Tokyo the same morning.
    expect(sendableAt(at('2026-12-01T21:15:00Z'), 'Asia/Tokyo', '21:00', '08:00')).toEqual(at('2026-12-01T23:00:00Z'));
    // The nights the clocks change in Chicago: the end is still 08:00 on the contact's clock.
    // Back (1 Nov 2026, 02:00 CDT -> 01:00 CST): 23:00 CDT is 04:00Z; 08:00 CST is 14:00Z.
    expect(sendableAt(at('2026-11-01T04:00:00Z'), 'America/Chicago', '21:00', '08:00')).toEqual(at('2026-11-01T14:00:00Z'));
    // Forward (8 Mar 2026, 02:00 CST -> 03:00 CDT): 23:00 CST is 05:00Z; 08:00 CDT is 13:00Z.
    expect(sendableAt(at('2026-03-08T05:00:00Z'), 'America/Chicago', '21:00', '08:00')).toEqual(at('2026-03-08T13:00:00Z'));
    // A window within one day (12:00-13:00 lunch), and an empty one.
    expect(sendableAt(at('2026-12-01T12:30:00Z'), 'UTC', '12:00', '13:00')).toEqual(at('2026-12-01T13:00:00Z'));
    expect(sendableAt(at('2026-12-01T12:30:00Z'), 'UTC', '12:00', '12:00')).toEqual(at('2026-12-01T12:30:00Z'));
  });
});

/** A tenant whose quiet hours cover now (UTC), with a contact reachable on every channel. */
async function quietTenant() {
  const user = await signedInUser(soshogle);
  const now = Date.now();
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: true, timezone: 'UTC', quietHoursStart: hhmm(now - 3600_000), quietHoursEnd: hhmm(now + 3 * 3600_000) }), 200);
  const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Quiet', phone: '+15125550160', email: 'quiet@example.com' } });
  // Messenger and Instagram reach a contact through the conversation their message opened.
  for (const channel of ['FACEBOOK', 'INSTAGRAM'] as const) {
    await db.conversation.create({ data: { userId: user.userId, contactId: contact.id, channel, address: `psid-${channel}` } });
  }
  return { user, contact };
}

const send = (user: TestClient, contactId: string, channel: MessageChannel) =>
  user.request('POST', '/api/messaging/messages', { contactId, channel, body: 'Hello', ...(channel === 'EMAIL' ? { subject: 'Hi' } : {}) });

const channels = ['SMS', 'WHATSAPP', 'EMAIL', 'FACEBOOK', 'INSTAGRAM'] as const;

describe('quiet hours and consent on every channel', () => {
  it.each(channels)('%s: a send in quiet hours waits for their end, with its delivery scheduled then', async (channel) => {
    const { user, contact } = await quietTenant();
    const queued = await expectJson<{ id: string; status: string; sendAfter: string }>(await send(user, contact.id, channel), 202);
    expect(queued.status).toBe('QUEUED');
    expect(new Date(queued.sendAfter).getTime()).toBeGreaterThan(Date.now() + 2 * 3600_000);
    const [job] = await db.$queryRaw<{ run_at: Date }[]>`select run_at from graphile_worker._private_jobs where payload::text like ${`%${queued.id}%`}`;
    expect(job!.run_at.toISOString()).toBe(queued.sendAfter);
  });

  it.each(['SMS', 'WHATSAPP', 'FACEBOOK', 'INSTAGRAM'] as const)('%s: STOP from the contact blocks the next send; START lifts it', async (channel) => {
    const user = await signedInUser(soshogle);
    await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false }), 200);
    const from = channel === 'SMS' || channel === 'WHATSAPP' ? '+15125550161' : `psid-stop-${channel}`;
    const stop = await expectJson<{ contactId: string }>(await user.request('POST', '/api/messaging/sandbox/inbound', { channel, from, body: 'Stop' }), 201);
    expect((await send(user, stop.contactId, channel)).status).toBe(409);
    await expectJson(await user.request('POST', '/api/messaging/sandbox/inbound', { channel, from, body: 'start' }), 201);
    expect((await send(user, stop.contactId, channel)).status).toBe(202);
  });

  it('EMAIL: a contact who unsubscribed is refused (409) until consent is given again', async () => {
    const user = await signedInUser(soshogle);
    const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Mail', email: 'mail@example.com' } });
    await expectJson(await user.request('PUT', `/api/messaging/contacts/${contact.id}/consent/EMAIL`, { doNotDisturb: true, reason: 'Asked to stop' }), 200);
    const refused = await expectJson<{ errors: { field: string }[] }>(await send(user, contact.id, 'EMAIL'), 409);
    expect(refused.errors[0]!.field).toBe('body.contactId');
    // Other channels are not affected.
    expect((await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false })).status).toBe(200);
    expect((await send(user, contact.id, 'SMS')).status).toBe(422);
  });
});
