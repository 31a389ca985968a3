// The one way a plugin writes raw SQL for one tenant. The scoped client cannot filter a
// $queryRaw/$executeRaw, so the statement must name the tenant itself; this tag refuses
// one that does not, so a forgotten filter fails at once instead of reading every tenant.
//
//   const t = tenantSql(tenantId);
//   await tx.$queryRaw<Row[]>(t`select c.id from "Contact" c where ${t.owns('c')} and c.tags && ${tags}`);
//   await tx.$executeRaw(t`insert into "Foo" (id, "userId") values (${id}, ${t.id})`);
//
// Only the fragments the helper hands out carry the mark (no parsing of SQL text): a
// cross-tenant statement (one that legitimately names no single tenant) stays plain
// Prisma.sql, with a comment saying why.
import { Prisma } from '@soshogle/db';
import { TenancyError } from './tenancy.ts';

/** Fragments that name a tenant: t.owns(...), t.id and whole t`` statements, with the tenant they name. */
const stamped = new WeakMap<Prisma.Sql, string>();

const identifier = /^[a-z_][a-z0-9_]*$/;

export interface TenantSql {
  /** Builds a statement (Prisma.sql semantics) that must contain t.owns(...) or t.id. */
  (strings: TemplateStringsArray, ...values: unknown[]): Prisma.Sql;
  /** `<alias>."userId" = <tenant>`, or `"userId" = <tenant>` without an alias. */
  owns(alias?: string): Prisma.Sql;
  /** The tenant id as a bound parameter, for the "userId" a statement writes. */
  readonly id: Prisma.Sql;
}

function mark(fragment: Prisma.Sql, tenantId: string): Prisma.Sql {
  stamped.set(fragment, tenantId);
  return fragment;
}

export function tenantSql(tenantId: string): TenantSql {
  if (!tenantId) throw new TenancyError('tenantSql needs a tenant id');
  const names = (value: unknown) => value instanceof Prisma.Sql && stamped.get(value) === tenantId;
  const t = (strings: TemplateStringsArray, ...values: unknown[]): Prisma.Sql => {
    if (!values.some(names)) {
      throw new TenancyError(`raw SQL for a tenant must contain t.owns(...) or t.id: ${strings.join('?').trim().slice(0, 120)}`);
    }
    return mark(Prisma.sql(strings, ...values), tenantId);
  };
  const owns = (alias?: string): Prisma.Sql => {
    if (alias === undefined) return mark(Prisma.sql`"userId" = ${tenantId}`, tenantId);
    if (!identifier.test(alias)) throw new TenancyError(`t.owns: ${JSON.stringify(alias)} is not a plain lower-case table alias`);
    return mark(Prisma.sql([`"${alias}"."userId" = `, ''], tenantId), tenantId);
  };
  return Object.assign(t, { owns, id: mark(Prisma.sql`${tenantId}`, tenantId) });
}
