// Contacts, custom fields, smart lists, tags and notes through the API, against a real
// server, worker and database; events observed by a subscriber the way another plugin
// would hear them.
import { eventRecorder, eventually, publishWorkflow, queueSettled, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import crm from '../index.ts';
import { contactFilter, filterWhere, resolveTags } from './filter.ts';

const { plugin: recorder, heard } = eventRecorder(['core.contact_created', 'core.contact_updated', 'core.tag_added', 'core.tag_removed']);

const soshogle = await startTestSoshogle([crm, recorder], { CRM_DEFAULT_COUNTRY: 'US' });
const { db } = soshogle;
const user = await signedInUser(soshogle);
const other = await signedInUser(soshogle);

async function json<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const body = await res.text();
  expect(res.status, body).toBe(status);
  return (body ? JSON.parse(body) : undefined) as T;
}
// Deliveries run in parallel: compare them in the order the events were raised.
const eventsOf = (contactId: string) =>
  heard
    .filter((e) => e.payload.contactId === contactId)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
    .map((e) => ({ type: e.type, payload: e.payload }));

describe('contacts', () => {
  it('normalises phone to E.164 and email to lower case, and raises contact_created and tag_added', async () => {
    const contact = await json<{ id: string }>(
      await user.request('POST', '/api/crm/contacts', { firstName: ' Ada ', lastName: 'Lovelace', email: ' Ada@Example.COM ', phone: '(512) 555-0134', tags: ['vip', 'vip', 'lead'] }),
      201,
    );
    expect(contact).toMatchObject({ firstName: 'Ada', email: 'ada@example.com', phone: '+15125550134', tags: ['vip', 'lead'], source: 'manual' });
    await queueSettled(soshogle);
    expect(eventsOf(contact.id)).toEqual(
      expect.arrayContaining([
        { type: 'core.contact_created', payload: { contactId: contact.id, source: 'manual' } },
        { type: 'core.tag_added', payload: { contactId: contact.id, tag: 'vip' } },
        { type: 'core.tag_added', payload: { contactId: contact.id, tag: 'lead' } },
      ]),
    );
    expect(eventsOf(contact.id)).toHaveLength(3);
    expect((await db.tag.findMany({ where: { userId: user.userId }, orderBy: { name: 'asc' } })).map((t) => t.name)).toEqual(['lead', 'vip']);
  });

  it('refuses invalid phone numbers and emails with 422 naming the field, writing nothing', async () => {
    const before = await db.contact.count({ where: { userId: user.userId } });
    const res = await user.request('POST', '/api/crm/contacts', { firstName: 'Bad', email: 'not-an-email', phone: '12' });
    const problem = await json<{ errors: { field: string }[] }>(res, 422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['body.email', 'body.phone']);
    expect((await json<{ errors: { field: string }[] }>(await user.request('POST', '/api/crm/contacts', { lastName: 'x' }), 422)).errors[0]!.field).toBe('body.firstName');
    expect(await db.contact.count({ where: { userId: user.userId } })).toBe(before);
  });

  it('reads numbers with a + as their own country, others as the default country', async () => {
    const uk = await json<{ phone: string }>(await user.request('POST', '/api/crm/contacts', { firstName: 'Brit', phone: '+44 20 7946 0018' }), 201);
    expect(uk.phone).toBe('+442079460018');
  });

  it('updates only given fields and raises contact_updated with the changed fields and tag events for the tag diff', async () => {
    const c = await json<{ id: string }>(await user.request('POST', '/api/crm/contacts', { firstName: 'Grace', tags: ['a', 'b'] }), 201);
    await queueSettled(soshogle);
    const updated = await json(await user.request('PATCH', `/api/crm/contacts/${c.id}`, { company: 'Navy', tags: ['b', 'c'], firstName: 'Grace' }), 200);
    expect(updated).toMatchObject({ firstName: 'Grace', company: 'Navy', tags: ['b', 'c'] });
    await queueSettled(soshogle);
    const afterUpdate = eventsOf(c.id);
    expect(afterUpdate).toHaveLength(6);
    expect(afterUpdate).toEqual(
      expect.arrayContaining([
        { type: 'core.contact_updated', payload: { contactId: c.id, changed: ['company'] } },
        { type: 'core.tag_added', payload: { contactId: c.id, tag: 'c' } },
        { type: 'core.tag_removed', payload: { contactId: c.id, tag: 'a' } },
      ]),
    );
    // Nothing changed: nothing raised.
    await json(await user.request('PATCH', `/api/crm/contacts/${c.id}`, { company: 'Navy' }), 200);
    await queueSettled(soshogle);
    expect(eventsOf(c.id)).toHaveLength(6);
  });

  it('adds and removes tags concurrently without losing any', async () => {
    const c = await json<{ id: string }>(await user.request('POST', '/api/crm/contacts', { firstName: 'Many' }), 201);
    await Promise.all(Array.from({ length: 10 }, (_, i) => user.request('POST', `/api/crm/contacts/${c.id}/tags`, { add: [`t${i}`] })));
    const tags = (await db.contact.findUniqueOrThrow({ where: { id: c.id } })).tags;
    expect(tags.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`).sort());
  });

  it('keeps another tenant\'s contacts out of reach: 404 on read, update, delete, tags and notes', async () => {
    const mine = await json<{ id: string }>(await user.request('POST', '/api/crm/contacts', { firstName: 'Private' }), 201);
    for (const [method, path, body] of [
      ['GET', `/api/crm/contacts/${mine.id}`],
      ['PATCH', `/api/crm/contacts/${mine.id}`, { firstName: 'Stolen' }],
      ['DELETE', `/api/crm/contacts/${mine.id}`],
      ['POST', `/api/crm/contacts/${mine.id}/tags`, { add: ['x'] }],
      ['GET', `/api/crm/contacts/${mine.id}/notes`],
      ['POST', `/api/crm/contacts/${mine.id}/notes`, { content: 'hi' }],
    ] as const) {
      expect((await other.request(method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    const list = await json<{ items: unknown[] }>(await other.request('GET', '/api/crm/contacts'), 200);
    expect(list.items).toEqual([]);
    expect(await db.contact.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({ firstName: 'Private', tags: [] });
  });
});

describe('custom fields', () => {
  it('checks values against their definitions, with required fields, and stores them typed', async () => {
    const owner = await signedInUser(soshogle);
    for (const field of [
      { key: 'plan', label: 'Plan', type: 'SELECT', options: ['free', 'pro'], required: true },
      { key: 'seats', label: 'Seats', type: 'NUMBER' },
      { key: 'renewal', label: 'Renewal', type: 'DATE' },
      { key: 'channels', label: 'Channels', type: 'MULTI_SELECT', options: ['sms', 'email'] },
      { key: 'active', label: 'Active', type: 'BOOLEAN' },
    ]) {
      await json(await owner.request('POST', '/api/crm/custom-fields', field), 201);
    }
    const bad = await json<{ errors: { field: string }[] }>(
      await owner.request('POST', '/api/crm/contacts', { firstName: 'X', customFields: { seats: 'many', renewal: '2026-02-30', colour: 'red', channels: ['fax'] } }),
      422,
    );
    expect(bad.errors.map((e) => e.field).sort()).toEqual(['customFields.channels', 'customFields.colour', 'customFields.plan', 'customFields.renewal', 'customFields.seats']);
    const ok = await json<{ id: string; customFields: unknown }>(
      await owner.request('POST', '/api/crm/contacts', { firstName: 'Y', customFields: { plan: 'pro', seats: '12', renewal: '2027-01-31', channels: 'sms;email', active: 'yes' } }),
      201,
    );
    expect(ok.customFields).toEqual({ plan: 'pro', seats: 12, renewal: '2027-01-31', channels: ['sms', 'email'], active: true });
    // Clearing a required field is refused; clearing another one removes it.
    expect((await owner.request('PATCH', `/api/crm/contacts/${ok.id}`, { customFields: { plan: null } })).status).toBe(422);
    const cleared = await json<{ customFields: unknown }>(await owner.request('PATCH', `/api/crm/contacts/${ok.id}`, { customFields: { seats: null } }), 200);
    expect(cleared.customFields).toEqual({ plan: 'pro', renewal: '2027-01-31', channels: ['sms', 'email'], active: true });
    // Filters by a custom field value.
    const found = await json<{ items: { id: string }[] }>(await owner.request('GET', `/api/crm/contacts?customFields=${encodeURIComponent('{"plan":"pro"}')}`), 200);
    expect(found.items.map((c) => c.id)).toEqual([ok.id]);
  });
});

describe('search, filters, smart lists and pages', () => {
  it('finds by name, email, phone and company prefix; filters by tags any/all/none; pages by keyset', async () => {
    const owner = await signedInUser(soshogle);
    const people = [
      { firstName: 'Alan', lastName: 'Turing', email: 'alan@bletchley.uk', phone: '+1 512 555 0101', company: 'Bletchley', tags: ['math', 'uk'] },
      { firstName: 'Alice', lastName: 'Ball', email: 'alice@chem.edu', phone: '+1 512 555 0102', company: 'Hawaii', tags: ['chem'] },
      { firstName: 'Barbara', lastName: 'Liskov', email: 'barbara@mit.edu', phone: '+1 512 555 0103', company: 'MIT', tags: ['cs', 'math'] },
    ];
    const ids: string[] = [];
    for (const p of people) ids.push((await json<{ id: string }>(await owner.request('POST', '/api/crm/contacts', p), 201)).id);
    const names = async (query: string) =>
      (await json<{ items: { firstName: string }[] }>(await owner.request('GET', `/api/crm/contacts?${query}&sort=firstName&order=asc`), 200)).items.map((c) => c.firstName);
    expect(await names('q=al')).toEqual(['Alan', 'Alice']);
    expect(await names('q=alan%20tur')).toEqual(['Alan']);
    expect(await names('q=BARBARA%40')).toEqual(['Barbara']);
    expect(await names('q=5550102')).toEqual(['Alice']);
    expect(await names('q=mit')).toEqual(['Barbara']);
    expect(await names('tagsAny=math,chem')).toEqual(['Alan', 'Alice', 'Barbara']);
    expect(await names('tagsAll=math,uk')).toEqual(['Alan']);
    expect(await names('tagsNone=math')).toEqual(['Alice']);
    expect((await json<{ count: number }>(await owner.request('GET', '/api/crm/contacts/count?tagsAny=math'), 200)).count).toBe(2);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { firstName: string }[]; nextCursor: string | null } = await json(
        await owner.request('GET', `/api/crm/contacts?sort=firstName&order=desc&limit=2${cursor ? `&cursor=${cursor}` : ''}`),
        200,
      );
      seen.push(...page.items.map((c) => c.firstName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Barbara', 'Alice', 'Alan']);
    expect((await json<{ errors: { field: string }[] }>(await owner.request('GET', '/api/crm/contacts?cursor=garbage'), 422)).errors[0]!.field).toBe('query.cursor');
    expect((await json<{ errors: { field: string }[] }>(await owner.request('GET', '/api/crm/contacts?limit=5000'), 422)).errors[0]!.field).toBe('query.limit');

    const list = await json<{ id: string }>(await owner.request('POST', '/api/crm/smart-lists', { name: 'Mathematicians', filter: { tagsAny: ['math'] } }), 201);
    expect(await names(`smartListId=${list.id}`)).toEqual(['Alan', 'Barbara']);
    expect(await names(`smartListId=${list.id}&q=bar`)).toEqual(['Barbara']);
    expect((await other.request('GET', `/api/crm/contacts?smartListId=${list.id}`)).status).toBe(422);
  });
});

describe('fuzzy search and the list\'s own SQL', () => {
  it('fills the first page with contacts a typo away when prefixes find less, best first, the tenant\'s only', async () => {
    const owner = await signedInUser(soshogle);
    for (const p of [
      { firstName: 'John', lastName: 'Smith', company: 'Acme Labs' },
      { firstName: 'Jon', lastName: 'Smithers' },
      { firstName: 'Jonathan', lastName: 'Smyth', tags: ['vip'] },
      { firstName: 'Joan', lastName: 'Baker' },
      { firstName: 'Margaret', lastName: 'Hamilton', company: 'Apollo Guidance' },
    ]) {
      await json(await owner.request('POST', '/api/crm/contacts', p), 201);
    }
    await json(await other.request('POST', '/api/crm/contacts', { firstName: 'John', lastName: 'Smith' }), 201);
    const page = async (query: string) =>
      json<{ items: { firstName: string; lastName: string }[]; nextCursor: string | null }>(await owner.request('GET', `/api/crm/contacts?${query}`), 200);
    const names = async (query: string) => (await page(query)).items.map((c) => `${c.firstName} ${c.lastName}`);

    // A swap, a letter left out, a letter changed; the closest first; words typed in part
    // only when no whole word is close.
    expect(await names('q=jonh')).toEqual(['John Smith', 'Jon Smithers']);
    expect(await names('q=jnoat')).toEqual(['Jonathan Smyth']);
    expect(await names('q=Jonh%20Smiht')).toEqual(['John Smith']);
    expect(await names('q=mragaret')).toEqual(['Margaret Hamilton']);
    expect(await names('q=hamiltn')).toEqual(['Margaret Hamilton']);
    expect(await names('q=apolo')).toEqual(['Margaret Hamilton']);
    // Prefix matches first (in list order), then the fuzzy ones; a fuzzy page is the last.
    const smith = await page('q=smith&sort=firstName&order=asc');
    expect(smith.items.map((c) => c.lastName)).toEqual(['Smith', 'Smithers', 'Smyth']);
    expect(smith.nextCursor).toBeNull();
    // Other filters still apply; short words and later pages get no fuzzy matches; counts are of prefix matches.
    expect(await names('q=jnoat&tagsAny=vip')).toEqual(['Jonathan Smyth']);
    expect(await names('q=jonh&tagsAny=vip')).toEqual([]);
    expect(await names('q=jo&sort=firstName&order=asc')).toEqual(['Joan Baker', 'John Smith', 'Jon Smithers', 'Jonathan Smyth']);
    expect(await names('q=zzzz')).toEqual([]);
    expect((await json<{ count: number }>(await owner.request('GET', '/api/crm/contacts/count?q=jonh'), 200)).count).toBe(0);
  });

  // Some 2,700 list requests (45 filter and sort pairs, pages of 2): more than 30 s on a busy machine.
  it('lists exactly what the shared Prisma filter finds, in order, across pages', async () => {
    const owner = await signedInUser(soshogle);
    await json(await owner.request('POST', '/api/crm/custom-fields', { key: 'plan', label: 'Plan', type: 'SELECT', options: ['free', 'pro'] }), 201);
    const firstNames = ['Ada', 'ada', 'Adam', 'Alan', 'Al_x', 'Bea', 'Cy'];
    const base = Date.UTC(2026, 0, 1);
    await db.contact.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({
        id: `list-${owner.userId}-${String(i).padStart(3, '0')}`,
        userId: owner.userId,
        firstName: firstNames[i % firstNames.length]!,
        lastName: i % 5 ? `Last${i % 11}` : null,
        email: `${firstNames[i % firstNames.length]!.toLowerCase()}${i}@example.com`,
        phone: `+1512555${String(1000 + i)}`,
        company: i % 3 ? null : `Co ${i % 4}`,
        tags: [['a'], ['a', 'b'], [], ['c']][i % 4]!,
        source: i % 40 === 1 ? 'website' : i % 2 ? 'import' : 'manual',
        customFields: { plan: i % 3 ? 'free' : 'pro' },
        // Ties on purpose: pages must break them by id.
        createdAt: new Date(base + Math.floor(i / 3) * 60_000),
        updatedAt: new Date(base + ((i * 7) % 120) * 60_000),
      })),
    });
    const filters: Record<string, string | string[] | Record<string, string>>[] = [
      {},
      { q: 'ad' },
      { q: 'AL_' },
      { q: 'ada last3' },
      { q: '5551042' },
      { q: 'co 2' },
      { tagsAny: ['b', 'c'] },
      { tagsAll: ['a', 'b'] },
      { tagsNone: ['a'] },
      { source: 'import', tagsAny: ['a'] },
      { source: 'website' },
      { source: 'website', tagsAny: ['a', 'b'] },
      { customFields: { plan: 'pro' } },
      { createdAfter: new Date(base + 10 * 60_000).toISOString(), createdBefore: new Date(base + 30 * 60_000).toISOString() },
      { updatedBefore: new Date(base + 50 * 60_000).toISOString(), q: 'a' },
    ];
    for (const filter of filters) {
      const params = Object.entries(filter).map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : JSON.stringify(v))}`);
      const parsed = contactFilter.parse({ ...filter, customFields: filter.customFields });
      for (const [sort, order] of [['createdAt', 'desc'], ['firstName', 'asc'], ['updatedAt', 'asc']] as const) {
        const expected = await db.contact.findMany({
          where: { AND: [filterWhere(await resolveTags(soshogle.tenantContext('crm', owner.userId).db, parsed)), { userId: owner.userId }] },
          orderBy: [{ [sort]: order }, { id: order }],
          select: { id: true },
        });
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res: { items: { id: string }[]; nextCursor: string | null } = await json(
            await owner.request('GET', `/api/crm/contacts?${[...params, `sort=${sort}`, `order=${order}`, 'limit=2', ...(cursor ? [`cursor=${cursor}`] : [])].join('&')}`),
            200,
          );
          seen.push(...res.items.map((c) => c.id));
          cursor = res.nextCursor;
        } while (cursor);
        // Fuzzy matches may follow a search's last page; the prefix matches come first and complete.
        expect(seen.slice(0, expected.length), `${JSON.stringify(filter)} by ${sort} ${order}`).toEqual(expected.map((c) => c.id));
        const count = await json<{ count: number }>(await owner.request('GET', `/api/crm/contacts/count?${params.join('&')}`), 200);
        expect(count.count).toBe(expected.length);
      }
    }
  }, 180_000);
});

