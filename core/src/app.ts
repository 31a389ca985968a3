import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { PrismaClient } from '@soshogle/db';
import Koa from 'koa';
import { buildCatalog } from './catalog.ts';
import type { Config } from './config.ts';
import { mountHealth } from './http/health.ts';
import { problemMiddleware } from './http/problem.ts';
import { requestLog } from './http/request-log.ts';
import { mountWebhooks } from './http/webhooks.ts';
import type { Logger } from './logger.ts';
import type { PluginContext } from './plugin.ts';
import type { Registry } from './plugin-host.ts';

export interface AppOptions {
  config: Pick<Config, 'BODY_LIMIT' | 'PUBLIC_URL'>;
  db: PrismaClient;
  registry: Registry;
  contextFor(plugin: string): PluginContext;
  log: Logger;
}

/** The HTTP app: health, the catalog, and each enabled plugin's routes and webhooks. */
export function createApp(options: AppOptions): Koa {
  const app = new Koa({ proxy: true });
  app.use(requestLog(options.log));
  app.use(problemMiddleware);

  // Webhooks read their own raw bytes, so they are mounted before the body parser.
  const webhooks = new Router();
  const publicUrl = (ctx: Koa.Context) => options.config.PUBLIC_URL?.replace(/\/$/, '') ?? ctx.origin;
  for (const { definition } of options.registry.plugins) {
    mountWebhooks(webhooks, definition.name, definition.webhooks ?? [], () => options.contextFor(definition.name), publicUrl);
  }
  app.use(webhooks.routes());
  app.use(webhooks.allowedMethods());

  app.use(
    bodyParser({
      enableTypes: ['json', 'form'],
      jsonLimit: options.config.BODY_LIMIT,
      formLimit: options.config.BODY_LIMIT,
      // Without this a JSON body of `"text"` or `3` would reach handlers as a string.
      jsonStrict: true,
    }),
  );

  const core = new Router();
  mountHealth(core, options.db);
  const catalog = buildCatalog(options.registry);
  core.get('/api/catalog', (ctx) => {
    ctx.body = catalog;
  });
  app.use(core.routes());
  app.use(core.allowedMethods());

  for (const { definition } of options.registry.plugins) {
    if (!definition.routes) continue;
    const router = new Router({ prefix: `/api/${definition.name}` });
    const ctx = options.contextFor(definition.name);
    definition.routes(router, ctx);
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
