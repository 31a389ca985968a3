// "Sign in with Google": the OAuth 2.0 authorization-code flow with PKCE, through
// googleapis' OAuth2 client. GET /auth/google sends the browser to Google's consent
// page; Google sends it back to GET /auth/google/callback with a one-time code, which
// is exchanged for tokens; the user's profile then finds, links or creates the user.
// Tokens are stored encrypted (see secrets.ts). Off (404) unless GOOGLE_CLIENT_ID and
// GOOGLE_CLIENT_SECRET are set.
import { randomUUID } from 'node:crypto';
import type { Prisma } from '@soshogle/db';
import type { Auth as GoogleAuth } from 'googleapis';
import type { Context } from 'koa';
import { z } from 'zod';
import { Problem } from '../http/problem.ts';
import { defineRoute, noContent, type AnyRoute } from '../plugin.ts';
import { decryptSecret, encryptSecret, type KeyRing } from '../secrets.ts';
import type { CoreServices } from '../services.ts';
import { audit } from './audit.ts';
import { emailProven, isAdminEmail } from './email-proof.ts';
import { email as emailSchema } from './routes.ts';
import { signIn } from './sessions.ts';
import { startSecondFactor } from './two-factor.ts';
import { newToken, sameToken } from './tokens.ts';

export const googleProvider = 'google';
/** Holds the state and PKCE verifier of a sign-in under way, encrypted. */
export const oauthCookie = 'soshogle_oauth';
const oauthCookiePath = '/api/auth/google';
const oauthCookieContext = `cookie:${oauthCookie}`;
const pendingMinutes = 10;
const scopes = ['openid', 'email', 'profile'];

export interface GoogleEndpoints {
  consent: string;
  token: string;
  userinfo: string;
}

/** Google's OAuth endpoints, or (GOOGLE_OAUTH_URL) the same paths under another base URL. */
export function googleEndpoints(base?: string): GoogleEndpoints {
  if (!base) {
    return {
      consent: 'https://accounts.google.com/o/oauth2/v2/auth',
      token: 'https://oauth2.googleapis.com/token',
      userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
    };
  }
  const root = base.replace(/\/+$/, '');
  return { consent: `${root}/o/oauth2/v2/auth`, token: `${root}/token`, userinfo: `${root}/v1/userinfo` };
}

// googleapis takes most of a second to load: only processes that use it pay for it.
let googleapis: Promise<typeof import('googleapis')> | undefined;
function loadGoogleapis(): Promise<typeof import('googleapis')> {
  googleapis ??= import('googleapis').catch((error: unknown) => {
    googleapis = undefined;
    throw error;
  });
  return googleapis;
}

interface GoogleSettings {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  endpoints: GoogleEndpoints;
}

