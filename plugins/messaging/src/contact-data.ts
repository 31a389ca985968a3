// Messaging's part of a contact's data export and erasure: the contact's messages (with
// their provider events), conversations and consent history.
import { defineContactData, type ProviderRecordErasure } from '@soshogle/core';

export const contactData = defineContactData({
  name: 'messages',
  async export({ db }, contactId) {
    const [messages, conversations, consent] = await Promise.all([
      db.message.findMany({
        where: { contactId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: {
          id: true, channel: true, direction: true, from: true, to: true, subject: true, content: true, html: true, status: true, error: true,
          provider: true, providerMessageId: true, conversationId: true, createdAt: true, call: true,
          events: { select: { type: true, data: true, occurredAt: true }, orderBy: { occurredAt: 'asc' } },
        },
      }),
      db.conversation.findMany({ where: { contactId }, select: { id: true, channel: true, address: true, lastMessageAt: true, createdAt: true } }),
      db.consentChange.findMany({
        where: { contactId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { channel: true, doNotDisturb: true, source: true, reason: true, wording: true, evidence: true, messageId: true, createdAt: true },
      }),
    ]);
    return { messages, conversations, consent };
  },
  async erase(_ctx, contactId, tx) {
    // The messages each provider carried: its own logs of them stay (see the report).
    const byProvider = await tx.message.groupBy({ by: ['provider'], where: { contactId, provider: { not: null }, sandbox: false }, _count: { _all: true } });
    // Messages first: a conversation's messages hold it (no cascade from conversation to message).
    // A queued one that goes finds nothing to send (the delivery job skips missing rows).
    const messages = (await tx.message.deleteMany({ where: { contactId } })).count;
    const conversations = (await tx.conversation.deleteMany({ where: { contactId } })).count;
    const consentChanges = (await tx.consentChange.deleteMany({ where: { contactId } })).count;
    const providers: ProviderRecordErasure[] = byProvider.map((p) => ({
      provider: p.provider!,
      record: 'message log',
      count: p._count._all,
      outcome: 'not_possible',
      reason: "Soshogle has no delete for a provider's message logs: remove them in the provider's console if needed (SendGrid and Meta offer no delete)",
    }));
    return {
      erased: { messages, conversations, consentChanges },
      kept: ['no opt-out record is kept: if the person is added again, their consent starts over'],
      providers,
    };
  },
});
