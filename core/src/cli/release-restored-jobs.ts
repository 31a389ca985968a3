// `npx -y pnpm@10 jobs:release-restored`: after restoring a backup (docs/deploy.md), before
// any process starts on the copy, frees the jobs the old install's workers held at dump time
// (else they wait ~20 s for the supervisor). Uses DATABASE_URL, or the embedded database.
import path from 'node:path';
import { openDatabaseServer } from '@soshogle/db';
import pg from 'pg';
import { loadConfig } from '../config.ts';
import { releaseRestoredJobs } from '../worker-supervisor.ts';

const config = loadConfig();
const server = await openDatabaseServer({ databaseUrl: config.DATABASE_URL, dataDir: path.join(config.DATA_DIR, 'postgres'), port: config.EMBEDDED_POSTGRES_PORT });
const pool = new pg.Pool({ connectionString: server.url, max: 1 });
try {
  console.log(`freed ${await releaseRestoredJobs(pool)} jobs held by the processes of the backed-up install`);
} finally {
  await pool.end();
  await server.stop();
}
