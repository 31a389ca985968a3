// A route under /api/calendar. Its body is validated before the handler runs (a 422
// naming the field), and ctx.db reaches the signed-in tenant's rows only.
import { defineRoute } from '@soshogle/core';
import { z } from 'zod';

export const pingRoute = defineRoute({
  method: 'POST',
  path: '/pings',
  summary: 'Send a ping, raising calendar.pinged',
  status: 202,
  body: z.object({ message: z.string().min(1).max(500) }),
  // What it answers, for the API document and the UI's types; the tests hold every answer to it.
  response: z.object({ eventId: z.string() }),
  async handler({ body, db, events, tenantId }) {
    // Raised inside a transaction: with a domain change, both commit or neither does.
    const eventId = await db.$transaction((tx) => events.raise(tx, 'calendar.pinged', { message: body.message }, { tenantId }));
    return { eventId };
  },
});
