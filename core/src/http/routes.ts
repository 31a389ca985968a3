// Mounts declared routes: validation of params, query and body (422 naming each field),
// sign-in and role checks, and the tenant-scoped data access handed to the handler (the
// signed-in user's tenant, or the one a public route's URL names).
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { audit } from '../auth/audit.ts';
import { allowedDuringTwoFactorSetup } from '../auth/two-factor.ts';
import type { AnyRoute, Auth, PluginContext, TenantContext, WebhookLookup } from '../plugin.ts';
import type { CoreServices } from '../services.ts';
import { noContent } from '../plugin.ts';
import { parseInput } from './input.ts';
import { notFound, Problem } from './problem.ts';

export interface MountedRoute {
  method: string;
  /** Full path, e.g. `/api/crm/contacts/:id`. */
  path: string;
  /** `core`, or the plugin's name. */
  owner: string;
  route: AnyRoute;
}

const empty = z.object({});

export function mountRoutes(
  router: Router,
  prefix: string,
  owner: string,
  routes: AnyRoute[],
  services: Pick<CoreServices, 'db' | 'config'>,
  contextFor: () => PluginContext,
  tenantContext: (tenantId: string) => TenantContext,
): MountedRoute[] {
  // In tests an answer that breaks its schema says how: the whole suite is the contract test.
  const explain = services.config.NODE_ENV === 'test';
  // What public routes find their tenant with: read-only finds, unscoped (as for webhooks).
  const lookup = services.db as unknown as WebhookLookup;
  return routes.map((route) => {
    const path = `${prefix}${route.path}`;
    const handler = async (http: Context) => {
      const auth = http.state.auth as Auth | null;
      const signedIn = route.access !== 'public';
      // Any route that may use the session (every one but a public route naming its tenant).
      if (http.state.csrfRefusal && !route.tenant) throw http.state.csrfRefusal as Problem;
      if (signedIn) {
        if (!auth) throw new Problem(401, 'Unauthorized', 'Sign in, or send an API key as "Authorization: Bearer sk_..."');
        // An account that must use two-factor sign-in and has not set it up can do only that.
        if (http.state.twoFactorSetupRequired && !(owner === 'core' && allowedDuringTwoFactorSetup.has(path))) {
          throw new Problem(403, 'Forbidden', 'Set up two-factor sign-in first: this account requires it (Settings, Profile)', {
            extensions: { twoFactorSetupRequired: true },
          });
        }
        if (route.roles && !route.roles.includes(auth.role)) {
          throw new Problem(403, 'Forbidden', `Only ${route.roles.join(' or ')} accounts may do this`);
        }
        if (route.method !== 'GET' && auth.scope === 'READ') throw new Problem(403, 'Forbidden', 'This API key is read-only');
      }
      const input = {
        params: parseInput(route.params ?? empty, http.params, 'params'),
        query: parseInput(route.query ?? empty, http.query, 'query'),
        body: parseInput(route.body ?? empty, http.request.body ?? {}, 'body'),
        http,
      };
      const base = { ...contextFor(), ...input };
      // A public route for the tenant its URL names: unknown (or refused) is a 404, as a missing row.
      const named = route.tenant ? await (route.tenant as (i: typeof input, l: WebhookLookup) => Promise<string | null>)(input, lookup) : null;
      if (route.tenant && !named) throw notFound();
      http.status = route.status ?? (route.response === noContent ? 204 : 200);
      // The schemas above produced exactly the types the handler was declared with.
      const handle = route.handler as (ctx: unknown) => unknown;
      const tenantId = signedIn ? auth!.tenantId : named;
      const answer = await handle(tenantId ? { ...base, ...tenantContext(tenantId), ...(signedIn ? { auth: auth! } : {}) } : base);
      const result = declaredAnswer(route, http, answer, explain);
      if (result !== undefined) http.body = result;
      // A handler that wrote the body itself (a download, a page) keeps its 200.
      else if (http.status === 200 && http.body == null) http.status = 204;
      // An agency user changing a sub-account's data: every change lands in its audit log.
      if (signedIn && auth!.tenantId !== auth!.userId && route.method !== 'GET') {
        await audit(services.db, http, {
          userId: auth!.tenantId,
          actorId: auth!.userId,
          action: 'agency.acted',
          details: { method: route.method, path: http.path, status: http.status },
        });
      }
    };
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    router[method](path, handler);
    return { method: route.method, path, owner, route };
  });
}

/**
 * The answer as the route declares it: its JSON decoded with the schema, so undeclared
 * fields (a secret column, an internal key) never leave and what is sent is exactly what
 * the document describes. An answer that does not fit is a 500: in tests naming each
 * difference, in production logged with them.
 */
function declaredAnswer(route: AnyRoute, http: Context, result: unknown, explain: boolean): unknown {
  const declared = route.response;
  if (!declared || http.status >= 300) return result;
  const wrong = (detail: string) => {
    const message = `${route.method} ${route.path}: ${detail}`;
    return explain ? new Problem(500, 'Response does not match its schema', message) : new Error(`Response does not match its schema: ${message}`);
  };
  if (declared === noContent) {
    if (result !== undefined || http.status !== 204) throw wrong(`declared no content, answered ${http.status}`);
    return result;
  }
  if (!(declared instanceof z.ZodType) || result === undefined) return result;
  // The wire form (dates and decimals as strings) is what the schema's input side describes.
  const decoded = declared.safeDecode(JSON.parse(JSON.stringify(result)));
  if (!decoded.success) throw wrong(decoded.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  return decoded.data;
}
