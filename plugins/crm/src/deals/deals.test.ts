// The deal pipeline through a real server, worker and database.
import { defineSubscriber, definePlugin, type DeliveredEvent } from '@soshogle/core';
import { signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import crm from '../index.ts';
import { createDeal } from './service.ts';

type DealEvent = DeliveredEvent<'core.deal_created' | 'core.deal_stage_changed'>;
const delivered: DealEvent[] = [];
const record = async (_ctx: unknown, event: DealEvent) => void delivered.push(event);
// Hears the deal events as any other plugin would: delivered by the worker after commit.
const recorder = definePlugin({
  name: 'recorder',
  displayName: 'Recorder',
  description: 'Records deal events',
  subscribers: [
    defineSubscriber({ name: 'deal_created', event: 'core.deal_created', run: record }),
    defineSubscriber({ name: 'deal_stage_changed', event: 'core.deal_stage_changed', run: record }),
  ],
});

const soshogle = await startTestSoshogle([crm, recorder]);
const owner = await signedInUser(soshogle);

async function until<T>(check: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
const settle = () => new Promise((r) => setTimeout(r, 300));
const eventsOf = (dealId: string, type?: DealEvent['type']) => delivered.filter((e) => e.payload.dealId === dealId && (!type || e.type === type));

interface DealBody {
  id: string;
  title: string;
  value: string;
  currency: string;
  stage: string;
  probability: number;
  actualCloseDate: string | null;
  expectedCloseDate: string | null;
  updatedAt: string;
  contacts: { id: string; firstName: string; isPrimary: boolean }[];
  primaryContact?: { id: string } | null;
}

async function call<T = DealBody>(method: string, path: string, body?: unknown, client: TestClient = owner) {
  const res = await client.request(method, `/api/crm${path}`, body);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: (text ? JSON.parse(text) : null) as T };
}

const newDeal = async (body: Record<string, unknown>, client: TestClient = owner) => {
  const res = await call('POST', '/deals', body, client);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

const newContact = async (firstName: string, userId = owner.userId) =>
  (await soshogle.db.contact.create({ data: { userId, firstName } })).id;

const primaries = async (dealId: string) =>
  (await soshogle.db.dealContact.findMany({ where: { dealId, isPrimary: true } })).map((l) => l.contactId);

describe('creating a deal', () => {
  it('defaults the stage, currency, value and the stage probability, and raises core.deal_created', async () => {
    const deal = await newDeal({ title: ' Website redesign ' });
    expect(deal).toMatchObject({ title: 'Website redesign', stage: 'LEAD', probability: 10, value: '0.0000', currency: 'USD', actualCloseDate: null, contacts: [] });
    const event = await until(() => eventsOf(deal.id)[0]);
    expect(event).toMatchObject({ type: 'core.deal_created', tenantId: owner.userId, payload: { dealId: deal.id, contactId: null, stage: 'LEAD' } });
  });

  it("takes each stage's default probability unless one is given", async () => {
    const expected = { QUALIFIED: 25, PROPOSAL: 50, NEGOTIATION: 75, CLOSED_WON: 100, CLOSED_LOST: 0 };
    for (const [stage, probability] of Object.entries(expected)) {
      expect((await newDeal({ title: stage, stage })).probability).toBe(probability);
    }
    expect((await newDeal({ title: 'Hopeful', stage: 'PROPOSAL', probability: 60 })).probability).toBe(60);
  });

  it('keeps money exact: strings and plain numbers, 4 decimals back', async () => {
    const deal = await newDeal({ title: 'Exact', value: '1234.50', currency: 'eur', expectedCloseDate: '2030-06-30' });
    expect(deal).toMatchObject({ value: '1234.5000', currency: 'EUR', expectedCloseDate: '2030-06-30T00:00:00.000Z' });
    expect((await newDeal({ title: 'Number', value: 99.9 })).value).toBe('99.9000');
    expect((await newDeal({ title: 'Largest', value: '999999999999999.9999' })).value).toBe('999999999999999.9999');
  });

  it('starts closed deals with an actual close date', async () => {
    const deal = await newDeal({ title: 'Already won', stage: 'CLOSED_WON' });
    expect(deal.actualCloseDate).not.toBeNull();
  });

  it('refuses bad input with a 422 problem naming each field', async () => {
    const res = await call<{ errors: { field: string }[] }>('POST', '/deals', {
      title: '',
      stage: 'WON',
      value: '10.12345',
      probability: 101,
      currency: 'dollars',
      expectedCloseDate: 'soon',
    });
    expect(res.status).toBe(422);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.errors.map((e) => e.field).sort()).toEqual(
      ['body.currency', 'body.expectedCloseDate', 'body.probability', 'body.stage', 'body.title', 'body.value'].sort(),
    );
    // Float noise is refused, not rounded; a code that is not ISO 4217 too.
    const noise = await call<{ errors: { field: string }[] }>('POST', '/deals', { title: 'x', value: 0.1 + 0.2, currency: 'XYZ', probability: 5.5 });
    expect(noise.body.errors.map((e) => e.field).sort()).toEqual(['body.currency', 'body.probability', 'body.value']);
    // A negative value is refused too, as text or as a number.
    for (const value of ['-5.00', -1]) expect((await call<{ errors: { field: string }[] }>('POST', '/deals', { title: 'x', value })).body.errors.map((e) => e.field)).toEqual(['body.value']);
    // PostgreSQL cannot store NUL characters: a 422, not a database error.
    const nul = await call<{ errors: { field: string }[] }>('POST', '/deals', { title: 'a\u0000b', description: '\u0000' });
    expect(nul.body.errors.map((e) => e.field)).toEqual(['body.title', 'body.description']);
    expect((await call('GET', '/deals/%00')).status).toBe(422);
    expect((await call('GET', '/deals?q=%00')).status).toBe(422);
  });

  it('links contacts, the first (or the one marked) as primary', async () => {
    const [a, b] = [await newContact('Ada'), await newContact('Bea')];
    const first = await newDeal({ title: 'Two contacts', contacts: [{ contactId: a }, { contactId: b }] });
    expect(first.contacts.map((c) => [c.id, c.isPrimary])).toEqual([
      [a, true],
      [b, false],
    ]);
    expect((await until(() => eventsOf(first.id)[0])).payload).toMatchObject({ contactId: a });
    const marked = await newDeal({ title: 'Marked', contacts: [{ contactId: a }, { contactId: b, isPrimary: true }] });
    expect(await primaries(marked.id)).toEqual([b]);
  });

  it('refuses unknown, repeated or doubly primary contacts with a 422 naming them, creating nothing', async () => {
    const a = await newContact('Cy');
    const unknown = await call<{ errors: unknown }>('POST', '/deals', { title: 'Ghost', contacts: [{ contactId: a }, { contactId: 'nope' }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ field: 'contacts.1.contactId', message: expect.any(String) }]);
    const twice = await call<{ errors: { field: string }[] }>('POST', '/deals', {
      title: 'Twice',
      contacts: [{ contactId: a, isPrimary: true }, { contactId: a, isPrimary: true }],
    });
    expect(twice.body.errors.map((e) => e.field)).toEqual(['body.contacts.1.contactId', 'body.contacts.1.isPrimary']);
    expect(await soshogle.db.deal.count({ where: { title: { in: ['Ghost', 'Twice'] } } })).toBe(0);
  });
});

describe('moving a deal through the pipeline', () => {
  it('raises core.deal_stage_changed with from and to, resetting the probability to the stage default', async () => {
    const contact = await newContact('Dee');
    const deal = await newDeal({ title: 'Mover', contacts: [{ contactId: contact }] });
    const moved = await call('PATCH', `/deals/${deal.id}`, { stage: 'QUALIFIED' });
    expect(moved.body).toMatchObject({ stage: 'QUALIFIED', probability: 25 });
    const event = await until(() => eventsOf(deal.id, 'core.deal_stage_changed')[0]);
    expect(event.payload).toEqual({ dealId: deal.id, contactId: contact, from: 'LEAD', to: 'QUALIFIED' });
  });

  it('keeps a probability given with the move, and takes one without a move', async () => {
    const deal = await newDeal({ title: 'Override' });
    expect((await call('PATCH', `/deals/${deal.id}`, { stage: 'PROPOSAL', probability: 40 })).body).toMatchObject({ stage: 'PROPOSAL', probability: 40 });
    expect((await call('PATCH', `/deals/${deal.id}`, { probability: 55 })).body).toMatchObject({ stage: 'PROPOSAL', probability: 55 });
    // Same stage again: not a move, so the estimate stays and nothing is raised.
    expect((await call('PATCH', `/deals/${deal.id}`, { stage: 'PROPOSAL', title: 'Renamed' })).body).toMatchObject({ probability: 55, title: 'Renamed' });
    await until(() => eventsOf(deal.id, 'core.deal_stage_changed')[0]);
    await settle();
    expect(eventsOf(deal.id, 'core.deal_stage_changed').map((e) => e.payload)).toEqual([{ dealId: deal.id, contactId: null, from: 'LEAD', to: 'PROPOSAL' }]);
  });

  it('sets actualCloseDate on closing and clears it on reopening', async () => {
    const deal = await newDeal({ title: 'Closer', stage: 'NEGOTIATION' });
    const won = await call('PATCH', `/deals/${deal.id}`, { stage: 'CLOSED_WON' });
    expect(won.body).toMatchObject({ probability: 100 });
    expect(Date.now() - Date.parse(won.body.actualCloseDate!)).toBeLessThan(60_000);
    const reopened = await call('PATCH', `/deals/${deal.id}`, { stage: 'NEGOTIATION' });
    expect(reopened.body).toMatchObject({ probability: 75, actualCloseDate: null });
    const lost = await call('PATCH', `/deals/${deal.id}`, { stage: 'CLOSED_LOST' });
    expect(lost.body.probability).toBe(0);
    expect(lost.body.actualCloseDate).not.toBeNull();
    await until(() => (eventsOf(deal.id, 'core.deal_stage_changed').length === 3 ? true : undefined));
    expect(eventsOf(deal.id, 'core.deal_stage_changed').map((e) => (e.type === 'core.deal_stage_changed' ? e.payload.to : null)).sort()).toEqual(['CLOSED_LOST', 'CLOSED_WON', 'NEGOTIATION']);
  });

  it('changes and clears the other fields, refusing bad ones by name', async () => {
    const deal = await newDeal({ title: 'Fields', description: 'first', expectedCloseDate: '2030-01-01' });
    const changed = await call('PATCH', `/deals/${deal.id}`, { value: '0.0001', currency: 'GBP', description: null, expectedCloseDate: null });
    expect(changed.body).toMatchObject({ value: '0.0001', currency: 'GBP', description: null, expectedCloseDate: null });
    const bad = await call<{ errors: { field: string }[] }>('PATCH', `/deals/${deal.id}`, { value: '1.00001', stage: 'DONE', title: null });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['body.stage', 'body.title', 'body.value']);
  });

  it('answers unknown deals with 404', async () => {
    expect((await call('GET', '/deals/nope')).status).toBe(404);
    expect((await call('PATCH', '/deals/nope', { stage: 'QUALIFIED' })).status).toBe(404);
    expect((await call('DELETE', '/deals/nope')).status).toBe(404);
  });

  it('deletes a deal with 204', async () => {
    const deal = await newDeal({ title: 'Gone', contacts: [{ contactId: await newContact('Eve') }] });
    const res = await call('DELETE', `/deals/${deal.id}`);
    expect(res.status).toBe(204);
    expect((await call('GET', `/deals/${deal.id}`)).status).toBe(404);
  });
});

