// The one mechanism that keeps every tenant's data its own: a Prisma client extension
// bound to a tenant (a User id). Plugin code only ever receives such a client.
//
// - Every read, update and delete of a tenant-owned model is filtered by userId, so
//   another tenant's id behaves exactly like an id that does not exist.
// - Every create is stamped with the tenant, whatever userId the caller passed.
// - Every foreign key a write sets (contactId, dealId, ...) becomes a `connect` filtered
//   by the tenant, checked by the database in the same statement: a reference to another
//   tenant's row fails as "not found" (P2025, answered as 404).
// - Models that are not tenant data (sessions, rate limits, webhook records...) are
//   refused outright; they belong to the core.
import { delegateName, Prisma, readModelMap, type PrismaClient } from '@soshogle/db';

const models = readModelMap();
/** Tenant-owned, but only the core may touch them (sign-in; encrypted provider credentials, read through ctx.credentials). */
const coreOnly = new Set(['Account', 'Session', 'ProviderConnection']);

type Args = Record<string, unknown>;
type Data = Record<string, unknown>;

export class TenancyError extends Error {
  override name = 'TenancyError';
}

function tenantFilter(model: string, tenantId: string): Data {
  if (model === 'User') return { id: tenantId };
  if (models[model]?.tenantOwned) return { userId: tenantId };
  // Join rows (DealContact) belong to the tenant of every tenant-owned row they link.
  const filter: Data = {};
  for (const ref of models[model]?.references ?? []) {
    if (models[ref.target]?.tenantOwned) filter[ref.relation] = { userId: tenantId };
  }
  return filter;
}

function scopeWhere(model: string, where: unknown, tenantId: string): Data {
  const given = (where ?? {}) as Data;
  const and = given.AND === undefined ? [] : Array.isArray(given.AND) ? given.AND : [given.AND];
  return { ...given, AND: [...and, tenantFilter(model, tenantId)] };
}

/** The unique filter for a row of `model` that also proves it is the tenant's. */
function ownedRow(model: string, where: unknown, tenantId: string): Data {
  const unique = typeof where === 'string' ? { id: where } : (where as Data);
  return { ...unique, ...tenantFilter(model, tenantId) };
}

function refuseNested(model: string, relation: string, op: string): never {
  throw new TenancyError(`${op} inside ${model}.${relation} is not supported on a tenant-scoped client; write the rows separately`);
}

/** A nested write into `target` through a relation field. */
function scopeRelationWrite(model: string, relation: string, target: string, write: Data, tenantId: string, isList: boolean): Data {
  const out: Data = {};
  for (const [op, value] of Object.entries(write)) {
    if (value === undefined) continue;
    switch (op) {
      case 'connect':
      case 'disconnect':
      case 'delete':
        if (typeof value === 'boolean') out[op] = value;
        else out[op] = Array.isArray(value) ? value.map((v) => ownedRow(target, v, tenantId)) : ownedRow(target, value, tenantId);
        break;
      case 'create':
        out.create = Array.isArray(value)
          ? value.map((v) => scopeData(target, v as Data, tenantId, 'create'))
          : scopeData(target, value as Data, tenantId, 'create');
        break;
      default:
        refuseNested(model, relation, op);
    }
  }
  if (isList && 'disconnect' in out && typeof out.disconnect === 'boolean') refuseNested(model, relation, 'disconnect: true');
  return out;
}

/**
 * Rewrites create/update data: the tenant stamped in, every foreign key turned into a
 * tenant-checked `connect`, nested writes scoped the same way.
 */
function scopeData(model: string, data: Data, tenantId: string, mode: 'create' | 'update'): Data {
  const info = models[model];
  if (!info) throw new TenancyError(`Unknown model ${model}`);
  const out: Data = { ...data };
  const handled = new Set<string>();
  for (const ref of info.references) {
    handled.add(ref.relation);
    if (ref.target === 'User' && ref.field === 'userId') {
      delete out.userId;
      delete out.user;
      if (mode === 'create') out.user = { connect: { id: tenantId } };
      continue;
    }
    if (ref.field in out) {
      const value = out[ref.field];
      delete out[ref.field];
      if (value === null) {
        if (mode === 'update') out[ref.relation] = { disconnect: true };
      } else if (value !== undefined) {
        out[ref.relation] = { connect: ownedRow(ref.target, { id: value }, tenantId) };
      }
    } else if (out[ref.relation] !== undefined) {
      out[ref.relation] = scopeRelationWrite(model, ref.relation, ref.target, out[ref.relation] as Data, tenantId, false);
    }
  }
  for (const [field, target] of Object.entries(info.relations)) {
    if (handled.has(field) || out[field] === undefined) continue;
    out[field] = scopeRelationWrite(model, field, target, out[field] as Data, tenantId, true);
  }
  return out;
}

