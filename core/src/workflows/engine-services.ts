// What the engine's tasks are given, and the tenant's data access they all use.
import type { PrismaClient } from '@soshogle/db';
import type { TenantContext } from '../plugin.ts';
import type { CoreServices } from '../services.ts';

export type Raw = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;
export type EngineServices = Pick<CoreServices, 'config' | 'log' | 'registry' | 'events' | 'tenantContext'>;

export function tenantDb(services: EngineServices, tenantId: string): TenantContext['db'] {
  return services.tenantContext('core', tenantId).db;
}
