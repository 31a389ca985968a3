// One envelope for every list the API answers: `{ items, nextCursor }`, asked for with
// `?cursor=&limit=`. Routes build the page from rows fetched with `take: limit + 1`, so the
// extra row says whether another page follows without a count. Bounded lists (tags,
// custom fields, connections, ...) answer `{ items }` alone: the same shape, one page.
import { z } from 'zod';

export interface Page<T> {
  items: T[];
  /** Pass back as `?cursor=` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** An opaque cursor as the client sends it back. */
const opaqueCursor = z.string().min(1).max(300);

/**
 * `?cursor=&limit=` for a paged route: `limit` defaults to `size` and is at most `max`.
 * Pass `cursor` (e.g. keysetCursor) to decode the cursor while validating; extend the
 * result with the route's filters (`listQuery().extend({ status })`).
 */
export function listQuery<C extends z.ZodType<unknown, string> = typeof opaqueCursor>(options: { size?: number; max?: number; cursor?: C } = {}) {
  const { size = 50, max = 200 } = options;
  return z.object({
    cursor: ((options.cursor ?? opaqueCursor) as C).optional().describe('Where the page starts: the previous page\'s `nextCursor`'),
    limit: z.coerce.number().int().min(1).max(max).default(Math.min(size, max)).describe(`Page size: ${Math.min(size, max)} unless given, at most ${max}`),
  });
}

/** The page from rows fetched with `take: limit + 1`; `cursorOf` names where the page ended. */
export function page<T>(rows: T[], limit: number, cursorOf: (last: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? cursorOf(items.at(-1)!) : null };
}

/** The response shape of a paged route, for API docs. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `?cursor=` for the next page; null on the last page'),
  });
}

/** The response shape of a bounded list (`{ items }`, no cursor), for API docs. */
export function itemsOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

/** Where a keyset page ended in a (time desc, id desc) order; `at` may be null where the time column is. */
export interface Keyset {
  at: Date | null;
  id: string;
}

/** The rows after `after` in (createdAt desc, id desc) order: the `where` of the next keyset page (all rows when there is none). */
export function olderThan(after: Keyset | undefined): { OR?: [{ createdAt: { lt: Date } }, { createdAt: Date; id: { lt: string } }] } {
  return after?.at ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {};
}

/** Opaque to clients: the last row's (time, id). */
export function keysetOf(at: Date | null, id: string): string {
  return Buffer.from(JSON.stringify([at?.toISOString() ?? null, id])).toString('base64url');
}

/** `?cursor=` decoded to a Keyset; anything else is a 422 "Not a cursor from this list". */
export const keysetCursor = opaqueCursor.transform((value, ctx): Keyset => {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [at, id] = decoded as unknown[];
      const date = typeof at === 'string' ? new Date(at) : null;
      if (typeof id === 'string' && id && (at === null || (date && !Number.isNaN(date.getTime())))) return { at: date, id };
    }
  } catch {
    // Falls through to the issue below.
  }
  ctx.addIssue({ code: 'custom', message: 'Not a cursor from this list' });
  return z.NEVER;
});
