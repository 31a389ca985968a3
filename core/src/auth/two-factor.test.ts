// Two-factor sign-in end to end, through a real server and database: setting it up and
// confirming it, log-in with a code or a recovery code, replayed and wrong codes, the rate
// limit, regenerating recovery codes, removing it, and the requirement an agency or an
// admin sets. Codes are computed from the secret the setup answers, as an app would.
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { isEncrypted } from '../secrets.ts';
import { signedInUser, startTestSoshogle, type TestClient } from '../testing/index.ts';
import { totpCode, totpStep } from './totp.ts';

const soshogle = await startTestSoshogle([]);
const db = soshogle.db;
const password = 'correct horse battery staple';

interface ProblemBody {
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  twoFactorSetupRequired?: boolean;
}

async function json<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

async function problem(res: Response, status: number): Promise<ProblemBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return JSON.parse(text) as ProblemBody;
}

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!).filter((c) => !c.endsWith('='));

function post(path: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(`${soshogle.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

/** A code for a time step not used yet: now's, or (when now's was used) the next one, which the window accepts. */
async function nextCode(userId: string, secret: string): Promise<string> {
  const { twoFactorLastStep } = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { twoFactorLastStep: true } });
  const now = totpStep();
  if (twoFactorLastStep === null || twoFactorLastStep < now) return totpCode(secret);
  if (twoFactorLastStep === now) return totpCode(secret, Date.now() + 30_000);
  // Both used in this test: as if a minute had passed (the replay check itself is tested below).
  await db.user.update({ where: { id: userId }, data: { twoFactorLastStep: null } });
  return totpCode(secret);
}

// Every request of this file comes from one address: its per-address counts start afresh
// for each test (the per-address limit has a test of its own).
beforeEach(async () => {
  await db.rateLimit.deleteMany({ where: { OR: [{ key: { startsWith: 'login:ip:' } }, { key: { startsWith: '2fa:ip:' } }] } });
});

const actions = async (userId: string) => (await db.auditLog.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } })).map((a) => a.action);

/** A user with two-factor sign-in on: the secret and recovery codes, and its still-open session. */
async function withTwoFactor(options: { role?: 'USER' | 'AGENCY' | 'SUB_ACCOUNT'; agencyId?: string } = {}) {
  const client = await signedInUser(soshogle, options);
  const { secret } = await json<{ secret: string }>(await client.request('POST', '/api/auth/two-factor/setup'));
  const { recoveryCodes } = await json<{ recoveryCodes: string[] }>(
    await client.request('POST', '/api/auth/two-factor/confirm', { code: await nextCode(client.userId, secret) }),
  );
  return { client, secret, recoveryCodes };
}

/** The password step of a log-in with two-factor sign-in on: the pending cookie. */
async function passwordStep(email: string): Promise<string> {
  const res = await post('/api/auth/login', { email, password });
  const body = await json<{ secondFactor: string; expiresAt: string; user?: unknown }>(res);
  expect(body.secondFactor).toBe('totp');
  expect(body.user).toBeUndefined();
  const cookies = cookiesOf(res);
  expect(cookies.some((c) => c.startsWith('soshogle_session='))).toBe(false);
  const pending = cookies.find((c) => c.startsWith('soshogle_2fa='));
  expect(pending).toBeDefined();
  return pending!;
}

describe('setting up two-factor sign-in', () => {
  it('gives a secret and its otpauth URI, keeps the secret encrypted, and turns on only with a right first code', async () => {
    const client = await signedInUser(soshogle);
    const setup = await json<{ secret: string; otpauthUri: string }>(await client.request('POST', '/api/auth/two-factor/setup'));
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUri).toMatch(new RegExp(`^otpauth://totp/Soshogle:.+\\?secret=${setup.secret}&issuer=Soshogle&algorithm=SHA1&digits=6&period=30$`));
    const row = await db.user.findUniqueOrThrow({ where: { id: client.userId } });
    expect(isEncrypted(row.twoFactorSecret)).toBe(true);
    expect(row.twoFactorSecret).not.toContain(setup.secret);
    expect(row.twoFactorEnabledAt).toBeNull();
    expect(await json(await client.request('GET', '/api/auth/two-factor'))).toMatchObject({ enabled: false, recoveryCodesLeft: 0, required: false });

    const wrong = await problem(await client.request('POST', '/api/auth/two-factor/confirm', { code: '000000' === totpCode(setup.secret) ? '111111' : '000000' }), 422);
    expect(wrong.errors?.map((e) => e.field)).toEqual(['body.code']);

    const { recoveryCodes } = await json<{ recoveryCodes: string[] }>(await client.request('POST', '/api/auth/two-factor/confirm', { code: totpCode(setup.secret) }));
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const enabled = await db.user.findUniqueOrThrow({ where: { id: client.userId } });
    expect(enabled.twoFactorEnabledAt).not.toBeNull();
    // Stored hashed: none of the codes is in the row.
    expect(JSON.stringify(enabled.twoFactorRecoveryCodes)).not.toContain(recoveryCodes[0]!.replaceAll('-', ''));
    expect(await json(await client.request('GET', '/api/auth/two-factor'))).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    // Shown once: setting up or confirming again is refused while it is on.
    await problem(await client.request('POST', '/api/auth/two-factor/confirm', { code: totpCode(setup.secret) }), 409);
    await problem(await client.request('POST', '/api/auth/two-factor/setup'), 409);
    expect(await actions(client.userId)).toEqual(['auth.login', 'two_factor.failed', 'two_factor.enabled']);
  });

  it('is managed in a signed-in session only, not with an API key', async () => {
    const client = await signedInUser(soshogle);
    const { key } = await json<{ key: string }>(await client.request('POST', '/api/api-keys', { name: 'integration', scope: 'WRITE' }), 201);
    const res = await fetch(`${soshogle.url}/api/auth/two-factor/setup`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
    await problem(res, 403);
  });
});

