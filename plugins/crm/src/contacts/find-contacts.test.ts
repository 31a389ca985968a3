// crm.find_contacts and crm.count_contacts called the way another plugin (campaigns)
// calls them: by key, with a tenant and an idempotency key, against a real database.
import { runAction, type ActionOutput, type ActionProps } from '@soshogle/core';
import { expectJson, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import crm from '../index.ts';

const soshogle = await startTestSoshogle([crm], { CRM_DEFAULT_COUNTRY: 'US' });
const { db } = soshogle;
const user = await signedInUser(soshogle);
const other = await signedInUser(soshogle);

type Page = ActionOutput<'crm.find_contacts'>;
type Props = ActionProps<'crm.find_contacts'>;

const find = (tenantId: string, props: Props) => runAction(soshogle, { key: 'crm.find_contacts', props, tenantId, idempotencyKey: 'x' });
const count = async (tenantId: string, props: ActionProps<'crm.count_contacts'>) =>
  (await runAction(soshogle, { key: 'crm.count_contacts', props, tenantId, idempotencyKey: 'x' })).count;

/** Every page of a target, following `next`. */
async function findAll(tenantId: string, props: Props, limit: number) {
  const pages: Page[] = [];
  let after: string | undefined;
  do {
    const page = await find(tenantId, { ...props, limit, ...(after ? { after } : {}) });
    pages.push(page);
    after = page.next ?? undefined;
  } while (after);
  return { pages, ids: pages.flatMap((p) => p.contacts.map((c) => c.id)) };
}

// 23 contacts per tenant (pages of 5 leave a short last page), with one tag in several
// spellings, as data from before the one-spelling rule can have it, each with its Tag record.
const tagSets = [['VIP'], ['vip', 'customer'], ['Vip', 'lead'], ['lead'], ['customer'], [], ['LEAD', 'customer'], ['cold']];
async function seed(tenantId: string, label: string) {
  await db.contact.createMany({
    data: Array.from({ length: 23 }, (_, i) => ({
      userId: tenantId,
      firstName: `${label}${i}`,
      email: `${label}${i}@example.com`,
      tags: tagSets[i % tagSets.length]!,
      customFields: { plan: i % 2 ? 'pro' : 'free' },
      source: i % 3 ? 'manual' : 'import',
    })),
  });
  await db.tag.createMany({ data: [...new Set(tagSets.flat())].map((name) => ({ userId: tenantId, name })) });
  return db.contact.findMany({ where: { userId: tenantId } });
}
const mine = await seed(user.userId, 'mine');
await seed(other.userId, 'theirs');

const sortedIds = (contacts: { id: string }[]) => contacts.map((c) => c.id).sort();
/** The one tag rule: any case matches. */
const hasAny = (tags: string[], wanted: string[]) => tags.some((t) => wanted.some((w) => w.toLowerCase() === t.toLowerCase()));

describe('crm.find_contacts', () => {
  it('pages through every contact of the tenant once, in id order, with every field as JSON', async () => {
    const { pages, ids } = await findAll(user.userId, {}, 5);
    expect(ids).toEqual(sortedIds(mine));
    expect(pages.map((p) => p.contacts.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.at(-1)!.next).toBeNull();
    expect(pages[0]!.next).toBe(pages[0]!.contacts.at(-1)!.id);
    const first = mine.find((c) => c.id === ids[0])!;
    expect(pages[0]!.contacts[0]).toEqual(JSON.parse(JSON.stringify(first)));
    expect(pages[0]!.contacts[0]).toMatchObject({ userId: user.userId, createdAt: first.createdAt.toISOString(), customFields: first.customFields });
  });

  it('answers a full last page with a next that leads to an empty page', async () => {
    const { pages, ids } = await findAll(user.userId, {}, 23);
    expect(ids).toEqual(sortedIds(mine));
    expect(pages.map((p) => [p.contacts.length, p.next === null])).toEqual([
      [23, false],
      [0, true],
    ]);
  });

  it('targets contacts with any of the tags in any case, as the contact filters match them', async () => {
    const { ids } = await findAll(user.userId, { tags: ['vip', 'lead'] }, 4);
    const expected = sortedIds(mine.filter((c) => hasAny(c.tags, ['vip', 'lead'])));
    expect(expected.length).toBeGreaterThan(5);
    expect(mine.filter((c) => expected.includes(c.id)).flatMap((c) => c.tags)).toEqual(expect.arrayContaining(['VIP', 'vip', 'Vip', 'LEAD', 'lead']));
    expect(ids).toEqual(expected);
    expect((await findAll(user.userId, { tags: ['vIp', 'Lead'] }, 50)).ids).toEqual(expected);
    const filtered = await expectJson<{ count: number }>(await user.request('GET', '/api/crm/contacts/count?tagsAny=VIP,LEAD'), 200);
    expect(filtered.count).toBe(expected.length);
    expect((await find(user.userId, { tags: ['nobody-has-this'] })).contacts).toEqual([]);
  });

  it('matches tags holding the characters of an array literal, and a tag named NULL', async () => {
    const odd = 'Say "Hi", {there} \\ back';
    const [quoted, nulled] = await Promise.all([
      db.contact.create({ data: { userId: user.userId, firstName: 'Odd', tags: [odd, 'other'] } }),
      db.contact.create({ data: { userId: user.userId, firstName: 'Null', tags: ['NULL'] } }),
    ]);
    try {
      expect((await find(user.userId, { tags: [odd] })).contacts.map((c) => c.id)).toEqual([quoted.id]);
      expect((await find(user.userId, { tags: ['NULL'] })).contacts.map((c) => c.id)).toEqual([nulled.id]);
      expect((await find(user.userId, { tags: ['say "hi"'] })).contacts).toEqual([]);
    } finally {
      await db.contact.deleteMany({ where: { id: { in: [quoted.id, nulled.id] } } });
    }
  });

  it('narrows a smart list by the tags: both must hold, and the list keeps its own tag filter', async () => {
    const list = await expectJson<{ id: string }>(await user.request('POST', '/api/crm/smart-lists', { name: 'Customers', filter: { tagsAny: ['customer'], source: 'manual' } }), 201);
    const inList = mine.filter((c) => c.tags.includes('customer') && c.source === 'manual');
    expect(inList.length).toBeGreaterThan(2);
    expect((await findAll(user.userId, { smartListId: list.id }, 2)).ids).toEqual(sortedIds(inList));
    const narrowed = sortedIds(inList.filter((c) => hasAny(c.tags, ['vip'])));
    expect(narrowed.length).toBeGreaterThan(0);
    expect(narrowed.length).toBeLessThan(inList.length);
    expect((await findAll(user.userId, { smartListId: list.id, tags: ['vip'] }, 2)).ids).toEqual(narrowed);
    expect(await count(user.userId, { smartListId: list.id, tags: ['vip'] })).toBe(narrowed.length);
  });

  it("never returns another tenant's contacts, nor uses its smart lists", async () => {
    const theirs = new Set((await db.contact.findMany({ where: { userId: other.userId } })).map((c) => c.id));
    for (const props of [{}, { tags: ['vip', 'lead', 'customer', 'cold'] }]) {
      const { ids } = await findAll(user.userId, props, 7);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((id) => theirs.has(id))).toEqual([]);
    }
    const { ids: theirIds } = await findAll(other.userId, {}, 100);
    expect(theirIds).toEqual([...theirs].sort());
    const list = await expectJson<{ id: string }>(await other.request('POST', '/api/crm/smart-lists', { name: 'Theirs', filter: {} }), 201);
    await expect(find(user.userId, { smartListId: list.id })).rejects.toMatchObject({ status: 422, errors: [{ field: 'props.smartListId' }] });
  });

  it('answers 422 naming the field for an unknown smart list and bad props', async () => {
    for (const run of [find, count]) {
      await expect(run(user.userId, { smartListId: 'no-such-list' })).rejects.toMatchObject({ status: 422, errors: [{ field: 'props.smartListId', message: 'No such smart list' }] });
    }
    await expect(find(user.userId, { limit: 1001 })).rejects.toMatchObject({ status: 422, errors: [{ field: 'props.limit' }] });
    await expect(find(user.userId, { tags: [''] })).rejects.toMatchObject({ status: 422, errors: [{ field: 'props.tags.0' }] });
  });

  it('runs in the caller\'s transaction, through ctx.actions: it sees the caller\'s uncommitted contacts', async () => {
    const { actions } = soshogle.contextFor('crm');
    const tenant = soshogle.tenantContext('crm', user.userId);
    const seen = await tenant.db
      .$transaction(async (tx) => {
        const added = await tx.contact.create({ data: { userId: '', firstName: 'Uncommitted', tags: ['Rollback'] } });
        const page = await actions.run(tx, 'crm.find_contacts', { tags: ['Rollback'] }, { tenantId: user.userId, idempotencyKey: 'in-tx' });
        expect(page.contacts.map((c) => c.id)).toEqual([added.id]);
        expect(await actions.run(tx, 'crm.count_contacts', { tags: ['Rollback'] }, { tenantId: user.userId, idempotencyKey: 'in-tx' })).toEqual({ count: 1 });
        throw new Error('roll back');
      })
      .catch((error: Error) => error.message);
    expect(seen).toBe('roll back');
    expect(await count(user.userId, { tags: ['Rollback'] })).toBe(0);
  });
});

describe('crm.count_contacts', () => {
  it('counts what paging returns', async () => {
    for (const props of [{}, { tags: ['VIP'] }, { tags: ['lead', 'cold'] }, { tags: ['nobody-has-this'] }]) {
      expect(await count(user.userId, props)).toBe((await findAll(user.userId, props, 3)).ids.length);
    }
    expect(await count(user.userId, {})).toBe(23);
    expect(await count(other.userId, {})).toBe(23);
  });
});

describe('catalog', () => {
  it('leaves the internal actions out of the workflow builder', async () => {
    const catalog = await expectJson<{ plugins: { name: string; actions: { key: string }[] }[] }>(await fetch(`${soshogle.url}/api/catalog`), 200);
    const keys = catalog.plugins.flatMap((p) => p.actions.map((a) => a.key));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys).not.toContain('crm.find_contacts');
    expect(keys).not.toContain('crm.count_contacts');
    // Only the CRM's workflow steps.
    expect(catalog.plugins.find((p) => p.name === 'crm')?.actions.map((a) => a.key)).toEqual([
      'crm.add_tag',
      'crm.remove_tag',
      'crm.update_contact_field',
      'crm.create_note',
      'crm.create_deal',
      'crm.move_deal',
    ]);
  });
});
