import { defineTrigger } from '@soshogle/core';
import { z } from 'zod';

// Its payload names the contact (when there is one), so workflows it starts run for that contact.
export const pinged = defineTrigger({
  name: 'pinged',
  displayName: 'Pinged',
  description: 'A ping arrived, through the API, the provider’s webhooks or a new contact.',
  payload: z.object({ pingId: z.string(), message: z.string(), contactId: z.string().nullish() }),
  filter: z.object({ contains: z.string().min(1).optional().describe('Only pings whose message contains this text') }),
  matches: (filter, payload) => !filter.contains || payload.message.includes(filter.contains),
});
