// The CRM's part of a contact's data export and erasure: the contact itself, its notes,
// its deal links and the merges that folded duplicates into it. It erases last (it
// provides the `contact` run context), by deleting the contact as any delete does
// (core.contact_deleted first, then the cascade).
import { defineContactData, type ContactErasure } from '@soshogle/core';
import { deleteContacts } from './service.ts';

export const contactData = defineContactData({
  name: 'contact',
  async export({ db }, contactId) {
    const [contact, notes, deals, merges] = await Promise.all([
      db.contact.findUnique({ where: { id: contactId } }),
      db.note.findMany({ where: { contactId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
      db.dealContact.findMany({ where: { contactId }, include: { deal: { select: { id: true, title: true, stage: true, value: true, currency: true, createdAt: true } } } }),
      db.contactMerge.findMany({ where: { keptContactId: contactId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    ]);
    return {
      contact,
      notes: notes.map((n) => ({ id: n.id, content: n.content, dealId: n.dealId, createdAt: n.createdAt, updatedAt: n.updatedAt })),
      deals: deals.map((d) => ({ ...d.deal, value: d.deal.value.toFixed(4), isPrimary: d.isPrimary })),
      // The duplicates merged into this contact, as they were: the same person's data.
      merges: merges.map((m) => ({ id: m.id, mergedContactId: m.mergedContactId, mergedContact: m.mergedContact, createdAt: m.createdAt })),
    };
  },
  async erase(ctx, contactId, tx): Promise<ContactErasure> {
    const contact = await tx.contact.findUnique({ where: { id: contactId }, select: { email: true, phone: true } });
    if (!contact) return { erased: {} };
    // One after the other: a transaction is one connection.
    const notes = await tx.note.count({ where: { contactId } });
    const dealLinks = await tx.dealContact.count({ where: { contactId } });
    const merges = await tx.contactMerge.count({ where: { keptContactId: contactId } });
    // An import's error lines quote the row they refused; those naming this person go.
    const quoted = [contact.email, contact.phone].filter((v): v is string => !!v);
    const importErrors = quoted.length ? (await tx.crmJobError.deleteMany({ where: { OR: quoted.map((v) => ({ message: { contains: v } })) } })).count : 0;
    // Notes, deal links and merges go with the contact (cascade).
    const contacts = await deleteContacts({ tx, tenantId: ctx.tenantId, events: ctx.events }, [contactId]);
    return {
      erased: { contacts, notes, dealLinks, merges, importErrors },
      kept: ['deals: the deals stay (they are the business\'s), without the link to this contact', 'uploaded CSV files waiting for their mapping are not searched'],
    };
  },
});
