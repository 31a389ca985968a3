// A trigger: an event type (calendar.pinged) that plugin code raises and workflows start on.
import { defineTrigger } from '@soshogle/core';
import { z } from 'zod';

export const pinged = defineTrigger({
  name: 'pinged',
  displayName: 'Pinged',
  description: 'Someone sent a ping.',
  payload: z.object({ message: z.string() }),
  filter: z.object({ contains: z.string().min(1).optional().describe('Only pings whose message contains this text') }),
  matches: (filter, payload) => !filter.contains || payload.message.includes(filter.contains),
});
