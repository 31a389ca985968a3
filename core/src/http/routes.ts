// Mounts declared routes: validation of params, query and body (422 naming each field),
// sign-in and role checks, and the tenant-scoped data access handed to the handler.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { audit } from '../auth/audit.ts';
import type { AnyRoute, Auth, PluginContext, TenantContext } from '../plugin.ts';
import type { CoreServices } from '../services.ts';
import { noContent } from '../plugin.ts';
import { parseInput } from './input.ts';
import { Problem } from './problem.ts';

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
  // In tests every answer is held to its declared schema: the whole suite is the contract test.
  const checkResponses = services.config.NODE_ENV === 'test';
  return routes.map((route) => {
    const path = `${prefix}${route.path}`;
    const handler = async (http: Context) => {
      const auth = http.state.auth as Auth | null;
      const signedIn = route.access !== 'public';
      if (signedIn) {
        if (!auth) throw new Problem(401, 'Unauthorized', 'Sign in, or send an API key as "Authorization: Bearer sk_..."');
        if (route.roles && !route.roles.includes(auth.role)) {
          throw new Problem(403, 'Forbidden', `Only ${route.roles.join(' or ')} accounts may do this`);
        }
        if (route.method !== 'GET' && auth.scope === 'READ') throw new Problem(403, 'Forbidden', 'This API key is read-only');
      }
      const base = {
        ...contextFor(),
        params: parseInput(route.params ?? empty, http.params, 'params'),
        query: parseInput(route.query ?? empty, http.query, 'query'),
        body: parseInput(route.body ?? empty, http.request.body ?? {}, 'body'),
        http,
      };
      http.status = route.status ?? (route.response === noContent ? 204 : 200);
      // The schemas above produced exactly the types the handler was declared with.
      const handle = route.handler as (ctx: unknown) => unknown;
      const result = await handle(signedIn ? { ...base, ...tenantContext(auth!.tenantId), auth: auth! } : base);
      if (result !== undefined) http.body = result;
      // A handler that wrote the body itself (a download, a page) keeps its 200.
      else if (http.status === 200 && http.body == null) http.status = 204;
      if (checkResponses) checkResponse(route, http, result);
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

/** Throws a 500 naming each difference when a success answer is not what the route declares. */
function checkResponse(route: AnyRoute, http: Context, result: unknown): void {
  const declared = route.response;
  if (!declared || http.status >= 300) return;
  const wrong = (detail: string) => new Problem(500, 'Response does not match its schema', `${route.method} ${route.path}: ${detail}`);
  if (declared === noContent) {
    if (result !== undefined || http.status !== 204) throw wrong(`declared no content, answered ${http.status}`);
    return;
  }
  if (!(declared instanceof z.ZodType)) return;
  // What the client receives: the JSON, dates and decimals as strings.
  const wire: unknown = result === undefined ? undefined : JSON.parse(JSON.stringify(result));
  const checked = declared.safeDecode(wire);
  if (!checked.success) {
    throw wrong(checked.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  }
}
