// Leads end to end: searches against a local fake of the Places API (New), the job's
// paging, dedupe and 429 recovery, statuses, conversion and tenant isolation.
import { definePlugin, defineSubscriber, type DeliveredEvent } from '@soshogle/core';
import { expectJson, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import type { Lead, LeadSearch } from '@soshogle/db';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import crm from '@soshogle/plugin-crm';
import leads from './index.ts';
import type { Place } from './places.ts';
import { startPlacesFake } from './places-fake.ts';

// A tenant's own key, saved as an encrypted connection through the Settings API.
const testKey = 'AIzaSyTest-places-key-0001';
const fake = await startPlacesFake(testKey);
afterAll(() => fake.close());

const created: DeliveredEvent<'core.contact_created'>[] = [];
const recorder = definePlugin({
  name: 'recorder',
  displayName: 'Recorder',
  description: 'Records contact_created events',
  dependsOn: ['crm'],
  subscribers: [defineSubscriber({ name: 'record', event: 'core.contact_created', run: async (_ctx, event) => void created.push(event) })],
});

const soshogle = await startTestSoshogle([crm, leads, recorder], { LEADS_GOOGLE_PLACES_URL: `${fake.url}/` });
const db = soshogle.db;
async function connectedUser(): Promise<TestClient> {
  const user = await signedInUser(soshogle);
  const res = await user.request('PUT', '/api/connections/leads/google_places', { credentials: { apiKey: testKey } });
  if (res.status !== 200) throw new Error(`connect failed: ${res.status} ${await res.text()}`);
  return user;
}
const owner = await connectedUser();
const other = await connectedUser();

beforeEach(() => {
  fake.requests.length = 0;
});

// ---- Places in the API's shape ----

const component = (longText: string, types: string[], shortText = longText) => ({ longText, shortText, types, languageCode: 'en' });

const austinDental: Place = {
  id: 'ChIJ-austin-family-dental',
  displayName: { text: 'Austin Family Dental', languageCode: 'en' },
  formattedAddress: '1200 Congress Ave, Austin, TX 78701, USA',
  addressComponents: [
    component('1200', ['street_number']),
    component('Congress Avenue', ['route'], 'Congress Ave'),
    component('Downtown', ['neighborhood', 'political']),
    component('Austin', ['locality', 'political']),
    component('Travis County', ['administrative_area_level_2', 'political']),
    component('Texas', ['administrative_area_level_1', 'political'], 'TX'),
    component('United States', ['country', 'political'], 'US'),
    component('78701', ['postal_code']),
  ],
  rating: 4.8,
  userRatingCount: 212,
  primaryType: 'dentist',
  primaryTypeDisplayName: { text: 'Dentist', languageCode: 'en-US' },
  nationalPhoneNumber: '(512) 555-0134',
  internationalPhoneNumber: '+1 512-555-0134',
  websiteUri: 'https://austinfamilydental.example/',
  // Not in the field mask: the fake (like Google) leaves it out.
  googleMapsUri: 'https://maps.google.com/?cid=1',
};

// A UK practice: the city is a postal_town, the phone has no international form.
const bathDental: Place = {
  id: 'ChIJ-bath-dental',
  displayName: { text: 'Bath Dental Care', languageCode: 'en' },
  formattedAddress: '3 Milsom St, Bath BA1 1BZ, UK',
  addressComponents: [
    component('3', ['street_number']),
    component('Milsom Street', ['route'], 'Milsom St'),
    component('Bath', ['postal_town']),
    component('England', ['administrative_area_level_1', 'political'], 'England'),
    component('United Kingdom', ['country', 'political'], 'GB'),
    component('BA1 1BZ', ['postal_code']),
  ],
  primaryType: 'dental_clinic',
  nationalPhoneNumber: '020 7946 0958',
};

const nameless: Place = { id: 'ChIJ-nameless', formattedAddress: 'Somewhere' };

function place(prefix: string, i: number, extra: Partial<Place> = {}): Place {
  return {
    id: `ChIJ-${prefix}-${i}`,
    displayName: { text: `${prefix} ${i}`, languageCode: 'en' },
    formattedAddress: `${i} Main St, Denver, CO 80202, USA`,
    addressComponents: [
      component(String(i), ['street_number']),
      component('Main Street', ['route'], 'Main St'),
      component('Denver', ['locality', 'political']),
      component('Colorado', ['administrative_area_level_1', 'political'], 'CO'),
      component('United States', ['country', 'political'], 'US'),
      component('80202', ['postal_code']),
    ],
    rating: 4,
    userRatingCount: i,
    primaryType: 'plumber',
    primaryTypeDisplayName: { text: 'Plumber', languageCode: 'en-US' },
    ...extra,
  };
}

const places = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => place(prefix, i + 1));

