// The one mechanism that keeps every tenant's data its own: a Prisma client extension
// bound to a tenant (a User id). Plugin code only ever receives such a client.
//
// - Every read, update and delete of a tenant-owned model is filtered by userId, so
//   another tenant's id behaves exactly like an id that does not exist.
// - Every create (createMany, upsert) is stamped with the tenant, whatever userId the
//   caller passed; an update cannot move a row to another tenant.
// - Foreign keys stay plain columns: every reference between tenant rows is a composite
//   foreign key (fk, userId) -> (id, userId) in the database (see docs/data-model.md), so
//   a reference to another tenant's row fails in the same statement (P2003, answered as
//   404 like a missing row). A scoped write is one statement, with no checks before it.
// - Models that are not tenant data (sessions, rate limits, webhook records...) are
//   refused outright; they belong to the core.
//
// Ownership (`writesOnly`): the client a plugin gets writes no model that another enabled
// plugin declares in definePlugin({ models }); reads of other plugins' models stay allowed.
import { readModelMap, type PrismaClient } from '@soshogle/db';

const models = readModelMap();
/** Tenant-owned, but only the core may touch them (sign-in; encrypted provider credentials, read through ctx.credentials). */
const coreOnly = new Set(['Account', 'Session', 'ProviderConnection']);

type Args = Record<string, unknown>;
type Data = Record<string, unknown>;

export class TenancyError extends Error {
  override name = 'TenancyError';
}

function scopeWhere(model: string, where: unknown, tenantId: string): Data {
  const given = (where ?? {}) as Data;
  const and = given.AND === undefined ? [] : Array.isArray(given.AND) ? given.AND : [given.AND];
  return { ...given, AND: [...and, model === 'User' ? { id: tenantId } : { userId: tenantId }] };
}

/**
 * Create and update data: plain columns only, the tenant stamped in (creates) or kept
 * (updates). Nested relation writes are refused: a `connect` would copy the connected
 * row's userId into this one, and one statement per write is the point.
 */
function scopeData(model: string, data: Data, tenantId: string, mode: 'create' | 'update'): Data {
  const relations = models[model]!.relations;
  for (const field of Object.keys(data)) {
    if (field in relations && data[field] !== undefined) {
      throw new TenancyError(`${model}.${field}: a tenant-scoped client takes foreign keys as plain columns (e.g. ${field}Id), not nested writes`);
    }
  }
  if (mode === 'create') return { ...data, userId: tenantId };
  if (!('userId' in data)) return data;
  const { userId: _moved, ...rest } = data;
  return rest;
}

const readOps = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy']);
const filteredWriteOps = new Set(['update', 'updateMany', 'updateManyAndReturn', 'delete', 'deleteMany']);
const writeOps = new Set([...filteredWriteOps, 'create', 'createMany', 'createManyAndReturn', 'upsert']);

function scopeArgs(model: string, operation: string, args: Args, tenantId: string): Args {
  const info = models[model];
  const scopable = info && (info.tenantOwned || model === 'User') && !coreOnly.has(model);
  if (!scopable) throw new TenancyError(`${model} is not tenant data; a tenant-scoped client cannot reach it`);
  if (model === 'User' && !readOps.has(operation)) throw new TenancyError('A tenant-scoped client can only read its own User row');

  if (readOps.has(operation)) return { ...args, where: scopeWhere(model, args.where, tenantId) };
  if (filteredWriteOps.has(operation)) {
    const scoped: Args = { ...args, where: scopeWhere(model, args.where, tenantId) };
    if (args.data) scoped.data = scopeData(model, args.data as Data, tenantId, 'update');
    return scoped;
  }
  switch (operation) {
    case 'create':
      return { ...args, data: scopeData(model, args.data as Data, tenantId, 'create') };
    case 'createMany':
    case 'createManyAndReturn': {
      const rows = Array.isArray(args.data) ? (args.data as Data[]) : [args.data as Data];
      return { ...args, data: rows.map((row) => scopeData(model, row, tenantId, 'create')) };
    }
    case 'upsert':
      return {
        ...args,
        where: { ...(args.where as Data), userId: tenantId },
        create: scopeData(model, args.create as Data, tenantId, 'create'),
        update: scopeData(model, args.update as Data, tenantId, 'update'),
      };
    default:
      throw new TenancyError(`${operation} on ${model} is not supported on a tenant-scoped client`);
  }
}

