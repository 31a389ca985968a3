// messaging.contact_policy: whether the tenant may reach a contact on a channel now, asked
// by plugins that reach contacts themselves (voice places calls) so that one policy holds
// for every channel: the consent ledger's do-not-disturb, an address on the channel, and
// quiet hours on the contact's clock. Read-only: it runs in the caller's transaction, so
// the answer and what the caller does with it see the same state.
import { defineAction } from '@soshogle/core';
import { MessageChannel } from '@soshogle/db';
import { z } from 'zod';
import { contactAddress } from '../channels.ts';
import { quietHoursOf } from '../sending/service.ts';
import { doNotDisturb } from './service.ts';

const how: Record<MessageChannel, string> = {
  SMS: 'by SMS',
  EMAIL: 'by email',
  WHATSAPP: 'on WhatsApp',
  FACEBOOK: 'on Facebook',
  INSTAGRAM: 'on Instagram',
  VOICE: 'by phone call',
};

export const contactPolicy = defineAction({
  name: 'contact_policy',
  version: 1,
  internal: true,
  displayName: 'Contact policy',
  description: 'Whether a contact may be reached on a channel (consent, an address), and from when (quiet hours in their time zone).',
  props: z.object({ contactId: z.string().min(1).max(64), channel: z.enum(MessageChannel) }),
  output: z.object({
    allowed: z.boolean(),
    /** Why not, in words for the user. */
    reason: z.string().optional(),
    /** Where the channel reaches them (phone, email, conversation id); null when it does not. */
    address: z.string().nullable(),
    /** Now, or the end of the contact's quiet hours (ISO). */
    notBefore: z.string(),
  }),
  idempotent: true,
  transactional: true,
  async run({ db, tenantId, props }) {
    const now = new Date();
    const contact = await db.contact.findUnique({ where: { id: props.contactId }, select: { id: true, phone: true, email: true, customFields: true } });
    if (!contact) return { allowed: false, reason: 'No such contact', address: null, notBefore: now.toISOString() };
    const thread = await db.conversation.findFirst({ where: { contactId: contact.id, channel: props.channel }, select: { address: true } });
    const address = contactAddress(props.channel, contact, thread?.address);
    const notBefore = (await quietHoursOf(db, tenantId))(contact.customFields, now).toISOString();
    if (await doNotDisturb(db, contact.id, props.channel)) {
      return { allowed: false, reason: `The contact asked not to be contacted ${how[props.channel]}`, address, notBefore };
    }
    if (!address) return { allowed: false, reason: `The contact cannot be reached ${how[props.channel]}: no address`, address, notBefore };
    return { allowed: true, address, notBefore };
  },
});
