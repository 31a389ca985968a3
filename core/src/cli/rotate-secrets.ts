// `npx pnpm@10 secrets:rotate`: re-encrypts every stored secret under the first key of
// SECRETS_KEYS (see docs/secrets.md).
import path from 'node:path';
import { createPrismaClient, openDatabaseServer } from '@soshogle/db';
import { loadConfig } from '../config.ts';
import { buildRegistry, enabledPluginNames, importPlugins } from '../plugin-host.ts';
import { loadKeyRing } from '../secrets.ts';
import { encryptedColumns, rotateSecrets } from '../secrets-rotation.ts';

const config = loadConfig();
const root = process.cwd();
const registry = buildRegistry(await importPlugins(enabledPluginNames(config.PLUGINS, root), root));
const ring = loadKeyRing({ env: process.env, dataDir: config.DATA_DIR, production: config.NODE_ENV === 'production', log: console.warn });
const server = await openDatabaseServer({ databaseUrl: config.DATABASE_URL, dataDir: path.join(config.DATA_DIR, 'postgres'), port: config.EMBEDDED_POSTGRES_PORT });
const db = createPrismaClient(server.url);
try {
  const counts = await rotateSecrets(db, ring, encryptedColumns(registry));
  for (const [column, n] of Object.entries(counts)) console.log(`${column}: ${n} re-encrypted under key "${ring.current.id}"`);
} finally {
  await db.$disconnect();
  await server.stop();
}
