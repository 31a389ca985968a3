// Starts one Soshogle process: database (embedded unless DATABASE_URL), migrations,
// plugins, HTTP server and job worker; `stop()` takes them down in reverse order.
import type { Server } from 'node:http';
import path from 'node:path';
import { applyMigrations, createPrismaClient, openDatabaseServer } from '@soshogle/db';
import { runMigrations } from 'graphile-worker';
import pg from 'pg';
import { createActions } from './actions.ts';
import { hitRateLimits, type RateLimitHit } from './auth/rate-limit.ts';
import { createApp } from './app.ts';
import { answerClientErrors } from './http/client-error.ts';
import type { Config } from './config.ts';
import { createEvents } from './events.ts';
import { credentialsFor } from './connections.ts';
import { providersFor } from './providers.ts';
import { createJobs } from './jobs.ts';
import { workflowStarter } from './workflows/manual-start.ts';
import type { MountedRoute } from './http/routes.ts';
import type { Logger } from './logger.ts';
import type { PluginContext, PluginDefinition, TenantContext } from './plugin.ts';
import { buildRegistry } from './plugin-host.ts';
import { loadKeyRing, pluginSecrets } from './secrets.ts';
import type { CoreServices } from './services.ts';
import { scopeToTenant, writesOnly, type ModelOwnership, type TenantDb } from './tenancy.ts';
import { graphileLogger, startWorker } from './worker.ts';
import { corePlugin } from './workflows/plugin.ts';

export interface Soshogle extends CoreServices {
  /** Where the HTTP server listens, e.g. http://localhost:3000. */
  url: string;
  databaseUrl: string;
  routes: MountedRoute[];
  stop(): Promise<void>;
}

export async function startSoshogle(
  config: Config,
  plugins: PluginDefinition[],
  log: Logger,
  /** Where plugins read their config slices (and the core its secrets key) from. */
  env: Record<string, string | undefined> = process.env,
): Promise<Soshogle> {
  // Plugins and keys are checked before anything starts, so a mistake fails in milliseconds.
  const keyRing = loadKeyRing({ env, dataDir: config.DATA_DIR, production: config.NODE_ENV === 'production', log: (m) => log.warn(m) });
  // The core's jobs reach the services built below only when they run.
  let services: CoreServices | undefined;
  const running = () => {
    if (!services) throw new Error('Soshogle is not started yet');
    return services;
  };
  const registry = buildRegistry([corePlugin({ keyRing, config, services: running }), ...plugins], env);
  const database = await openDatabaseServer({
    databaseUrl: config.DATABASE_URL,
    dataDir: path.join(config.DATA_DIR, 'postgres'),
    port: config.EMBEDDED_POSTGRES_PORT,
    log: (message) => log.info(message),
  });
  const cleanups: (() => Promise<unknown>)[] = [() => database.stop()];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log.error({ err: error }, 'error while stopping');
      }
    }
    cleanups.length = 0;
  };
  try {
    const applied = await applyMigrations(database.url);
    if (applied.length) log.info({ applied }, 'applied database migrations');
    // One pool for graphile-worker that we own: its idle connections get an error
    // handler (an unhandled one would crash the process when the database stops) and
    // it is closed after the worker, before the database.
    const jobsPool = new pg.Pool({ connectionString: database.url, max: config.WORKER_CONCURRENCY + 2 });
    jobsPool.on('error', (error) => log.warn({ err: error }, 'idle job-queue connection failed'));
    jobsPool.on('connect', (client) => client.on('error', (error) => log.warn({ err: error }, 'job-queue connection failed')));
    cleanups.push(() => jobsPool.end());
    await runMigrations({ pgPool: jobsPool, logger: graphileLogger(log) });

    const db = createPrismaClient(database.url, { onConnectionError: (error) => log.warn({ err: error }, 'database connection lost') });
    cleanups.push(() => db.$disconnect());
    const events = createEvents(registry, (plugin, tenantId) => tenantContext(plugin, tenantId));
    const jobs = createJobs(registry);
    const actions = createActions(registry, (plugin, tenantId) => tenantContext(plugin, tenantId));
    const contexts = new Map<string, PluginContext>();
    // Known once the server listens; PUBLIC_URL wins when set.
    let listeningAt = `http://localhost:${config.PORT}`;
    const publicUrl = (path: string) => `${config.PUBLIC_URL?.replace(/\/$/, '') ?? listeningAt}${path}`;
    const contextFor = (plugin: string): PluginContext => {
      let ctx = contexts.get(plugin);
      if (!ctx) {
        const loaded = registry.plugins.find((p) => p.definition.name === plugin);
        if (!loaded && plugin !== 'core') throw new Error(`Plugin "${plugin}" is not enabled`);
        // Each plugin counts under its own name: two plugins' keys never meet, nor the core's (`login:ip:...`).
        const rateLimits = (hits: RateLimitHit[]) => hitRateLimits(db, hits.map((hit) => ({ ...hit, key: `plugin:${plugin}:${hit.key}` })));
        const rateLimit = async (key: string, limit: number, windowSeconds: number) => (await rateLimits([{ key, limit, windowSeconds }]))[0]!;
        ctx = { plugin, config: loaded?.config ?? {}, log: log.child({ plugin }), events, jobs, workflows: workflowStarter(registry), actions, publicUrl, rateLimit, rateLimits, secrets: pluginSecrets(keyRing, plugin) };
        contexts.set(plugin, ctx);
      }
      return ctx;
    };
    // A scoped client is a pure function of the tenant: reuse recent ones instead of
    // extending the client again for every job and request.
    const scoped = new Map<string, TenantDb>();
    const scopedDb = (tenantId: string): TenantDb => {
      let client = scoped.get(tenantId);
      if (!client) {
        if (scoped.size >= 1000) scoped.delete(scoped.keys().next().value!);
        client = scopeToTenant(db, tenantId);
        scoped.set(tenantId, client);
      }
      return client;
    };
    // Each plugin writes only the models it declares (and those no enabled plugin declares).
    const ownership: ModelOwnership = { owners: registry.modelOwners };
    const tenantContext = (plugin: string, tenantId: string): TenantContext => ({
      ...contextFor(plugin),
      tenantId,
      db: writesOnly(scopedDb(tenantId), plugin, ownership),
      credentials: credentialsFor(db, keyRing, registry, plugin, tenantId),
      providers: providersFor(db, keyRing, registry, tenantId, (owner) => tenantContext(owner, tenantId)),
    });
    services = { config, db, log, registry, events, keyRing, contextFor, tenantContext };

    if (config.WORKER_ENABLED) {
      const worker = await startWorker({
        pgPool: jobsPool,
        concurrency: config.WORKER_CONCURRENCY,
        services,
        log: log.child({ component: 'worker' }),
        lifecycle: { db, schedule: config.LIFECYCLE_JOBS },
      });
      cleanups.push(() => worker.stop());
    }

    const { koa, routes } = createApp(services);
    const server: Server = await new Promise((resolve, reject) => {
      const s = koa.listen(config.PORT, config.HOST, () => resolve(s));
      s.once('error', reject);
    });
    answerClientErrors(server);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
    listeningAt = `http://${host}:${port}`;
    return { ...services, url: listeningAt, databaseUrl: database.url, routes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
