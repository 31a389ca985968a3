// The OAuth 2.0 authorization-code flow (with PKCE) and refresh for Google and Microsoft,
// with plain fetch for both: MSAL refuses non-https authorities (so no local fake), and one
// token call for both providers keeps one way of reading their answers and errors.
import { createHash, randomBytes } from 'node:crypto';
import type { CalendarConfig } from '../config.ts';
import { ConnectionBroken, ProviderCallError, type TokenSet } from './types.ts';

export type OAuthProvider = 'google' | 'microsoft';

export interface OAuthClient {
  authorizeUrl(input: { state: string; verifier: string; redirectUri: string }): string;
  /** Trades the code the provider sent back for tokens; a refused code throws ConnectionBroken. */
  exchange(input: { code: string; verifier: string; redirectUri: string }): Promise<TokenSet>;
  /** A fresh access token; invalid_grant (revoked, expired, rotated away) throws ConnectionBroken. */
  refresh(refreshToken: string): Promise<TokenSet>;
}

interface Endpoints {
  authorize: string;
  token: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  extra: Record<string, string>;
}

const defaultGoogleOauth = 'https://oauth2.googleapis.com';

function endpointsOf(provider: OAuthProvider, config: CalendarConfig): Endpoints | null {
  if (provider === 'google') {
    if (!config.googleClientId || !config.googleClientSecret) return null;
    const base = config.googleOauthUrl.replace(/\/+$/, '');
    return {
      // Google's consent page lives on another host than its token endpoint; a fake serves both.
      authorize: base === defaultGoogleOauth ? 'https://accounts.google.com/o/oauth2/v2/auth' : `${base}/o/oauth2/v2/auth`,
      token: `${base}/token`,
      clientId: config.googleClientId,
      clientSecret: config.googleClientSecret,
      scope: 'openid email https://www.googleapis.com/auth/calendar',
      // offline + consent: Google only hands out a refresh token on a consent screen.
      extra: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
    };
  }
  if (!config.microsoftClientId || !config.microsoftClientSecret) return null;
  const authority = config.microsoftAuthorityUrl.replace(/\/+$/, '');
  return {
    authorize: `${authority}/oauth2/v2.0/authorize`,
    token: `${authority}/oauth2/v2.0/token`,
    clientId: config.microsoftClientId,
    clientSecret: config.microsoftClientSecret,
    scope: 'openid email offline_access Calendars.ReadWrite',
    extra: { response_mode: 'query', prompt: 'select_account' },
  };
}

/** The provider's OAuth client, or null when the installation has no client for it (sandbox mode). */
export function oauthClient(provider: OAuthProvider, config: CalendarConfig): OAuthClient | null {
  const endpoints = endpointsOf(provider, config);
  if (!endpoints) return null;
  return {
    authorizeUrl: ({ state, verifier, redirectUri }) => {
      const url = new URL(endpoints.authorize);
      const params = {
        client_id: endpoints.clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: endpoints.scope,
        state,
        code_challenge: pkceChallenge(verifier),
        code_challenge_method: 'S256',
        ...endpoints.extra,
      };
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      return url.toString();
    },
    exchange: ({ code, verifier, redirectUri }) =>
      tokenCall(endpoints, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri }),
    refresh: (refreshToken) => tokenCall(endpoints, { grant_type: 'refresh_token', refresh_token: refreshToken, scope: endpoints.scope }),
  };
}

/** 32 random bytes, base64url: OAuth states and PKCE verifiers. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export const pkceChallenge = sha256;

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number | string;
  scope?: string;
  id_token?: string;
  error?: string;
  error_description?: string;
}

async function tokenCall(endpoints: Endpoints, form: Record<string, string>): Promise<TokenSet> {
  let res: Response;
  try {
    res = await fetch(endpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ ...form, client_id: endpoints.clientId, client_secret: endpoints.clientSecret }),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    throw new ProviderCallError(`token endpoint unreachable: ${(error as Error).message}`, null);
  }
  const answer = (await res.json().catch(() => ({}))) as TokenAnswer;
  if (!res.ok || !answer.access_token) {
    // invalid_grant: revoked, expired, unused too long, or (Microsoft) a refresh token already spent.
    if (answer.error === 'invalid_grant') throw new ConnectionBroken(answer.error_description ?? 'invalid_grant');
    throw new ProviderCallError(`token endpoint answered ${res.status}: ${answer.error ?? ''} ${answer.error_description ?? ''}`.trim(), res.status);
  }
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token,
    expiresAt: new Date(Date.now() + Number(answer.expires_in ?? 3600) * 1000),
    scope: answer.scope,
    email: emailOf(answer.id_token),
  };
}

/** The email claim of an id_token received straight from the token endpoint (TLS vouches for it). */
function emailOf(idToken: string | undefined): string | undefined {
  const payload = idToken?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { email?: unknown; preferred_username?: unknown };
    const email = claims.email ?? claims.preferred_username;
    return typeof email === 'string' ? email : undefined;
  } catch {
    return undefined;
  }
}
