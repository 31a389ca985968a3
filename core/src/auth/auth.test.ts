// Accounts end to end, through a real server and database: sign-up, log-in, sessions,
// CSRF, rate limits, email verification, password reset, API keys, onboarding and the
// audit log. Anonymous calls use plain fetch with cookies handled by hand.
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startTestSoshogle } from '../testing/index.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

const adminEmail = 'owner@example.test';
const soshogle = await startTestSoshogle([], { ADMIN_EMAILS: adminEmail });
const db = soshogle.db;

const password = 'correct horse battery staple';
// One bcrypt hash for every user created directly in the database (each hash takes ~0.25 s).
const passwordHash = await hashPassword(password);

let counter = 0;
const newEmail = (tag = 'user') => `${tag}-${++counter}-${randomBytes(3).toString('hex')}@example.test`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

interface SendOptions {
  body?: unknown;
  cookie?: string;
  csrf?: string;
  bearer?: string;
  headers?: Record<string, string>;
}

function send(method: string, path: string, options: SendOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf) headers['x-csrf-token'] = options.csrf;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  return fetch(`${soshogle.url}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
}

/** Asserts an application/problem+json answer with `status`; returns its body. */
async function problem(res: Response, status: number): Promise<ProblemBody> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as ProblemBody;
  expect(body.status).toBe(status);
  return body;
}

/** Asserts a 422 naming exactly `fields`. */
async function expectInvalid(res: Response, fields: string[]): Promise<void> {
  const body = await problem(res, 422);
  expect(body.errors?.map((e) => e.field)).toEqual(fields);
  for (const field of fields) expect(body.detail).toContain(field);
}

function sessionCookieOf(res: Response): { token: string; header: string } {
  const header = res.headers.getSetCookie().find((c) => c.startsWith('soshogle_session='));
  expect(header, 'a soshogle_session cookie is set').toBeDefined();
  return { token: header!.split(';')[0]!.slice('soshogle_session='.length), header: header! };
}

interface Session {
  userId: string;
  token: string;
  cookie: string;
  csrf: string;
}

/** Logs in through the real route (optionally from a browser that already has a session). */
async function logIn(email: string, pw = password, from?: { cookie: string; csrf: string }): Promise<Session> {
  const res = await send('POST', '/api/auth/login', { body: { email, password: pw }, ...(from ?? {}) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { user: { id: string }; csrfToken: string };
  const { token } = sessionCookieOf(res);
  return { userId: body.user.id, token, cookie: `soshogle_session=${token}`, csrf: body.csrfToken };
}

interface Client extends Session {
  /** fetch with this session's cookie and CSRF token; a body is sent as JSON. */
  request(method: string, path: string, body?: unknown): Promise<Response>;
}

/** A user created in the database (with the shared hash) and signed in through the real route. */
async function signedIn(): Promise<Client> {
  const user = await db.user.create({ data: { email: newEmail(), password: passwordHash } });
  const s = await logIn(user.email);
  return { ...s, request: (method, path, body) => send(method, path, { cookie: s.cookie, csrf: s.csrf, ...(body === undefined ? {} : { body }) }) };
}

const whoAmI = (s: { cookie?: string; bearer?: string }) => send('GET', '/api/auth/session', s);

function newUser(data: { email?: string; emailVerified?: Date | null; password?: string | null } = {}) {
  return db.user.create({ data: { email: newEmail(), password: passwordHash, ...data } });
}

/** An API key put straight into the database (no log-in needed). */
async function seedApiKey(userId: string, scope: 'READ' | 'WRITE' = 'WRITE'): Promise<{ id: string; key: string }> {
  const key = `sk_${randomBytes(32).toString('base64url')}`;
  const row = await db.apiKey.create({ data: { userId, name: 'seeded', scope, prefix: key.slice(0, 10), keyHash: sha256(key) } });
  return { id: row.id, key };
}

const emailsTo = (to: string, purpose?: string) =>
  db.systemEmail.findMany({ where: { to, ...(purpose ? { purpose } : {}) }, orderBy: { createdAt: 'desc' } });

function tokenIn(text: string): string {
  const match = /[?&]token=([^\s&]+)/.exec(text);
  expect(match, `a token link in: ${text}`).not.toBeNull();
  return decodeURIComponent(match![1]!);
}

/** The token of the newest email of `purpose` to `to`. */
async function latestToken(to: string, purpose: string): Promise<string> {
  const [email] = await emailsTo(to, purpose);
  expect(email, `a ${purpose} email to ${to}`).toBeDefined();
  return tokenIn(email!.text);
}

const auditActions = async (userId: string) =>
  (await db.auditLog.findMany({ where: { userId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })).map((e) => e.action);

// Login limits count in fixed 15-minute windows: start a burst early enough to finish in one.
const loginWindowMs = 15 * 60_000;
async function awayFromWindowEdge(neededMs = 20_000): Promise<void> {
  const left = loginWindowMs - (Date.now() % loginWindowMs);
  if (left < neededMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
const currentLoginWindow = () => new Date(Math.floor(Date.now() / loginWindowMs) * loginWindowMs);

/** A POST whose body is streamed (Transfer-Encoding: chunked, no Content-Length). */
function chunkedPost(path: string, headers: Record<string, string>, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${soshogle.url}${path}`, { method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('sign-up', () => {
  it('answers 202 with the same body for a new and an existing email', async () => {
    const email = newEmail('signup');
    const first = await send('POST', '/api/auth/signup', { body: { email, password, name: 'Ada' } });
    expect(first.status).toBe(202);
    const again = await send('POST', '/api/auth/signup', { body: { email, password: 'another password entirely' } });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(await first.json());
    expect(again.headers.getSetCookie()).toEqual([]);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it('stores a new user with a bcrypt hash of cost 12 and emails a verification link', async () => {
    const email = newEmail('signup');
    const res = await send('POST', '/api/auth/signup', { body: { email, password, name: 'Grace' } });
    expect(res.status).toBe(202);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.password).toMatch(/^\$2b\$12\$/);
    expect(user.password).not.toContain(password);
    expect(await verifyPassword(password, user.password)).toBe(true);
    expect(user).toMatchObject({ name: 'Grace', role: 'USER', emailVerified: null });
    const emails = await emailsTo(email);
    expect(emails.map((e) => e.purpose)).toEqual(['verify_email']);
    expect(emails[0]!.sentVia).toBe('sandbox');
    // The token is in the email; only its hash is stored.
    const token = tokenIn(emails[0]!.text);
    const stored = await db.verificationToken.findMany({ where: { identifier: `verify_email:${user.id}` } });
    expect(stored.map((t) => t.token)).toEqual([sha256(token)]);
    // The sandbox outbox shows the same email.
    const outbox = (await (await fetch(`${soshogle.url}/api/dev/outbox?to=${encodeURIComponent(email)}`)).json()) as { items: { purpose: string; text: string }[] };
    expect(outbox.items.map((e) => e.purpose)).toEqual(['verify_email']);
    expect(tokenIn(outbox.items[0]!.text)).toBe(token);
    expect(await auditActions(user.id)).toEqual(['auth.signup']);
  });

  it('emails an existing account a "signup_existing" notice instead, changing nothing', async () => {
    const user = await newUser();
    const res = await send('POST', '/api/auth/signup', { body: { email: user.email.toUpperCase(), password: 'an attacker password' } });
    expect(res.status).toBe(202);
    expect((await emailsTo(user.email)).map((e) => e.purpose)).toEqual(['signup_existing']);
    expect(await db.verificationToken.count({ where: { identifier: { endsWith: user.id } } })).toBe(0);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.password).toBe(passwordHash);
  });

  it('refuses a weak password with a 422 naming body.password', async () => {
    const email = newEmail('weak');
    await expectInvalid(await send('POST', '/api/auth/signup', { body: { email, password: 'short' } }), ['body.password']);
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect(await emailsTo(email)).toEqual([]);
  });

  it('refuses an invalid email with a 422 naming body.email', async () => {
    await expectInvalid(await send('POST', '/api/auth/signup', { body: { email: 'not-an-email', password } }), ['body.email']);
    expect(await db.user.count({ where: { email: 'not-an-email' } })).toBe(0);
  });

  it('makes an ADMIN_EMAILS address an admin only once its owner confirms the email', async () => {
    // Whoever signs up first with the address must not get the admin role without the mailbox.
    const res = await send('POST', '/api/auth/signup', { body: { email: adminEmail, password } });
    expect(res.status).toBe(202);
    const user = await db.user.findUniqueOrThrow({ where: { email: adminEmail } });
    expect(user.role).toBe('USER');
    const verified = await send('POST', '/api/auth/verify-email', { body: { token: await latestToken(adminEmail, 'verify_email') } });
    expect(verified.status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe('ADMIN');
    const entry = await db.auditLog.findFirstOrThrow({ where: { userId: user.id, action: 'user.role_changed' } });
    expect(entry.details).toMatchObject({ from: 'USER', to: 'ADMIN' });
  });
});

describe('log-in', () => {
  it('starts a session: HttpOnly SameSite=Lax cookie, only a hash of it stored', async () => {
    const user = await newUser();
    const res = await send('POST', '/api/auth/login', { body: { email: user.email, password }, headers: { 'user-agent': 'auth-test/1' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: Record<string, unknown>; csrfToken: string };
    expect(body.user).toMatchObject({ id: user.id, email: user.email, role: 'USER' });
    expect(body.user).not.toHaveProperty('password');
    expect(body.csrfToken).toMatch(/^[0-9a-f]{43}$/);

    const { token, header } = sessionCookieOf(res);
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(header).toMatch(/;\s*httponly/i);
    expect(header).toMatch(/;\s*samesite=lax/i);
    expect(header).toMatch(/;\s*path=\//i);

    const sessions = await db.session.findMany({ where: { userId: user.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.sessionToken).toBe(sha256(token));
    expect(sessions[0]!.sessionToken).not.toBe(token);
    expect(sessions[0]!.userAgent).toBe('auth-test/1');
    expect(sessions[0]!.expires.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const me = await whoAmI({ cookie: `soshogle_session=${token}` });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { id: user.id }, via: 'session', csrfToken: body.csrfToken, actingAs: null });
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const user = await newUser();
    const wrong = await send('POST', '/api/auth/login', { body: { email: user.email, password: 'not the password' } });
    const unknown = await send('POST', '/api/auth/login', { body: { email: newEmail('nobody'), password } });
    const [a, b] = [await problem(wrong, 401), await problem(unknown, 401)];
    expect({ title: a.title, detail: a.detail, type: a.type }).toEqual({ title: b.title, detail: b.detail, type: b.type });
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect(unknown.headers.getSetCookie()).toEqual([]);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("records a failed log-in in the account's audit log", async () => {
    const user = await newUser();
    await problem(await send('POST', '/api/auth/login', { body: { email: user.email, password: 'guessing wrong' }, headers: { 'user-agent': 'guesser' } }), 401);
    const s = await logIn(user.email);
    const res = await send('GET', '/api/audit-log', { cookie: s.cookie });
    expect(res.status).toBe(200);
    const { items: entries } = (await res.json()) as { items: { action: string; actorId: string | null; userAgent: string | null }[] };
    expect(entries.map((e) => e.action)).toEqual(['auth.login', 'auth.login_failed']);
    expect(entries[1]).toMatchObject({ actorId: null, userAgent: 'guesser' });
  });

  it('rotates: logging in again from a signed-in browser ends the old session and issues a new token', async () => {
    const user = await newUser();
    const first = await logIn(user.email);
    const second = await logIn(user.email, password, { cookie: first.cookie, csrf: first.csrf });
    expect(second.token).not.toBe(first.token);
    expect(second.csrf).not.toBe(first.csrf);
    expect(await db.session.findUnique({ where: { sessionToken: sha256(first.token) } })).toBeNull();
    expect((await db.session.findMany({ where: { userId: user.id } })).map((s) => s.sessionToken)).toEqual([sha256(second.token)]);
    await problem(await whoAmI({ cookie: first.cookie }), 401);
    expect((await whoAmI({ cookie: second.cookie })).status).toBe(200);
  });
});

describe('rate limiting', () => {
  it('locks one account after 10 failed log-ins in the window, even for the right password', { timeout: 60_000 }, async () => {
    await awayFromWindowEdge();
    const user = await newUser();
    for (let i = 0; i < 10; i++) {
      await problem(await send('POST', '/api/auth/login', { body: { email: user.email, password: `wrong guess ${i}` } }), 401);
    }
    const locked = await send('POST', '/api/auth/login', { body: { email: user.email, password: 'wrong guess 10' } });
    const body = await problem(locked, 429);
    expect(body.title).toBe('Too Many Requests');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    const right = await send('POST', '/api/auth/login', { body: { email: user.email, password } });
    await problem(right, 429);
    expect(right.headers.get('retry-after')).not.toBeNull();
    expect(right.headers.getSetCookie()).toEqual([]);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);

    // The limit is the account's: another account logs in from the same address.
    const other = await newUser();
    await logIn(other.email);
  });

  it('limits log-in attempts per address too', { timeout: 60_000 }, async () => {
    await awayFromWindowEdge();
    // Attempts on an account that is already locked are answered without bcrypt, yet still
    // count against the address: spend the rest of the address's 50 attempts on one.
    const lockedEmail = newEmail('locked');
    await db.rateLimit.create({ data: { key: `login:account:${lockedEmail}`, windowStart: currentLoginWindow(), count: 10 } });
    const attempt = (email: string, pw = 'wrong password') => send('POST', '/api/auth/login', { body: { email, password: pw } });
    try {
      await problem(await attempt(lockedEmail), 429);
      const ipRows = await db.rateLimit.findMany({ where: { key: { startsWith: 'login:ip:' }, windowStart: currentLoginWindow() } });
      expect(ipRows).toHaveLength(1);
      for (let used = ipRows[0]!.count; used < 50; used++) await problem(await attempt(lockedEmail), 429);

      const user = await newUser();
      const res = await attempt(user.email, password);
      await problem(res, 429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      // Refused on the address alone: the account's own counter was never touched.
      expect(await db.rateLimit.count({ where: { key: `login:account:${user.email}` } })).toBe(0);
      expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    } finally {
      await db.rateLimit.deleteMany({ where: { key: { startsWith: 'login:ip:' } } });
    }
  });
});

describe('CSRF', () => {
  it('refuses a state-changing cookie request without the X-CSRF-Token, changing nothing', async () => {
    const user = await newUser();
    const s = await logIn(user.email);
    const key = { name: 'from a form', scope: 'WRITE' };
    await problem(await send('POST', '/api/api-keys', { cookie: s.cookie, body: key }), 403);
    await problem(await send('POST', '/api/api-keys', { cookie: s.cookie, csrf: 'f'.repeat(43), body: key }), 403);
    await problem(await send('POST', '/api/auth/logout', { cookie: s.cookie }), 403);
    expect(await db.apiKey.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);

    // With the token it works; reading needs none.
    const created = await send('POST', '/api/api-keys', { cookie: s.cookie, csrf: s.csrf, body: key });
    expect(created.status).toBe(201);
    const list = await send('GET', '/api/api-keys', { cookie: s.cookie });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect((await whoAmI({ cookie: s.cookie })).status).toBe(200);
  });

  it('refuses a request body that is not JSON with 415', async () => {
    const user = await newUser();
    const s = await logIn(user.email);
    const asForm = (contentType: string, body: string) =>
      fetch(`${soshogle.url}/api/api-keys`, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': contentType }, body });
    await problem(await asForm('application/x-www-form-urlencoded', 'name=x&scope=WRITE'), 415);
    await problem(await asForm('text/plain', '{"name":"x","scope":"WRITE"}'), 415);
    // The same without a Content-Length (a streamed body) is no way around it.
    const streamed = await chunkedPost('/api/api-keys', { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'text/plain' }, ['{"name":"x",', '"scope":"WRITE"}']);
    expect(streamed.status).toBe(415);
    expect(await db.apiKey.count({ where: { userId: user.id } })).toBe(0);
    // An anonymous form post to a public route is refused as well.
    const form = await fetch(`${soshogle.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${encodeURIComponent(user.email)}&password=x`,
    });
    await problem(form, 415);
  });
});

describe('log-out', () => {
  it('ends the session', async () => {
    const user = await newUser();
    const s = await logIn(user.email);
    const res = await send('POST', '/api/auth/logout', { cookie: s.cookie, csrf: s.csrf });
    expect(res.status).toBe(204);
    const cleared = sessionCookieOf(res);
    expect(cleared.token).toBe('');
    expect(cleared.header).toMatch(/expires=Thu, 01 Jan 1970/i);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    await problem(await whoAmI({ cookie: s.cookie }), 401);
    expect(await auditActions(user.id)).toEqual(['auth.login', 'auth.logout']);
  });

  it('logout-all ends the sessions on every device', async () => {
    const user = await newUser();
    const laptop = await logIn(user.email);
    const phone = await logIn(user.email);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(2);
    // Someone else's session is not touched.
    const other = await newUser();
    const otherSession = await logIn(other.email);

    const res = await send('POST', '/api/auth/logout-all', { cookie: phone.cookie, csrf: phone.csrf });
    expect(res.status).toBe(204);
    await problem(await whoAmI({ cookie: laptop.cookie }), 401);
    await problem(await whoAmI({ cookie: phone.cookie }), 401);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await whoAmI({ cookie: otherSession.cookie })).status).toBe(200);
    const entry = await db.auditLog.findFirstOrThrow({ where: { userId: user.id, action: 'auth.logout_all' } });
    expect(entry.details).toEqual({ sessions: 2 });
  });
});

describe('email verification', () => {
  const signUp = async () => {
    const email = newEmail('verify');
    expect((await send('POST', '/api/auth/signup', { body: { email, password } })).status).toBe(202);
    return { email, user: await db.user.findUniqueOrThrow({ where: { email } }) };
  };
  const verify = (token: string) => send('POST', '/api/auth/verify-email', { body: { token } });

  it('the token from the email confirms the address, once', async () => {
    const { email, user } = await signUp();
    const token = await latestToken(email, 'verify_email');
    const res = await verify(token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ verified: true });
    const verifiedAt = (await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified;
    expect(verifiedAt).toBeInstanceOf(Date);

    await problem(await verify(token), 400);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toEqual(verifiedAt);
    expect(await auditActions(user.id)).toEqual(['auth.signup', 'auth.email_verified']);
  });

  it('refuses an expired token', async () => {
    const { email, user } = await signUp();
    const token = await latestToken(email, 'verify_email');
    const { count } = await db.verificationToken.updateMany({ where: { token: sha256(token) }, data: { expires: new Date(Date.now() - 1000) } });
    expect(count).toBe(1);
    await problem(await verify(token), 400);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBeNull();
  });

  it('refuses a password-reset token', async () => {
    const user = await newUser();
    expect((await send('POST', '/api/auth/password-reset', { body: { email: user.email } })).status).toBe(202);
    const token = await latestToken(user.email, 'password_reset');
    await problem(await verify(token), 400);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBeNull();
    // Nor did the attempt use it up for its own purpose.
    const reset = await send('POST', '/api/auth/password-reset/confirm', { body: { token, password: 'a brand new password' } });
    expect(reset.status).toBe(200);
  });

  it('refuses an unknown token', async () => {
    const a = await problem(await verify('made-up-token'), 400);
    expect(a.detail).toMatch(/invalid or has expired/);
  });
});

describe('password reset', () => {
  const requestReset = (email: string) => send('POST', '/api/auth/password-reset', { body: { email } });
  const confirm = (token: string, pw: string) => send('POST', '/api/auth/password-reset/confirm', { body: { token, password: pw } });

  it('answers a request the same for known and unknown emails', async () => {
    const user = await newUser();
    const unknownEmail = newEmail('nobody');
    const known = await requestReset(user.email);
    const unknown = await requestReset(unknownEmail);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(await known.json()).toEqual(await unknown.json());
    expect((await emailsTo(user.email)).map((e) => e.purpose)).toEqual(['password_reset']);
    expect(await emailsTo(unknownEmail)).toEqual([]);
    expect(await db.user.count({ where: { email: unknownEmail } })).toBe(0);
  });

  it('the emailed token sets a new password and ends every session', async () => {
    const user = await newUser();
    const s = await logIn(user.email);
    expect((await requestReset(user.email)).status).toBe(202);
    const newPassword = 'a completely new passphrase';
    const res = await confirm(await latestToken(user.email, 'password_reset'), newPassword);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reset: true });

    await problem(await whoAmI({ cookie: s.cookie }), 401);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.password).toMatch(/^\$2b\$12\$/);
    expect(after.emailVerified).toBeInstanceOf(Date);
    await problem(await send('POST', '/api/auth/login', { body: { email: user.email, password } }), 401);
    await logIn(user.email, newPassword);
    expect(await auditActions(user.id)).toContain('auth.password_reset');
  });

  it('a used token cannot be used again', async () => {
    const user = await newUser();
    await requestReset(user.email);
    const token = await latestToken(user.email, 'password_reset');
    expect((await confirm(token, 'the first new password')).status).toBe(200);
    const hash = (await db.user.findUniqueOrThrow({ where: { id: user.id } })).password;
    await problem(await confirm(token, 'the second new password'), 400);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).password).toBe(hash);
  });

  it('an expired token is refused and changes nothing', async () => {
    const user = await newUser();
    await requestReset(user.email);
    const token = await latestToken(user.email, 'password_reset');
    await db.verificationToken.updateMany({ where: { token: sha256(token) }, data: { expires: new Date(Date.now() - 1000) } });
    await problem(await confirm(token, 'a new password that never lands'), 400);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).password).toBe(passwordHash);
  });

  it('claiming an unconfirmed account revokes the API keys made before its email was proven', async () => {
    // Someone signs up with an address that is not theirs and makes an API key; the
    // address's owner later takes the account over with a reset link.
    const squatted = await newUser({ emailVerified: null });
    const squatterKey = await seedApiKey(squatted.id);
    // A confirmed account resetting its password keeps its integrations.
    const confirmed = await newUser({ emailVerified: new Date() });
    const integrationKey = await seedApiKey(confirmed.id);

    for (const user of [squatted, confirmed]) {
      await requestReset(user.email);
      expect((await confirm(await latestToken(user.email, 'password_reset'), 'owner sets this password')).status).toBe(200);
    }
    await problem(await whoAmI({ bearer: squatterKey.key }), 401);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: squatterKey.id } })).revokedAt).toBeInstanceOf(Date);
    expect((await whoAmI({ bearer: integrationKey.key })).status).toBe(200);
  });
});