describe('contacts on a deal', () => {
  it('keeps exactly one primary as contacts come and go', async () => {
    const [a, b, c] = [await newContact('Ann'), await newContact('Ben'), await newContact('Cat')];
    const deal = await newDeal({ title: 'People' });
    const linked = await call('POST', `/deals/${deal.id}/contacts`, { contactId: b });
    expect(linked.status).toBe(201);
    expect(linked.body.contacts).toMatchObject([{ id: b, firstName: 'Ben', isPrimary: true }]);
    await call('POST', `/deals/${deal.id}/contacts`, { contactId: a });
    expect(await primaries(deal.id)).toEqual([b]);
    await call('POST', `/deals/${deal.id}/contacts`, { contactId: c, isPrimary: true });
    expect(await primaries(deal.id)).toEqual([c]);
    const put = await call('PUT', `/deals/${deal.id}/primary-contact`, { contactId: a });
    expect(put.body.contacts.map((x) => [x.id, x.isPrimary])).toEqual([
      [a, true],
      [b, false],
      [c, false],
    ]);
    // Removing the primary passes it to the contact longest in the CRM (Ben before Cat).
    await call('DELETE', `/deals/${deal.id}/contacts/${a}`);
    expect(await primaries(deal.id)).toEqual([b]);
    await call('DELETE', `/deals/${deal.id}/contacts/${c}`);
    expect(await primaries(deal.id)).toEqual([b]);
    const last = await call('DELETE', `/deals/${deal.id}/contacts/${b}`);
    expect(last.body.contacts).toEqual([]);
    expect((await call('DELETE', `/deals/${deal.id}/contacts/${b}`)).status).toBe(404);
    // Linking a contact already on the deal changes nothing.
    await call('POST', `/deals/${deal.id}/contacts`, { contactId: a });
    await call('POST', `/deals/${deal.id}/contacts`, { contactId: a });
    expect(await primaries(deal.id)).toEqual([a]);
    expect(await soshogle.db.dealContact.count({ where: { dealId: deal.id } })).toBe(1);
  });

  it('names the primary in stage change events', async () => {
    const [a, b] = [await newContact('Gus'), await newContact('Hal')];
    const deal = await newDeal({ title: 'Whose', contacts: [{ contactId: a }, { contactId: b }] });
    await call('PUT', `/deals/${deal.id}/primary-contact`, { contactId: b });
    await call('PATCH', `/deals/${deal.id}`, { stage: 'PROPOSAL' });
    expect((await until(() => eventsOf(deal.id, 'core.deal_stage_changed')[0])).payload).toMatchObject({ contactId: b });
  });

  it('leaves exactly one primary when changes race', async () => {
    const contacts = await Promise.all(['Ivy', 'Jon', 'Kim', 'Lou', 'Max'].map((name) => newContact(name)));
    const deal = await newDeal({ title: 'Race', contacts: contacts.map((contactId) => ({ contactId })) });
    const puts = await Promise.all(contacts.map((contactId) => call('PUT', `/deals/${deal.id}/primary-contact`, { contactId })));
    expect(puts.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await primaries(deal.id)).toHaveLength(1);

    // Concurrent first links to an empty deal: only one of them becomes primary.
    const empty = await newDeal({ title: 'Race to be first' });
    const posts = await Promise.all(contacts.map((contactId) => call('POST', `/deals/${empty.id}/contacts`, { contactId })));
    expect(posts.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(await primaries(empty.id)).toHaveLength(1);
    expect(await soshogle.db.dealContact.count({ where: { dealId: empty.id } })).toBe(5);
  });

  it('refuses unknown contacts by field and unknown deals with 404', async () => {
    const deal = await newDeal({ title: 'Picky' });
    const res = await call<{ errors: unknown }>('POST', `/deals/${deal.id}/contacts`, { contactId: 'nope' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'contactId', message: expect.any(String) }]);
    expect((await call('PUT', `/deals/${deal.id}/primary-contact`, { contactId: 'nope' })).status).toBe(422);
    expect((await call('POST', '/deals/nope/contacts', { contactId: await newContact('Ned') })).status).toBe(404);
  });
});

