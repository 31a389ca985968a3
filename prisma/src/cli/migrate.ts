// Applies pending migrations to DATABASE_URL (or the embedded server).
import { applyMigrations } from '../migrations.ts';
import { openDatabaseServer } from '../server.ts';

const server = await openDatabaseServer({ databaseUrl: process.env.DATABASE_URL, log: console.log });
try {
  const applied = await applyMigrations(server.url);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
} finally {
  await server.stop();
}
