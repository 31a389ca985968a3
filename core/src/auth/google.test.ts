// Sign in with Google against a local fake of Google that speaks the real protocol:
// consent redirect, code exchange (form POST, client secret, PKCE S256, one-time codes)
// and the OpenID Connect userinfo endpoint. The browser is played with fetch and
// `redirect: 'manual'`, carrying cookies by hand.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { decryptSecret, generateKey, isEncrypted } from '../secrets.ts';
import { signedInUser, startTestSoshogle } from '../testing/index.ts';
import { oauthCookie } from './google.ts';
import { sessionCookie } from './sessions.ts';
import { totpCode } from './totp.ts';
import { pendingCookie } from './two-factor.ts';

interface GoogleProfile {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  picture?: string;
}

interface IssuedCode {
  profile: GoogleProfile;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  /** Google sends a refresh token only when the user grants offline access for the first time. */
  withRefreshToken: boolean;
}

interface FakeGoogle {
  url: string;
  /** The Google user who "consents" on the next visit to the consent page. */
  nextUser: GoogleProfile | undefined;
  /** Whether the next code comes with a refresh token (default true). */
  nextWithRefreshToken: boolean;
  /** Every token response, newest last. */
  issued: { access_token: string; refresh_token?: string; id_token: string }[];
  tokenRequests: number;
  /** Token requests still to answer with 503, as Google does when it has a bad moment. */
  tokenOutages: number;
  /** Codes issued to a consenting user that the app can exchange (tests may add their own). */
  codes: Map<string, IssuedCode>;
}

