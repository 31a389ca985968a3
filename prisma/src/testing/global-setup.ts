// Vitest global setup: one PostgreSQL server for the run (embedded, or the server of
// TEST_DATABASE_URL) and one migrated template database. Each test file clones the
// template (`create database ... template`), which takes milliseconds, not a migration run.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger, runMigrations } from 'graphile-worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../embedded-postgres.ts';
import { applyMigrations } from '../migrations.ts';
import { freePort } from './free-port.ts';
import { databaseUrl } from './urls.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testServerUrl: string;
    testTemplateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.TEST_DATABASE_URL;
  // A throwaway cluster under the system temp folder, which the postgres user can
  // reach even when the checkout sits in a root-only folder.
  const dir = given ? undefined : mkdtempSync(path.join(tmpdir(), 'soshogle-test-pg-'));
  if (dir) chmodSync(dir, 0o755);
  const embedded = dir
    ? await startEmbeddedPostgres({ dir, port: await freePort(), database: 'postgres' })
    : undefined;
  const server = embedded ? { url: embedded.url, stop: embedded.stop } : { url: given!, stop: async () => {} };
  const template = `soshogle_template_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`create database ${template}`);
  await admin.end();
  const templateUrl = databaseUrl(server.url, template);
  await applyMigrations(templateUrl);
  await runMigrations({ connectionString: templateUrl, logger: new Logger(() => () => {}) });
  project.provide('testServerUrl', server.url);
  project.provide('testTemplateDatabase', template);

  return async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query(`drop database if exists ${template} with (force)`);
    await client.end();
    await server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