// ---- Helpers ----


/** Moves retries scheduled for later to now, so a test does not sit through graphile-worker's backoff. */
async function fastForwardRetries() {
  const moved = await db.$executeRaw`update graphile_worker._private_jobs set run_at = now() where run_at > now() and attempts > 0`;
  if (moved) await db.$executeRaw`select pg_notify('jobs:insert', '{"count":1}')`;
}

async function waitForSearch(client: TestClient, id: string, options: { fastForward?: boolean } = {}): Promise<LeadSearch> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const job = await expectJson<LeadSearch>(await client.request('GET', `/api/leads/leads/searches/${id}`), 200);
    if (job.status === 'COMPLETED' || job.status === 'FAILED') return job;
    if (Date.now() > deadline) throw new Error(`search ${id} still ${job.status}`);
    if (options.fastForward) await fastForwardRetries();
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function search(client: TestClient, body: Record<string, unknown>, options: { fastForward?: boolean } = {}) {
  const started = await expectJson<{ job: LeadSearch; sandbox: boolean }>(await client.request('POST', '/api/leads/leads/searches', body), 202);
  expect(started.sandbox).toBe(false);
  expect(started.job).toMatchObject({ status: 'QUEUED', params: { ...body, sandbox: false } });
  return waitForSearch(client, started.job.id, options);
}

const leadsOf = (userId: string, where: { googlePlaceId?: { startsWith: string } } = {}) =>
  db.lead.findMany({ where: { userId, ...where }, orderBy: { googlePlaceId: 'asc' } });

async function makeLead(userId: string, name: string, extra: Partial<Lead> = {}) {
  return db.lead.create({
    data: { userId, businessName: name, address: '1 Main St', city: 'Austin', state: 'TX', zipCode: '78701', category: 'Dentist', source: 'manual', phone: '+15125550101', ...extra },
  });
}

// ---- Searches ----

