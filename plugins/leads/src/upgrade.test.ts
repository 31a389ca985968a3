// The data migration that made leads a plugin (prisma/migrations/*_leads_plugin), run again
// over rows in the shape the CRM left them: tenants' Places keys saved under plugin `crm`,
// and lead searches in the CRM's job table.
import { readdirSync, readFileSync } from 'node:fs';
import crm from '@soshogle/plugin-crm';
import { expectJson, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import type { LeadSearch } from '@soshogle/db';
import { describe, expect, it } from 'vitest';
import leads from './index.ts';

const migrations = new URL('../../../prisma/migrations/', import.meta.url);
const folder = readdirSync(migrations).find((name) => name.endsWith('_leads_plugin'))!;
// Statement by statement, as Prisma's engine applies it.
const statements = readFileSync(new URL(`${folder}/migration.sql`, migrations), 'utf8')
  .split(/;\s*$/m)
  .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
  .filter(Boolean);

const soshogle = await startTestSoshogle([crm, leads]);
const db = soshogle.db;
const user = await signedInUser(soshogle);

describe('the leads plugin upgrade', () => {
  it("moves a tenant's saved Places key to the leads plugin, still readable", async () => {
    const saved = await user.request('PUT', '/api/connections/leads/google_places', { credentials: { apiKey: 'AIzaSyTest-places-key-0002' } });
    expect(saved.status).toBe(200);
    // Where the CRM kept it: same row, same ciphertext.
    await db.providerConnection.updateMany({ where: { userId: user.userId }, data: { plugin: 'crm' } });
    expect(await expectJson(await user.request('GET', '/api/leads/leads/places-status'), 200)).toEqual({ mode: 'sandbox' });

    for (const sql of statements) await db.$executeRawUnsafe(sql);

    expect(await db.providerConnection.findMany({ where: { userId: user.userId }, select: { plugin: true, provider: true } })).toEqual([{ plugin: 'leads', provider: 'google_places' }]);
    // Decrypts: the encryption context names the row, not the plugin.
    expect(await expectJson(await user.request('GET', '/api/leads/leads/places-status'), 200)).toEqual({ mode: 'live' });
  });

  it('moves lead searches out of the CRM job table, failing those it can no longer run', async () => {
    const params = { query: 'dentist in Austin, TX', maxResults: 60, sandbox: true };
    const done = await db.crmJob.create({
      data: { userId: user.userId, kind: 'LEAD_SEARCH', status: 'COMPLETED', params, total: 45, processed: 45, succeeded: 45, result: { created: 45 }, finishedAt: new Date() },
    });
    const running = await db.crmJob.create({ data: { userId: user.userId, kind: 'LEAD_SEARCH', status: 'RUNNING', params, total: 60, processed: 20, succeeded: 20 } });
    const other = await db.crmJob.create({ data: { userId: user.userId, kind: 'CONTACT_IMPORT', params: {} } });

    for (const sql of statements) await db.$executeRawUnsafe(sql);

    expect(await expectJson<LeadSearch>(await user.request('GET', `/api/leads/leads/searches/${done.id}`), 200)).toMatchObject({
      status: 'COMPLETED',
      params,
      processed: 45,
      result: { created: 45 },
      error: null,
    });
    const interrupted = await expectJson<LeadSearch>(await user.request('GET', `/api/leads/leads/searches/${running.id}`), 200);
    expect(interrupted).toMatchObject({ status: 'FAILED', processed: 20, error: expect.stringContaining('Interrupted by an upgrade') });
    expect(interrupted.finishedAt).not.toBeNull();
    expect(await db.crmJob.findMany({ where: { userId: user.userId }, select: { id: true } })).toEqual([{ id: other.id }]);
  });
});
