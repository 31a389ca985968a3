import { createTestDatabase } from '@soshogle/db/testing';
import { afterAll } from 'vitest';
import { startSoshogle, type Soshogle } from '../boot.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import type { PluginDefinition } from '../plugin.ts';

export { createTestDatabase } from '@soshogle/db/testing';

/**
 * A real Soshogle (HTTP server on a free port, worker, fresh migrated database) with
 * the given plugins, stopped after the test file.
 */
export async function startTestSoshogle(
  plugins: PluginDefinition[],
  env: Record<string, string> = {},
): Promise<Soshogle> {
  const databaseUrl = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, ...env });
  const soshogle = await startSoshogle(config, plugins, createLogger(config.LOG_LEVEL), { ...process.env, ...env });
  afterAll(() => soshogle.stop());
  return soshogle;
}
