// What the CRM adds to a contact's timeline: notes, deals and merges.
import { defineTimelineSource } from '@soshogle/core';

export const notesTimeline = defineTimelineSource({
  name: 'notes',
  async entries({ db }, contactId, { before, limit }) {
    const notes = await db.note.findMany({
      where: { contactId, ...(before ? { createdAt: { lt: before.at } } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return notes.map((n) => ({ id: n.id, kind: 'note', at: n.createdAt, title: 'Note', body: n.content, data: { authorId: n.authorId, dealId: n.dealId, leadId: n.leadId } }));
  },
});

export const dealsTimeline = defineTimelineSource({
  name: 'deals',
  async entries({ db }, contactId, { before, limit }) {
    const deals = await db.deal.findMany({
      where: { contacts: { some: { contactId } }, ...(before ? { createdAt: { lt: before.at } } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return deals.map((d) => ({
      id: d.id,
      kind: 'deal',
      at: d.createdAt,
      title: `Deal "${d.title}" (${d.stage.toLowerCase().replace('_', ' ')})`,
      link: `/pipeline/${d.id}`, // the deal page in the admin UI
      data: { stage: d.stage, value: d.value.toFixed(4), currency: d.currency },
    }));
  },
});

export const mergesTimeline = defineTimelineSource({
  name: 'merges',
  async entries({ db }, contactId, { before, limit }) {
    const merges = await db.contactMerge.findMany({
      where: { keptContactId: contactId, ...(before ? { createdAt: { lt: before.at } } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return merges.map((m) => {
      const merged = m.mergedContact as { firstName?: string; lastName?: string | null };
      return { id: m.id, kind: 'merge', at: m.createdAt, title: `Merged with ${[merged.firstName, merged.lastName].filter(Boolean).join(' ') || 'a duplicate'}`, data: { mergedContactId: m.mergedContactId, actorId: m.actorId } };
    });
  },
});
