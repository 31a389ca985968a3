// A contact's address on each channel. (Which provider carries a channel is the tenant's
// choice: see capabilities.ts.)
import type { Contact, MessageChannel } from '@soshogle/db';

/**
 * The channels messages are sent on. VOICE is a channel of consent (and of the calls in a
 * conversation) only: the voice plugin places calls, messaging never sends on it.
 */
export const sendChannels = ['SMS', 'EMAIL', 'WHATSAPP', 'FACEBOOK', 'INSTAGRAM'] as const satisfies readonly MessageChannel[];
export type SendChannel = (typeof sendChannels)[number];

/** Where a channel reaches the contact: the phone (texts and calls), the email, or (Meta) the id the conversation holds. */
export function contactAddress(channel: MessageChannel, contact: Pick<Contact, 'phone' | 'email'>, conversationAddress?: string | null): string | null {
  if (channel === 'SMS' || channel === 'WHATSAPP' || channel === 'VOICE') return contact.phone;
  if (channel === 'EMAIL') return contact.email;
  return conversationAddress ?? null;
}
