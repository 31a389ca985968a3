// The agency roll-up's numbers for its sub-accounts: the core counts workflows, and each
// plugin counts its own records (TenantCount), one grouped query per count for all of them.
import type { PrismaClient } from '@soshogle/db';
import { countsByTenant, type CountLookup } from '../plugin.ts';
import type { Registry } from '../plugin-host.ts';

type Counts = Record<string, number>;

/** For each tenant, each count by name (0 when it has none), and their totals. */
export async function countsOf(db: PrismaClient, registry: Registry, tenantIds: string[]): Promise<{ byTenant: Map<string, Counts>; totals: Counts }> {
  const workflows = async () => {
    const rows = await db.workflow.groupBy({ by: ['userId'], where: { userId: { in: tenantIds } }, _count: { _all: true } });
    return countsByTenant(rows);
  };
  const named: [string, () => Promise<Counts>][] = [
    ...[...registry.counts.values()].map(({ count }): [string, () => Promise<Counts>] => [count.name, () => count.count(db as unknown as CountLookup, tenantIds)]),
    ['workflows', workflows],
  ];
  const answers: [string, Counts][] = tenantIds.length ? await Promise.all(named.map(async ([name, count]) => [name, await count()] as [string, Counts])) : named.map(([name]) => [name, {}]);
  const byTenant = new Map(tenantIds.map((id) => [id, {} as Counts]));
  const totals: Counts = {};
  for (const [name, counted] of answers) {
    let total = 0;
    for (const [id, values] of byTenant) {
      values[name] = counted[id] ?? 0;
      total += values[name];
    }
    totals[name] = total;
  }
  return { byTenant, totals };
}
