// A contact's address on each channel. (Which provider carries a channel is the tenant's
// choice: see capabilities.ts.)
import type { Contact, MessageChannel } from '@soshogle/db';

/** Where a channel reaches the contact: the phone, the email, or (Meta) the id the conversation holds. */
export function contactAddress(channel: MessageChannel, contact: Pick<Contact, 'phone' | 'email'>, conversationAddress?: string | null): string | null {
  if (channel === 'SMS' || channel === 'WHATSAPP') return contact.phone;
  if (channel === 'EMAIL') return contact.email;
  return conversationAddress ?? null;
}
