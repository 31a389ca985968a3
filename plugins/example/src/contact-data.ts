// The example's part of a contact's data export and erasure: the contact's pings. Every
// plugin whose models hold rows about contacts declares one (the host refuses it otherwise).
import { defineContactData } from '@soshogle/core';

export const pingsContactData = defineContactData({
  name: 'pings',
  async export({ db }, contactId) {
    return { pings: await db.examplePing.findMany({ where: { contactId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], omit: { userId: true, key: true } }) };
  },
  async erase(_ctx, contactId, tx) {
    // The provider's copy of a delivered ping is its own: the example provider offers no delete.
    const delivered = await tx.examplePing.count({ where: { contactId, providerId: { not: null }, sandbox: false } });
    const pings = (await tx.examplePing.deleteMany({ where: { contactId } })).count;
    return {
      erased: { pings },
      providers: delivered ? [{ provider: 'example', record: 'ping', count: delivered, outcome: 'not_possible', reason: 'The example provider offers no delete' }] : [],
    };
  },
});
