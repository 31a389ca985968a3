// Vitest global setup: one PostgreSQL server for the run (embedded, or the server of
// TEST_DATABASE_URL) and one migrated template database. Each test file clones the
// template (`create database ... template`), which takes milliseconds, not a migration run.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { runMigrations } from 'graphile-worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../embedded-postgres.ts';
import { applyMigrations } from '../migrations.ts';
import { databaseUrl } from './urls.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testServerUrl: string;
    testTemplateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.TEST_DATABASE_URL;
  const server = given
    ? { url: given, stop: async () => {} }
    : await startEmbeddedPostgres({
        dir: path.resolve(process.env.TEST_DATA_DIR ?? '.data/test-postgres'),
        port: Number(process.env.TEST_POSTGRES_PORT ?? 54330),
        database: 'postgres',
      });
  const template = `soshogle_template_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`create database ${template}`);
  await admin.end();
  const templateUrl = databaseUrl(server.url, template);
  await applyMigrations(templateUrl);
  await runMigrations({ connectionString: templateUrl, logger: undefined });
  project.provide('testServerUrl', server.url);
  project.provide('testTemplateDatabase', template);

  return async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query(`drop database if exists ${template} with (force)`);
    await client.end();
    await server.stop();
  };
}