describe('listing deals', () => {
  it('pages newest first with a cursor, and filters by stage, contact and title', async () => {
    const user = await signedInUser(soshogle);
    const contact = await newContact('Oli', user.userId);
    const titles = ['Alpha roof', 'Beta roof', 'Gamma', 'Delta', 'Epsilon roof'];
    const ids: string[] = [];
    for (const [i, title] of titles.entries()) {
      const body = { title, stage: i % 2 ? 'PROPOSAL' : 'LEAD', ...(i === 2 ? { contacts: [{ contactId: contact }] } : {}) };
      ids.push((await newDeal(body, user)).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await call<{ items: DealBody[]; nextCursor: string | null }>('GET', `/deals?limit=2${query}`, undefined, user);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((d) => d.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const list = (query: string) => call<{ items: DealBody[] }>('GET', `/deals?${query}`, undefined, user).then((r) => r.body.items.map((d) => d.title));
    expect(await list('stage=PROPOSAL')).toEqual(['Delta', 'Beta roof']);
    expect(await list(`contactId=${contact}`)).toEqual(['Gamma']);
    expect(await list('q=ROOF')).toEqual(['Epsilon roof', 'Beta roof', 'Alpha roof']);
    const gamma = await call<{ items: DealBody[] }>('GET', `/deals?contactId=${contact}`, undefined, user);
    expect(gamma.body.items[0]!.primaryContact).toMatchObject({ id: contact, firstName: 'Oli' });
  });

  it('refuses a bad cursor, limit or stage by name', async () => {
    const res = await call<{ errors: { field: string }[] }>('GET', '/deals?cursor=garbage&limit=500&stage=WON');
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e) => e.field).sort()).toEqual(['query.cursor', 'query.limit', 'query.stage']);
  });
});

