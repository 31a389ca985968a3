import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { migrationsDir, schemaDir, snapshotFile } from './paths.ts';
import { withSchemaEngine, type SchemaFile } from './schema-engine.ts';

const noFilters = { externalTables: [], externalEnums: [] };

/** The current schema: every .prisma file under prisma/schema. */
export async function readSchemaFiles(dir = schemaDir): Promise<SchemaFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.prisma')).sort();
  return Promise.all(names.map(async (n) => ({ path: path.join(dir, n), content: await readFile(path.join(dir, n), 'utf8') })));
}

export interface HandWrittenSql {
  path: string;
  sql: string;
}

/**
 * Every prisma/schema/*.sql, in name order: objects Prisma cannot describe (exclusion and
 * check constraints), so no migration diff ever writes or drops them. Each statement is
 * copied by hand into the migration that introduces it; the drift test holds both to that.
 */
export async function readHandWrittenSql(dir = schemaDir): Promise<HandWrittenSql[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  return Promise.all(names.map(async (n) => ({ path: path.join(dir, n), sql: await readFile(path.join(dir, n), 'utf8') })));
}

/**
 * The statements of a script with comments dropped and whitespace collapsed, so a
 * statement can be found in another script however it is laid out. Plain DDL only: a
 * `;` or `--` inside a string literal or a function body would split it wrongly.
 */
export function sqlStatements(sql: string): string[] {
  return sql
    .replace(/--.*$/gm, '')
    .split(';')
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** The schema as of the newest migration (empty before the first one). */
export async function readSnapshot(): Promise<SchemaFile[]> {
  if (!existsSync(snapshotFile)) return [];
  return [{ path: snapshotFile, content: await readFile(snapshotFile, 'utf8') }];
}

/** Migration folder names, oldest first. */
export async function listMigrationNames(dir = migrationsDir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort();
}

async function readMigrationList(dir = migrationsDir): Promise<MigrationList> {
  const lockPath = path.join(dir, 'migration_lock.toml');
  const names = await listMigrationNames(dir);
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(path.join(dir, name, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

/**
 * Applies every pending migration to the database, recording each in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does. Returns the names applied.
 */
export async function applyMigrations(databaseUrl: string, dir = migrationsDir): Promise<string[]> {
  const migrationsList = await readMigrationList(dir);
  const out = await withSchemaEngine(databaseUrl, await readSnapshot(), (engine) =>
    engine.applyMigrations({ migrationsList, filters: noFilters }),
  );
  return out.appliedMigrationNames;
}

/**
 * SQL that takes a database from schema `from` to schema `to` (empty `from`: from
 * nothing). The engine connects to `databaseUrl` on start but reads nothing from it.
 */
export async function diffSchemas(databaseUrl: string, from: SchemaFile[], to: SchemaFile[]): Promise<string> {
  const result = await withSchemaEngine(databaseUrl, to, (engine) =>
    engine.diff({
      from: from.length ? { tag: 'schemaDatamodel', files: from } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: to },
      script: true,
      exitCode: null,
      filters: noFilters,
    }),
  );
  return result.stdout ?? '';
}

/** True when a diff script has no statements (the engine prints a comment for "no change"). */
export function isEmptyDiff(sql: string): boolean {
  return sql
    .split('\n')
    .map((l) => l.trim())
    .every((l) => l === '' || l.startsWith('--'));
}
