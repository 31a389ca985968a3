// Starts one Soshogle process: database (embedded unless DATABASE_URL), migrations,
// plugins, HTTP server and job worker; `stop()` takes them down in reverse order.
import type { Server } from 'node:http';
import path from 'node:path';
import { applyMigrations, createPrismaClient, openDatabaseServer } from '@soshogle/db';
import { runMigrations } from 'graphile-worker';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { createEvents } from './events.ts';
import type { Logger } from './logger.ts';
import type { PluginContext, PluginDefinition } from './plugin.ts';
import { buildRegistry, type Registry } from './plugin-host.ts';
import { graphileLogger, startWorker } from './worker.ts';

export interface Soshogle {
  /** Where the HTTP server listens, e.g. http://localhost:3000. */
  url: string;
  databaseUrl: string;
  registry: Registry;
  contextFor(plugin: string): PluginContext;
  stop(): Promise<void>;
}

export async function startSoshogle(
  config: Config,
  plugins: PluginDefinition[],
  log: Logger,
  /** Where plugins read their config slices from. */
  env: Record<string, string | undefined> = process.env,
): Promise<Soshogle> {
  // Plugins are checked before anything starts, so a bad config fails in milliseconds.
  const registry = buildRegistry(plugins, env);
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
    await runMigrations({ connectionString: database.url, logger: graphileLogger(log) });

    const db = createPrismaClient(database.url);
    cleanups.push(() => db.$disconnect());
    const events = createEvents(registry);
    const contexts = new Map<string, PluginContext>(
      registry.plugins.map(({ definition, config: pluginConfig }) => [
        definition.name,
        { plugin: definition.name, config: pluginConfig, log: log.child({ plugin: definition.name }), db, events },
      ]),
    );
    const contextFor = (plugin: string) => {
      const ctx = contexts.get(plugin);
      if (!ctx) throw new Error(`Plugin "${plugin}" is not enabled`);
      return ctx;
    };

    if (config.WORKER_ENABLED) {
      const runner = await startWorker({
        connectionString: database.url,
        concurrency: config.WORKER_CONCURRENCY,
        registry,
        contextFor,
        log: log.child({ component: 'worker' }),
      });
      cleanups.push(() => runner.stop());
    }

    const app = createApp({ config, db, registry, contextFor, log });
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(config.PORT, config.HOST, () => resolve(s));
      s.once('error', reject);
    });
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
    return { url: `http://${host}:${port}`, databaseUrl: database.url, registry, contextFor, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