describe('API keys', () => {
  interface CreatedKey {
    id: string;
    key: string;
    prefix: string;
    name: string;
    scope: string;
  }
  const createKey = async (client: Client, scope: 'READ' | 'WRITE', name = 'integration') => {
    const res = await client.request('POST', '/api/api-keys', { name, scope });
    expect(res.status).toBe(201);
    return (await res.json()) as CreatedKey;
  };

  it('shows the key once; lists and the database never hold it', async () => {
    const owner = await signedIn();
    const created = await createKey(owner, 'WRITE', 'Zapier');
    expect(created.key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: 'Zapier', scope: 'WRITE', prefix: created.key.slice(0, 10), lastUsedAt: null, revokedAt: null });
    expect(created).not.toHaveProperty('keyHash');

    const listRes = await owner.request('GET', '/api/api-keys');
    expect(listRes.status).toBe(200);
    const text = await listRes.text();
    const { items: apiKeys } = JSON.parse(text) as { items: Record<string, unknown>[] };
    expect(apiKeys.map((k) => k.id)).toEqual([created.id]);
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(sha256(created.key));
    expect(apiKeys[0]).not.toHaveProperty('key');
    expect(apiKeys[0]).not.toHaveProperty('keyHash');

    const row = await db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.keyHash).toBe(sha256(created.key));
    expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(row.userId).toBe(owner.userId);
  });

  it('a Bearer key authenticates and records when it was last used', async () => {
    const owner = await signedIn();
    const { id, key } = await createKey(owner, 'READ');
    expect((await db.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt).toBeNull();
    const res = await whoAmI({ bearer: key });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { id: owner.userId }, via: 'api_key', csrfToken: null });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt).toBeInstanceOf(Date);
    // Not a key at all, or a key that does not exist: 401.
    await problem(await whoAmI({ bearer: 'not-a-key' }), 401);
    await problem(await whoAmI({ bearer: `sk_${'x'.repeat(43)}` }), 401);
  });

  it('a READ key cannot change anything', async () => {
    const owner = await signedIn();
    const { key } = await createKey(owner, 'READ');
    const res = await send('PUT', '/api/onboarding/business', { bearer: key, body: { businessName: 'Read Only Inc', industry: 'Testing' } });
    expect((await problem(res, 403)).detail).toMatch(/read-only/);
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.userId } })).businessName).toBeNull();
    expect((await send('GET', '/api/onboarding', { bearer: key })).status).toBe(200);
  });

  it('an API key cannot create API keys', async () => {
    const owner = await signedIn();
    const { key } = await createKey(owner, 'WRITE');
    await problem(await send('POST', '/api/api-keys', { bearer: key, body: { name: 'child', scope: 'WRITE' } }), 403);
    expect(await db.apiKey.count({ where: { userId: owner.userId } })).toBe(1);
  });

  it('a revoked key stops working at once', async () => {
    const owner = await signedIn();
    const { id, key } = await createKey(owner, 'WRITE');
    expect((await whoAmI({ bearer: key })).status).toBe(200);
    expect((await owner.request('DELETE', `/api/api-keys/${id}`)).status).toBe(204);
    await problem(await whoAmI({ bearer: key }), 401);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id } })).revokedAt).toBeInstanceOf(Date);
    await problem(await owner.request('DELETE', `/api/api-keys/${id}`), 404);
    expect(await auditActions(owner.userId)).toEqual(['auth.login', 'api_key.created', 'api_key.revoked']);
  });

  it("revoking another user's key answers 404, the same as an id that does not exist", async () => {
    const owner = await signedIn();
    const someoneElse = await newUser();
    const theirs = await seedApiKey(someoneElse.id);
    const foreign = await problem(await owner.request('DELETE', `/api/api-keys/${theirs.id}`), 404);
    const missing = await problem(await owner.request('DELETE', '/api/api-keys/ckeydoesnotexist000000000'), 404);
    expect({ title: foreign.title, detail: foreign.detail }).toEqual({ title: missing.title, detail: missing.detail });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: theirs.id } })).revokedAt).toBeNull();
    expect((await whoAmI({ bearer: theirs.key })).status).toBe(200);
    // Nor is it in the owner's list.
    const { items: apiKeys } = (await (await owner.request('GET', '/api/api-keys')).json()) as { items: { id: string }[] };
    expect(apiKeys).toEqual([]);
  });
});

