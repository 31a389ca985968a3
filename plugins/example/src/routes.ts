import { defineRoute } from '@soshogle/core';
import { z } from 'zod';
import { exampleConfig } from './config.ts';

export const greetingRoute = defineRoute({
  config: exampleConfig,
  method: 'GET',
  path: '/greeting',
  summary: 'A greeting for a name, using the configured salutation',
  access: 'public',
  query: z.object({ name: z.string().trim().min(1).max(100) }),
  handler: ({ query, config }) => ({ message: `${config.greeting}, ${query.name}!` }),
});

// Raises `example.pinged` for the signed-in tenant, in a transaction as a domain change would.
export const pingRoute = defineRoute({
  method: 'POST',
  path: '/pings',
  summary: 'Send a ping, raising the example.pinged trigger',
  status: 202,
  body: z.object({ message: z.string().min(1).max(500) }),
  async handler({ body, db, events, tenantId }) {
    const eventId = await db.$transaction((tx) => events.raise(tx, 'example.pinged', { message: body.message }, { tenantId }));
    return { eventId };
  },
});