/** A Prisma client that can only see and change `tenantId`'s data. */
export function scopeToTenant(db: PrismaClient, tenantId: string) {
  return db.$extends({
    name: 'tenant',
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          return query(scopeArgs(model, operation, (args ?? {}) as Args, tenantId) as typeof args);
        },
      },
    },
  });
}

/** What plugin code receives: every model query scoped to one tenant. */
export type TenantDb = ReturnType<typeof scopeToTenant>;

/** The same, inside `db.$transaction(async (tx) => ...)`. */
export type TenantTx = Omit<TenantDb, '$transaction' | '$extends' | '$connect' | '$disconnect' | '$on'>;

/** Who may write which model: each model's owner plugin. */
export interface ModelOwnership {
  /** Model -> the plugin that declares it in definePlugin({ models }). */
  owners: ReadonlyMap<string, string>;
}

interface Writer {
  raw: object;
  plugin: string;
  ownership: ModelOwnership;
}
const writerOf = Symbol('soshogle.writer');
const delegateModels = new Map(Object.keys(models).map((m) => [m.charAt(0).toLowerCase() + m.slice(1), m]));

function ownershipError(plugin: string, model: string, owner: string): TenancyError {
  return new TenancyError(`${plugin} may not write ${model}, owned by ${owner}: call a ${owner} action`);
}

/**
 * Its own models, and models no enabled plugin owns (VoiceAgent, Call, ... until their
 * plugins are built; a plugin's models in tests that run without it).
 */
function mayWrite(plugin: string, model: string, ownership: ModelOwnership): boolean {
  const owner = ownership.owners.get(model);
  return owner === undefined || owner === plugin;
}

/**
 * `db` (a scoped client or a transaction of one) as `plugin` sees it: writes to models
 * other plugins own throw a TenancyError before any SQL is sent; reads pass. A proxy, not
 * another client extension, so the same transaction can be handed from one plugin to
 * another (transactional actions and subscribers) with `actingAs`.
 */
export function writesOnly<T extends object>(db: T, plugin: string, ownership: ModelOwnership): T {
  const writer: Writer = { raw: (db as { [writerOf]?: Writer })[writerOf]?.raw ?? db, plugin, ownership };
  const delegates = new Map<string, unknown>();
  return new Proxy(writer.raw, {
    get(target, property) {
      if (property === writerOf) return writer;
      const value = Reflect.get(target, property) as unknown;
      if (property === '$transaction' && typeof value === 'function') {
        return (arg: unknown, options?: unknown) =>
          typeof arg === 'function'
            ? (value as (fn: unknown, o?: unknown) => unknown).call(target, (tx: object) => (arg as (tx: unknown) => unknown)(writesOnly(tx, plugin, ownership)), options)
            : (value as (a: unknown, o?: unknown) => unknown).call(target, arg, options);
      }
      // Bound to the client itself: the proxy is no `this` Prisma knows.
      if (typeof value === 'function') return value.bind(target) as unknown;
      const model = typeof property === 'string' ? delegateModels.get(property) : undefined;
      if (!model || mayWrite(plugin, model, ownership) || !value) return value;
      let delegate = delegates.get(model);
      if (!delegate) {
        delegate = new Proxy(value as object, {
          get(d, op) {
            if (typeof op === 'string' && writeOps.has(op)) return () => Promise.reject(ownershipError(plugin, model, ownership.owners.get(model)!));
            return Reflect.get(d, op) as unknown;
          },
        });
        delegates.set(model, delegate);
      }
      return delegate;
    },
  }) as T;
}

/**
 * The caller's transaction as `plugin` writes through it: a transactional subscriber or
 * action runs in its caller's transaction under its own plugin's ownership. A client
 * that was never given ownership is returned as it is.
 */
export function actingAs<T extends object>(db: T, plugin: string): T {
  const writer = (db as { [writerOf]?: Writer })[writerOf];
  return writer ? writesOnly(db, plugin, writer.ownership) : db;
}