describe('the board', () => {
  it('gives every stage in pipeline order with exact totals and weighted values', async () => {
    const user = await signedInUser(soshogle);
    await newDeal({ title: 'Ten cents', value: '0.10' }, user);
    await newDeal({ title: 'Twenty cents', value: '0.20' }, user);
    await newDeal({ title: 'Big', value: '999999999999999.9999', stage: 'PROPOSAL' }, user);
    await newDeal({ title: 'Big too', value: '999999999999999.9999', stage: 'PROPOSAL', probability: 33 }, user);
    await newDeal({ title: 'Dollars', value: '100', stage: 'NEGOTIATION' }, user);
    await newDeal({ title: 'Euros', value: '200.5', currency: 'EUR', stage: 'NEGOTIATION' }, user);
    const res = await call<{ stages: Record<string, unknown>[] }>('GET', '/deals/board', undefined, user);
    expect(res.status).toBe(200);
    const [lead, qualified, proposal, negotiation, won, lost] = res.body.stages;
    expect(res.body.stages.map((s) => s.stage)).toEqual(['LEAD', 'QUALIFIED', 'PROPOSAL', 'NEGOTIATION', 'CLOSED_WON', 'CLOSED_LOST']);
    // 0.10 + 0.20 is exactly 0.3, and 10% of it 0.03: no float arithmetic on the way.
    expect(lead).toMatchObject({ count: 2, currency: 'USD', value: '0.3000', weightedValue: '0.0300' });
    expect(lead!.totals).toEqual([{ currency: 'USD', count: 2, value: '0.3000', weightedValue: '0.0300' }]);
    expect((lead!.deals as DealBody[]).map((d) => d.title)).toEqual(['Twenty cents', 'Ten cents']);
    // 50% and 33% of 999999999999999.9999, rounded half up to 4 decimals.
    expect(proposal).toMatchObject({ count: 2, value: '1999999999999999.9998', weightedValue: '829999999999999.9999' });
    expect(negotiation).toMatchObject({ count: 2, currency: null, value: null, weightedValue: null });
    expect(negotiation!.totals).toEqual([
      { currency: 'EUR', count: 1, value: '200.5000', weightedValue: '150.3750' },
      { currency: 'USD', count: 1, value: '100.0000', weightedValue: '75.0000' },
    ]);
    for (const empty of [qualified, won, lost]) {
      expect(empty).toMatchObject({ count: 0, currency: null, value: '0.0000', weightedValue: '0.0000', totals: [], deals: [] });
    }
  });

  it('lists the most recently updated deals of each stage, up to `limit`', async () => {
    const user = await signedInUser(soshogle);
    const deals = [];
    for (const title of ['One', 'Two', 'Three']) deals.push(await newDeal({ title, value: '1' }, user));
    await call('PATCH', `/deals/${deals[0]!.id}`, { title: 'One, touched' }, user);
    const res = await call<{ stages: { count: number; value: string; deals: DealBody[] }[] }>('GET', '/deals/board?limit=2', undefined, user);
    expect(res.body.stages[0]!.count).toBe(3);
    expect(res.body.stages[0]!.value).toBe('3.0000');
    expect(res.body.stages[0]!.deals.map((d) => d.title)).toEqual(['One, touched', 'Three']);
  });
});

