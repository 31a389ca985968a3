// A contact's timeline: what every enabled plugin contributes (notes, deals, messages,
// calls, payments, workflow runs), merged newest first and paged by (time, id).
import { z } from 'zod';
import { notFound, Problem } from './http/problem.ts';
import { defineRoute, type AnyRoute, type TimelineEntry } from './plugin.ts';
import type { CoreServices } from './services.ts';
import { findContacts } from './workflows/run-context.ts';

const cursor = z
  .string()
  .max(300)
  .transform((value, ctx) => {
    try {
      const [at, source, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as [string, string, string];
      const date = new Date(at);
      if (Number.isNaN(date.getTime()) || typeof source !== 'string' || typeof id !== 'string') throw new Error('bad cursor');
      return { at: date, key: `${source}:${id}` };
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Not a cursor from this timeline' });
      return z.NEVER;
    }
  });

type Sourced = TimelineEntry & { source: string };

const newestFirst = (a: Sourced, b: Sourced) => b.at.getTime() - a.at.getTime() || (`${b.source}:${b.id}` < `${a.source}:${a.id}` ? -1 : 1);

export function timelineRoutes(services: CoreServices): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/contacts/:id/timeline',
      summary: "A contact's timeline from every plugin, newest first",
      params: z.object({ id: z.string().min(1).max(64) }),
      query: z.object({ cursor: cursor.optional(), limit: z.coerce.number().int().min(1).max(100).default(30) }),
      async handler({ params, query, db, tenantId }) {
        if (!(await findContacts(services.registry, db, tenantId, { ids: [params.id] })).length) throw notFound('Contact');
        // Sources page by time only (up to the cursor's instant, inclusive); entries at that
        // instant already shown are filtered below, and the extra 20 leave room for them.
        const before = query.cursor ? { at: new Date(query.cursor.at.getTime() + 1), id: '' } : null;
        const lists = await Promise.all(
          services.registry.timeline.map(async ({ plugin, source }) => {
            const key = `${plugin.definition.name}.${source.name}`;
            try {
              const entries = await source.entries(services.tenantContext(plugin.definition.name, tenantId), params.id, { before, limit: query.limit + 20 });
              return entries.map((e): Sourced => ({ ...e, source: key }));
            } catch (error) {
              services.log.error({ err: error, source: key }, 'timeline source failed');
              throw new Problem(502, 'Bad Gateway', `The ${key} timeline could not be read`);
            }
          }),
        );
        const merged = lists
          .flat()
          .filter((e) => !query.cursor || e.at < query.cursor.at || (e.at.getTime() === query.cursor.at.getTime() && `${e.source}:${e.id}` < query.cursor.key))
          .sort(newestFirst);
        const items = merged.slice(0, query.limit);
        const last = items.at(-1);
        const next = merged.length > query.limit && last ? Buffer.from(JSON.stringify([last.at.toISOString(), last.source, last.id])).toString('base64url') : null;
        return { items, nextCursor: next };
      },
    }),
  ];
}
