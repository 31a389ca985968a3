export * from './client.ts';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';
export { applyMigrations, diffSchemas, isEmptyDiff, listMigrationNames, readSchemaFiles, readSnapshot } from './migrations.ts';
export { openDatabaseServer, type DatabaseServer } from './server.ts';
export type { SchemaFile } from './schema-engine.ts';
export { delegateName, readModelMap, type ModelInfo, type ModelReference } from './model-map.ts';
export * from '../generated/enums.ts';