describe('tenancy', () => {
  it("treats another tenant's deals and contacts as unknown", async () => {
    const intruder = await signedInUser(soshogle);
    const mine = await newContact('Pam');
    const deal = await newDeal({ title: 'Private', value: '5', contacts: [{ contactId: mine }] });
    expect((await call('GET', `/deals/${deal.id}`, undefined, intruder)).status).toBe(404);
    expect((await call('PATCH', `/deals/${deal.id}`, { stage: 'CLOSED_LOST' }, intruder)).status).toBe(404);
    expect((await call('DELETE', `/deals/${deal.id}`, undefined, intruder)).status).toBe(404);
    expect((await call('POST', `/deals/${deal.id}/contacts`, { contactId: await newContact('Raj', intruder.userId) }, intruder)).status).toBe(404);
    expect((await call('DELETE', `/deals/${deal.id}/contacts/${mine}`, undefined, intruder)).status).toBe(404);
    expect((await call('PUT', `/deals/${deal.id}/primary-contact`, { contactId: mine }, intruder)).status).toBe(404);

    // Their contacts cannot be put on my deals, nor mine on theirs.
    const theirs = await newContact('Sam', intruder.userId);
    const link = await call<{ errors: unknown }>('POST', `/deals/${deal.id}/contacts`, { contactId: theirs });
    expect(link.status).toBe(422);
    expect(link.body.errors).toEqual([{ field: 'contactId', message: expect.any(String) }]);
    expect((await call('POST', '/deals', { title: 'Theft', contacts: [{ contactId: mine }] }, intruder)).status).toBe(422);

    const board = await call<{ stages: { count: number }[] }>('GET', '/deals/board', undefined, intruder);
    expect(board.body.stages.every((s) => s.count === 0)).toBe(true);
    expect((await call<{ items: unknown[] }>('GET', '/deals', undefined, intruder)).body.items).toEqual([]);
    expect(await soshogle.db.deal.findUnique({ where: { id: deal.id } })).toMatchObject({ stage: 'LEAD' });
    expect(await primaries(deal.id)).toEqual([mine]);
  });
});

describe('transactions', () => {
  it('raises nothing when the write that raised the event rolls back', async () => {
    const { db, events, tenantId } = soshogle.tenantContext('crm', owner.userId);
    let dealId = '';
    await expect(
      db.$transaction(async (tx) => {
        dealId = (await createDeal({ tx, tenantId, events }, { title: 'Doomed', stage: 'PROPOSAL' })).id;
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');
    expect(dealId).not.toBe('');
    const control = await newDeal({ title: 'Control' });
    await until(() => eventsOf(control.id)[0]);
    await settle();
    expect(eventsOf(dealId)).toEqual([]);
    expect(await soshogle.db.deal.findUnique({ where: { id: dealId } })).toBeNull();
  });

  it('raises nothing when told not to (imports)', async () => {
    const { db, events, tenantId } = soshogle.tenantContext('crm', owner.userId);
    const deal = await db.$transaction((tx) => createDeal({ tx, tenantId, events, raise: false }, { title: 'Quiet', value: '12.34' }));
    expect(deal.value.toFixed(4)).toBe('12.3400');
    const control = await newDeal({ title: 'Control 2' });
    await until(() => eventsOf(control.id)[0]);
    await settle();
    expect(eventsOf(deal.id)).toEqual([]);
  });
});
