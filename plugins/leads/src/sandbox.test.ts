// Without a Google Places key the plugin runs in sandbox mode: visible as such, offline,
// and deterministic (the same query finds the same sample places).
import { expectJson, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import type { Lead, LeadSearch } from '@soshogle/db';
import { describe, expect, it } from 'vitest';
import crm from '@soshogle/plugin-crm';
import leads from './index.ts';
import { parsePlace } from './places.ts';
import { samplePlace, sandboxResultCount } from './sandbox.ts';

// '' counts as unset, whatever the developer's environment holds.
const soshogle = await startTestSoshogle([crm, leads]);
const owner = await signedInUser(soshogle);


async function search(client: TestClient, query: string): Promise<{ started: { job: LeadSearch; sandbox: boolean }; job: LeadSearch }> {
  const started = await expectJson<{ job: LeadSearch; sandbox: boolean }>(await client.request('POST', '/api/leads/leads/searches', { query }), 202);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const job = await expectJson<LeadSearch>(await client.request('GET', `/api/leads/leads/searches/${started.job.id}`), 200);
    if (job.status === 'COMPLETED' || job.status === 'FAILED') return { started, job };
    if (Date.now() > deadline) throw new Error('search did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const leadsFor = async (client: TestClient, q: string) => {
  const leads: Lead[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Lead[]; nextCursor: string | null } = await expectJson(
      await client.request('GET', `/api/leads/leads?limit=200&q=${encodeURIComponent(q)}${cursor ? `&cursor=${cursor}` : ''}`),
      200,
    );
    leads.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return leads.sort((a, b) => a.googlePlaceId!.localeCompare(b.googlePlaceId!));
};

describe('sandbox mode', () => {
  it('says so', async () => {
    expect(await expectJson(await owner.request('GET', '/api/leads/leads/places-status'), 200)).toEqual({ mode: 'sandbox' });
  });

  it('answers a search with sample places over three pages, marked as sandbox', async () => {
    const { started, job } = await search(owner, 'dentist in Austin, TX');
    expect(started.sandbox).toBe(true);
    expect(started.job.params).toMatchObject({ query: 'dentist in Austin, TX', sandbox: true });
    expect(job).toMatchObject({ status: 'COMPLETED', processed: sandboxResultCount, succeeded: sandboxResultCount, total: sandboxResultCount });
    expect(job.result).toEqual({ sandbox: true, pages: 3, created: sandboxResultCount, updated: 0, skipped: 0, nextPageToken: null, done: true });

    const leads = await leadsFor(owner, 'Dentist');
    expect(leads).toHaveLength(sandboxResultCount);
    for (const lead of leads) {
      expect(lead).toMatchObject({ city: 'Austin', state: 'TX', country: 'US', category: 'Dentist', source: 'google_places_sandbox', status: 'NEW' });
      expect(lead.googlePlaceId).toMatch(/^sandbox_/);
      expect(lead.phone).toMatch(/^\+120155501\d\d$/);
      expect(lead.zipCode).toMatch(/^\d{5}$/);
    }
  });

  it('finds the same places for the same query, updating rather than duplicating', async () => {
    const before = await leadsFor(owner, 'Dentist');
    const { job } = await search(owner, 'dentist in Austin, TX');
    expect(job.result).toMatchObject({ created: 0, updated: sandboxResultCount });
    const after = await leadsFor(owner, 'Dentist');
    expect(after.map((l) => [l.id, l.googlePlaceId, l.businessName])).toEqual(before.map((l) => [l.id, l.googlePlaceId, l.businessName]));
  });

  it('derives different places from a different query', async () => {
    await search(owner, 'plumber in Denver, CO');
    const plumbers = await leadsFor(owner, 'Plumber');
    expect(plumbers).toHaveLength(sandboxResultCount);
    expect(plumbers[0]).toMatchObject({ city: 'Denver', state: 'CO', category: 'Plumber' });
    const dentists = new Set((await leadsFor(owner, 'Dentist')).map((l) => l.googlePlaceId));
    expect(plumbers.some((l) => dentists.has(l.googlePlaceId))).toBe(false);
  });

  it('makes sample places in the API shape that parse like real ones', () => {
    expect(samplePlace('cafe', 3)).toEqual(samplePlace('cafe', 3));
    expect(samplePlace('cafe', 3).id).not.toBe(samplePlace('cafe', 4).id);
    expect(parsePlace(samplePlace('cafe', 0), 'US')).toMatchObject({ city: 'Springfield', state: 'IL', category: 'Cafe', phone: '+12015550100' });
  });
});