describe('lead search', () => {
  it('reports live mode when a key is configured', async () => {
    expect(await expectJson(await owner.request('GET', '/api/leads/leads/places-status'), 200)).toEqual({ mode: 'live' });
  });

  it('calls searchText with the key and field mask as headers and stores the parsed places', async () => {
    fake.results.set('dentist in Austin, TX', [austinDental, nameless, bathDental]);
    const job = await search(owner, { query: 'dentist in Austin, TX', location: { latitude: 30.27, longitude: -97.74 }, radiusMeters: 5000 });
    expect(job).toMatchObject({ status: 'COMPLETED', processed: 3, succeeded: 2, failed: 1, total: 3, error: null });
    expect(job.result).toEqual({ sandbox: false, pages: 1, created: 2, updated: 0, skipped: 1, nextPageToken: null, done: true });

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request!.headers['x-goog-api-key']).toBe(testKey);
    // The key travels as a header only, never in a URL that could be logged.
    expect(request).toMatchObject({ path: '/v1/places:searchText', query: {} });
    expect(String(request!.headers['x-goog-fieldmask']).split(',')).toEqual(
      expect.arrayContaining(['places.id', 'places.displayName', 'places.addressComponents', 'places.nationalPhoneNumber', 'nextPageToken']),
    );
    expect(request!.body).toEqual({
      textQuery: 'dentist in Austin, TX',
      pageSize: 20,
      locationBias: { circle: { center: { latitude: 30.27, longitude: -97.74 }, radius: 5000 } },
    });

    const [austin, bath] = await leadsOf(owner.userId, { googlePlaceId: { startsWith: 'ChIJ-' } });
    expect(austin).toMatchObject({
      googlePlaceId: 'ChIJ-austin-family-dental',
      businessName: 'Austin Family Dental',
      address: '1200 Congress Ave',
      city: 'Austin',
      state: 'TX',
      zipCode: '78701',
      country: 'US',
      phone: '+15125550134',
      website: 'https://austinfamilydental.example/',
      rating: 4.8,
      reviewCount: 212,
      category: 'Dentist',
      status: 'NEW',
      source: 'google_places',
    });
    expect(bath).toMatchObject({
      googlePlaceId: 'ChIJ-bath-dental',
      address: '3 Milsom St',
      city: 'Bath',
      state: 'England',
      zipCode: 'BA1 1BZ',
      country: 'GB',
      phone: '+442079460958',
      website: null,
      rating: null,
      reviewCount: null,
      category: 'dental_clinic',
    });
  });

  it('pages through the results and stores them all', async () => {
    fake.results.set('plumber in Denver, CO', places('Denver Plumbing', 50));
    const job = await search(owner, { query: 'plumber in Denver, CO' });
    expect(job).toMatchObject({ status: 'COMPLETED', processed: 50, succeeded: 50, total: 50, result: { pages: 3, created: 50, done: true } });
    expect(fake.requests.map((r) => [r.body?.pageSize, !!r.body?.pageToken])).toEqual([
      [20, false],
      [20, true],
      [20, true],
    ]);
    expect(await db.lead.count({ where: { userId: owner.userId, googlePlaceId: { startsWith: 'ChIJ-Denver Plumbing-' } } })).toBe(50);
  });

  it('stops at maxResults, asking only for what is left', async () => {
    fake.results.set('roofer in Denver, CO', places('Roofer', 50));
    const job = await search(owner, { query: 'roofer in Denver, CO', maxResults: 25 });
    expect(job).toMatchObject({ status: 'COMPLETED', processed: 25, total: 25, result: { pages: 2, created: 25 } });
    expect(fake.requests.map((r) => r.body?.pageSize)).toEqual([20, 5]);
    expect(await db.lead.count({ where: { userId: owner.userId, googlePlaceId: { startsWith: 'ChIJ-Roofer-' } } })).toBe(25);
  });

  it('updates the leads of a repeated search instead of duplicating them, keeping their status', async () => {
    const query = 'electrician in Denver, CO';
    fake.results.set(query, places('Sparks', 5));
    await search(owner, { query });
    const first = await leadsOf(owner.userId, { googlePlaceId: { startsWith: 'ChIJ-Sparks-' } });
    await db.lead.update({ where: { id: first[0]!.id }, data: { status: 'QUALIFIED', email: 'owner@sparks.example' } });

    fake.results.set(query, [place('Sparks', 1, { rating: 2.5, userRatingCount: 99, websiteUri: 'https://sparks.example/' }), ...places('Sparks', 6).slice(1)]);
    const job = await search(owner, { query });
    expect(job.result).toMatchObject({ created: 1, updated: 5 });
    const again = await leadsOf(owner.userId, { googlePlaceId: { startsWith: 'ChIJ-Sparks-' } });
    expect(again).toHaveLength(6);
    expect(again[0]).toMatchObject({ id: first[0]!.id, rating: 2.5, reviewCount: 99, website: 'https://sparks.example/', status: 'QUALIFIED', email: 'owner@sparks.example' });
  });

  it('keeps the same place apart per tenant', async () => {
    const query = 'baker in Denver, CO';
    fake.results.set(query, places('Baker', 3));
    await search(owner, { query });
    await search(other, { query });
    expect(await leadsOf(owner.userId, { googlePlaceId: { startsWith: 'ChIJ-Baker-' } })).toHaveLength(3);
    expect(await leadsOf(other.userId, { googlePlaceId: { startsWith: 'ChIJ-Baker-' } })).toHaveLength(3);
  });

  it('backs off on 429 and 5xx and resumes from the last stored page', async () => {
    const query = 'florist in Denver, CO';
    fake.results.set(query, places('Florist', 45));
    // Page 1 succeeds, then Google's quota runs out, then Google has a bad moment.
    fake.failNext(1, 429, { after: 1 });
    fake.failNext(1, 503);
    const started = await expectJson<{ job: LeadSearch }>(await owner.request('POST', '/api/leads/leads/searches', { query }), 202);

    // After the 429 the page already fetched is stored and the job waits for its retry (about 3 s away).
    let graphile: { attempts: number; last_error: string | null; run_at: Date } | undefined;
    for (let i = 0; !graphile?.last_error && i < 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      [graphile] = await db.$queryRaw<NonNullable<typeof graphile>[]>`select attempts, last_error, run_at from graphile_worker.jobs where task_identifier = 'plugin_job'`;
    }
    expect(graphile).toMatchObject({ attempts: 1, last_error: expect.stringContaining('RESOURCE_EXHAUSTED') });
    expect(graphile!.run_at.getTime()).toBeGreaterThan(Date.now() + 1000);
    const waiting = await expectJson<LeadSearch>(await owner.request('GET', `/api/leads/leads/searches/${started.job.id}`), 200);
    expect(waiting).toMatchObject({ status: 'RUNNING', processed: 20, result: { pages: 1, created: 20, done: false } });

    const job = await waitForSearch(owner, started.job.id, { fastForward: true });
    expect(job).toMatchObject({ status: 'COMPLETED', processed: 45, succeeded: 45, result: { pages: 3, created: 45 } });
    expect(fake.requests.map((r) => r.status)).toEqual([200, 429, 503, 200, 200]);
    // Only the first call started from the beginning: the retries asked for page 2 again.
    expect(fake.requests.filter((r) => !r.body?.pageToken)).toHaveLength(1);
    expect(fake.requests[1]!.body?.pageToken).toBe(fake.requests[3]!.body?.pageToken);
    expect(await db.lead.count({ where: { userId: owner.userId, googlePlaceId: { startsWith: 'ChIJ-Florist-' } } })).toBe(45);
  });

  it('fails at once, with Google\'s message, when the key is not valid', async () => {
    fake.apiKey = 'a-rotated-key';
    try {
      fake.results.set('vet in Denver, CO', places('Vet', 3));
      const job = await search(owner, { query: 'vet in Denver, CO' });
      expect(job).toMatchObject({ status: 'FAILED', processed: 0, error: 'Google Places: INVALID_ARGUMENT: API key not valid. Please pass a valid API key.' });
      expect(job.finishedAt).not.toBeNull();
      expect(fake.requests).toHaveLength(1);
      expect(JSON.stringify(job)).not.toContain(testKey);
    } finally {
      fake.apiKey = testKey;
    }
  });

  it('fails at once on 403 PERMISSION_DENIED', async () => {
    fake.failNext(1, 403, { message: 'Places API (New) has not been used in project 123 before or it is disabled.' });
    const job = await search(owner, { query: 'gym in Denver, CO' });
    expect(job).toMatchObject({ status: 'FAILED', error: expect.stringContaining('PERMISSION_DENIED: Places API (New) has not been used') });
    expect(fake.requests).toHaveLength(1);
    // Not left for a retry: the worker deletes the job once the task returns, which can be
    // just after the search was marked FAILED (a retry would keep the row, with a later run_at).
    const deadline = Date.now() + 5000;
    let left: unknown[];
    while ((left = await db.$queryRaw<unknown[]>`select 1 from graphile_worker.jobs where task_identifier = 'plugin_job'`).length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(left).toHaveLength(0);
  });

  it('refuses bad search requests with 422 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ query: '' }, 'body.query'],
      [{ query: 'x'.repeat(201) }, 'body.query'],
      [{ query: 'dentist', radiusMeters: 1000 }, 'body.radiusMeters'],
      [{ query: 'dentist', location: { latitude: 30, longitude: -97 }, radiusMeters: 50_001 }, 'body.radiusMeters'],
      [{ query: 'dentist', maxResults: 61 }, 'body.maxResults'],
    ];
    for (const [body, field] of cases) {
      const problem = await expectJson<{ errors: { field: string }[] }>(await owner.request('POST', '/api/leads/leads/searches', body), 422);
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
  });

  it("hides another tenant's search", async () => {
    fake.results.set('cafe in Denver, CO', places('Cafe', 1));
    const job = await search(owner, { query: 'cafe in Denver, CO' });
    expect((await other.request('GET', `/api/leads/leads/searches/${job.id}`)).status).toBe(404);
  });
});

