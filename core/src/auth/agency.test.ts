// Agencies and their client sub-accounts, and installation admins, end to end through a
// real server and database.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enabledPluginNames, importPlugins } from '../plugin-host.ts';
import { signedInUser, startTestSoshogle, type TestClient } from '../testing/index.ts';

// The roll-up's counts come from the plugins owning the records: enabled as they are by default.
const soshogle = await startTestSoshogle(await importPlugins(enabledPluginNames(undefined)));
const db = soshogle.db;
const admin = await signedInUser(soshogle, { role: 'ADMIN' });

let counter = 0;
const newEmail = (tag: string) => `${tag}-${++counter}-${Math.random().toString(36).slice(2, 8)}@example.test`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

interface ProblemBody {
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

interface PublicUser {
  id: string;
  email: string;
  role: string;
  agencyId: string | null;
  businessName: string | null;
}

interface AuditEntry {
  id: string;
  userId: string;
  actorId: string | null;
  action: string;
  details: Record<string, unknown> | null;
}

async function problem(res: Response, status: number): Promise<ProblemBody> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as ProblemBody;
}

async function json<T>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

const newAgency = () => signedInUser(soshogle, { role: 'AGENCY' });

async function createSubAccount(agency: TestClient, businessName = 'Client Co'): Promise<PublicUser> {
  const res = await agency.request('POST', '/api/agency/sub-accounts', { email: newEmail('client'), businessName });
  return (await json<{ subAccount: PublicUser }>(res, 201)).subAccount;
}

const switchInto = (agency: TestClient, subAccountId: string) => agency.request('POST', '/api/agency/switch', { subAccountId });
const switchBack = (agency: TestClient) => agency.request('POST', '/api/agency/switch-back');
const session = async (client: TestClient) =>
  json<{ user: PublicUser; via: string; actingAs: PublicUser | null }>(await client.request('GET', '/api/auth/session'));
const auditLog = async (client: TestClient) => (await json<{ items: AuditEntry[] }>(await client.request('GET', '/api/audit-log?limit=200'))).items;
const apiKeys = async (client: TestClient) => (await json<{ items: { id: string }[] }>(await client.request('GET', '/api/api-keys'))).items;
const createKey = async (client: TestClient, name = 'integration') =>
  json<{ id: string; key: string }>(await client.request('POST', '/api/api-keys', { name, scope: 'WRITE' }), 201);
