// Provider connections: a tenant's own credentials for a plugin's provider, entered in
// Settings, stored encrypted, read by plugin code through ctx.credentials. Nothing is
// kept in process memory, so every API and worker process sees a change at once.
import type { PrismaClient } from '@soshogle/db';
import { z } from 'zod';
import { audit } from './auth/audit.ts';
import { itemsOf } from './http/list.ts';
import { notFound, parseOrThrow } from './http/problem.ts';
import { isoDate } from './http/wire.ts';
import { defineRoute, noContent, type AnyRoute, type ConnectionDefinition, type Credentials } from './plugin.ts';
import type { Registry } from './plugin-host.ts';
import { decryptSecret, encryptSecret, type KeyRing } from './secrets.ts';
import type { CoreServices } from './services.ts';
import type { TenantTx } from './tenancy.ts';

const context = (id: string) => `ProviderConnection.credentials:${id}`;

/** A stored row's credentials, decrypted and parsed by the connection's schema. */
export function readCredentials(keyRing: KeyRing, connection: ConnectionDefinition, row: { id: string; credentials: string }): Record<string, unknown> {
  return connection.credentials.parse(JSON.parse(decryptSecret(keyRing, row.credentials, context(row.id))));
}

export function credentialsFor(db: PrismaClient, keyRing: KeyRing, registry: Registry, plugin: string, tenantId: string): Credentials {
  return {
    async get<T>(provider: string, options: { tx?: TenantTx } = {}) {
      const found = registry.connections.get(`${plugin}.${provider}`);
      if (!found) throw new Error(`Plugin "${plugin}" declares no connection "${provider}"`);
      const [row] = options.tx
        ? await options.tx.$queryRaw<{ id: string; credentials: string }[]>`
            select id, credentials from "ProviderConnection" where "userId" = ${tenantId} and plugin = ${plugin} and provider = ${provider}`
        : [await db.providerConnection.findUnique({ where: { userId_plugin_provider: { userId: tenantId, plugin, provider } }, select: { id: true, credentials: true } })];
      if (!row) return null;
      return readCredentials(keyRing, found.connection, row) as T;
    },
  };
}

/** A connection row as read with others: its provider, id and encrypted credentials. */
export interface ConnectionRow {
  provider: string;
  id: string;
  credentials: string;
}

/**
 * Credentials from rows already read (a webhook reads the tenant and its connections in one
 * query): decrypted on `get`, no further query; a provider with no row is in sandbox mode.
 */
export function credentialsFromRows(keyRing: KeyRing, registry: Registry, plugin: string, rows: ConnectionRow[]): Credentials {
  return {
    async get<T>(provider: string) {
      const found = registry.connections.get(`${plugin}.${provider}`);
      if (!found) throw new Error(`Plugin "${plugin}" declares no connection "${provider}"`);
      const row = rows.find((r) => r.provider === provider);
      return row ? (readCredentials(keyRing, found.connection, row) as T) : null;
    },
  };
}

/**
 * The same credentials, each provider's read once: for a batch of webhook deliveries that
 * all need the tenant's (the batch is one transaction, so they cannot change under it).
 */
export function credentialsReadOnce(credentials: Credentials): Credentials {
  const read = new Map<string, Promise<unknown>>();
  return {
    get<T>(provider: string, options?: { tx?: TenantTx }) {
      let found = read.get(provider);
      if (!found) {
        read.set(provider, (found = credentials.get(provider, options)));
        // A failed read is not kept: the next delivery reads again.
        found.catch(() => read.delete(provider));
      }
      return found as Promise<T | null>;
    },
  };
}

/** Secret values as their last 4 characters, so a user can tell which key is saved. */
function shown(connection: ConnectionDefinition, values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => {
      const text = String(value ?? '');
      return [key, connection.visible?.includes(key) ? text : text.length > 8 ? `••••${text.slice(-4)}` : '••••'];
    }),
  );
}

/** Saved values as shown back: visible ones whole, secrets as their last 4 characters. */
const shownCredentials = z.record(z.string(), z.string());
const mode = z.enum(['live', 'sandbox']).describe('live: credentials are saved; sandbox: nothing leaves this server');

