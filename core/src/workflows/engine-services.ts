// What the engine's tasks are given, and the tenant's data access they all use.
import type { PrismaClient } from '@soshogle/db';
import type { TenantContext } from '../plugin.ts';
import type { CoreServices } from '../services.ts';
import type { Step } from './definition.ts';
import type { RunRef } from './task-payloads.ts';

export type Raw = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;
export type EngineServices = Pick<CoreServices, 'config' | 'log' | 'registry' | 'events' | 'tenantContext'> & {
  /** Set while a start takes its runs' first steps inline: their successes are gathered here and recorded together (step-record.ts). */
  firstSteps?: FinishedStep[];
};

/** A step's success, as finishStep records it. */
export interface FinishedStep {
  run: RunRef;
  step: Step;
  record: { attempt: number; startedAt: Date; input?: unknown; output?: unknown };
  next: string | null | undefined;
  runAt?: Date;
}

export function tenantDb(services: EngineServices, tenantId: string): TenantContext['db'] {
  return services.tenantContext('core', tenantId).db;
}
