// ctx.providers: a tenant's provider for a capability, made from the connection they
// saved. Nothing is cached in process memory (as for credentials): a connection saved or
// removed is seen by every process at once.
import type { PrismaClient } from '@soshogle/db';
import { readCredentials } from './connections.ts';
import type { Capabilities, CapabilityKey, ConnectedProvider, Providers, TenantContext } from './plugin.ts';
import type { Registry } from './plugin-host.ts';
import type { KeyRing } from './secrets.ts';
import type { TenantTx } from './tenancy.ts';

type Row = { id: string; plugin: string; provider: string; credentials: string };

export function providersFor(
  db: PrismaClient,
  keyRing: KeyRing,
  registry: Registry,
  tenantId: string,
  /** The declaring plugin's context for this tenant, handed to its implementation. */
  contextOf: (plugin: string) => TenantContext,
): Providers {
  const offeredFor = (capability: string) => {
    if (!registry.capabilities.has(capability)) throw new Error(`No enabled plugin declares the capability "${capability}"`);
    return registry.providers.get(capability) ?? [];
  };
  return {
    offered: (capability) =>
      offeredFor(capability).map(({ plugin, provider }) => ({ provider: provider.provider, plugin: plugin.definition.name, displayName: provider.displayName })),

    async get<K extends CapabilityKey>(capability: K, options: { tx?: TenantTx } = {}): Promise<ConnectedProvider<K> | null> {
      const offered = offeredFor(capability);
      if (!offered.length) return null;
      const keys = offered.map(({ plugin, provider }) => `${plugin.definition.name}.${provider.provider}`);
      // The most recently connected one serves (createdAt: re-saving credentials keeps the order).
      const [row] = await (options.tx ?? db).$queryRaw<Row[]>`
        select id, plugin, provider, credentials from "ProviderConnection"
        where "userId" = ${tenantId} and plugin || '.' || provider = any(${keys}::text[])
        order by "createdAt" desc, id desc limit 1`;
      if (!row) return null;
      const { plugin, provider } = offered.find((o) => o.plugin.definition.name === row.plugin && o.provider.provider === row.provider)!;
      // The registry filed this provider under `capability`, so it serves it.
      const make = provider.serves[capability] as unknown as (ctx: TenantContext, credentials: unknown) => Capabilities[K];
      return {
        provider: provider.provider,
        plugin: plugin.definition.name,
        displayName: provider.displayName,
        service: make(contextOf(plugin.definition.name), readCredentials(keyRing, provider, row)),
      };
    },
  };
}