function settings(services: CoreServices): GoogleSettings {
  const { GOOGLE_CLIENT_ID: clientId, GOOGLE_CLIENT_SECRET: clientSecret, GOOGLE_OAUTH_URL, PUBLIC_URL, PORT } = services.config;
  if (!clientId || !clientSecret) throw new Problem(404, 'Not Found', 'Sign-in with Google is not enabled on this server');
  const base = PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${PORT}`;
  return { clientId, clientSecret, redirectUri: `${base}/api/auth/google/callback`, endpoints: googleEndpoints(GOOGLE_OAUTH_URL) };
}

/** A fresh client per request: credentials set on it belong to one sign-in. */
async function oauthClient(google: GoogleSettings): Promise<GoogleAuth.OAuth2Client> {
  const { google: api } = await loadGoogleapis();
  return new api.auth.OAuth2({
    clientId: google.clientId,
    clientSecret: google.clientSecret,
    redirectUri: google.redirectUri,
    endpoints: { oauth2AuthBaseUrl: google.endpoints.consent, oauth2TokenUrl: google.endpoints.token },
  });
}

// The sign-in under way: its state and PKCE verifier, in an encrypted HttpOnly cookie
// (AES-GCM also authenticates it), with its own expiry so a kept cookie does not work later.
const pendingSchema = z.object({ state: z.string().min(1), verifier: z.string().min(1), expires: z.number() });
type Pending = z.infer<typeof pendingSchema>;

function setPending(http: Context, ring: KeyRing, pending: Pending): void {
  http.cookies.set(oauthCookie, encryptSecret(ring, JSON.stringify(pending), oauthCookieContext), {
    httpOnly: true,
    // Lax: the cookie comes along on the top-level GET back from Google.
    sameSite: 'lax',
    secure: http.secure,
    signed: false,
    path: oauthCookiePath,
    maxAge: pendingMinutes * 60_000,
    overwrite: true,
  });
}

function readPending(http: Context, ring: KeyRing): Pending | undefined {
  const value = http.cookies.get(oauthCookie, { signed: false });
  if (!value) return undefined;
  try {
    const pending = pendingSchema.parse(JSON.parse(decryptSecret(ring, value, oauthCookieContext)));
    return pending.expires > Date.now() ? pending : undefined;
  } catch {
    return undefined;
  }
}

function clearPending(http: Context): void {
  http.cookies.set(oauthCookie, '', { httpOnly: true, sameSite: 'lax', signed: false, path: oauthCookiePath, expires: new Date(0), overwrite: true });
}

// OpenID Connect userinfo. Older Google answers carried email_verified as a string.
const profileSchema = z.object({
  sub: z.string().min(1).max(255),
  email: z.string().optional(),
  email_verified: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  name: z.string().optional(),
});

interface Profile {
  sub: string;
  /** Lower-cased; undefined when Google sent none or not a valid address. */
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
}

function toProfile(data: unknown): Profile | undefined {
  const parsed = profileSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const email = emailSchema.safeParse(parsed.data.email);
  return {
    sub: parsed.data.sub,
    email: email.success ? email.data : undefined,
    emailVerified: parsed.data.email_verified === true || parsed.data.email_verified === 'true',
    name: parsed.data.name?.trim().slice(0, 100) || undefined,
  };
}

/** What an HTTP failure from Google carries (gaxios errors), without its config: that holds the client secret. */
function googleFailure(error: unknown): { status: number | undefined; code: string | undefined } {
  const response = (error as { response?: { status?: unknown; data?: unknown } } | null)?.response;
  const status = typeof response?.status === 'number' ? response.status : undefined;
  const code = (response?.data as { error?: unknown } | undefined)?.error;
  return { status, code: typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? code : undefined };
}

/** The token columns of an Account: the tokens encrypted for that row and column. */
function tokenColumns(ring: KeyRing, accountId: string, tokens: GoogleAuth.Credentials) {
  const seal = (column: string, value: string | null | undefined) => (value ? encryptSecret(ring, value, `Account.${column}:${accountId}`) : null);
  return {
    access_token: seal('access_token', tokens.access_token),
    id_token: seal('id_token', tokens.id_token),
    expires_at: tokens.expiry_date ? Math.floor(tokens.expiry_date / 1000) : null,
    token_type: tokens.token_type ?? null,
    scope: tokens.scope ?? null,
    // Google sends a refresh token only on the first consent: keep the stored one otherwise.
    ...(tokens.refresh_token ? { refresh_token: seal('refresh_token', tokens.refresh_token) } : {}),
  };
}

/**
 * Finds, links or creates the user of a Google profile. Never links or creates on an
 * email Google has not verified.
 */
async function userFor(services: CoreServices, http: Context, profile: Profile, tokens: GoogleAuth.Credentials): Promise<string> {
  const { db, keyRing } = services;
  const existing = await db.account.findUnique({
    where: { provider_providerAccountId: { provider: googleProvider, providerAccountId: profile.sub } },
    select: { id: true, userId: true },
  });
  if (existing) {
    await db.account.update({ where: { id: existing.id }, data: tokenColumns(keyRing, existing.id, tokens) });
    return existing.userId;
  }
  if (!profile.emailVerified || !profile.email) {
    throw new Problem(
      403,
      'Forbidden',
      'Google has not verified the email address of this Google account, so it cannot be used to sign in here. Verify it with Google, or sign up with email and password.',
    );
  }
  const email = profile.email;
  const accountId = randomUUID();
  const account = (userId: string): Prisma.AccountUncheckedCreateInput => ({
    id: accountId,
    userId,
    type: 'oauth',
    provider: googleProvider,
    providerAccountId: profile.sub,
    ...tokenColumns(keyRing, accountId, tokens),
  });
  const user = await db.user.findUnique({ where: { email }, select: { id: true, emailVerified: true } });
  if (user) {
    await db.$transaction(async (tx) => {
      await tx.account.create({ data: account(user.id) });
      // Google has proven the address: as for a reset link, an account someone else
      // registered with it loses its sessions and keys, and here its password too.
      const { squatted } = await emailProven(tx, http, services.config.ADMIN_EMAILS, user.id, { takeOver: true });
      if (squatted) await tx.user.update({ where: { id: user.id }, data: { password: null } });
      await audit(tx, http, { userId: user.id, action: 'auth.google_linked', details: { emailProven: !user.emailVerified } });
    });
    return user.id;
  }
  return db.$transaction(async (tx) => {
    const created = await tx.user.create({
      // Google has proven the address, so ADMIN_EMAILS applies at once.
      data: { email, password: null, name: profile.name ?? null, emailVerified: new Date(), role: isAdminEmail(services.config.ADMIN_EMAILS, email) ? 'ADMIN' : 'USER' },
    });
    await tx.account.create({ data: account(created.id) });
    await audit(tx, http, { userId: created.id, action: 'auth.signup_google', details: { role: created.role } });
    return created.id;
  });
}

export function googleRoutes(services: CoreServices): AnyRoute[] {
  const { db, keyRing, log } = services;
  // Load the library in the background when the feature is on, not on the first sign-in.
  if (services.config.GOOGLE_CLIENT_ID && services.config.GOOGLE_CLIENT_SECRET) loadGoogleapis().catch(() => undefined);
  return [
    defineRoute({
      method: 'GET',
      path: '/auth/google',
      summary: "Start signing in with Google: redirects to Google's consent page",
      access: 'public',
      // A redirect: no body.
      status: 302,
      response: noContent,
      async handler({ http }) {
        const google = settings(services);
        const client = await oauthClient(google);
        const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
        const state = newToken();
        setPending(http, keyRing, { state, verifier: codeVerifier, expires: Date.now() + pendingMinutes * 60_000 });
        const { Auth } = await loadGoogleapis();
        http.set('Cache-Control', 'no-store');
        http.redirect(
          client.generateAuthUrl({
            scope: scopes,
            access_type: 'offline',
            prompt: 'select_account',
            state,
            code_challenge: codeChallenge!,
            code_challenge_method: Auth.CodeChallengeMethod.S256,
          }),
        );
      },
    }),

    defineRoute({
      method: 'GET',
      path: '/auth/google/callback',
      summary: 'Where Google sends the browser back: signs in, links or creates the user, then redirects to /',
      access: 'public',
      // A redirect: no body.
      status: 302,
      response: noContent,
      query: z.object({
        code: z.string().max(4096).optional(),
        state: z.string().max(1024).optional(),
        error: z.string().max(256).optional(),
      }),
      async handler({ query, http }) {
        const google = settings(services);
        http.set('Cache-Control', 'no-store');
        const pending = readPending(http, keyRing);
        clearPending(http);
        if (!pending) {
          throw new Problem(400, 'Bad Request', 'This Google sign-in expired or was started in another browser. Start again.');
        }
        if (!query.state || !sameToken(query.state, pending.state)) {
          throw new Problem(400, 'Bad Request', 'This Google sign-in does not match the one this browser started. Start again.');
        }
        if (query.error || !query.code) {
          throw new Problem(400, 'Bad Request', `Google sign-in was not completed (${query.error ?? 'no code'}). Start again.`);
        }

        const client = await oauthClient(google);
        let tokens: GoogleAuth.Credentials;
        try {
          ({ tokens } = await client.getToken({ code: query.code, codeVerifier: pending.verifier }));
        } catch (error) {
          const failure = googleFailure(error);
          log.warn({ googleStatus: failure.status, googleError: failure.code }, 'Google token exchange failed');
          if (failure.status !== undefined && failure.status >= 400 && failure.status < 500) {
            throw new Problem(400, 'Bad Request', `Google did not accept this sign-in (${failure.code ?? failure.status}). Start again.`);
          }
          throw new Problem(502, 'Bad Gateway', 'Could not reach Google to finish signing in. Try again.');
        }
        if (!tokens.access_token) throw new Problem(502, 'Bad Gateway', 'Google answered without an access token. Try again.');

        client.setCredentials(tokens);
        let profile: Profile | undefined;
        try {
          profile = toProfile((await client.request<unknown>({ url: google.endpoints.userinfo })).data);
        } catch (error) {
          const failure = googleFailure(error);
          log.warn({ googleStatus: failure.status, googleError: failure.code }, 'Google userinfo request failed');
        }
        if (!profile) throw new Problem(502, 'Bad Gateway', 'Could not read your Google profile. Try again.');

        const userId = await userFor(services, http, profile, tokens);
        const { twoFactorEnabledAt } = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { twoFactorEnabledAt: true } });
        if (twoFactorEnabledAt) {
          // Google vouched for the first factor only: the log-in page asks for the code.
          startSecondFactor(http, keyRing, userId, 'google');
          return http.redirect('/login?second-factor=1');
        }
        await signIn(db, http, userId, 'google');
        http.redirect('/');
      },
    }),
  ];
}
