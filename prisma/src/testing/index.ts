// Test databases: each test file gets its own, cloned from the migrated template that
// the global setup made, and dropped when the file is done.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { databaseUrl } from './urls.ts';

export { freePort } from './free-port.ts';
export { databaseUrl } from './urls.ts';

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('testServerUrl') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for this test file: migrated (Prisma and graphile-worker) when
 * `migrated` (default), else empty. Dropped after the file's tests.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<string> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : inject('testTemplateDatabase');
  await admin((c) => c.query(`create database ${name} template ${template}`));
  afterAll(() => admin((c) => c.query(`drop database if exists ${name} with (force)`)));
  return databaseUrl(inject('testServerUrl'), name);
}
