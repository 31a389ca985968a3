// Provider connections: credentials saved through the API are encrypted at rest, shown
// back masked, readable by their plugin through ctx.credentials only, per tenant.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineConnection, definePlugin, defineRoute } from './plugin.ts';
import { signedInUser, startTestSoshogle } from './testing/index.ts';

const sms = definePlugin({
  name: 'smsco',
  displayName: 'SMS Co',
  description: 'A plugin with a provider connection',
  connections: [
    defineConnection({
      provider: 'smsco',
      displayName: 'SMS Co account',
      description: 'Sends texts',
      credentials: z.object({ accountId: z.string().min(4), authToken: z.string().min(16) }),
      visible: ['accountId'],
    }),
  ],
  routes: [
    defineRoute({
      method: 'GET',
      path: '/mode',
      summary: 'What the plugin sees',
      handler: async ({ credentials }) => ({ credentials: await credentials.get('smsco') }),
    }),
    defineRoute({
      method: 'GET',
      path: '/raw',
      summary: 'Tries to read the stored rows directly',
      handler: async ({ db }) => (db as unknown as { providerConnection: { findMany(): Promise<unknown> } }).providerConnection.findMany(),
    }),
  ],
});

const soshogle = await startTestSoshogle([sms]);
const token = 'tok_0123456789abcdef';

describe('provider connections', () => {
  it('lists every declared provider in sandbox mode until credentials are saved', async () => {
    const user = await signedInUser(soshogle);
    const res = await user.request('GET', '/api/connections');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ plugin: 'smsco', provider: 'smsco', mode: 'sandbox', credentials: null, schema: expect.objectContaining({ type: 'object' }) }),
    ]);
    expect(await (await user.request('GET', '/api/smsco/mode')).json()).toEqual({ credentials: null });
  });

  it('saves credentials encrypted, shows secrets masked, and gives them to the plugin of that tenant only', async () => {
    const user = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    const saved = await user.request('PUT', '/api/connections/smsco/smsco', { credentials: { accountId: 'AC1234', authToken: token } });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ plugin: 'smsco', provider: 'smsco', mode: 'live', credentials: { accountId: 'AC1234', authToken: '••••cdef' } });
    const row = await soshogle.db.providerConnection.findFirstOrThrow({ where: { userId: user.userId } });
    expect(row.credentials).not.toContain(token);
    expect(row.credentials).not.toContain('AC1234');
    expect(await (await user.request('GET', '/api/smsco/mode')).json()).toEqual({ credentials: { accountId: 'AC1234', authToken: token } });
    expect(await (await other.request('GET', '/api/smsco/mode')).json()).toEqual({ credentials: null });
    const listed = (await (await user.request('GET', '/api/connections')).json()) as { items: { mode: string; credentials: unknown }[] };
    expect(listed.items[0]).toMatchObject({ mode: 'live', credentials: { accountId: 'AC1234', authToken: '••••cdef' } });
    expect(JSON.stringify(listed)).not.toContain(token);
    // Plugin code cannot read the stored envelopes around ctx.credentials.
    expect((await user.request('GET', '/api/smsco/raw')).status).toBe(500);
    const audit = await soshogle.db.auditLog.findFirst({ where: { userId: user.userId, action: 'connection.saved' } });
    expect(audit?.details).toEqual({ plugin: 'smsco', provider: 'smsco' });
  });

  it('refuses credentials that do not fit the schema with 422 naming the field, and unknown providers with 404', async () => {
    const user = await signedInUser(soshogle);
    const bad = await user.request('PUT', '/api/connections/smsco/smsco', { credentials: { accountId: 'AC1234', authToken: 'short' } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['body.credentials.authToken']);
    expect((await user.request('PUT', '/api/connections/smsco/nope', { credentials: {} })).status).toBe(404);
    expect(await soshogle.db.providerConnection.count({ where: { userId: user.userId } })).toBe(0);
  });

  it('forgets credentials: back to sandbox mode; another tenant cannot remove mine', async () => {
    const user = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    await user.request('PUT', '/api/connections/smsco/smsco', { credentials: { accountId: 'AC9999', authToken: token } });
    expect((await other.request('DELETE', '/api/connections/smsco/smsco')).status).toBe(404);
    expect((await user.request('DELETE', '/api/connections/smsco/smsco')).status).toBe(204);
    expect(await (await user.request('GET', '/api/smsco/mode')).json()).toEqual({ credentials: null });
  });
});
