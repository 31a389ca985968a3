// The API's OpenAPI document and the TypeScript types the admin UI is typed with, made
// from the route definitions alone: no database is opened, no server listens.
import { createPrismaClient } from '@soshogle/db';
import openapiTS, { astToString } from 'openapi-typescript';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createEvents } from './events.ts';
import { createLogger } from './logger.ts';
import { openApiDocument } from './http/openapi.ts';
import type { MountedRoute } from './http/routes.ts';
import type { PluginDefinition } from './plugin.ts';
import { buildRegistry } from './plugin-host.ts';
import { parseKeyRing } from './secrets.ts';
import { corePlugin } from './workflows/plugin.ts';

const notServing = () => {
  throw new Error('Describing the API serves no requests');
};

/** The routes the given plugins mount, as a server would (handlers are never called). */
export function describeRoutes(plugins: PluginDefinition[], env: Record<string, string | undefined> = {}): MountedRoute[] {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'postgresql://127.0.0.1:9/unused' });
  const keyRing = parseKeyRing(`describe:${Buffer.alloc(32).toString('base64')}`);
  const registry = buildRegistry([corePlugin({ keyRing, config, services: notServing }), ...plugins], env);
  // A client that never connects: Prisma opens its pool on the first query, and there is none.
  const db = createPrismaClient(config.DATABASE_URL!);
  const services = { config, db, log: createLogger('silent'), registry, events: createEvents(registry), keyRing, contextFor: notServing, tenantContext: notServing };
  return createApp(services).routes;
}

/** The admin UI's types of every route (openapi-typescript's `paths`), from the document. */
export async function uiTypes(document: object): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return `// Generated from the API's OpenAPI document by \`npx -y pnpm@10 api:types\`: do not edit.\n// A test fails when it is out of date.\n${astToString(ast)}`;
}

export { openApiDocument };