describe('onboarding', () => {
  const business = { businessName: 'Acme Dental', industry: 'Dentistry', website: 'https://acme-dental.example' };
  const location = { companyAddress: '1 Main St, Lisbon', timezone: 'Europe/Lisbon', businessLanguage: 'pt-BR' };
  const about = { businessDescription: 'We fix teeth, gently.' };

  it('starts at step 0', async () => {
    const owner = await signedIn();
    const res = await owner.request('GET', '/api/onboarding');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      step: 0,
      complete: false,
      steps: [
        { index: 0, name: 'business', done: false },
        { index: 1, name: 'location', done: false },
        { index: 2, name: 'about', done: false },
      ],
      profile: { businessName: null, timezone: 'America/New_York' },
    });
  });

  it('refuses a step before the ones it needs with 409', async () => {
    const owner = await signedIn();
    const body = await problem(await owner.request('PUT', '/api/onboarding/location', location), 409);
    expect(body.detail).toContain('business');
    const user = await db.user.findUniqueOrThrow({ where: { id: owner.userId } });
    expect(user).toMatchObject({ onboardingStep: 0, companyAddress: null, timezone: 'America/New_York' });
    await expectInvalid(await owner.request('PUT', '/api/onboarding/payment', {}), ['params.step']);
  });

  it('refuses a website that is not a web address, naming body.website', async () => {
    const owner = await signedIn();
    for (const website of ['not a url', 'javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>']) {
      await expectInvalid(await owner.request('PUT', '/api/onboarding/business', { ...business, website }), ['body.website']);
    }
    expect(await db.user.findUniqueOrThrow({ where: { id: owner.userId } })).toMatchObject({ onboardingStep: 0, businessName: null, website: null });
  });

  it('the three steps in order complete onboarding; the time zone is checked; earlier steps can be revisited', async () => {
    const owner = await signedIn();
    // Fields that are not the step's own are ignored.
    const first = await owner.request('PUT', '/api/onboarding/business', { ...business, role: 'ADMIN', onboardingStep: 3, onboardingComplete: true });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ user: { onboardingStep: 1, onboardingComplete: false, businessName: 'Acme Dental', role: 'USER' } });

    await expectInvalid(await owner.request('PUT', '/api/onboarding/location', { ...location, timezone: 'Mars/Olympus' }), ['body.timezone']);
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.userId } })).onboardingStep).toBe(1);
    expect((await owner.request('PUT', '/api/onboarding/location', location)).status).toBe(200);
    const last = await owner.request('PUT', '/api/onboarding/about', about);
    expect(last.status).toBe(200);
    expect(await last.json()).toMatchObject({ user: { onboardingStep: 3, onboardingComplete: true, timezone: 'Europe/Lisbon' } });

    const progress = await (await owner.request('GET', '/api/onboarding')).json();
    expect(progress).toEqual({
      step: 3,
      complete: true,
      steps: [
        { index: 0, name: 'business', done: true },
        { index: 1, name: 'location', done: true },
        { index: 2, name: 'about', done: true },
      ],
      profile: { ...business, ...location, ...about },
    });
    expect(await db.user.findUniqueOrThrow({ where: { id: owner.userId } })).toMatchObject({ ...business, ...location, ...about, role: 'USER' });

    // Revisiting an earlier step saves it and keeps onboarding complete.
    const again = await owner.request('PUT', '/api/onboarding/business', { businessName: 'Acme Dental & Ortho', industry: 'Dentistry' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ user: { onboardingStep: 3, onboardingComplete: true, businessName: 'Acme Dental & Ortho' } });
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.userId } })).companyAddress).toBe(location.companyAddress);
  });
});

