import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createPrismaClient, Prisma } from '@soshogle/db';
import { createTestDatabase } from '@soshogle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenancyError } from './tenancy.ts';
import { tenantSql } from './tenant-sql.ts';

const db = createPrismaClient(await createTestDatabase(), { max: 2 });
afterAll(() => db.$disconnect());

let a: string, b: string;
beforeAll(async () => {
  a = (await db.user.create({ data: { email: 'sql-a@example.test' } })).id;
  b = (await db.user.create({ data: { email: 'sql-b@example.test' } })).id;
  await db.contact.create({ data: { userId: a, firstName: 'Ann', tags: ['vip'] } });
  await db.contact.create({ data: { userId: b, firstName: 'Bob', tags: ['vip'] } });
});

describe('tenantSql', () => {
  it('filters by the tenant with t.owns, with or without an alias', async () => {
    const t = tenantSql(a);
    const aliased = await db.$queryRaw<{ firstName: string }[]>(t`select c."firstName" from "Contact" c where ${t.owns('c')} and c.tags && ${['vip']}`);
    expect(aliased.map((r) => r.firstName)).toEqual(['Ann']);
    const bare = await db.$queryRaw<{ firstName: string }[]>(t`select "firstName" from "Contact" where ${t.owns()}`);
    expect(bare.map((r) => r.firstName)).toEqual(['Ann']);
  });

  it('stamps the tenant with t.id', async () => {
    const t = tenantSql(b);
    const id = 'tenant-sql-tag';
    await db.$executeRaw(t`insert into "Tag" (id, "userId", name) values (${id}, ${t.id}, ${'Stamped'})`);
    expect((await db.tag.findUniqueOrThrow({ where: { id } })).userId).toBe(b);
  });

  it('refuses a statement that does not name the tenant, before it reaches the database', () => {
    const t = tenantSql(a);
    expect(() => t`select * from "Contact" where tags && ${['vip']}`).toThrow(TenancyError);
    expect(() => t`select * from "Contact"`).toThrow(TenancyError);
    // A hand-written filter is not the mark, and neither is a plain Prisma.sql around one.
    expect(() => t`select * from "Contact" where "userId" = ${a}`).toThrow(TenancyError);
    expect(() => t`select * from "Contact" where ${Prisma.sql`${t.owns()} and true`}`).toThrow(TenancyError);
    // Another tenant's mark does not count for this one.
    expect(() => t`select * from "Contact" where ${tenantSql(b).owns()}`).toThrow(TenancyError);
  });

  it('counts a nested fragment built with the same tag', async () => {
    const t = tenantSql(a);
    const where = t`${t.owns('c')} and c."firstName" = ${'Ann'}`;
    const rows = await db.$queryRaw<{ n: number }[]>(t`select count(*)::int as n from "Contact" c where ${where}`);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('takes only a plain identifier as an alias', () => {
    const t = tenantSql(a);
    expect(() => t.owns('c"; drop table "Contact" --')).toThrow(TenancyError);
    expect(() => t.owns('C')).toThrow(TenancyError);
    expect(() => tenantSql('')).toThrow(TenancyError);
  });
});

// ---- one way: no plugin writes the tenant filter by hand --------------------------------

const pluginsDir = join(import.meta.dirname, '../../plugins');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Index just past the template literal whose opening backtick is at `start`. */
function templateEnd(src: string, start: number): number {
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === '`') return i + 1;
    else if (c === '$' && src[i + 1] === '{') {
      let depth = 1;
      i += 2;
      while (i < src.length && depth > 0) {
        if (src[i] === '`') i = templateEnd(src, i) - 1;
        else if (src[i] === '{') depth++;
        else if (src[i] === '}') depth--;
        i++;
      }
    } else i++;
  }
  return i;
}

/** name:line of every raw statement tagged directly with a template that names "userId", and every hand-written `"userId" = ${...}`. */
function handWrittenTenantSql(name: string, src: string): string[] {
  const at = (index: number) => `${name}:${src.slice(0, index).split('\n').length}`;
  const found = [...src.matchAll(/"userId"\s*=\s*\$\{/g)].map((m) => at(m.index));
  for (const m of src.matchAll(/\$(?:queryRaw|executeRaw)(?:<[^`(]*>)?`/g)) {
    const open = m.index + m[0].length - 1;
    if (src.slice(open, templateEnd(src, open)).includes('"userId"')) found.push(at(m.index));
  }
  return [...new Set(found)].sort();
}

describe('raw SQL in plugins', () => {
  it('names the tenant only through tenantSql', () => {
    const files = readdirSync(pluginsDir).flatMap((plugin) => {
      try {
        return sourceFiles(join(pluginsDir, plugin, 'src'));
      } catch {
        return [];
      }
    });
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((file) => handWrittenTenantSql(relative(pluginsDir, file), readFileSync(file, 'utf8')));
    expect(found, 'use tenantSql(tenantId): t`... ${t.owns(alias)} ...` and ${t.id}').toEqual([]);
  });

  it('spots a hand-written filter and a directly tagged statement naming "userId"', () => {
    const sample = [
      'const ok = 1;',
      'await tx.$queryRaw<{ id: string }[]>`select id from "Deal" where ${`x`} = 1 and "userId" in (${a})`;',
      'await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`lock:${id}`}))`;',
      'const where = Prisma.sql`"userId" = ${tenantId}`;',
    ].join('\n');
    expect(handWrittenTenantSql('sample.ts', sample)).toEqual(['sample.ts:2', 'sample.ts:4']);
  });
});