describe('tags', () => {
  it('renames a tag on every contact and in the workflows that filter on it, in one transaction', async () => {
    const owner = await signedInUser(soshogle);
    const c = await json<{ id: string }>(await owner.request('POST', '/api/crm/contacts', { firstName: 'Tagged', tags: ['prospect', 'warm'] }), 201);
    const workflowId = await publishWorkflow(owner, {
      trigger: 'TAG_ADDED',
      triggerFilter: { tag: 'Warm' },
      actions: [{ id: 'note', type: 'action', action: 'crm.create_note', props: { content: 'hot lead' } }],
    });
    await queueSettled(soshogle);
    const tags = await json<{ items: { id: string; name: string; contacts: number }[] }>(await owner.request('GET', '/api/crm/tags'), 200);
    const warm = tags.items.find((t) => t.name === 'warm')!;
    expect(warm.contacts).toBe(1);
    // Without the counts (the contacts screens want only the colours).
    const light = await json<{ items: { name: string; contacts?: number }[] }>(await owner.request('GET', '/api/crm/tags?counts=false'), 200);
    expect(light.items.find((t) => t.name === 'warm')).not.toHaveProperty('contacts');
    expect((await owner.request('GET', '/api/crm/tags?counts=maybe')).status).toBe(422);
    await json(await owner.request('PATCH', `/api/crm/tags/${warm.id}`, { name: 'hot', color: '#ff0000' }), 200);
    expect((await db.contact.findUniqueOrThrow({ where: { id: c.id } })).tags).toEqual(['prospect', 'hot']);
    const workflow = await db.workflow.findUniqueOrThrow({ where: { id: workflowId } });
    expect(workflow).toMatchObject({ triggerFilter: { tag: 'hot' }, publishedVersion: 2 });
    // The renamed workflow fires for the new name.
    const d = await json<{ id: string }>(await owner.request('POST', '/api/crm/contacts', { firstName: 'Next' }), 201);
    await json(await owner.request('POST', `/api/crm/contacts/${d.id}/tags`, { add: ['hot'] }), 200);
    await eventually(() => db.note.findFirst({ where: { contactId: d.id, content: 'hot lead' } }));
    // Renaming onto a name that exists is a conflict; nothing changes.
    const prospect = tags.items.find((t) => t.name === 'prospect')!;
    expect((await owner.request('PATCH', `/api/crm/tags/${prospect.id}`, { name: 'hot' })).status).toBe(409);
    expect((await db.contact.findUniqueOrThrow({ where: { id: c.id } })).tags).toEqual(['prospect', 'hot']);
  });

  it('deletes a tag from every contact and turns off workflows that listened for it', async () => {
    const owner = await signedInUser(soshogle);
    const c = await json<{ id: string }>(await owner.request('POST', '/api/crm/contacts', { firstName: 'Old', tags: ['legacy', 'keep'] }), 201);
    const workflowId = await publishWorkflow(owner, { trigger: 'TAG_REMOVED', triggerFilter: { tag: 'legacy' }, actions: [{ id: 'n', type: 'action', action: 'core.notify', props: { title: 'x' } }] });
    const tag = await db.tag.findFirstOrThrow({ where: { userId: owner.userId, name: 'legacy' } });
    expect((await other.request('DELETE', `/api/crm/tags/${tag.id}`)).status).toBe(404);
    expect((await owner.request('DELETE', `/api/crm/tags/${tag.id}`)).status).toBe(204);
    expect((await db.contact.findUniqueOrThrow({ where: { id: c.id } })).tags).toEqual(['keep']);
    expect(await db.workflow.findUniqueOrThrow({ where: { id: workflowId } })).toMatchObject({ status: 'INACTIVE' });
    expect(await db.notification.findFirst({ where: { userId: owner.userId, source: `workflow:${workflowId}` } })).toBeTruthy();
  });

  it('match whatever their case and keep the spelling the tenant first gave them', async () => {
    const owner = await signedInUser(soshogle);
    await json(await owner.request('POST', '/api/crm/tags', { name: 'VIP' }), 201);
    // One tag in two cases is one tag: created once, found as the tenant spells it.
    const conflict = await json<{ errors: { field: string }[] }>(await owner.request('POST', '/api/crm/tags', { name: 'vip' }), 409);
    expect(conflict.errors.map((e) => e.field)).toEqual(['body.name']);
    const a = await json<{ id: string; tags: string[] }>(await owner.request('POST', '/api/crm/contacts', { firstName: 'A', tags: ['vip', 'Vip', 'New', 'new'] }), 201);
    expect(a.tags).toEqual(['VIP', 'New']);
    const b = await json<{ id: string }>(await owner.request('POST', '/api/crm/contacts', { firstName: 'B', tags: ['NEW'] }), 201);
    expect((await db.contact.findUniqueOrThrow({ where: { id: b.id } })).tags).toEqual(['New']);
    const added = await json<{ tags: string[] }>(await owner.request('POST', `/api/crm/contacts/${b.id}/tags`, { add: ['vIp', 'new'] }), 200);
    expect(added.tags).toEqual(['New', 'VIP']);
    expect((await json<{ tags: string[] }>(await owner.request('PATCH', `/api/crm/contacts/${b.id}`, { tags: ['NEW', 'vip', 'Other'] }), 200)).tags).toEqual(['New', 'VIP', 'Other']);
    expect((await json<{ tags: string[] }>(await owner.request('POST', `/api/crm/contacts/${b.id}/tags`, { remove: ['other', 'VIP'] }), 200)).tags).toEqual(['New']);
    expect((await db.tag.findMany({ where: { userId: owner.userId }, orderBy: { name: 'asc' } })).map((t) => t.name)).toEqual(['New', 'Other', 'VIP']);
    await queueSettled(soshogle);
    const tagEvents = eventsOf(b.id).filter((e) => e.type !== 'core.contact_created' && e.type !== 'core.contact_updated');
    expect(tagEvents).toHaveLength(5);
    expect(tagEvents).toEqual(expect.arrayContaining([
      { type: 'core.tag_added', payload: { contactId: b.id, tag: 'New' } },
      { type: 'core.tag_added', payload: { contactId: b.id, tag: 'VIP' } },
      { type: 'core.tag_added', payload: { contactId: b.id, tag: 'Other' } },
      { type: 'core.tag_removed', payload: { contactId: b.id, tag: 'VIP' } },
      { type: 'core.tag_removed', payload: { contactId: b.id, tag: 'Other' } },
    ]));

    // Filters and smart lists match any case, and any spelling older data holds a tag in.
    const old = await db.contact.create({ data: { userId: owner.userId, firstName: 'Old', tags: ['vip', 'NEW'] } });
    await db.tag.createMany({ data: [{ userId: owner.userId, name: 'vip' }, { userId: owner.userId, name: 'NEW' }] });
    const ids = async (query: string) => (await json<{ items: { id: string }[] }>(await owner.request('GET', `/api/crm/contacts?${query}&sort=firstName&order=asc`), 200)).items.map((c) => c.id);
    expect(await ids('tagsAny=Vip')).toEqual([a.id, old.id]);
    expect(await ids('tagsAll=vip,new')).toEqual([a.id, old.id]);
    expect(await ids('tagsAll=new')).toEqual([a.id, b.id, old.id]);
    expect(await ids('tagsNone=VIP')).toEqual([b.id]);
    const list = await json<{ id: string }>(await owner.request('POST', '/api/crm/smart-lists', { name: 'VIPs', filter: { tagsAny: ['vIP'] } }), 201);
    expect(await ids(`smartListId=${list.id}`)).toEqual([a.id, old.id]);
  });

  it('keeps a Tag record for tags a workflow adds', async () => {
    const owner = await signedInUser(soshogle);
    await publishWorkflow(owner, { trigger: 'CONTACT_CREATED', actions: [{ id: 't', type: 'action', action: 'crm.add_tag', props: { tag: 'from-workflow' } }] });
    await json(await owner.request('POST', '/api/crm/contacts', { firstName: 'Auto' }), 201);
    await eventually(() => db.tag.findFirst({ where: { userId: owner.userId, name: 'from-workflow' } }));
  });
});

