// Mounts declared routes: validation of params, query and body (422 naming each field),
// sign-in and role checks, and the tenant-scoped data access handed to the handler.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { audit } from '../auth/audit.ts';
import type { AnyRoute, Auth, PluginContext, TenantContext } from '../plugin.ts';
import type { CoreServices } from '../services.ts';
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
  services: Pick<CoreServices, 'db'>,
  contextFor: () => PluginContext,
  tenantContext: (tenantId: string) => TenantContext,
): MountedRoute[] {
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
      http.status = route.status ?? 200;
      // The schemas above produced exactly the types the handler was declared with.
      const handle = route.handler as (ctx: unknown) => unknown;
      const result = await handle(signedIn ? { ...base, ...tenantContext(auth!.tenantId), auth: auth! } : base);
      if (result !== undefined) http.body = result;
      else if (http.status === 200) http.status = 204;
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