// ---- The list and statuses ----

describe('leads', () => {
  it('lists newest first with filters and keyset pagination', async () => {
    const tenant = await signedInUser(soshogle);
    const names = ['Alpha Dental', 'Beta Dental', 'Gamma Bakery', 'Delta Dental', 'Epsilon Dental'];
    // Gamma and Delta share a creation time: the id decides between them.
    const times = [1, 2, 3, 3, 4].map((s) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)));
    const made: Lead[] = [];
    for (const [i, name] of names.entries()) {
      made.push(await makeLead(tenant.userId, name, { createdAt: times[i]!, city: name === 'Beta Dental' ? 'Dallas' : 'Austin', category: name.includes('Bakery') ? 'Bakery' : 'Dentist' }));
    }
    const expected = made
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((l) => l.businessName);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/api/leads/leads?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { items: Lead[]; nextCursor: string | null } = await expectJson(await tenant.request('GET', path), 200);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((l) => l.businessName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);

    const names_ = async (query: string) =>
      (await expectJson<{ items: Lead[] }>(await tenant.request('GET', `/api/leads/leads?${query}`), 200)).items.map((l) => l.businessName).sort();
    expect(await names_('category=dentist&city=austin')).toEqual(['Alpha Dental', 'Delta Dental', 'Epsilon Dental']);
    expect(await names_('q=bak')).toEqual(['Gamma Bakery']);
    expect(await names_('status=QUALIFIED')).toEqual([]);
    expect((await tenant.request('GET', '/api/leads/leads?cursor=nonsense')).status).toBe(422);
  });

  it('edits a lead and changes its status, but never to CONVERTED', async () => {
    const lead = await makeLead(owner.userId, 'Edit Me Dental');
    const edited = await expectJson<Lead>(
      await owner.request('PATCH', `/api/leads/leads/${lead.id}`, { phone: '(512) 555-0177', email: 'Front@EditMe.example', status: 'CONTACTED', website: '' }),
      200,
    );
    expect(edited).toMatchObject({ phone: '+15125550177', email: 'front@editme.example', status: 'CONTACTED', website: null });
    const problem = await expectJson<{ errors: { field: string }[] }>(await owner.request('PATCH', `/api/leads/leads/${lead.id}`, { status: 'CONVERTED' }), 422);
    expect(problem.errors.map((e) => e.field)).toEqual(['body.status']);
    expect((await owner.request('PATCH', `/api/leads/leads/${lead.id}`, { phone: 'not a phone' })).status).toBe(422);
    expect(await expectJson(await owner.request('PATCH', `/api/leads/leads/${lead.id}`, {}), 200)).toMatchObject({ status: 'CONTACTED' });
  });

  it("changes statuses in bulk, leaving converted leads and other tenants' leads alone", async () => {
    const mine = await Promise.all([1, 2, 3].map((i) => makeLead(owner.userId, `Bulk ${i}`)));
    const converted = await makeLead(owner.userId, 'Bulk converted', { status: 'CONVERTED' });
    const theirs = await makeLead(other.userId, 'Not yours');
    const ids = [...mine.map((l) => l.id), converted.id, theirs.id];
    expect(await expectJson(await owner.request('POST', '/api/leads/leads/status', { ids, status: 'REJECTED' }), 200)).toEqual({ updated: 3 });
    const after = await db.lead.findMany({ where: { id: { in: ids } } });
    expect(Object.fromEntries(after.map((l) => [l.businessName, l.status]))).toEqual({
      'Bulk 1': 'REJECTED',
      'Bulk 2': 'REJECTED',
      'Bulk 3': 'REJECTED',
      'Bulk converted': 'CONVERTED',
      'Not yours': 'NEW',
    });
    expect((await owner.request('POST', '/api/leads/leads/status', { ids, status: 'CONVERTED' })).status).toBe(422);
    expect((await owner.request('POST', '/api/leads/leads/status', { ids: [], status: 'NEW' })).status).toBe(422);
  });
});

