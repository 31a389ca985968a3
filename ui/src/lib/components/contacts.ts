// A contact as the contact search (GET /crm/contacts) lists it, and the one way screens
// name a contact, so the picker, the previews and the deal cards all agree.
import type { Schema } from '../api.ts';

/** What a picked contact is shown and named by (a full Contact is one). */
export type PickedContact = Pick<Schema<'Contact'>, 'id' | 'firstName' | 'lastName' | 'email' | 'phone' | 'company'>;

/** "First Last", else the email or phone: a contact may have been saved with only those. */
export function contactName(c: { firstName?: string | null; lastName?: string | null; email?: string | null; phone?: string | null }): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.phone || 'Unnamed contact';
}

/** The second line under a name in search results: how to reach them, and where they work. */
export function contactDetail(c: Pick<PickedContact, 'email' | 'phone' | 'company'>): string {
  return [c.email ?? c.phone, c.company].filter(Boolean).join(' · ');
}
