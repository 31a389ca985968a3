// Campaigns' part of a contact's data export and erasure: which campaigns reached the
// contact and what happened. The recipient rows stay for the campaigns' counts, holding a
// plain id of a contact that no longer exists; their reasons (a bounce quotes the address)
// go.
import { defineContactData } from '@soshogle/core';

export const contactData = defineContactData({
  name: 'recipients',
  async export({ db }, contactId) {
    const recipients = await db.campaignRecipient.findMany({
      where: { contactId },
      orderBy: [{ queuedAt: 'asc' }, { id: 'asc' }],
      include: { campaign: { select: { name: true } } },
    });
    return { campaigns: recipients.map(({ campaign, userId: _tenant, ...r }) => ({ campaignName: campaign.name, ...r })) };
  },
  async erase(_ctx, contactId, tx) {
    const recipients = (await tx.campaignRecipient.updateMany({ where: { contactId }, data: { reason: null } })).count;
    return { erased: { recipientReasons: recipients }, kept: ['campaign recipients: status and times, for the campaigns\' counts'] };
  },
});
