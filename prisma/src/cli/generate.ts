// `prisma generate` without internet: generate never runs the schema engine, it only
// checks that a binary exists, and the CLI would otherwise try to download one from
// Prisma's CDN. Any executable satisfies the check (see docs/data-model.md).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { schemaDir } from '../paths.ts';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', schemaDir], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1', ...process.env },
});
process.exit(result.status ?? 1);
