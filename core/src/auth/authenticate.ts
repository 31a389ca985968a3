// Who is calling: a session cookie (the UI) or a personal API key (integrations).
import type { PrismaClient } from '@soshogle/db';
import type { Context, Next } from 'koa';
import { Problem } from '../http/problem.ts';
import type { Auth } from '../plugin.ts';
import { csrfTokenFor, sessionCookie } from './sessions.ts';
import { hashToken, sameToken } from './tokens.ts';

export const apiKeyPrefix = 'sk_';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
// lastUsedAt is a hint, not a log: write it at most once a minute per key.
const lastUsedEvery = 60_000;

async function fromApiKey(db: PrismaClient, key: string): Promise<Auth | null> {
  const found = await db.apiKey.findUnique({ where: { keyHash: hashToken(key) }, include: { user: { select: { role: true } } } });
  if (!found || found.revokedAt) return null;
  if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > lastUsedEvery) {
    await db.apiKey.update({ where: { id: found.id }, data: { lastUsedAt: new Date() } });
  }
  return { userId: found.userId, tenantId: found.userId, role: found.user.role, via: 'api_key', scope: found.scope };
}

async function fromSession(db: PrismaClient, token: string): Promise<{ auth: Auth; twoFactorSetupRequired: boolean } | null> {
  const session = await db.session.findUnique({
    where: { sessionToken: hashToken(token) },
    include: { user: { select: { role: true } }, actingAs: { select: { role: true, agencyId: true } } },
  });
  if (!session || session.expires.getTime() <= Date.now()) return null;
  // Acting in a sub-account lasts only while it is this agency's sub-account: an agency
  // that lost its role, or a sub-account moved to another agency, ends it.
  const actingAs =
    session.actingAs && session.user.role === 'AGENCY' && session.actingAs.role === 'SUB_ACCOUNT' && session.actingAs.agencyId === session.userId
      ? session.actingAsId
      : null;
  return {
    auth: {
      userId: session.userId,
      tenantId: actingAs ?? session.userId,
      role: session.user.role,
      via: 'session',
      scope: 'WRITE',
      sessionId: session.id,
    },
    twoFactorSetupRequired: session.twoFactorSetupRequired,
  };
}

/**
 * Sets `ctx.state.auth` (or null) for every /api request. A cookie session that
 * changes state must send its CSRF token in X-CSRF-Token; requests with a body must
 * be JSON (a cross-site form cannot send that).
 */
export function authenticate(db: PrismaClient) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const header = ctx.get('authorization');
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    let auth: Auth | null = null;
    if (bearer) {
      auth = bearer.startsWith(apiKeyPrefix) ? await fromApiKey(db, bearer) : null;
      if (!auth) throw new Problem(401, 'Unauthorized', 'Invalid or revoked API key');
    } else {
      const token = ctx.cookies.get(sessionCookie);
      if (token) {
        const found = await fromSession(db, token);
        auth = found?.auth ?? null;
        // Read where routes are mounted: until it is set up, only setting it up is allowed.
        if (found?.twoFactorSetupRequired) ctx.state.twoFactorSetupRequired = true;
        if (auth && !safeMethods.has(ctx.method) && !sameToken(ctx.get('x-csrf-token'), csrfTokenFor(token))) {
          // Refused by the route mount (core/src/http/routes.ts), not here: a public route for
          // the tenant its URL names (a booking page) never uses the session, so a signed-in
          // visitor's cookie must not stop it.
          ctx.state.csrfRefusal = new Problem(403, 'Forbidden', 'Missing or wrong X-CSRF-Token header (get it from GET /api/auth/session)');
          auth = null;
        }
      }
    }
    // A body streamed without a Content-Length (Transfer-Encoding: chunked) is a body too.
    const hasBody = Number(ctx.get('content-length') || 0) > 0 || ctx.get('transfer-encoding') !== '';
    // JSON everywhere; CSV files too, which the routes that take them read themselves
    // (elsewhere a CSV body parses as no body and fails validation). A cross-site form
    // can send neither, and the CSRF check above applies to both.
    if (!safeMethods.has(ctx.method) && hasBody && !ctx.is('application/json', 'text/csv')) {
      throw new Problem(415, 'Unsupported Media Type', 'Send request bodies as application/json (or text/csv where a route takes a file)');
    }
    ctx.state.auth = auth;
    await next();
  };
}