describe('logging in with two-factor sign-in on', () => {
  it('asks for a code after the password, issues no session until it passes, then signs in', async () => {
    const { client, secret } = await withTwoFactor();
    const { email } = await db.user.findUniqueOrThrow({ where: { id: client.userId } });
    const pending = await passwordStep(email);
    // The pending cookie is not a session.
    await problem(await fetch(`${soshogle.url}/api/auth/session`, { headers: { cookie: pending } }), 401);

    const wrong = await problem(await post('/api/auth/two-factor/verify', { code: totpCode(secret, Date.now() - 5 * 60_000) }, pending), 422);
    expect(wrong.errors?.map((e) => e.field)).toEqual(['body.code']);

    const res = await post('/api/auth/two-factor/verify', { code: await nextCode(client.userId, secret) }, pending);
    const body = await json<{ user: { id: string }; csrfToken: string; twoFactorSetupRequired: boolean }>(res);
    expect(body.user.id).toBe(client.userId);
    expect(body.twoFactorSetupRequired).toBe(false);
    const session = cookiesOf(res).find((c) => c.startsWith('soshogle_session='))!;
    // The pending cookie is cleared.
    expect(res.headers.getSetCookie().some((c) => /^soshogle_2fa=;/.test(c))).toBe(true);
    const who = await json<{ user: { id: string; twoFactorEnabledAt: string | null } }>(await fetch(`${soshogle.url}/api/auth/session`, { headers: { cookie: session } }));
    expect(who.user.id).toBe(client.userId);
    expect(who.user.twoFactorEnabledAt).not.toBeNull();

    const log = await db.auditLog.findMany({ where: { userId: client.userId }, orderBy: { createdAt: 'asc' } });
    expect(log.map((a) => a.action).slice(-3)).toEqual(['two_factor.enabled', 'two_factor.failed', 'auth.login']);
    expect(log.at(-1)!.details).toEqual({ secondFactor: 'totp' });
  });

  it('refuses a code used before, even within its window', async () => {
    const { client, secret } = await withTwoFactor();
    const { email } = await db.user.findUniqueOrThrow({ where: { id: client.userId } });
    const code = await nextCode(client.userId, secret);
    await json(await post('/api/auth/two-factor/verify', { code }, await passwordStep(email)));
    const replay = await problem(await post('/api/auth/two-factor/verify', { code }, await passwordStep(email)), 422);
    expect(replay.errors?.map((e) => e.field)).toEqual(['body.code']);
    // Two requests with one fresh code at once: only one signs in.
    const fresh = await nextCode(client.userId, secret);
    const [a, b] = [await passwordStep(email), await passwordStep(email)];
    const statuses = (await Promise.all([post('/api/auth/two-factor/verify', { code: fresh }, a), post('/api/auth/two-factor/verify', { code: fresh }, b)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 422]);
  });

  it('takes each recovery code once, in any case and with or without dashes', async () => {
    const { client, recoveryCodes } = await withTwoFactor();
    const { email } = await db.user.findUniqueOrThrow({ where: { id: client.userId } });
    const typed = recoveryCodes[3]!.replaceAll('-', '').toUpperCase();
    const res = await post('/api/auth/two-factor/verify', { code: typed }, await passwordStep(email));
    expect((await json<{ user: { id: string } }>(res)).user.id).toBe(client.userId);
    await problem(await post('/api/auth/two-factor/verify', { code: recoveryCodes[3] }, await passwordStep(email)), 422);
    expect(await json(await client.request('GET', '/api/auth/two-factor'))).toMatchObject({ recoveryCodesLeft: 9 });
    const log = await db.auditLog.findMany({ where: { userId: client.userId }, orderBy: { createdAt: 'asc' } });
    expect(log.find((a) => a.action === 'two_factor.recovery_code_used')?.details).toEqual({ left: 9 });
    expect(log.find((a) => a.action === 'auth.login' && a.details)?.details).toEqual({ secondFactor: 'recovery_code' });
  });

  it('needs the pending sign-in: none, forged or expired answers 401', async () => {
    const { client, secret } = await withTwoFactor();
    await problem(await post('/api/auth/two-factor/verify', { code: totpCode(secret) }), 401);
    const forged = `soshogle_2fa=${client.userId}.${Date.now() + 60_000}.password.${randomBytes(32).toString('base64url')}`;
    await problem(await post('/api/auth/two-factor/verify', { code: totpCode(secret) }, forged), 401);
    const { email } = await db.user.findUniqueOrThrow({ where: { id: client.userId } });
    const pending = await passwordStep(email);
    // Another user's id under the same signature does not verify either.
    const other = await signedInUser(soshogle);
    await problem(await post('/api/auth/two-factor/verify', { code: totpCode(secret) }, pending.replace(client.userId, other.userId)), 401);
  });

  it('limits codes per account: after 10 wrong ones even the right one waits', async () => {
    const { client, secret } = await withTwoFactor();
    const { email } = await db.user.findUniqueOrThrow({ where: { id: client.userId } });
    const pending = await passwordStep(email);
    const right = await nextCode(client.userId, secret);
    const wrong = right === '123456' ? '654321' : '123456';
    for (let i = 0; i < 10; i++) await problem(await post('/api/auth/two-factor/verify', { code: wrong }, pending), 422);
    const limited = await problem(await post('/api/auth/two-factor/verify', { code: right }, pending), 429);
    expect(limited.detail).toMatch(/Too many codes/);
    expect((await actions(client.userId)).filter((a) => a === 'two_factor.failed')).toHaveLength(10);
  });

  it('limits codes per address too, whichever account they are for', async () => {
    const { client, secret } = await withTwoFactor();
    const { email } = await db.user.findUniqueOrThrow({ where: { id: client.userId } });
    const pending = await passwordStep(email);
    const windowStart = new Date(Math.floor(Date.now() / 900_000) * 900_000);
    await db.rateLimit.upsert({
      where: { key_windowStart: { key: '2fa:ip:127.0.0.1', windowStart } },
      create: { key: '2fa:ip:127.0.0.1', windowStart, count: 50 },
      update: { count: 50 },
    });
    await problem(await post('/api/auth/two-factor/verify', { code: await nextCode(client.userId, secret) }, pending), 429);
  });

  it('bad input answers 422 naming the field', async () => {
    const { client } = await withTwoFactor();
    const { email } = await db.user.findUniqueOrThrow({ where: { id: client.userId } });
    const pending = await passwordStep(email);
    const body = await problem(await post('/api/auth/two-factor/verify', { code: '' }, pending), 422);
    expect(body.errors?.map((e) => e.field)).toEqual(['body.code']);
    await problem(await post('/api/auth/two-factor/verify', { code: 12 }, pending), 422);
  });
});

describe('managing two-factor sign-in', () => {
  it('regenerates recovery codes with a code from the app; the old ones stop working', async () => {
    const { client, secret, recoveryCodes } = await withTwoFactor();
    await problem(await client.request('POST', '/api/auth/two-factor/recovery-codes', { code: recoveryCodes[0] }), 422);
    const fresh = await json<{ recoveryCodes: string[] }>(
      await client.request('POST', '/api/auth/two-factor/recovery-codes', { code: await nextCode(client.userId, secret) }),
    );
    expect(fresh.recoveryCodes).toHaveLength(10);
    const { email } = await db.user.findUniqueOrThrow({ where: { id: client.userId } });
    await problem(await post('/api/auth/two-factor/verify', { code: recoveryCodes[1] }, await passwordStep(email)), 422);
    await json(await post('/api/auth/two-factor/verify', { code: fresh.recoveryCodes[1] }, await passwordStep(email)));
    expect(await actions(client.userId)).toContain('two_factor.recovery_codes_regenerated');
  });

  it('removes it with the password (a wrong one names the field), after which log-in needs the password only', async () => {
    const { client } = await withTwoFactor();
    const wrong = await problem(await client.request('POST', '/api/auth/two-factor/disable', { password: 'not the password' }), 422);
    expect(wrong.errors?.map((e) => e.field)).toEqual(['body.password']);
    const none = await problem(await client.request('POST', '/api/auth/two-factor/disable', {}), 422);
    expect(none.errors?.map((e) => e.field)).toEqual(['body.password']);
    expect((await client.request('POST', '/api/auth/two-factor/disable', { password })).status).toBe(204);
    const row = await db.user.findUniqueOrThrow({ where: { id: client.userId } });
    expect(row).toMatchObject({ twoFactorSecret: null, twoFactorEnabledAt: null, twoFactorRecoveryCodes: [] });
    const login = await json<{ user?: { id: string }; secondFactor?: string }>(await post('/api/auth/login', { email: row.email, password }));
    expect(login.user?.id).toBe(client.userId);
    expect(await actions(client.userId)).toContain('two_factor.disabled');
  });

  it('removes it with a code from the app or a recovery code', async () => {
    const first = await withTwoFactor();
    expect((await first.client.request('POST', '/api/auth/two-factor/disable', { code: await nextCode(first.client.userId, first.secret) })).status).toBe(204);
    const second = await withTwoFactor();
    expect((await second.client.request('POST', '/api/auth/two-factor/disable', { code: second.recoveryCodes[9] })).status).toBe(204);
    expect(await json(await second.client.request('GET', '/api/auth/two-factor'))).toMatchObject({ enabled: false });
  });
});

describe('requiring two-factor sign-in', () => {
  async function subAccountOf(agencyId: string): Promise<TestClient & { email: string }> {
    return signedInUser(soshogle, { role: 'SUB_ACCOUNT', agencyId });
  }

  it("an agency's requirement sends its sub-accounts without it to set it up, and allows nothing else until they have", async () => {
    const agency = await withTwoFactor({ role: 'AGENCY' });
    const sub = await subAccountOf(agency.client.userId);
    expect((await sub.request('GET', '/api/api-keys')).status).toBe(200);

    expect(await json(await agency.client.request('PUT', '/api/agency/two-factor-requirement', { required: true }))).toEqual({ required: true });
    // The sub-account's open session is held to it at once.
    const blocked = await problem(await sub.request('GET', '/api/api-keys'), 403);
    expect(blocked.twoFactorSetupRequired).toBe(true);
    // So is a new log-in.
    const login = await json<{ twoFactorSetupRequired: boolean }>(await post('/api/auth/login', { email: sub.email, password }));
    expect(login.twoFactorSetupRequired).toBe(true);
    expect(await json(await sub.request('GET', '/api/auth/session'))).toMatchObject({ twoFactorSetupRequired: true });
    expect(await json(await sub.request('GET', '/api/auth/two-factor'))).toMatchObject({ enabled: false, required: true });

    const { secret } = await json<{ secret: string }>(await sub.request('POST', '/api/auth/two-factor/setup'));
    await json(await sub.request('POST', '/api/auth/two-factor/confirm', { code: await nextCode(sub.userId, secret) }));
    expect((await sub.request('GET', '/api/api-keys')).status).toBe(200);
    expect(await json(await sub.request('GET', '/api/auth/session'))).toMatchObject({ twoFactorSetupRequired: false });

    // Removing it while required sends it back to setting it up.
    expect((await sub.request('POST', '/api/auth/two-factor/disable', { password })).status).toBe(204);
    await problem(await sub.request('GET', '/api/api-keys'), 403);
    // Lifting the requirement frees it.
    await json(await agency.client.request('PUT', '/api/agency/two-factor-requirement', { required: false }));
    expect((await sub.request('GET', '/api/api-keys')).status).toBe(200);
    expect(await actions(agency.client.userId)).toEqual(expect.arrayContaining(['two_factor.required', 'two_factor.not_required']));
  });

  it("the agency's requirement does not reach another agency's clients, and only agencies set it", async () => {
    const agency = await withTwoFactor({ role: 'AGENCY' });
    const otherAgency = await signedInUser(soshogle, { role: 'AGENCY' });
    const otherSub = await subAccountOf(otherAgency.userId);
    await json(await agency.client.request('PUT', '/api/agency/two-factor-requirement', { required: true }));
    expect((await otherSub.request('GET', '/api/api-keys')).status).toBe(200);
    const user = await signedInUser(soshogle);
    await problem(await user.request('PUT', '/api/agency/two-factor-requirement', { required: true }), 403);
  });

  it('an admin requires it of any account', async () => {
    const admin = await signedInUser(soshogle, { role: 'ADMIN' });
    const user = await signedInUser(soshogle);
    const { user: updated } = await json<{ user: { twoFactorRequired: boolean } }>(
      await admin.request('PUT', `/api/admin/users/${user.userId}/two-factor-requirement`, { required: true }),
    );
    expect(updated.twoFactorRequired).toBe(true);
    await problem(await user.request('GET', '/api/api-keys'), 403);
    expect((await user.request('GET', '/api/auth/two-factor')).status).toBe(200);
    const log = await db.auditLog.findMany({ where: { userId: user.userId, action: 'two_factor.required' } });
    expect(log.map((a) => a.actorId)).toEqual([admin.userId]);
    await problem(await admin.request('PUT', '/api/admin/users/nope/two-factor-requirement', { required: true }), 404);
  });
});
