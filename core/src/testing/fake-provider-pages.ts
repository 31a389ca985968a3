// Page tokens as Google, ElevenLabs and Graph hand them out: opaque to the client, they
// remember where the next page starts and which query they belong to, so a fake can refuse
// a token replayed with other parameters, as the real APIs do.
import { createHash } from 'node:crypto';

export class FakePageTokenError extends Error {
  constructor(readonly reason: 'invalid' | 'other-query') {
    super(reason === 'invalid' ? 'not a page token of this fake' : 'the page token belongs to another query');
  }
}

function fingerprint(query: unknown): string {
  return createHash('sha256').update(JSON.stringify(query ?? null)).digest('base64url').slice(0, 16);
}

/**
 * The page of `items` that `token` points at (the first without one), and the token of the
 * next page when there is one. Throws FakePageTokenError for a token that is not ours or
 * was issued for another `query`.
 */
export function pageOf<T>(items: readonly T[], options: { size: number; token?: string | null; query?: unknown }): { items: T[]; next: string | undefined } {
  const size = Math.max(1, Math.floor(options.size));
  let offset = 0;
  if (options.token) {
    let decoded: { o?: unknown; q?: unknown };
    try {
      decoded = JSON.parse(Buffer.from(options.token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    } catch {
      throw new FakePageTokenError('invalid');
    }
    if (typeof decoded?.o !== 'number' || !Number.isInteger(decoded.o) || decoded.o < 0) throw new FakePageTokenError('invalid');
    if (decoded.q !== fingerprint(options.query)) throw new FakePageTokenError('other-query');
    offset = decoded.o;
  }
  const end = Math.min(offset + size, items.length);
  const next = end < items.length ? Buffer.from(JSON.stringify({ o: end, q: fingerprint(options.query) })).toString('base64url') : undefined;
  return { items: items.slice(offset, end), next };
}