// ---- Conversion ----

describe('conversion', () => {
  async function leadWithNotes(name: string) {
    const lead = await makeLead(owner.userId, name, { email: 'hello@practice.example' });
    await db.note.createMany({
      data: [
        { userId: owner.userId, leadId: lead.id, content: 'Called, call back Tuesday' },
        { userId: owner.userId, leadId: lead.id, content: 'Interested in whitening' },
      ],
    });
    return lead;
  }

  it('creates a contact from the lead, links its notes and marks it CONVERTED', async () => {
    const lead = await leadWithNotes('Smile Studio');
    const result = await expectJson<{ contact: { id: string }; deal: null; lead: Lead }>(await owner.request('POST', `/api/leads/leads/${lead.id}/convert`, {}), 200);
    expect(result.deal).toBeNull();
    expect(result.lead.status).toBe('CONVERTED');
    const contact = await db.contact.findUniqueOrThrow({ where: { id: result.contact.id } });
    expect(contact).toMatchObject({
      userId: owner.userId,
      firstName: 'Smile Studio',
      lastName: null,
      company: 'Smile Studio',
      phone: '+15125550101',
      email: 'hello@practice.example',
      source: 'lead_conversion',
    });
    const notes = await db.note.findMany({ where: { leadId: lead.id } });
    expect(notes).toHaveLength(2);
    expect(notes.every((n) => n.contactId === contact.id)).toBe(true);

    const deadline = Date.now() + 10_000;
    while (!created.some((e) => e.payload.contactId === contact.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(created.find((e) => e.payload.contactId === contact.id)).toMatchObject({
      type: 'core.contact_created',
      tenantId: owner.userId,
      payload: { contactId: contact.id, source: 'lead_conversion' },
    });

    // Once converted, always converted.
    expect((await owner.request('POST', `/api/leads/leads/${lead.id}/convert`, {})).status).toBe(409);
    expect((await owner.request('PATCH', `/api/leads/leads/${lead.id}`, { status: 'NEW' })).status).toBe(409);
    expect(await db.contact.count({ where: { userId: owner.userId, company: 'Smile Studio' } })).toBe(1);

    // Deleting the converted lead leaves the contact its notes.
    expect((await owner.request('DELETE', `/api/leads/leads/${lead.id}`)).status).toBe(204);
    expect(await db.note.count({ where: { contactId: contact.id } })).toBe(2);
  });

  it('creates a deal with the contact as its primary contact when asked', async () => {
    const lead = await leadWithNotes('Bright Teeth');
    const result = await expectJson<{ contact: { id: string }; deal: { id: string; title: string; value: string; currency: string; stage: string } }>(
      await owner.request('POST', `/api/leads/leads/${lead.id}/convert`, {
        firstName: 'Dana',
        lastName: 'Reyes',
        email: 'Dana@BrightTeeth.example',
        deal: { value: '2500.50', currency: 'usd', stage: 'QUALIFIED' },
      }),
      200,
    );
    expect(result.deal).toMatchObject({ title: 'Bright Teeth', currency: 'USD', stage: 'QUALIFIED' });
    expect(Number(result.deal.value)).toBe(2500.5);
    expect(await db.contact.findUniqueOrThrow({ where: { id: result.contact.id } })).toMatchObject({
      firstName: 'Dana',
      lastName: 'Reyes',
      email: 'dana@brightteeth.example',
      company: 'Bright Teeth',
    });
    expect(await db.dealContact.findMany({ where: { dealId: result.deal.id } })).toEqual([{ userId: owner.userId, dealId: result.deal.id, contactId: result.contact.id, isPrimary: true }]);
  });

  it('refuses a bad email with 422 and changes nothing', async () => {
    const lead = await leadWithNotes('Bad Email Dental');
    const problem = await expectJson<{ errors: { field: string }[] }>(await owner.request('POST', `/api/leads/leads/${lead.id}/convert`, { email: 'not-an-email' }), 422);
    expect(problem.errors.map((e) => e.field)).toEqual(['body.email']);
    // The CRM checks the deal by its own rules and names the field the body sent.
    const badDeal = await expectJson<{ errors: { field: string }[] }>(await owner.request('POST', `/api/leads/leads/${lead.id}/convert`, { deal: { value: '-5', currency: 'XXQ' } }), 422);
    expect(badDeal.errors.map((e) => e.field).sort()).toEqual(['body.deal.currency', 'body.deal.value']);
    expect(await db.contact.count({ where: { userId: owner.userId, company: 'Bad Email Dental' } })).toBe(0);
    expect(await db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ status: 'NEW' });
  });

  it('rolls everything back when a later step fails', async () => {
    const lead = await leadWithNotes('Rollback Dental');
    // The deal insert fails after the contact, its event and nothing else exist.
    await db.$executeRawUnsafe(`create function refuse_deal() returns trigger language plpgsql as $$
      begin if new.title = 'boom' then raise exception 'refused by test'; end if; return new; end $$`);
    await db.$executeRawUnsafe(`create trigger refuse_deal before insert on "Deal" for each row execute function refuse_deal()`);
    try {
      const before = created.length;
      const res = await owner.request('POST', `/api/leads/leads/${lead.id}/convert`, { deal: { title: 'boom' } });
      expect(res.status).toBe(500);
      expect(await db.contact.count({ where: { userId: owner.userId, company: 'Rollback Dental' } })).toBe(0);
      expect(await db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ status: 'NEW' });
      expect(await db.note.count({ where: { leadId: lead.id, contactId: { not: null } } })).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(created.length).toBe(before);
    } finally {
      await db.$executeRawUnsafe('drop trigger refuse_deal on "Deal"');
      await db.$executeRawUnsafe('drop function refuse_deal()');
    }
  });
});

