// What the plugin adds to a contact's timeline: its pings, newest first.
import { defineTimelineSource } from '@soshogle/core';

export const pingsTimeline = defineTimelineSource({
  name: 'pings',
  async entries({ db }, contactId, { before, limit }) {
    const pings = await db.examplePing.findMany({
      where: { contactId, ...(before ? { createdAt: { lt: before.at } } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return pings.map((p) => ({
      id: p.id,
      kind: 'ping',
      at: p.createdAt,
      title: p.sandbox ? 'Ping (sandbox)' : 'Ping',
      body: p.message,
      data: { source: p.source, sandbox: p.sandbox, delivered: Boolean(p.deliveredAt) },
    }));
  },
});
