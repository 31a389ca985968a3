// core.contact_merged, raised in a merge's transaction as the CRM raises it: conversations,
// messages and the consent ledger move to the kept contact in that transaction.
import { expectJson, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import type { MessageChannel } from '@soshogle/db';
import { describe, expect, it } from 'vitest';
import { messagingPlugins } from '../testing/plugins.ts';

const soshogle = await startTestSoshogle(messagingPlugins());
const { db } = soshogle;

async function conversationWith(tenantId: string, contactId: string, channel: MessageChannel, texts: string[], lastMessageAt: Date) {
  const conversation = await db.conversation.create({ data: { userId: tenantId, contactId, channel, lastMessageAt, lastInboundAt: lastMessageAt } });
  for (const content of texts) {
    await db.message.create({ data: { userId: tenantId, contactId, conversationId: conversation.id, channel, content, direction: 'INBOUND', from: 'them', to: 'us' } });
  }
  return conversation;
}

/** What the CRM's merge does: raise core.contact_merged, then delete the merged contact, in one transaction. */
const merge = (tenantId: string, keepId: string, mergeId: string, fail = false) =>
  soshogle.tenantContext('crm', tenantId).db.$transaction(async (tx) => {
    await soshogle.events.raise(tx, 'core.contact_merged', { contactId: keepId, mergedContactId: mergeId }, { tenantId });
    await tx.contact.delete({ where: { id: mergeId } });
    if (fail) throw new Error('the merge failed after the event');
  });

describe('merging contacts', () => {
  it('joins same-channel threads (earliest start, latest activity), moves the rest, and keeps every message and consent change', async () => {
    const user = await signedInUser(soshogle);
    const t = user.userId;
    const keep = await db.contact.create({ data: { userId: t, firstName: 'Ada', phone: '+15125550101' } });
    const gone = await db.contact.create({ data: { userId: t, firstName: 'Ada L.', phone: '+15125550102', email: 'ada@example.com' } });
    const keptSms = await conversationWith(t, keep.id, 'SMS', ['k1', 'k2'], new Date('2026-01-01T00:00:00Z'));
    const mergedSms = await conversationWith(t, gone.id, 'SMS', ['m1'], new Date('2026-03-01T00:00:00Z'));
    const mergedEmail = await conversationWith(t, gone.id, 'EMAIL', ['e1'], new Date('2026-02-01T00:00:00Z'));
    await expectJson(await user.request('PUT', `/api/messaging/contacts/${gone.id}/consent/EMAIL`, { doNotDisturb: true, reason: 'Asked by phone' }), 200);

    await merge(t, keep.id, gone.id);

    const conversations = await db.conversation.findMany({ where: { contactId: keep.id }, orderBy: { channel: 'asc' } });
    expect(conversations.map((c) => [c.id, c.channel])).toEqual([
      [keptSms.id, 'SMS'],
      [mergedEmail.id, 'EMAIL'],
    ]);
    expect(conversations[0]!.lastMessageAt!.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(conversations[0]!.createdAt.getTime()).toBe(Math.min(keptSms.createdAt.getTime(), mergedSms.createdAt.getTime()));
    expect((await db.message.findMany({ where: { conversationId: keptSms.id }, orderBy: { content: 'asc' } })).map((m) => m.content)).toEqual(['k1', 'k2', 'm1']);
    expect(await db.message.count({ where: { contactId: keep.id } })).toBe(4);
    expect(await db.conversation.findUnique({ where: { id: mergedSms.id } })).toBeNull();
    const consent = await expectJson<{ channels: Record<string, { doNotDisturb: boolean }> }>(await user.request('GET', `/api/messaging/contacts/${keep.id}/consent`), 200);
    expect(consent.channels.EMAIL).toEqual({ doNotDisturb: true });
  });

  it('moves nothing when the merge rolls back, and nothing of another tenant', async () => {
    const user = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    const keep = await db.contact.create({ data: { userId: user.userId, firstName: 'Keep' } });
    const gone = await db.contact.create({ data: { userId: user.userId, firstName: 'Gone' } });
    const theirs = await db.contact.create({ data: { userId: other.userId, firstName: 'Theirs' } });
    const mine = await conversationWith(user.userId, gone.id, 'SMS', ['stays'], new Date());
    const their = await conversationWith(other.userId, theirs.id, 'SMS', ['theirs'], new Date());
    await expect(merge(user.userId, keep.id, gone.id, true)).rejects.toThrow('the merge failed');
    expect((await db.conversation.findUniqueOrThrow({ where: { id: mine.id } })).contactId).toBe(gone.id);
    // A merge event naming another tenant's contact as the merged one moves nothing of theirs.
    await soshogle.tenantContext('core', user.userId).db.$transaction((tx) =>
      soshogle.events.raise(tx, 'core.contact_merged', { contactId: keep.id, mergedContactId: theirs.id }, { tenantId: user.userId }),
    );
    expect((await db.conversation.findUniqueOrThrow({ where: { id: their.id } })).contactId).toBe(theirs.id);
    expect(await db.message.count({ where: { contactId: theirs.id } })).toBe(1);
  });
});
