// Leads' part of a contact's data export and erasure. Leads are businesses found on Google
// Places, not people, and link to no contact; but a lead converted into this contact (or
// found again later) carries the same email or phone, which is the person's data too.
import { defineContactData } from '@soshogle/core';

/** The contact's email and phone, as the leads' columns hold them. */
function addressesOf(contact: Record<string, unknown>) {
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return { email: text(contact.email), phone: text(contact.phone) };
}

export const contactData = defineContactData({
  name: 'leads',
  async export({ db }, _contactId, contact) {
    const { email, phone } = addressesOf(contact);
    const or = [...(email ? [{ email: { equals: email, mode: 'insensitive' as const } }] : []), ...(phone ? [{ phone }] : [])];
    return { leads: or.length ? await db.lead.findMany({ where: { OR: or }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], omit: { userId: true } }) : [] };
  },
  async erase(_ctx, _contactId, tx, contact) {
    const { email, phone } = addressesOf(contact);
    // The business stays a lead; only the person's address goes.
    const leadEmails = email ? (await tx.lead.updateMany({ where: { email: { equals: email, mode: 'insensitive' } }, data: { email: null } })).count : 0;
    const leadPhones = phone ? (await tx.lead.updateMany({ where: { phone }, data: { phone: null } })).count : 0;
    return { erased: { leadEmails, leadPhones }, kept: ["leads: the business's name, address and website (public business data)"] };
  },
});