describe('notes', () => {
  it('writes, lists, edits and deletes notes on a contact with their author', async () => {
    const c = await json<{ id: string }>(await user.request('POST', '/api/crm/contacts', { firstName: 'Noted' }), 201);
    const note = await json<{ id: string; authorId: string }>(await user.request('POST', `/api/crm/contacts/${c.id}/notes`, { content: 'Called, no answer' }), 201);
    expect(note.authorId).toBe(user.userId);
    expect((await user.request('POST', `/api/crm/contacts/${c.id}/notes`, { content: '  ' })).status).toBe(422);
    await json(await user.request('PATCH', `/api/crm/notes/${note.id}`, { content: 'Called back' }), 200);
    expect((await other.request('PATCH', `/api/crm/notes/${note.id}`, { content: 'mine now' })).status).toBe(404);
    const list = await json<{ items: { content: string }[] }>(await user.request('GET', `/api/crm/contacts/${c.id}/notes`), 200);
    expect(list.items.map((n) => n.content)).toEqual(['Called back']);
    expect((await other.request('DELETE', `/api/crm/notes/${note.id}`)).status).toBe(404);
    expect((await user.request('DELETE', `/api/crm/notes/${note.id}`)).status).toBe(204);
  });
});

describe('the contact timeline', () => {
  it('merges notes, deals and workflow runs newest first, pages without gaps or repeats, and is the tenant\'s only', async () => {
    const owner = await signedInUser(soshogle);
    await publishWorkflow(owner, { trigger: 'CONTACT_CREATED', actions: [{ id: 't', type: 'action', action: 'crm.add_tag', props: { tag: 'welcomed' } }] });
    const c = await json<{ id: string }>(await owner.request('POST', '/api/crm/contacts', { firstName: 'Timely' }), 201);
    await eventually(() => db.workflowExecution.findFirst({ where: { contactId: c.id, status: 'COMPLETED' } }));
    for (const content of ['first call', 'second call', 'third call']) {
      await json(await owner.request('POST', `/api/crm/contacts/${c.id}/notes`, { content }), 201);
    }
    await json(await owner.request('POST', '/api/crm/deals', { title: 'Big one', value: '100', contacts: [{ contactId: c.id }] }), 201);

    const all = await json<{ items: { kind: string; at: string; title: string }[] }>(await owner.request('GET', `/api/contacts/${c.id}/timeline`), 200);
    expect(all.items.map((e) => e.kind)).toEqual(['deal', 'note', 'note', 'note', 'workflow_run']);
    expect(all.items.map((e) => e.at)).toEqual([...all.items.map((e) => e.at)].sort().reverse());

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { kind: string; title: string; body?: string }[]; nextCursor: string | null } = await json(
        await owner.request('GET', `/api/contacts/${c.id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
        200,
      );
      paged.push(...page.items.map((e) => `${e.kind}:${e.body ?? e.title}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toHaveLength(5);
    expect(new Set(paged).size).toBe(5);

    expect((await other.request('GET', `/api/contacts/${c.id}/timeline`)).status).toBe(404);
    expect((await owner.request('GET', `/api/contacts/${c.id}/timeline?cursor=nonsense`)).status).toBe(422);
  });
});
