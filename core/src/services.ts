import type { PrismaClient } from '@soshogle/db';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Events, PluginContext, TenantContext } from './plugin.ts';
import type { Registry } from './plugin-host.ts';
import type { KeyRing } from './secrets.ts';

/** What the core's own routes and tasks work with. */
export interface CoreServices {
  config: Config;
  /** Unscoped: only the core's sign-in, tenancy and bookkeeping code uses it. */
  db: PrismaClient;
  log: Logger;
  registry: Registry;
  events: Events;
  keyRing: KeyRing;
  contextFor(plugin: string): PluginContext;
  tenantContext(plugin: string, tenantId: string): TenantContext;
}