const clientId = 'test-client.apps.googleusercontent.com';
const clientSecret = 'test-client-secret';
const scopeGranted = 'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile';

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function startFakeGoogle(): Promise<FakeGoogle> {
  const accessTokens = new Map<string, GoogleProfile>();
  const fake: FakeGoogle = { url: '', nextUser: undefined, nextWithRefreshToken: true, issued: [], tokenRequests: 0, tokenOutages: 0, codes: new Map() };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', fake.url);
    void (async () => {
      if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth') {
        // Consent: the user picked an account and agreed; back to the app with a code.
        const q = url.searchParams;
        const redirectUri = q.get('redirect_uri');
        if (q.get('client_id') !== clientId || !redirectUri || q.get('response_type') !== 'code' || !fake.nextUser) {
          res.writeHead(400, { 'content-type': 'text/html' }).end('<h1>Error 400: invalid_request</h1>');
          return;
        }
        const code = `4/${randomBytes(24).toString('base64url')}`;
        fake.codes.set(code, {
          profile: fake.nextUser,
          clientId,
          redirectUri,
          codeChallenge: q.get('code_challenge_method') === 'S256' ? (q.get('code_challenge') ?? '') : '',
          scope: scopeGranted,
          withRefreshToken: fake.nextWithRefreshToken,
        });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        back.searchParams.set('scope', scopeGranted);
        back.searchParams.set('state', q.get('state') ?? '');
        res.writeHead(302, { location: back.toString() }).end();
        return;
      }

      if (req.method === 'POST' && url.pathname === '/token') {
        fake.tokenRequests += 1;
        if (fake.tokenOutages > 0) {
          fake.tokenOutages -= 1;
          return sendJson(res, 503, { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } });
        }
        if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
          return sendJson(res, 400, { error: 'invalid_request', error_description: 'Bad Request' });
        }
        const form = new URLSearchParams(await readBody(req));
        if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
          return sendJson(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
        }
        if (form.get('grant_type') !== 'authorization_code') {
          return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + form.get('grant_type') });
        }
        const code = form.get('code') ?? '';
        const issued = fake.codes.get(code);
        fake.codes.delete(code); // one use, even when the rest is wrong
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (!issued || issued.redirectUri !== form.get('redirect_uri') || issued.codeChallenge !== challenge) {
          return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Bad Request' });
        }
        const tokens = {
          access_token: `ya29.${randomBytes(24).toString('base64url')}`,
          ...(issued.withRefreshToken ? { refresh_token: `1//${randomBytes(24).toString('base64url')}` } : {}),
          id_token: `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: issued.profile.sub, aud: clientId })).toString('base64url')}.c2ln`,
        };
        accessTokens.set(tokens.access_token, issued.profile);
        fake.issued.push(tokens);
        return sendJson(res, 200, { ...tokens, expires_in: 3599, token_type: 'Bearer', scope: issued.scope });
      }

      if (req.method === 'GET' && url.pathname === '/v1/userinfo') {
        const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
        const profile = token ? accessTokens.get(token) : undefined;
        if (!profile) {
          return sendJson(res, 401, { error: 'invalid_request', error_description: 'Invalid Credentials' }, { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' });
        }
        return sendJson(res, 200, profile);
      }

      res.writeHead(404).end();
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return fake;
}

const google = await startFakeGoogle();
const soshogle = await startTestSoshogle([], {
  GOOGLE_CLIENT_ID: clientId,
  GOOGLE_CLIENT_SECRET: clientSecret,
  GOOGLE_OAUTH_URL: google.url,
  SECRETS_KEYS: `test:${generateKey()}`,
  ADMIN_EMAILS: 'google-admin@example.test,claimed-admin@example.test',
});
const { db } = soshogle;
const plain = await startTestSoshogle([]);

/** name=value pairs from Set-Cookie headers (an expired cookie maps to ''). */
function setCookies(res: Response): Map<string, { value: string; attributes: string }> {
  return new Map(
    res.headers.getSetCookie().map((header) => {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      return [pair.slice(0, eq).trim(), { value: pair.slice(eq + 1), attributes: attributes.join(';').trim() }];
    }),
  );
}

function newGoogleUser(overrides: Partial<GoogleProfile> = {}): GoogleProfile {
  const id = randomBytes(6).toString('hex');
  return {
    sub: String(100_000_000_000_000_000_000n + BigInt(parseInt(id, 16))),
    email: `g-${id}@example.test`,
    email_verified: true,
    name: `Google User ${id}`,
    picture: `https://lh3.googleusercontent.com/a/${id}`,
    ...overrides,
  };
}

/** Step 1: the browser asks us to sign in with Google; we answer with a redirect to Google. */
async function start(headers: Record<string, string> = {}) {
  const res = await fetch(`${soshogle.url}/api/auth/google`, { redirect: 'manual', headers });
  expect(res.status).toBe(302);
  const cookie = setCookies(res).get(oauthCookie);
  expect(cookie?.value).toBeTruthy();
  return { res, consentUrl: new URL(res.headers.get('location')!), cookie: `${oauthCookie}=${cookie!.value}` };
}

/** Step 2: Google's consent page, as `user`: back to our callback with a code and the state. */
async function consent(consentUrl: URL, user: GoogleProfile): Promise<URL> {
  google.nextUser = user;
  const res = await fetch(consentUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  // The redirect URI names PUBLIC_URL (unset here: localhost:PORT, PORT being 0 in tests).
  const callback = new URL(res.headers.get('location')!);
  return new URL(`${callback.pathname}${callback.search}`, soshogle.url);
}

/** Step 3: the browser follows the redirect back to us, with its cookies. */
function callback(url: URL | string, cookie: string | undefined) {
  return fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

/** The whole flow; returns the callback's answer and the session cookie it set, if any. */
async function signInWithGoogle(user: GoogleProfile, extraCookie?: string) {
  const { consentUrl, cookie } = await start();
  const res = await callback(await consent(consentUrl, user), [cookie, extraCookie].filter(Boolean).join('; '));
  const session = setCookies(res).get(sessionCookie)?.value;
  return { res, session: session ? `${sessionCookie}=${session}` : undefined };
}

async function sessionOf(cookie: string | undefined) {
  const res = await fetch(`${soshogle.url}/api/auth/session`, { headers: cookie ? { cookie } : {} });
  return { status: res.status, body: (await res.json()) as { user?: { id: string; email: string } } };
}

async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as { status: number; detail: string };
  expect(body.status).toBe(status);
  return body;
}

beforeEach(() => {
  google.nextWithRefreshToken = true;
});

describe('GET /api/auth/google', () => {
  it("redirects to Google's consent page with state and PKCE, remembering both in a short-lived HttpOnly cookie", async () => {
    const { res, consentUrl } = await start();
    expect(`${consentUrl.origin}${consentUrl.pathname}`).toBe(`${google.url}/o/oauth2/v2/auth`);
    const q = consentUrl.searchParams;
    expect(q.get('client_id')).toBe(clientId);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('redirect_uri')).toMatch(/\/api\/auth\/google\/callback$/);
    expect(q.get('scope')?.split(' ').sort()).toEqual(['email', 'openid', 'profile']);
    expect(q.get('access_type')).toBe('offline');
    expect(q.get('prompt')).toBe('select_account');
    expect(q.get('state')?.length).toBeGreaterThanOrEqual(40);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const cookie = setCookies(res).get(oauthCookie)!;
    expect(cookie.attributes).toMatch(/path=\/api\/auth\/google/i);
    expect(cookie.attributes).toMatch(/httponly/i);
    expect(cookie.attributes).toMatch(/samesite=lax/i);
    const expires = Date.parse(/expires=([^;]+)/i.exec(cookie.attributes)![1]!);
    expect(expires - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(10 * 60_000 + 1000);
    // Encrypted: neither the state nor anything else readable in it.
    expect(cookie.value).not.toContain(q.get('state')!);
    expect(isEncrypted(cookie.value)).toBe(true);
  });

  it('each start has its own state and code challenge', async () => {
    const [a, b] = [await start(), await start()];
    expect(a.consentUrl.searchParams.get('state')).not.toBe(b.consentUrl.searchParams.get('state'));
    expect(a.consentUrl.searchParams.get('code_challenge')).not.toBe(b.consentUrl.searchParams.get('code_challenge'));
  });
});

describe('GET /api/auth/google/callback', () => {
  it('creates a new user with a verified email, an Account with encrypted tokens, and a session', async () => {
    const user = newGoogleUser({ email: `New-${randomBytes(4).toString('hex')}@Example.TEST` });
    const { res, session } = await signInWithGoogle(user);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    expect(setCookies(res).get(oauthCookie)?.value).toBe('');
    expect(session).toBeDefined();

    const me = await sessionOf(session);
    expect(me.status).toBe(200);
    expect(me.body.user?.email).toBe(user.email.toLowerCase());

    const created = await db.user.findUniqueOrThrow({ where: { email: user.email.toLowerCase() }, include: { accounts: true } });
    expect(created).toMatchObject({ role: 'USER', password: null, name: user.name });
    expect(created.emailVerified).toBeInstanceOf(Date);
    expect(created.accounts).toHaveLength(1);
    const account = created.accounts[0]!;
    expect(account).toMatchObject({ type: 'oauth', provider: 'google', providerAccountId: user.sub, token_type: 'Bearer', scope: scopeGranted });
    expect(account.expires_at! - Date.now() / 1000).toBeGreaterThan(3500);
    expect(account.expires_at! - Date.now() / 1000).toBeLessThanOrEqual(3600);

    const plain = google.issued.at(-1)!;
    for (const column of ['access_token', 'refresh_token', 'id_token'] as const) {
      const stored = account[column]!;
      expect(stored).not.toBe(plain[column]);
      expect(stored).not.toContain(plain[column]!);
      expect(isEncrypted(stored)).toBe(true);
      expect(decryptSecret(soshogle.keyRing, stored, `Account.${column}:${account.id}`)).toBe(plain[column]);
      // Bound to its row and column: it does not decrypt as another.
      expect(() => decryptSecret(soshogle.keyRing, stored, `Account.${column}:other`)).toThrow();
    }

    const actions = await db.auditLog.findMany({ where: { userId: created.id }, orderBy: { createdAt: 'asc' }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(['auth.signup_google', 'auth.login_google']);
  });

  it('signing in again with the same Google account finds it, refreshes its tokens and keeps the refresh token', async () => {
    const user = newGoogleUser();
    const first = await signInWithGoogle(user);
    expect(first.res.status).toBe(302);
    const { id: userId } = await db.user.findUniqueOrThrow({ where: { email: user.email } });
    const before = await db.account.findFirstOrThrow({ where: { userId } });
    const firstRefresh = google.issued.at(-1)!.refresh_token!;

    // Google sends no refresh token on a later consent; and the address changed at Google meanwhile.
    google.nextWithRefreshToken = false;
    const second = await signInWithGoogle({ ...user, email: `renamed-${user.email}` });
    expect(second.res.status).toBe(302);
    expect(second.res.headers.get('location')).toBe('/');
    expect((await sessionOf(second.session)).body.user?.id).toBe(userId);
    expect(second.session).not.toBe(first.session);

    expect(await db.user.count({ where: { email: { in: [user.email, `renamed-${user.email}`] } } })).toBe(1);
    const accounts = await db.account.findMany({ where: { userId } });
    expect(accounts).toHaveLength(1);
    const after = accounts[0]!;
    expect(after.id).toBe(before.id);
    expect(decryptSecret(soshogle.keyRing, after.access_token!, `Account.access_token:${after.id}`)).toBe(google.issued.at(-1)!.access_token);
    expect(decryptSecret(soshogle.keyRing, after.refresh_token!, `Account.refresh_token:${after.id}`)).toBe(firstRefresh);
  });

  it('a session this browser already had ends (rotation)', async () => {
    const user = newGoogleUser();
    const first = await signInWithGoogle(user);
    const second = await signInWithGoogle(user, first.session);
    expect(second.res.status).toBe(302);
    expect((await sessionOf(first.session)).status).toBe(401);
    expect((await sessionOf(second.session)).status).toBe(200);
  });

  it('links Google to an existing user with the same (verified) email; the password keeps working', async () => {
    const existing = await signedInUser(soshogle, { email: `linked-${randomBytes(4).toString('hex')}@example.test` });
    await db.user.update({ where: { id: existing.userId }, data: { emailVerified: new Date() } });
    const user = newGoogleUser({ email: existing.email.toUpperCase() });

    const { res, session } = await signInWithGoogle(user);
    expect(res.status).toBe(302);
    expect((await sessionOf(session)).body.user?.id).toBe(existing.userId);
    expect(await db.user.count({ where: { email: existing.email } })).toBe(1);
    const accounts = await db.account.findMany({ where: { userId: existing.userId } });
    expect(accounts.map((a) => [a.provider, a.providerAccountId])).toEqual([['google', user.sub]]);
    expect((await existing.request('GET', '/api/auth/session')).status).toBe(200);
    const login = await fetch(`${soshogle.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: existing.email, password: existing.password }),
    });
    expect(login.status).toBe(200);
    const actions = await db.auditLog.findMany({ where: { userId: existing.userId, action: { startsWith: 'auth.' } }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.google_linked', 'auth.login_google']));
  });

  it('linking to a self-registered user whose email was never verified ends its password, sessions and API keys', async () => {
    // Someone signed up with this address but never proved they own it, and made an API key.
    const squatter = await signedInUser(soshogle, { email: `squatted-${randomBytes(4).toString('hex')}@example.test` });
    const keyRes = await squatter.request('POST', '/api/api-keys', { name: 'squatter', scope: 'WRITE' });
    expect(keyRes.status).toBe(201);
    const { key } = (await keyRes.json()) as { key: string };
    const byKey = () => fetch(`${soshogle.url}/api/auth/session`, { headers: { authorization: `Bearer ${key}` } });
    expect((await byKey()).status).toBe(200);
    const user = newGoogleUser({ email: squatter.email });

    const { res, session } = await signInWithGoogle(user);
    expect(res.status).toBe(302);
    expect((await sessionOf(session)).body.user?.id).toBe(squatter.userId);
    expect((await squatter.request('GET', '/api/auth/session')).status).toBe(401);
    expect((await byKey()).status).toBe(401);
    const login = await fetch(`${soshogle.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: squatter.email, password: squatter.password }),
    });
    expect(login.status).toBe(401);
    const row = await db.user.findUniqueOrThrow({ where: { id: squatter.userId } });
    expect(row.password).toBeNull();
    expect(row.emailVerified).toBeInstanceOf(Date);
  });

  it('ADMIN_EMAILS: an address Google has verified makes the account an admin', async () => {
    const { res } = await signInWithGoogle(newGoogleUser({ email: 'Google-Admin@example.test' }));
    expect(res.status).toBe(302);
    expect((await db.user.findUniqueOrThrow({ where: { email: 'google-admin@example.test' } })).role).toBe('ADMIN');

    // An unconfirmed sign-up with such an address stays USER until Google (or a link) proves it.
    const claimed = await db.user.create({ data: { email: 'claimed-admin@example.test', role: 'USER' } });
    const linked = await signInWithGoogle(newGoogleUser({ email: 'claimed-admin@example.test' }));
    expect(linked.res.status).toBe(302);
    expect((await db.user.findUniqueOrThrow({ where: { id: claimed.id } })).role).toBe('ADMIN');
    expect(await db.auditLog.count({ where: { userId: claimed.id, action: 'user.role_changed' } })).toBe(1);
  });

  it('a state that does not match the cookie: 400, no token exchange, no session, cookie cleared', async () => {
    const { consentUrl, cookie } = await start();
    const back = await consent(consentUrl, newGoogleUser());
    back.searchParams.set('state', 'forged-state');
    const requestsBefore = google.tokenRequests;
    const res = await callback(back, cookie);
    await expectProblem(res, 400);
    expect(google.tokenRequests).toBe(requestsBefore);
    expect(setCookies(res).get(sessionCookie)).toBeUndefined();
    expect(setCookies(res).get(oauthCookie)?.value).toBe('');
  });

  it('no state, or no cookie (another browser, or expired): 400 and no session', async () => {
    const user = newGoogleUser();
    const { consentUrl, cookie } = await start();
    const back = await consent(consentUrl, user);

    const noState = new URL(back);
    noState.searchParams.delete('state');
    await expectProblem(await callback(noState, cookie), 400);

    const noCookie = await callback(back, undefined);
    await expectProblem(noCookie, 400);
    expect(setCookies(noCookie).get(sessionCookie)).toBeUndefined();

    const tampered = await callback(back, `${cookie.slice(0, -2)}xx`);
    await expectProblem(tampered, 400);
    expect(await db.user.count({ where: { email: user.email } })).toBe(0);
  });

  it('a code Google does not know (invalid_grant): a 400 problem, not a 500', async () => {
    const user = newGoogleUser();
    const { consentUrl, cookie } = await start();
    const back = await consent(consentUrl, user);
    back.searchParams.set('code', '4/unknown-code');
    const res = await callback(back, cookie);
    const body = await expectProblem(res, 400);
    expect(body.detail).toContain('invalid_grant');
    expect(setCookies(res).get(sessionCookie)).toBeUndefined();
    expect(await db.user.count({ where: { email: user.email } })).toBe(0);
  });

  it('Google unavailable (503 on every retry): a 502 problem, no session', async () => {
    const user = newGoogleUser();
    const { consentUrl, cookie } = await start();
    const back = await consent(consentUrl, user);
    google.tokenOutages = 10;
    try {
      const res = await callback(back, cookie);
      await expectProblem(res, 502);
      expect(setCookies(res).get(sessionCookie)).toBeUndefined();
    } finally {
      google.tokenOutages = 0;
    }
    expect(await db.user.count({ where: { email: user.email } })).toBe(0);
  });

  it('a code replayed with a fresh state but without its PKCE verifier is refused', async () => {
    // The code of one browser's sign-in, brought to another browser's callback.
    const victim = await start();
    const stolen = await consent(victim.consentUrl, newGoogleUser());
    const attacker = await start();
    stolen.searchParams.set('state', attacker.consentUrl.searchParams.get('state')!);
    await expectProblem(await callback(stolen, attacker.cookie), 400);
  });

  it('the user declined at Google (error=access_denied): 400', async () => {
    const { consentUrl, cookie } = await start();
    const back = new URL('/api/auth/google/callback', soshogle.url);
    back.searchParams.set('error', 'access_denied');
    back.searchParams.set('state', consentUrl.searchParams.get('state')!);
    const body = await expectProblem(await callback(back, cookie), 400);
    expect(body.detail).toContain('access_denied');
  });

  it('an email Google has not verified, with no Google account linked yet: 403 and nothing created or linked', async () => {
    const fresh = newGoogleUser({ email_verified: false });
    const res = await (async () => {
      const { consentUrl, cookie } = await start();
      return callback(await consent(consentUrl, fresh), cookie);
    })();
    await expectProblem(res, 403);
    expect(setCookies(res).get(sessionCookie)).toBeUndefined();
    expect(await db.user.count({ where: { email: fresh.email } })).toBe(0);
    expect(await db.account.count({ where: { providerAccountId: fresh.sub } })).toBe(0);

    // Not even to a user who already has that address.
    const existing = await signedInUser(soshogle, { email: `unverified-${randomBytes(4).toString('hex')}@example.test` });
    const { res: refused } = await signInWithGoogle(newGoogleUser({ email: existing.email, email_verified: false }));
    await expectProblem(refused, 403);
    expect(await db.account.count({ where: { userId: existing.userId } })).toBe(0);
  });

  it('an already linked Google account signs in even if its email is no longer verified', async () => {
    const user = newGoogleUser();
    await signInWithGoogle(user);
    const { res, session } = await signInWithGoogle({ ...user, email_verified: false });
    expect(res.status).toBe(302);
    expect((await sessionOf(session)).body.user?.email).toBe(user.email);
  });
});

describe('Google sign-in with two-factor sign-in on', () => {
  it('Google stands for the password only: no session until a code from the app passes', async () => {
    const user = newGoogleUser();
    const { session: first } = await signInWithGoogle(user);
    const client = { cookie: first!, csrf: ((await (await fetch(`${soshogle.url}/api/auth/session`, { headers: { cookie: first! } })).json()) as { csrfToken: string }).csrfToken };
    const call = (path: string, body?: unknown) =>
      fetch(`${soshogle.url}${path}`, { method: 'POST', headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const { secret } = (await (await call('/api/auth/two-factor/setup')).json()) as { secret: string };
    expect((await call('/api/auth/two-factor/confirm', { code: totpCode(secret) })).status).toBe(200);

    const { res, session } = await signInWithGoogle(user);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?second-factor=1');
    expect(session).toBeUndefined();
    const pending = setCookies(res).get(pendingCookie)!;
    expect(pending.attributes).toMatch(/httponly/i);
    const verify = await fetch(`${soshogle.url}/api/auth/two-factor/verify`, {
      method: 'POST',
      headers: { cookie: `${pendingCookie}=${pending.value}`, 'content-type': 'application/json' },
      // Now's code went to the confirmation: the next step's, which the window accepts.
      body: JSON.stringify({ code: totpCode(secret, Date.now() + 30_000) }),
    });
    expect(verify.status).toBe(200);
    const signedIn = setCookies(verify).get(sessionCookie)!.value;
    expect((await sessionOf(`${sessionCookie}=${signedIn}`)).body.user?.email).toBe(user.email);
    const last = await db.auditLog.findFirst({ where: { user: { email: user.email } }, orderBy: { createdAt: 'desc' } });
    expect(last).toMatchObject({ action: 'auth.login_google', details: { secondFactor: 'totp' } });
  });
});

describe('Google sign-in not configured', () => {
  it('both routes answer 404', async () => {
    await expectProblem(await fetch(`${plain.url}/api/auth/google`, { redirect: 'manual' }), 404);
    await expectProblem(await fetch(`${plain.url}/api/auth/google/callback?code=x&state=y`, { redirect: 'manual' }), 404);
  });
});