// ---- Isolation ----

describe('tenant isolation', () => {
  it("answers 404 for another tenant's lead and leaves it untouched", async () => {
    const lead = await makeLead(owner.userId, 'Private Practice');
    await db.note.create({ data: { userId: owner.userId, leadId: lead.id, content: 'secret' } });
    expect((await other.request('GET', `/api/leads/leads/${lead.id}`)).status).toBe(404);
    expect((await other.request('PATCH', `/api/leads/leads/${lead.id}`, { status: 'REJECTED' })).status).toBe(404);
    expect((await other.request('PATCH', `/api/leads/leads/${lead.id}`, { phone: '512 555 0100' })).status).toBe(404);
    expect((await other.request('POST', `/api/leads/leads/${lead.id}/convert`, {})).status).toBe(404);
    expect((await other.request('DELETE', `/api/leads/leads/${lead.id}`)).status).toBe(404);
    const list = await expectJson<{ items: Lead[] }>(await other.request('GET', '/api/leads/leads?q=Private'), 200);
    expect(list.items).toEqual([]);
    expect(await db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ status: 'NEW', phone: '+15125550101' });
    expect(await db.note.count({ where: { leadId: lead.id } })).toBe(1);
    expect(await db.contact.count({ where: { userId: other.userId } })).toBe(0);
    expect(await expectJson<Lead>(await owner.request('GET', `/api/leads/leads/${lead.id}`), 200)).toMatchObject({ id: lead.id });
  });
});
