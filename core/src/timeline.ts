// A contact's timeline: what every enabled plugin contributes (notes, deals, messages,
// calls, payments, workflow runs), merged newest first and paged by (time, id).
import { z } from 'zod';
import { keysetCursor, keysetOf, listOf, listQuery, page } from './http/list.ts';
import { notFound, refuse } from './http/problem.ts';
import { isoDate } from './http/wire.ts';
import { defineRoute, type AnyRoute, type TimelineEntry } from './plugin.ts';
import type { CoreServices } from './services.ts';
import { findContacts } from './workflows/run-context.ts';

type Sourced = TimelineEntry & { source: string };

const timelineEntryResponse = z
  .object({
    /** Unique within its source. */
    id: z.string(),
    /** The plugin's timeline source, e.g. `crm.notes`. */
    source: z.string(),
    /** What it is, e.g. `note`, `deal`, `message`, `call`, `workflow_run`. */
    kind: z.string(),
    at: isoDate,
    title: z.string(),
    body: z.string().nullable().optional(),
    /** Where the UI opens it, e.g. `/deals/<id>`. */
    link: z.string().nullable().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'TimelineEntry', description: "An entry of a contact's timeline, from one plugin" });

const newestFirst = (a: Sourced, b: Sourced) => b.at.getTime() - a.at.getTime() || (`${b.source}:${b.id}` < `${a.source}:${a.id}` ? -1 : 1);

export function timelineRoutes(services: CoreServices): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/contacts/:id/timeline',
      summary: "A contact's timeline from every plugin, newest first",
      params: z.object({ id: z.string().min(1).max(64) }),
      // The cursor's id is the last entry's `source:id`, the order's tie-break.
      query: listQuery({ cursor: keysetCursor, size: 30, max: 100 }),
      response: listOf(timelineEntryResponse),
      async handler({ params, query, db, tenantId }) {
        if (!(await findContacts(services.registry, db, tenantId, { ids: [params.id] })).length) throw notFound('Contact');
        // Sources page by time only (up to the cursor's instant, inclusive); entries at that
        // instant already shown are filtered below, and the extra 20 leave room for them.
        const after = query.cursor?.at ? { at: query.cursor.at, key: query.cursor.id } : null;
        const before = after ? { at: new Date(after.at.getTime() + 1), id: '' } : null;
        const lists = await Promise.all(
          services.registry.timeline.map(async ({ plugin, source }) => {
            const key = `${plugin.definition.name}.${source.name}`;
            try {
              const entries = await source.entries(services.tenantContext(plugin.definition.name, tenantId), params.id, { before, limit: query.limit + 20 });
              return entries.map((e): Sourced => ({ ...e, source: key }));
            } catch (error) {
              services.log.error({ err: error, source: key }, 'timeline source failed');
              throw refuse(502, `The ${key} timeline could not be read`);
            }
          }),
        );
        const merged = lists
          .flat()
          .filter((e) => !after || e.at < after.at || (e.at.getTime() === after.at.getTime() && `${e.source}:${e.id}` < after.key))
          .sort(newestFirst);
        return page(merged, query.limit, (last) => keysetOf(last.at, `${last.source}:${last.id}`));
      },
    }),
  ];
}
