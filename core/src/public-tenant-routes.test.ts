// Public routes that find their tenant in the URL (a booking page's slug): the handler gets
// that tenant's scoped data and nobody signed in; an unknown page is a 404 before the
// handler runs; another tenant's ids anywhere else in the request are missing rows.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { notFound } from './http/problem.ts';
import { defineRoute, definePlugin, type WebhookLookup } from './plugin.ts';
import { expectJson, signedInUser, startTestSoshogle } from './testing/index.ts';
import { paramsNaming } from './testing/route-sweep.ts';
import { publicKeysOf, seedTenant } from './testing/seed-tenant.ts';

let handled = 0;
const bySlug = async ({ params }: { params: { slug: string } }, lookup: WebhookLookup) =>
  (await lookup.calendar.findUnique({ where: { publicSlug: params.slug }, select: { userId: true } }))?.userId ?? null;

const pages = definePlugin({
  name: 'pages',
  displayName: 'Pages',
  description: 'A public page per calendar, for this test',
  routes: [
    defineRoute({
      method: 'GET',
      path: '/pages/:slug',
      summary: 'A page and the contacts its tenant has',
      access: 'public',
      params: z.object({ slug: z.string().max(100) }),
      response: z.object({ tenantId: z.string(), calendar: z.string(), contacts: z.array(z.string()), signedIn: z.boolean() }),
      tenant: bySlug,
      handler: async (ctx) => {
        handled += 1;
        const calendar = await ctx.db.calendar.findFirst({ where: { publicSlug: ctx.params.slug } });
        const contacts = await ctx.db.contact.findMany({ orderBy: { id: 'asc' } });
        return { tenantId: ctx.tenantId, calendar: calendar!.name, contacts: contacts.map((c) => c.id), signedIn: 'auth' in ctx };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/pages/:slug/notes',
      summary: 'Leaves a note on one of the tenant’s contacts',
      access: 'public',
      params: z.object({ slug: z.string().max(100) }),
      body: z.object({ contactId: z.string().max(40), content: z.string().min(1).max(200) }),
      response: z.object({ id: z.string() }),
      status: 201,
      tenant: bySlug,
      handler: async (ctx) => {
        const contact = await ctx.db.contact.findFirst({ where: { id: ctx.body.contactId } });
        if (!contact) throw notFound('Contact');
        return ctx.db.note.create({ data: { userId: ctx.tenantId, contactId: contact.id, content: ctx.body.content }, select: { id: true } });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/greeting/:name',
      summary: 'A public route for no tenant',
      access: 'public',
      params: z.object({ name: z.string().max(20) }),
      response: z.object({ hello: z.string() }),
      handler: (ctx) => ({ hello: ctx.params.name }),
    }),
  ],
});

const soshogle = await startTestSoshogle([pages]);
const db = soshogle.db;
const owner = await db.user.create({ data: { email: 'page-owner@example.test', role: 'AGENCY' } });
const ownerSub = await db.user.create({ data: { email: 'page-owner-client@example.test', role: 'SUB_ACCOUNT', agencyId: owner.id } });
const ownerRows = await seedTenant(db, owner.id, ownerSub.id);
const other = await db.user.create({ data: { email: 'other-owner@example.test', role: 'AGENCY' } });
const otherSub = await db.user.create({ data: { email: 'other-owner-client@example.test', role: 'SUB_ACCOUNT', agencyId: other.id } });
const otherRows = await seedTenant(db, other.id, otherSub.id);
const slug = publicKeysOf(owner.id).slug;
const get = (path: string, init?: RequestInit) => fetch(`${soshogle.url}/api/pages${path}`, init);
const post = (path: string, body: unknown) => get(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const mounted = (path: string) => soshogle.routes.find((r) => r.path === `/api/pages${path}`)!;

describe('public routes that name their tenant', () => {
  it("gives the handler the named tenant's data only, and nobody signed in", async () => {
    const page = await expectJson<{ tenantId: string; calendar: string; contacts: string[]; signedIn: boolean }>(await get(`/pages/${slug}`), 200);
    expect(page).toEqual({ tenantId: owner.id, calendar: 'B chair', contacts: [ownerRows.Contact], signedIn: false });
  });

  it('acts for the tenant the URL names, not for whoever is signed in', async () => {
    const visitor = await signedInUser(soshogle);
    await db.contact.create({ data: { userId: visitor.userId, firstName: 'Vi' } });
    const page = await expectJson<{ tenantId: string; contacts: string[]; signedIn: boolean }>(await visitor.request('GET', `/api/pages/pages/${slug}`), 200);
    expect(page).toMatchObject({ tenantId: owner.id, contacts: [ownerRows.Contact], signedIn: false });
  });

  it("takes a signed-in visitor's post without its CSRF token (it never uses the session); routes that may still refuse it", async () => {
    const visitor = await signedInUser(soshogle);
    const noToken = { 'x-csrf-token': 'not-the-token' };
    await expectJson(await visitor.request('POST', `/api/pages/pages/${slug}/notes`, { contactId: ownerRows.Contact, content: 'from a visitor' }, noToken), 201);
    expect((await visitor.request('POST', '/api/api-keys', { name: 'k', scope: 'READ' }, noToken)).status).toBe(403);
    expect((await visitor.request('POST', '/api/auth/logout', {}, noToken)).status).toBe(403);
  });

  it('answers 404 for a URL that names no tenant, before the handler runs', async () => {
    const before = handled;
    const res = await get('/pages/no-such-page');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(handled).toBe(before);
  });

  it("answers another tenant's id under my page exactly as a missing id, and writes nothing", async () => {
    const missing = await post(`/pages/${slug}/notes`, { contactId: 'c-no-such-contact', content: 'hi' });
    const foreign = await post(`/pages/${slug}/notes`, { contactId: otherRows.Contact, content: 'hi' });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ status: 404, detail: ((await missing.json()) as { detail: string }).detail });
    expect(await db.note.count({ where: { contactId: otherRows.Contact, content: 'hi' } })).toBe(0);
    const created = await expectJson<{ id: string }>(await post(`/pages/${slug}/notes`, { contactId: ownerRows.Contact, content: 'hi' }), 201);
    expect(await db.note.findUnique({ where: { id: created.id } })).toMatchObject({ userId: owner.id, contactId: ownerRows.Contact });
  });

  it('refuses bad input with a 422 naming the field, whether or not the URL names a tenant', async () => {
    for (const page of [slug, 'no-such-page']) {
      const res = await post(`/pages/${page}/notes`, { contactId: ownerRows.Contact, content: '' });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('body.content');
    }
  });

  it('leaves public routes without a tenant as they were', async () => {
    expect(await expectJson(await get('/greeting/ada'), 200)).toEqual({ hello: 'ada' });
  });

  it('is documented as public, with its 404', async () => {
    const document = (await (await fetch(`${soshogle.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown>; description?: string }>> };
    const operation = document.paths['/api/pages/pages/{slug}/notes']!.post!;
    expect(operation.security).toEqual([]);
    expect(operation.responses).toHaveProperty('404');
    expect(operation.responses).not.toHaveProperty('401');
    expect(operation.description).toMatch(/account is the one the URL names/);
  });

  it("lets the sweeps reach a seeded tenant's public routes by its public keys, and says so when they cannot", async () => {
    const lookup = db as unknown as WebhookLookup;
    expect(await paramsNaming(mounted('/pages/:slug'), owner.id, publicKeysOf(owner.id), lookup)).toEqual({ slug });
    await expect(paramsNaming(mounted('/pages/:slug'), owner.id, {}, lookup)).rejects.toThrow(/publicKeysOf/);
  });
});