const connectionResponse = z
  .object({
    plugin: z.string(),
    provider: z.string(),
    displayName: z.string(),
    description: z.string(),
    /** The capabilities it serves, when it is a provider (defineProvider). */
    serves: z.array(z.string()),
    /** The credential form, as JSON Schema. */
    schema: z.record(z.string(), z.unknown()),
    mode,
    credentials: shownCredentials.nullable(),
    updatedAt: isoDate.nullable(),
  })
  .meta({ id: 'Connection', description: "A provider a plugin connects to, with the tenant's credentials for it" });

const params = z.object({ plugin: z.string().min(1).max(64), provider: z.string().min(1).max(64) });

export function connectionRoutes(services: CoreServices): AnyRoute[] {
  const { db, keyRing, registry } = services;
  const find = (p: { plugin: string; provider: string }) => {
    const found = registry.connections.get(`${p.plugin}.${p.provider}`);
    if (!found) throw notFound('Connection');
    return found.connection;
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/connections',
      summary: "Every provider the enabled plugins connect to: its credential form, and whether it is connected or in sandbox mode",
      response: itemsOf(connectionResponse),
      async handler({ tenantId }) {
        const saved = await db.providerConnection.findMany({ where: { userId: tenantId } });
        return {
          items: [...registry.connections.entries()].map(([key, { plugin, connection }]) => {
            const row = saved.find((r) => `${r.plugin}.${r.provider}` === key);
            const values = row ? (JSON.parse(decryptSecret(keyRing, row.credentials, context(row.id))) as Record<string, unknown>) : null;
            return {
              plugin: plugin.definition.name,
              provider: connection.provider,
              displayName: connection.displayName,
              description: connection.description,
              serves: 'serves' in connection ? Object.keys(connection.serves as object) : [],
              schema: z.toJSONSchema(connection.credentials, { io: 'input', unrepresentable: 'any' }),
              mode: row ? ('live' as const) : ('sandbox' as const),
              credentials: values ? shown(connection, values) : null,
              updatedAt: row?.updatedAt ?? null,
            };
          }),
        };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/connections/:plugin/:provider',
      summary: 'Save credentials for a provider (encrypted); the plugin leaves sandbox mode',
      params,
      body: z.object({ credentials: z.record(z.string(), z.unknown()) }),
      response: z.object({ plugin: z.string(), provider: z.string(), mode: z.literal('live'), credentials: shownCredentials }),
      async handler({ params: p, body, tenantId, auth, http }) {
        const connection = find(p);
        const credentials = parseOrThrow(connection.credentials, body.credentials, 'body.credentials');
        const where = { userId_plugin_provider: { userId: tenantId, plugin: p.plugin, provider: p.provider } };
        await db.$transaction(async (tx) => {
          const row = await tx.providerConnection.upsert({ where, create: { userId: tenantId, plugin: p.plugin, provider: p.provider, credentials: '' }, update: {} });
          await tx.providerConnection.update({ where: { id: row.id }, data: { credentials: encryptSecret(keyRing, JSON.stringify(credentials), context(row.id)) } });
          await audit(tx, http, { userId: tenantId, actorId: auth.userId, action: 'connection.saved', details: { plugin: p.plugin, provider: p.provider } });
        });
        return { plugin: p.plugin, provider: p.provider, mode: 'live' as const, credentials: shown(connection, credentials) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/connections/:plugin/:provider',
      summary: 'Forget the credentials for a provider; the plugin goes back to sandbox mode',
      params,
      response: noContent,
      async handler({ params: p, tenantId, auth, http }) {
        find(p);
        await db.$transaction(async (tx) => {
          const { count } = await tx.providerConnection.deleteMany({ where: { userId: tenantId, plugin: p.plugin, provider: p.provider } });
          if (!count) throw notFound('Connection');
          await audit(tx, http, { userId: tenantId, actorId: auth.userId, action: 'connection.removed', details: { plugin: p.plugin, provider: p.provider } });
        });
      },
    }),
  ];
}
