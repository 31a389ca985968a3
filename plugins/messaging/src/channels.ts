// Which provider carries each channel, and a contact's address on it.
import type { Contact, MessageChannel } from '@soshogle/db';

export type Provider = 'twilio' | 'sendgrid' | 'meta';

export const providerOf: Record<MessageChannel, Provider> = {
  SMS: 'twilio',
  WHATSAPP: 'twilio',
  EMAIL: 'sendgrid',
  FACEBOOK: 'meta',
  INSTAGRAM: 'meta',
};

/** Where a channel reaches the contact: the phone, the email, or (Meta) the id the conversation holds. */
export function contactAddress(channel: MessageChannel, contact: Pick<Contact, 'phone' | 'email'>, conversationAddress?: string | null): string | null {
  if (channel === 'SMS' || channel === 'WHATSAPP') return contact.phone;
  if (channel === 'EMAIL') return contact.email;
  return conversationAddress ?? null;
}
