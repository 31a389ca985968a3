import path from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { projectRoot } from './paths.ts';

export interface DatabaseServerOptions {
  /** A PostgreSQL URL; when set, no embedded server is started. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded server's data (default `.data/postgres` in the repository). */
  dataDir?: string;
  /** Port of the embedded server. */
  port?: number;
  /** Database the URL points at, on the embedded server. */
  database?: string;
  /** shared_buffers of the embedded server (default: see defaultSharedBuffers). */
  sharedBuffers?: string;
  /** More settings of the embedded server (`-c name=value`). */
  settings?: Record<string, string>;
  log?: (message: string) => void;
}

export interface DatabaseServer {
  url: string;
  /** True when this process started (and will stop) an embedded server. */
  embedded: boolean;
  stop(): Promise<void>;
}

/** The database to use: DATABASE_URL's when given, else an embedded server started now. */
export async function openDatabaseServer(options: DatabaseServerOptions = {}): Promise<DatabaseServer> {
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: false, stop: async () => {} };
  const server = await startEmbeddedPostgres({
    dir: options.dataDir ?? path.join(projectRoot, '.data', 'postgres'),
    port: options.port ?? 54320,
    database: options.database ?? 'soshogle',
    ...(options.sharedBuffers ? { sharedBuffers: options.sharedBuffers } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return { url: server.url, embedded: true, stop: server.stop };
}
