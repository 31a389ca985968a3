// Prisma's own schema engine, compiled to WebAssembly. The CLI's native engine is
// downloaded from Prisma's CDN at run time, which offline machines cannot reach; the
// WASM build ships inside an npm package and produces the same SQL and the same
// `_prisma_migrations` bookkeeping as `prisma migrate deploy`.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

let bindings: Promise<Bindings> | undefined;

// @types/node declares no WebAssembly global; this is the one call we need.
const { WebAssembly } = globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: object } }> };
};

// The package's default entry imports the .wasm as an ES module, which Node 20 cannot
// do, so the bindings are wired to the instantiated module by hand.
function loadBindings(): Promise<Bindings> {
  bindings ??= (async () => {
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      './schema_engine_bg.js': bg,
    });
    const exports = instance.exports as unknown as { __wbindgen_start(): void };
    bg.__wbg_set_wasm(instance.exports);
    exports.__wbindgen_start();
    return bg;
  })();
  return bindings;
}

export interface SchemaFile {
  path: string;
  content: string;
}

type Connection = Awaited<ReturnType<PrismaPg['connect']>>;

/**
 * adapter-pg's executeScript cuts a migration at every ';', which cuts a function's body
 * (plpgsql) apart. PostgreSQL runs a whole script sent as one simple query, statement by
 * statement, and as one transaction: a migration that fails leaves nothing half applied.
 */
function wholeScripts(connection: Connection): Connection {
  const queryable = connection as Connection & { onError(error: unknown): never };
  connection.executeScript = async (script: string) => {
    try {
      await (connection.underlyingDriver() as { query(sql: string): Promise<unknown> }).query(script);
    } catch (error) {
      queryable.onError(error);
    }
  };
  return connection;
}

/**
 * Runs `fn` with a schema engine bound to `databaseUrl` (connected lazily: `diff`
 * between schema files never opens a connection, so any URL will do there).
 */
export async function withSchemaEngine<T>(
  databaseUrl: string,
  schemaFiles: SchemaFile[],
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const bg = await loadBindings();
  // Keep the connections the engine opens, to close them when it is done: a lingering
  // pool keeps the database busy (it could not serve as a template, or be dropped).
  const pg = new PrismaPg({ connectionString: databaseUrl });
  const opened: { dispose(): Promise<void> }[] = [];
  const adapter = bindMigrationAwareSqlAdapterFactory({
    provider: pg.provider,
    adapterName: pg.adapterName,
    connect: async () => {
      const connection = await pg.connect();
      opened.push(connection);
      return wholeScripts(connection);
    },
    connectToShadowDb: () => pg.connectToShadowDb(),
  });
  const logs: string[] = [];
  const engine = (await bg.SchemaEngine.new(
    { datamodels: schemaFiles.map((f) => [f.path, f.content]) },
    (line: string) => logs.push(line),
    adapter,
  )) as SchemaEngine;
  try {
    return await fn(engine);
  } catch (error) {
    throw engineError(error, logs);
  } finally {
    engine.free();
    await Promise.all(opened.map((c) => c.dispose()));
  }
}

// Engine failures arrive as JSON strings or bare objects; make them real Errors.
function engineError(error: unknown, logs: string[]): Error {
  if (error instanceof Error) return error;
  let message = typeof error === 'string' ? error : JSON.stringify(error);
  try {
    const parsed = JSON.parse(message) as { message?: string };
    if (parsed.message) message = parsed.message;
  } catch {
    // not JSON: keep the text as it is
  }
  const tail = logs.slice(-5).join('\n');
  return new Error(tail ? `${message}\n${tail}` : message);
}
