// messaging.contact_policy as another plugin asks it (through ctx.actions, in its own
// transaction), against the real server and database: consent on the VOICE channel set
// through the consent API, quiet hours on the contact's clock, and no address.
import { expectJson, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { messagingPlugins } from '../testing/plugins.ts';

const soshogle = await startTestSoshogle(messagingPlugins());
const { db } = soshogle;

const policy = (tenantId: string, contactId: string, channel: 'VOICE' | 'SMS' | 'EMAIL') =>
  soshogle.tenantContext('messaging', tenantId).db.$transaction((tx) =>
    soshogle.contextFor('crm').actions.run(tx, 'messaging.contact_policy', { contactId, channel }, { tenantId, idempotencyKey: `policy:${contactId}` }),
  );

describe('messaging.contact_policy', () => {
  it('allows a call now outside quiet hours, refuses it after a voice do-not-disturb, and keeps SMS apart', async () => {
    const user = await signedInUser(soshogle);
    await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false }), 200);
    const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Callee', phone: '+15125550170' } });
    const before = Date.now();
    const open = await policy(user.userId, contact.id, 'VOICE');
    expect(open).toMatchObject({ allowed: true, address: '+15125550170' });
    expect(new Date(open.notBefore).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(open.notBefore).getTime()).toBeLessThanOrEqual(Date.now());

    await expectJson(await user.request('PUT', `/api/messaging/contacts/${contact.id}/consent/VOICE`, { doNotDisturb: true, reason: 'Asked on the phone' }), 200);
    expect(await policy(user.userId, contact.id, 'VOICE')).toMatchObject({ allowed: false, reason: 'The contact asked not to be contacted by phone call' });
    expect(await policy(user.userId, contact.id, 'SMS')).toMatchObject({ allowed: true });
    const consent = await expectJson<{ channels: Record<string, { doNotDisturb: boolean }> }>(await user.request('GET', `/api/messaging/contacts/${contact.id}/consent`), 200);
    expect(consent.channels.VOICE).toEqual({ doNotDisturb: true });
    expect(consent.channels.SMS).toEqual({ doNotDisturb: false });
  });

  it('answers the end of quiet hours on the contact’s clock, and refuses a contact with no phone or of another tenant', async () => {
    const user = await signedInUser(soshogle);
    const now = Date.now();
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: true, timezone: 'UTC', quietHoursStart: hhmm(now - 3600_000), quietHoursEnd: hhmm(now + 2 * 3600_000) }), 200);
    const quiet = await db.contact.create({ data: { userId: user.userId, firstName: 'Night', phone: '+15125550171' } });
    const answer = await policy(user.userId, quiet.id, 'VOICE');
    expect(answer.allowed).toBe(true);
    expect(new Date(answer.notBefore).getTime()).toBeGreaterThan(now + 3600_000);
    // The contact's own zone moves the window: nine hours ahead, the quiet hours are long over there.
    const away = await db.contact.create({ data: { userId: user.userId, firstName: 'Day', phone: '+15125550172', customFields: { timezone: 'Asia/Tokyo' } } });
    expect(new Date((await policy(user.userId, away.id, 'VOICE')).notBefore).getTime()).toBeLessThanOrEqual(Date.now());

    const silent = await db.contact.create({ data: { userId: user.userId, firstName: 'No phone', email: 'nophone@example.com' } });
    expect(await policy(user.userId, silent.id, 'VOICE')).toMatchObject({ allowed: false, address: null });
    expect(await policy(user.userId, silent.id, 'EMAIL')).toMatchObject({ address: 'nophone@example.com' });
    const other = await signedInUser(soshogle);
    expect(await policy(other.userId, quiet.id, 'VOICE')).toMatchObject({ allowed: false, reason: 'No such contact' });
  });
});
