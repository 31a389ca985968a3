import { fileURLToPath } from 'node:url';

/** Folder of the Prisma schema files, one per owner. */
export const schemaDir = fileURLToPath(new URL('../schema/', import.meta.url));
/** Committed migrations, in Prisma's layout (one folder per migration with migration.sql). */
export const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));
/**
 * The schema as of the newest migration. New migrations are the diff from it to the
 * current schema; the drift test proves it matches what the migrations build.
 */
export const snapshotFile = fileURLToPath(new URL('../migrations/schema.snapshot.prisma', import.meta.url));
/** The repository root (this package is its prisma/ folder). */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