describe('audit log', () => {
  interface Entry {
    id: string;
    userId: string;
    actorId: string | null;
    action: string;
    createdAt: string;
  }
  const page = async (client: Client, query: string) => {
    const res = await client.request('GET', `/api/audit-log${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { items: Entry[]; nextCursor: string | null };
  };

  it("lists the account's own events newest first, a page at a time, never another account's", async () => {
    const a = await signedIn();
    const b = await signedIn();
    const keyA = (await (await a.request('POST', '/api/api-keys', { name: 'one', scope: 'READ' })).json()) as { id: string };
    expect((await a.request('POST', '/api/api-keys', { name: 'two', scope: 'READ' })).status).toBe(201);
    expect((await a.request('DELETE', `/api/api-keys/${keyA.id}`)).status).toBe(204);
    expect((await b.request('POST', '/api/api-keys', { name: 'b', scope: 'READ' })).status).toBe(201);

    const all = await page(a, '');
    expect(all.items.map((e) => e.action)).toEqual(['api_key.revoked', 'api_key.created', 'api_key.created', 'auth.login']);
    expect(all.nextCursor).toBeNull();
    for (const e of all.items) {
      expect(e.userId).toBe(a.userId);
      expect(e.actorId).toBe(a.userId);
    }
    const times = all.items.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);

    const first = await page(a, '?limit=3');
    expect(first.items.map((e) => e.id)).toEqual(all.items.slice(0, 3).map((e) => e.id));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await page(a, `?limit=3&cursor=${first.nextCursor}`);
    expect(second).toEqual({ items: all.items.slice(3), nextCursor: null });

    // B's entries are not listed, and a cursor from B's list only pages through A's own.
    const bPage = await page(b, '?limit=1');
    expect(bPage.items.every((e) => e.userId === b.userId)).toBe(true);
    expect((await page(a, `?cursor=${bPage.nextCursor}`)).items.every((e) => e.userId === a.userId)).toBe(true);
    await expectInvalid(await a.request('GET', `/api/audit-log?cursor=${bPage.items[0]!.id}`), ['query.cursor']);
    await expectInvalid(await a.request('GET', '/api/audit-log?limit=0'), ['query.limit']);
  });
});