const withKey = (key: string, path: string) => fetch(`${soshogle.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

describe('sub-accounts', () => {
  it('an agency creates a client sub-account whose owner is invited by email', async () => {
    const agency = await newAgency();
    const email = newEmail('dental');
    const res = await agency.request('POST', '/api/agency/sub-accounts', { email: email.toUpperCase(), name: 'Dr. Bea', businessName: 'Bea Dental' });
    const { subAccount } = await json<{ subAccount: PublicUser }>(res, 201);
    expect(subAccount).toMatchObject({ email, role: 'SUB_ACCOUNT', agencyId: agency.userId, businessName: 'Bea Dental' });
    expect(subAccount).not.toHaveProperty('password');
    const row = await db.user.findUniqueOrThrow({ where: { id: subAccount.id } });
    expect(row).toMatchObject({ role: 'SUB_ACCOUNT', agencyId: agency.userId, password: null, emailVerified: null, name: 'Dr. Bea' });

    const invites = await db.systemEmail.findMany({ where: { to: email } });
    expect(invites.map((e) => e.purpose)).toEqual(['invite']);
    expect(invites[0]!.subject).toContain('Bea Dental');
    const link = /(\S+)\/reset-password\?token=([^\s&]+)/.exec(invites[0]!.text);
    expect(link, invites[0]!.text).not.toBeNull();
    expect(link![1]).toMatch(/^https?:\/\/[^/]+$/);

    const agencyLog = await db.auditLog.findMany({ where: { userId: agency.userId, action: 'agency.sub_account_created' } });
    expect(agencyLog.map((e) => e.details)).toEqual([{ subAccountId: subAccount.id }]);
    const subLog = await db.auditLog.findMany({ where: { userId: subAccount.id } });
    expect(subLog.map((e) => [e.action, e.actorId])).toEqual([['agency.sub_account_created', agency.userId]]);

    // Before the owner arrives, the agency sets up an integration for it.
    expect((await switchInto(agency, subAccount.id)).status).toBe(200);
    const key = await createKey(agency, 'set up by the agency');
    expect((await switchBack(agency)).status).toBe(200);

    // The invite link sets the owner's password; the agency's key keeps working.
    const password = 'the client chose this one';
    const set = await fetch(`${soshogle.url}/api/auth/password-reset/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: decodeURIComponent(link![2]!), password }),
    });
    expect(set.status).toBe(200);
    const login = await fetch(`${soshogle.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ user: { id: subAccount.id, role: 'SUB_ACCOUNT' } });
    expect((await withKey(key.key, '/api/auth/session')).status).toBe(200);

    // The same email again is a conflict, and creates nothing.
    await problem(await agency.request('POST', '/api/agency/sub-accounts', { email, businessName: 'Again' }), 409);
    expect(await db.user.count({ where: { agencyId: agency.userId } })).toBe(1);
  });

  it('a USER cannot call agency routes', async () => {
    const user = await signedInUser(soshogle);
    const target = await db.user.create({ data: { email: newEmail('target'), role: 'SUB_ACCOUNT' } });
    await problem(await user.request('GET', '/api/agency/sub-accounts'), 403);
    await problem(await user.request('POST', '/api/agency/sub-accounts', { email: newEmail('nope'), businessName: 'Nope' }), 403);
    await problem(await switchInto(user, target.id), 403);
    await problem(await switchBack(user), 403);
    expect(await db.user.count({ where: { agencyId: user.userId } })).toBe(0);
    expect((await session(user)).actingAs).toBeNull();
  });

  it('lists its sub-accounts with roll-up counts and totals of their data', async () => {
    const agency = await newAgency();
    const first = await createSubAccount(agency, 'First Client');
    const second = await createSubAccount(agency, 'Second Client');
    await db.contact.createMany({ data: ['Ann', 'Ben', 'Cy'].map((firstName) => ({ userId: first.id, firstName })) });
    await db.campaign.create({ data: { userId: second.id, name: 'Spring', type: 'EMAIL', message: 'Hi' } });
    await db.contact.create({ data: { userId: second.id, firstName: 'Dee' } });
    await db.deal.createMany({ data: [{ userId: first.id, title: 'Implants', value: '1200.50' }, { userId: first.id, title: 'Braces' }] });
    await db.workflow.create({ data: { userId: second.id, name: 'Welcome', trigger: 'CONTACT_CREATED', triggerKey: 'core.contact_created', actions: [] } });
    // The agency's own data and another agency's clients do not count.
    await db.contact.create({ data: { userId: agency.userId, firstName: 'Own' } });
    const stranger = await db.user.create({ data: { email: newEmail('other-agency'), role: 'AGENCY' } });
    const strangersClient = await db.user.create({ data: { email: newEmail('other-client'), role: 'SUB_ACCOUNT', agencyId: stranger.id } });
    await db.contact.create({ data: { userId: strangersClient.id, firstName: 'Theirs' } });

    const list = await json<{ items: (PublicUser & { counts: Record<string, number> })[]; totals: Record<string, number> }>(
      await agency.request('GET', '/api/agency/sub-accounts'),
    );
    expect(list.items.map((s) => [s.id, s.businessName, s.counts])).toEqual([
      [first.id, 'First Client', { contacts: 3, deals: 2, campaigns: 0, workflows: 0, messages: 0 }],
      [second.id, 'Second Client', { contacts: 1, deals: 0, campaigns: 1, workflows: 1, messages: 0 }],
    ]);
    expect(list.totals).toEqual({ contacts: 4, deals: 2, campaigns: 1, workflows: 1, messages: 0 });
  });
});

describe('acting in a sub-account', () => {
  it('switching in makes the sub-account the tenant, and every change lands in its audit log', async () => {
    const agency = await newAgency();
    const sub = await createSubAccount(agency);
    const res = await switchInto(agency, sub.id);
    expect(await json(res)).toMatchObject({ actingAs: { id: sub.id, role: 'SUB_ACCOUNT' } });
    expect(await session(agency)).toMatchObject({ user: { id: agency.userId, role: 'AGENCY' }, actingAs: { id: sub.id } });

    const key = await createKey(agency, 'made while acting');
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.userId).toBe(sub.id);
    expect(row.keyHash).toBe(sha256(key.key));
    expect(await json(await withKey(key.key, '/api/auth/session'))).toMatchObject({ user: { id: sub.id, role: 'SUB_ACCOUNT' }, actingAs: null });
    expect((await apiKeys(agency)).map((k) => k.id)).toEqual([key.id]);

    const log = await auditLog(agency);
    expect(log.every((e) => e.userId === sub.id)).toBe(true);
    const byAction = (action: string) => log.filter((e) => e.action === action);
    expect(byAction('agency.switch').map((e) => e.actorId)).toEqual([agency.userId]);
    expect(byAction('api_key.created').map((e) => [e.actorId, e.details?.keyId])).toEqual([[agency.userId, key.id]]);
    expect(byAction('agency.acted').map((e) => [e.actorId, e.details])).toEqual([[agency.userId, { method: 'POST', path: '/api/api-keys', status: 201 }]]);

    const own = await db.auditLog.findMany({ where: { userId: agency.userId, action: 'agency.switch' } });
    expect(own.map((e) => e.details)).toEqual([{ subAccountId: sub.id }]);
    // The agency's own keys are untouched.
    expect(await db.apiKey.count({ where: { userId: agency.userId } })).toBe(0);
  });

  it("switching into another agency's sub-account answers 404, like an id that does not exist", async () => {
    const agency = await newAgency();
    const stranger = await db.user.create({ data: { email: newEmail('other-agency'), role: 'AGENCY' } });
    const strangersClient = await db.user.create({ data: { email: newEmail('other-client'), role: 'SUB_ACCOUNT', agencyId: stranger.id } });
    const plainUser = await db.user.create({ data: { email: newEmail('plain') } });

    const foreign = await problem(await switchInto(agency, strangersClient.id), 404);
    const missing = await problem(await switchInto(agency, 'cnosuchaccount000000000000'), 404);
    expect({ title: foreign.title, detail: foreign.detail }).toEqual({ title: missing.title, detail: missing.detail });
    await problem(await switchInto(agency, plainUser.id), 404);
    await problem(await switchInto(agency, stranger.id), 404);

    expect((await session(agency)).actingAs).toBeNull();
    expect(await db.session.count({ where: { userId: agency.userId, actingAsId: { not: null } } })).toBe(0);
    expect(await db.auditLog.count({ where: { userId: strangersClient.id } })).toBe(0);
  });

  it('switching back restores the agency account', async () => {
    const agency = await newAgency();
    const sub = await createSubAccount(agency);
    expect((await switchInto(agency, sub.id)).status).toBe(200);
    const back = await switchBack(agency);
    expect(await json(back)).toEqual({ actingAs: null });
    expect(await session(agency)).toMatchObject({ user: { id: agency.userId }, actingAs: null });

    const key = await createKey(agency, 'own key');
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).userId).toBe(agency.userId);
    expect((await auditLog(agency)).every((e) => e.userId === agency.userId)).toBe(true);
    const subLog = await db.auditLog.findMany({ where: { userId: sub.id, action: 'agency.switch_back' } });
    expect(subLog.map((e) => e.actorId)).toEqual([agency.userId]);
    // Nothing the agency did after switching back is in the sub-account's log.
    expect(await db.auditLog.count({ where: { userId: sub.id, action: 'api_key.created' } })).toBe(0);
  });

  it('acting ends when the sub-account stops being the agency\'s, or the agency stops being one', async () => {
    const agency = await newAgency();
    const moved = await createSubAccount(agency, 'Moving Client');
    const kept = await createSubAccount(agency, 'Kept Client');
    const otherAgency = await db.user.create({ data: { email: newEmail('new-agency'), role: 'AGENCY' } });
    const movedKey = await db.apiKey.create({ data: { userId: moved.id, name: 'theirs', prefix: 'sk_moved', keyHash: sha256('moved'), scope: 'READ' } });

    expect((await switchInto(agency, moved.id)).status).toBe(200);
    const toOther = await admin.request('PATCH', `/api/admin/users/${moved.id}/role`, { role: 'SUB_ACCOUNT', agencyId: otherAgency.id });
    expect(toOther.status).toBe(200);
    expect((await session(agency)).actingAs).toBeNull();
    expect((await apiKeys(agency)).map((k) => k.id)).not.toContain(movedKey.id);
    const key = await createKey(agency, 'after the move');
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).userId).toBe(agency.userId);

    expect((await switchInto(agency, kept.id)).status).toBe(200);
    expect((await admin.request('PATCH', `/api/admin/users/${agency.userId}/role`, { role: 'USER' })).status).toBe(200);
    expect(await session(agency)).toMatchObject({ user: { role: 'USER' }, actingAs: null });
    const onboarding = await json<{ profile: { businessName: string | null } }>(await agency.request('GET', '/api/onboarding'));
    expect(onboarding.profile.businessName).toBeNull();
    expect(await db.auditLog.count({ where: { userId: kept.id, action: 'agency.acted' } })).toBe(0);
  });
});

describe('a sub-account user', () => {
  it("cannot read its agency's audit log or API keys, nor use agency routes", async () => {
    const agency = await newAgency();
    const agencyKey = await createKey(agency, 'agency key');
    const agencyEntries = await auditLog(agency);
    expect(agencyEntries.length).toBeGreaterThan(0);
    const client = await signedInUser(soshogle, { role: 'SUB_ACCOUNT', agencyId: agency.userId });

    const log = await auditLog(client);
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((e) => e.userId === client.userId)).toBe(true);
    expect(log.map((e) => e.id)).not.toEqual(expect.arrayContaining([agencyEntries[0]!.id]));
    await problem(await client.request('GET', `/api/audit-log?cursor=${agencyEntries[0]!.id}`), 422);

    expect(await apiKeys(client)).toEqual([]);
    await problem(await client.request('DELETE', `/api/api-keys/${agencyKey.id}`), 404);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: agencyKey.id } })).revokedAt).toBeNull();

    await problem(await client.request('GET', '/api/agency/sub-accounts'), 403);
    await problem(await client.request('POST', '/api/agency/sub-accounts', { email: newEmail('nested'), businessName: 'Nested' }), 403);
    await problem(await switchInto(client, client.userId), 403);
    await problem(await client.request('GET', '/api/admin/users'), 403);
  });
});

describe('admins', () => {
  it("an admin changes a user's role, audited with the admin as the actor", async () => {
    const target = await db.user.create({ data: { email: newEmail('promote') } });
    const res = await admin.request('PATCH', `/api/admin/users/${target.id}/role`, { role: 'AGENCY' });
    expect(await json(res)).toMatchObject({ user: { id: target.id, role: 'AGENCY', agencyId: null } });
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe('AGENCY');
    const entries = await db.auditLog.findMany({ where: { userId: target.id } });
    expect(entries.map((e) => [e.action, e.actorId, e.details])).toEqual([['user.role_changed', admin.userId, { from: 'USER', to: 'AGENCY' }]]);

    const agencies = await json<{ items: PublicUser[]; nextCursor: string | null }>(await admin.request('GET', '/api/admin/users?role=AGENCY'));
    expect(agencies.items.map((u) => u.id)).toContain(target.id);
    expect(agencies.items.every((u) => u.role === 'AGENCY')).toBe(true);
    expect(agencies.nextCursor).toBeNull();
    await problem(await admin.request('PATCH', '/api/admin/users/cnosuchuser00000000000000/role', { role: 'USER' }), 404);
  });

  it('only admins may change roles', async () => {
    const target = await db.user.create({ data: { email: newEmail('stay') } });
    const agency = await newAgency();
    const user = await signedInUser(soshogle);
    for (const caller of [agency, user]) {
      await problem(await caller.request('PATCH', `/api/admin/users/${target.id}/role`, { role: 'ADMIN' }), 403);
      await problem(await caller.request('PATCH', `/api/admin/users/${caller.userId}/role`, { role: 'ADMIN' }), 403);
      await problem(await caller.request('GET', '/api/admin/users'), 403);
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe('USER');
    expect((await db.user.findUniqueOrThrow({ where: { id: user.userId } })).role).toBe('USER');
    expect(await db.auditLog.count({ where: { action: 'user.role_changed', userId: { in: [target.id, agency.userId, user.userId] } } })).toBe(0);
  });

  it('a SUB_ACCOUNT needs an agency: 422 naming body.agencyId', async () => {
    const target = await db.user.create({ data: { email: newEmail('client-to-be') } });
    const notAnAgency = await db.user.create({ data: { email: newEmail('not-agency') } });
    const agency = await db.user.create({ data: { email: newEmail('real-agency'), role: 'AGENCY' } });
    const path = `/api/admin/users/${target.id}/role`;
    for (const body of [{ role: 'SUB_ACCOUNT' }, { role: 'SUB_ACCOUNT', agencyId: notAnAgency.id }, { role: 'SUB_ACCOUNT', agencyId: 'cnosuchagency0000000000000' }]) {
      const p = await problem(await admin.request('PATCH', path, body), 422);
      expect(p.errors?.map((e) => e.field)).toEqual(['body.agencyId']);
      expect(p.detail).toContain('body.agencyId');
    }
    expect(await db.user.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ role: 'USER', agencyId: null });

    const ok = await admin.request('PATCH', path, { role: 'SUB_ACCOUNT', agencyId: agency.id });
    expect(await json(ok)).toMatchObject({ user: { role: 'SUB_ACCOUNT', agencyId: agency.id } });
  });
});
