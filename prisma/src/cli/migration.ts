// `pnpm db:migration <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// with the SQL from the schema as of the newest migration to the current schema, and
// moves the snapshot forward. Offline: the diff runs in Prisma's WASM schema engine.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffSchemas, isEmptyDiff, readSchemaFiles, readSnapshot } from '../migrations.ts';
import { migrationsDir, projectRoot, snapshotFile } from '../paths.ts';
import { openDatabaseServer } from '../server.ts';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: pnpm db:migration <name>   (name in snake_case, e.g. add_contact_birthday)');
  process.exit(2);
}

const server = await openDatabaseServer({ databaseUrl: process.env.DATABASE_URL });
try {
  const schema = await readSchemaFiles();
  const sql = await diffSchemas(server.url, await readSnapshot(), schema);
  if (isEmptyDiff(sql)) {
    console.log('The schema matches the newest migration: nothing to write.');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'migration.sql'), sql);
    const lock = path.join(migrationsDir, 'migration_lock.toml');
    if (!existsSync(lock)) await writeFile(lock, '# Written by Prisma-compatible tooling; do not edit.\nprovider = "postgresql"\n');
    const snapshot = schema.map((f) => `// ---- ${path.basename(f.path)} ----\n${f.content.trim()}\n`).join('\n');
    await writeFile(snapshotFile, `// The schema as of the newest migration. Written by \`pnpm db:migration\`; do not edit.\n\n${snapshot}`);
    console.log(`wrote ${path.relative(projectRoot, path.join(dir, 'migration.sql'))}`);
  }
} finally {
  await server.stop();
}
