// Hears another part of the system through its event, never its code: each new contact
// gets a ping. Delivered at least once, so the event id makes a repeat add nothing.
import { defineSubscriber } from '@soshogle/core';
import { z } from 'zod';
import { recordPing } from './pings.ts';

const payload = z.object({ contactId: z.string().min(1) });

export const pingNewContacts = defineSubscriber({
  name: 'ping_new_contacts',
  event: 'core.contact_created',
  async run(ctx, event) {
    const { contactId } = payload.parse(event.payload);
    await ctx.db.$transaction((tx) => recordPing(tx, ctx, { message: 'New contact', source: 'contact_created', contactId, key: `event:${event.id}` }));
  },
});
