// Fails whenever prisma/schema and prisma/migrations disagree: a schema change without
// a migration, a hand-edited migration, or a stale snapshot. prisma/schema/*.sql (what
// Prisma cannot describe) counts as part of the schema.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createTestDatabase } from '@soshogle/db/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  applyMigrations,
  diffSchemas,
  isEmptyDiff,
  listMigrationNames,
  readHandWrittenSql,
  readSchemaFiles,
  readSnapshot,
  sqlStatements,
} from './migrations.ts';
import { migrationsDir } from './paths.ts';

/** Everything about the public schema that a migration can change, in a stable order. */
async function describeDatabase(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await q(`
        select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type,
               a.attnotnull as not_null, pg_get_expr(d.adbin, d.adrelid) as default
        from pg_attribute a
        join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
          and c.relname <> '_prisma_migrations'
        order by 1, 2`),
      constraints: await q(`
        select c.relname as table, con.conname as name, pg_get_constraintdef(con.oid) as definition
        from pg_constraint con
        join pg_class c on c.oid = con.conrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relname <> '_prisma_migrations'
        order by 1, 2`),
      indexes: await q(`
        select tablename as table, indexname as name, indexdef as definition
        from pg_indexes where schemaname = 'public' and tablename <> '_prisma_migrations'
        order by 1, 2`),
      enums: await q(`
        select t.typname as name, array_agg(e.enumlabel order by e.enumsortorder) as labels
        from pg_type t
        join pg_enum e on e.enumtypid = t.oid
        join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = 'public'
        group by 1 order by 1`),
      triggers: await q(`
        select c.relname as table, t.tgname as name, pg_get_triggerdef(t.oid) as definition
        from pg_trigger t
        join pg_class c on c.oid = t.tgrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and not t.tgisinternal
        order by 1, 2`),
      functions: await q(`
        select p.proname as name, pg_get_functiondef(p.oid) as definition
        from pg_proc p
        join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public'
        order by 1`),
    };
  } finally {
    await client.end();
  }
}

describe('schema and migrations', () => {
  it('the schema has no change that lacks a migration', async () => {
    const url = await createTestDatabase({ migrated: false });
    const sql = await diffSchemas(url, await readSnapshot(), await readSchemaFiles());
    expect(isEmptyDiff(sql), `prisma/schema changed without a migration; run \`pnpm db:migration <name>\`. Pending SQL:\n${sql}`).toBe(true);
  });

  it('the migrations build exactly the database the schema describes', async () => {
    const fromMigrations = await createTestDatabase({ migrated: false });
    await applyMigrations(fromMigrations);

    const fromSchema = await createTestDatabase({ migrated: false });
    const sql = await diffSchemas(fromSchema, [], await readSchemaFiles());
    const client = new pg.Client({ connectionString: fromSchema });
    await client.connect();
    await client.query(sql);
    for (const file of await readHandWrittenSql()) await client.query(file.sql);
    await client.end();

    const [built, described] = await Promise.all([describeDatabase(fromMigrations), describeDatabase(fromSchema)]);
    expect(built.columns.length).toBeGreaterThan(100);
    expect(built.triggers.length).toBeGreaterThan(0);
    expect(built).toEqual(described);
  });

  it('every hand-written statement of prisma/schema/*.sql is in a migration', async () => {
    const files = await readHandWrittenSql();
    expect(files.length).toBeGreaterThan(0);
    const migrated = new Set<string>();
    for (const name of await listMigrationNames()) {
      for (const statement of sqlStatements(await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8'))) migrated.add(statement);
    }
    const missing = files.flatMap((f) => sqlStatements(f.sql).filter((s) => !migrated.has(s)).map((s) => `${path.basename(f.path)}: ${s}`));
    expect(missing, 'a statement of prisma/schema/*.sql changed without a migration that runs it; copy it into a new migration').toEqual([]);
  });

  it('applying the migrations again changes nothing', async () => {
    const url = await createTestDatabase({ migrated: false });
    expect((await applyMigrations(url)).length).toBeGreaterThan(0);
    expect(await applyMigrations(url)).toEqual([]);
  });
});
