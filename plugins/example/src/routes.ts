import type Router from '@koa/router';
import { notFound, parseOrThrow, type PluginContext } from '@soshogle/core';
import { z } from 'zod';
import type { exampleConfig } from './config.ts';

const greetingQuery = z.object({ name: z.string().trim().min(1).max(100) });
const pingBody = z.object({ userId: z.string().min(1), message: z.string().min(1).max(500) });

export function exampleRoutes(router: Router, ctx: PluginContext<z.output<typeof exampleConfig>>): void {
  router.get('/greeting', (http) => {
    const { name } = parseOrThrow(greetingQuery, http.query, 'query');
    http.body = { message: `${ctx.config.greeting}, ${name}!` };
  });

  // Raises `example.pinged` in a transaction, as a domain change would.
  router.post('/pings', async (http) => {
    const body = parseOrThrow(pingBody, http.request.body, 'body');
    const eventId = await ctx.db.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: body.userId }, select: { id: true } });
      if (!user) throw notFound('User');
      return ctx.events.raise(tx, 'example.pinged', { message: body.message }, { tenantId: user.id });
    });
    http.status = 202;
    http.body = { eventId };
  });
}