/**
 * createMany takes plain columns only, so its foreign keys cannot become connects:
 * they are checked with one query per key before the insert (references must exist
 * already, committed or in the same transaction's earlier statements seen by `db`).
 */
async function scopeCreateMany(db: PrismaClient, model: string, rows: Data[], tenantId: string): Promise<Data[]> {
  const info = models[model]!;
  const stamped: Data[] = rows.map((row) => (info.tenantOwned ? { ...row, userId: tenantId } : { ...row }));
  for (const ref of info.references) {
    if (ref.field === 'userId' && ref.target === 'User') continue;
    const ids = [...new Set(stamped.map((r) => r[ref.field]).filter((v): v is string => typeof v === 'string'))];
    if (!ids.length) continue;
    const delegate = (db as unknown as Record<string, { count(args: Args): Promise<number> }>)[delegateName(ref.target)]!;
    const found = await delegate.count({ where: { id: { in: ids }, ...tenantFilter(ref.target, tenantId) } });
    if (found !== ids.length) throw notFoundError(ref.target);
  }
  return stamped;
}

function notFoundError(model: string): Prisma.PrismaClientKnownRequestError {
  return new Prisma.PrismaClientKnownRequestError(`No ${model} found`, { code: 'P2025', clientVersion: Prisma.prismaVersion.client });
}

const readOps = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy']);
const filteredWriteOps = new Set(['update', 'updateMany', 'updateManyAndReturn', 'delete', 'deleteMany']);

async function scopeArgs(db: PrismaClient, model: string, operation: string, args: Args, tenantId: string): Promise<Args> {
  const info = models[model];
  const scopable = info && (info.tenantOwned || model === 'DealContact' || model === 'User') && !coreOnly.has(model);
  if (!scopable) throw new TenancyError(`${model} is not tenant data; a tenant-scoped client cannot reach it`);
  if (model === 'User' && !readOps.has(operation)) throw new TenancyError('A tenant-scoped client can only read its own User row');

  if (readOps.has(operation)) return { ...args, where: scopeWhere(model, args.where, tenantId) };
  if (filteredWriteOps.has(operation)) {
    const scoped: Args = { ...args, where: scopeWhere(model, args.where, tenantId) };
    if (args.data) {
      // updateMany takes plain columns: forbid moving rows between tenants or parents there.
      if (operation !== 'update') {
        const moved = info.references.map((r) => r.field).filter((f) => f in (args.data as Data));
        if (moved.length) throw new TenancyError(`${operation} on ${model} cannot change ${moved.join(', ')}; update rows one by one`);
        return scoped;
      }
      scoped.data = scopeData(model, args.data as Data, tenantId, 'update');
    }
    return scoped;
  }
  switch (operation) {
    case 'create':
      return { ...args, data: scopeData(model, args.data as Data, tenantId, 'create') };
    case 'createMany':
    case 'createManyAndReturn': {
      const rows = Array.isArray(args.data) ? (args.data as Data[]) : [args.data as Data];
      return { ...args, data: await scopeCreateMany(db, model, rows, tenantId) };
    }
    case 'upsert':
      return {
        ...args,
        where: ownedRow(model, args.where, tenantId),
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
        async $allOperations({ model, operation, args, query }) {
          return query((await scopeArgs(db, model, operation, (args ?? {}) as Args, tenantId)) as typeof args);
        },
      },
    },
  });
}

/** What plugin code receives: every model query scoped to one tenant. */
export type TenantDb = ReturnType<typeof scopeToTenant>;

/** The same, inside `db.$transaction(async (tx) => ...)`. */
export type TenantTx = Omit<TenantDb, '$transaction' | '$extends' | '$connect' | '$disconnect' | '$on'>;
