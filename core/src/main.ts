// `pnpm start`: one process with the API, the job worker and (without DATABASE_URL)
// an embedded PostgreSQL. Ctrl-C stops all three, the database last.
import { startSoshogle } from './boot.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { enabledPluginNames, importPlugins, PluginError } from './plugin-host.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const root = process.cwd();
  const plugins = await importPlugins(enabledPluginNames(config.PLUGINS, root), root);
  const soshogle = await startSoshogle(config, plugins, log);
  log.info({ url: soshogle.url, plugins: plugins.map((p) => p.name) }, 'soshogle started');
  console.log(`Soshogle is listening on ${soshogle.url}`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    soshogle.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof PluginError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
