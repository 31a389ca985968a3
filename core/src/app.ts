import Router from '@koa/router';
import Koa from 'koa';
import { accountRoutes } from './auth/account-routes.ts';
import { connectionRoutes } from './connections.ts';
import { lifecycleRoutes } from './lifecycle-routes.ts';
import { reportRoutes } from './reports.ts';
import { timelineRoutes } from './timeline.ts';
import { contactDataRoutes } from './contact-data.ts';
import { agencyRoutes } from './auth/agency-routes.ts';
import { authenticate } from './auth/authenticate.ts';
import { googleRoutes } from './auth/google.ts';
import { authRoutes } from './auth/routes.ts';
import { twoFactorRoutes } from './auth/two-factor.ts';
import { buildCatalog, catalogResponse } from './catalog.ts';
import { apiDocsRoutes, apiVersion } from './http/api-docs.ts';
import { jsonBody } from './http/body.ts';
import { logBrokenResponses } from './http/broken-response.ts';
import { mountHealth } from './http/health.ts';
import { refuseBadUrl } from './http/input.ts';
import { openApiDocument } from './http/openapi.ts';
import { problemMiddleware } from './http/problem.ts';
import { requestLog } from './http/request-log.ts';
import { mountRoutes, type MountedRoute } from './http/routes.ts';
import { serveUi } from './http/ui.ts';
import { inboxAppender } from './http/webhook-inbox.ts';
import { mountWebhooks } from './http/webhooks.ts';
import { defineRoute, type AnyRoute } from './plugin.ts';
import type { CoreServices } from './services.ts';
import { workflowRoutes } from './workflows/routes.ts';

export interface App {
  koa: Koa;
  /** Every API route, core and plugins: what the tenant-isolation test walks. */
  routes: MountedRoute[];
}

function coreRoutes(services: CoreServices, describe: () => object): AnyRoute[] {
  const catalog = buildCatalog(services.registry);
  return [
    ...apiDocsRoutes(describe),
    defineRoute({
      method: 'GET',
      path: '/catalog',
      summary: 'Enabled plugins with their triggers and actions, and JSON Schemas of their settings',
      access: 'public',
      response: catalogResponse,
      handler: () => catalog,
    }),
    ...authRoutes(services),
    ...googleRoutes(services),
    ...twoFactorRoutes(services),
    ...accountRoutes(services),
    ...connectionRoutes(services),
    ...timelineRoutes(services),
    ...contactDataRoutes(services),
    ...agencyRoutes(services),
    ...workflowRoutes(services),
    ...reportRoutes(services),
    ...lifecycleRoutes(services),
  ];
}

/** The HTTP app: health, the core's API, and each enabled plugin's routes and webhooks. */
export function createApp(services: CoreServices): App {
  const { config, log, registry } = services;
  const koa = new Koa({ proxy: config.TRUST_PROXY });
  logBrokenResponses(koa, log);
  koa.use(requestLog(log));
  koa.use(problemMiddleware);
  koa.use(refuseBadUrl);
  // Outside the routers: it answers only what no route did (a GET of a page or asset).
  koa.use(serveUi(config.UI_DIR));

  // Webhooks read their own raw bytes, so they are mounted before the body parser.
  const webhooks = new Router();
  // Not ctx.origin: since Koa 3 that is the request's Origin header, not this server's address.
  const publicUrl = (ctx: Koa.Context) => config.PUBLIC_URL?.replace(/\/$/, '') ?? `${ctx.protocol}://${ctx.host}`;
  // One append for every plugin's webhooks: concurrent deliveries share a commit.
  const append = inboxAppender(services);
  const mountedWebhooks = registry.plugins.flatMap(({ definition }) =>
    mountWebhooks(webhooks, definition.name, definition.webhooks ?? [], services, publicUrl, append),
  );
  koa.use(webhooks.routes());
  koa.use(webhooks.allowedMethods());

  const health = new Router();
  mountHealth(health, services.db);
  koa.use(health.routes());

  const api = new Router();
  api.use(jsonBody(config.BODY_LIMIT));
  api.use(authenticate(services.db));
  const describe = () => openApiDocument({ routes, webhooks: mountedWebhooks, version: apiVersion, serverUrl: config.PUBLIC_URL });
  const routes: MountedRoute[] = mountRoutes(api, '/api', 'core', coreRoutes(services, describe), services, () => services.contextFor('core'), (t) => services.tenantContext('core', t));
  for (const { definition } of registry.plugins) {
    if (definition.name === 'core') continue; // its routes are the core routes above
    routes.push(
      ...mountRoutes(
        api,
        `/api/${definition.name}`,
        definition.name,
        definition.routes ?? [],
        services,
        () => services.contextFor(definition.name),
        (t) => services.tenantContext(definition.name, t),
      ),
    );
  }
  koa.use(api.routes());
  koa.use(api.allowedMethods());
  return { koa, routes };
}
