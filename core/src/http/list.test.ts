import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, defineRoute } from '../plugin.ts';
import { expectJson, signedInUser, startTestSoshogle } from '../testing/index.ts';
import { conflict, invalid, notFound, refuse } from './problem.ts';

type Notification = { id: string; title: string; createdAt: string };
type Page<T> = { items: T[]; nextCursor: string | null };
type Problem = { status: number; title: string; detail: string; errors?: { field: string; message: string }[] };

const desk = definePlugin({
  name: 'desk',
  displayName: 'Desk',
  description: 'A test plugin with screens and refusals',
  screens: [
    { path: '/desk/archive', label: 'Archive', icon: 'M4 4h16v4H4z', order: 70 },
    { path: '/desk', label: 'Desk', icon: 'M4 4h16v16H4z', order: 25 },
  ],
  routes: [
    defineRoute({
      method: 'POST',
      path: '/refusals',
      summary: 'Refuse in each of the ways core offers',
      body: z.object({ kind: z.enum(['invalid', 'fields', 'conflict', 'notFound', 'refuse']) }),
      handler: ({ body }) => {
        if (body.kind === 'invalid') throw invalid('body.email', 'Not an email address');
        if (body.kind === 'fields') throw invalid([{ field: 'body.a', message: 'Too short' }, { field: 'body.b', message: 'Required' }]);
        if (body.kind === 'conflict') throw conflict('A sent campaign cannot be changed', 'status');
        if (body.kind === 'notFound') throw notFound('Desk');
        throw refuse(413, 'Files of more than 10 MB are refused');
      },
    }),
  ],
});

const soshogle = await startTestSoshogle([desk]);

describe('the list envelope', () => {
  it('walks every row with cursor and limit, newest first, and ends with nextCursor null', async () => {
    const user = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    // Two share one instant: the id breaks the tie, so neither repeats nor goes missing.
    const at = new Date('2026-01-02T03:04:05.000Z');
    const times = [at, at, ...Array.from({ length: 5 }, (_, i) => new Date(at.getTime() - (i + 1) * 60_000))];
    for (const [i, createdAt] of times.entries()) await soshogle.db.notification.create({ data: { userId: user.userId, title: `n${i}`, createdAt } });
    await soshogle.db.notification.create({ data: { userId: other.userId, title: 'not yours' } });

    const pages: Page<Notification>[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/api/notifications?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: Page<Notification> = await expectJson<Page<Notification>>(await user.request('GET', path), 200);
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);

    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    const walked = pages.flatMap((p) => p.items);
    const all = await expectJson<Page<Notification>>(await user.request('GET', '/api/notifications'), 200);
    expect(all.nextCursor).toBeNull();
    expect(walked.map((n) => n.id)).toEqual(all.items.map((n) => n.id));
    expect(new Set(walked.map((n) => n.title))).toEqual(new Set(times.map((_, i) => `n${i}`)));
    const stamps = walked.map((n) => Date.parse(n.createdAt));
    expect(stamps).toEqual([...stamps].sort((a, b) => b - a));
  });

  it('a page exactly as long as the rest still ends with nextCursor null', async () => {
    const user = await signedInUser(soshogle);
    for (const title of ['a', 'b']) await soshogle.db.notification.create({ data: { userId: user.userId, title } });
    const page = await expectJson<Page<Notification>>(await user.request('GET', '/api/notifications?limit=2'), 200);
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not make and a limit out of range with a 422 naming the field', async () => {
    const user = await signedInUser(soshogle);
    for (const [query, field] of [
      ['cursor=nonsense', 'query.cursor'],
      ['limit=0', 'query.limit'],
      ['limit=201', 'query.limit'],
      ['limit=x', 'query.limit'],
    ]) {
      const problem = await expectJson<Problem>(await user.request('GET', `/api/notifications?${query}`), 422);
      expect(problem.errors?.map((e) => e.field)).toEqual([field]);
    }
  });
});

describe('refusals', () => {
  const refusal = async (kind: string, status: number) => {
    const user = await signedInUser(soshogle);
    const res = await user.request('POST', '/api/desk/refusals', { kind });
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    return expectJson<Problem>(res, status);
  };

  it('invalid: a 422 naming one field or several', async () => {
    expect(await refusal('invalid', 422)).toMatchObject({
      title: 'Validation failed',
      detail: 'body.email: Not an email address',
      errors: [{ field: 'body.email', message: 'Not an email address' }],
    });
    expect(await refusal('fields', 422)).toMatchObject({ detail: 'body.a: Too short; body.b: Required', errors: [{ field: 'body.a' }, { field: 'body.b' }] });
  });

  it('conflict, notFound and refuse keep the RFC 9457 shape', async () => {
    expect(await refusal('conflict', 409)).toMatchObject({ title: 'Conflict', errors: [{ field: 'status', message: 'A sent campaign cannot be changed' }] });
    const missing = await refusal('notFound', 404);
    expect(missing).toMatchObject({ title: 'Not Found', detail: 'Desk not found' });
    expect(missing.errors).toBeUndefined();
    expect(await refusal('refuse', 413)).toMatchObject({ title: 'Payload Too Large', detail: 'Files of more than 10 MB are refused' });
  });
});

describe('screens in the catalog', () => {
  it("lists an enabled plugin's screens in navigation order, and none for a plugin without", async () => {
    const catalog = await expectJson<{ plugins: { name: string; screens: { path: string; label: string; icon: string; order: number }[] }[] }>(
      await fetch(`${soshogle.url}/api/catalog`),
      200,
    );
    expect(catalog.plugins.find((p) => p.name === 'desk')?.screens).toEqual([
      { path: '/desk', label: 'Desk', icon: 'M4 4h16v16H4z', order: 25 },
      { path: '/desk/archive', label: 'Archive', icon: 'M4 4h16v4H4z', order: 70 },
    ]);
    expect(catalog.plugins.find((p) => p.name === 'core')?.screens).toEqual([]);
  });
});
