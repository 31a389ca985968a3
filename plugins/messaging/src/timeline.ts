// Messages on the contact timeline.
import { defineTimelineSource } from '@soshogle/core';

export const messagesTimeline = defineTimelineSource({
  name: 'messages',
  async entries({ db }, contactId, { before, limit }) {
    const messages = await db.message.findMany({
      where: { contactId, ...(before ? { OR: [{ createdAt: { lt: before.at } }, { createdAt: before.at, id: { lt: before.id } }] } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return messages.map((m) => ({
      id: m.id,
      kind: 'message',
      at: m.createdAt,
      title: `${m.direction === 'INBOUND' ? 'Received' : 'Sent'} ${m.channel === 'EMAIL' ? 'email' : m.channel.toLowerCase()}${m.subject ? `: ${m.subject}` : ''}`,
      body: m.content.slice(0, 500),
      link: m.conversationId ? `/inbox?conversation=${m.conversationId}` : null, // the thread in the admin UI
      data: { channel: m.channel, direction: m.direction, status: m.status, sandbox: m.sandbox },
    }));
  },
});
