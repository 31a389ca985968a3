// Interactive transactions on the driver, not in Prisma's transaction manager.
//
// Prisma's interactive transaction costs ~0.8 ms of CPU per transaction in its client
// runtime (docs/performance.md), more than the statements of a typical workflow step. Here
// `$transaction(fn)` takes a connection from the pool and sends BEGIN; fn gets the client
// bound to that connection: every query made through it (model calls and raw statements,
// through clients made from it) goes to that connection, and COMMIT or ROLLBACK ends it.
// Prisma still builds every statement and maps every error; only the transaction
// bookkeeping moves to the driver.
//
// The contract is Prisma's: only the client fn is given is in the transaction (the client
// it was made from still runs on other connections), and the transaction ends with fn. Also:
// - A `$transaction` on the transaction's client is a savepoint: its failure undoes only its part.
// - The transaction's client used after fn has ended runs on the pool, as the plain client would.
// - Prisma's `timeout` and `maxWait` options are not kept (statement_timeout is the server's).
// - `driverConnection(tx)` is the transaction's own pg connection, for what Prisma cannot
//   send (COPY FROM STDIN); what is sent on it is part of the transaction.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

interface Binding {
  client: pg.PoolClient;
  open: boolean;
  savepoints: number;
}


/**
 * A pg pool that sends the queries made inside a driver transaction to its connection.
 * Prisma's pg adapter calls `query` for a statement and `connect` for a transaction of
 * its own (a batch `$transaction([...])`, a nested write); inside a driver transaction the
 * latter becomes a savepoint on the bound connection.
 */
export class TransactionPool extends pg.Pool {
  // Per pool: a transaction of one client never captures another client's queries.
  readonly #bound = new AsyncLocalStorage<Binding>();

  #current(): Binding | undefined {
    const binding = this.#bound.getStore();
    return binding?.open ? binding : undefined;
  }

  override query(...args: unknown[]): never {
    const binding = this.#current();
    if (binding) return (binding.client.query as (...a: unknown[]) => never)(...args);
    return (super.query as (...a: unknown[]) => never).apply(this, args);
  }

  override connect(...args: unknown[]): never {
    const binding = this.#current();
    if (!binding || args.length) return (super.connect as (...a: unknown[]) => unknown).apply(this, args) as never;
    return Promise.resolve(savepointClient(binding)) as never;
  }

  /**
   * Runs fn in a transaction on one connection (a savepoint when called where one is open).
   * fn gets `enter`: what runs inside `enter(...)` sends its queries to the transaction.
   */
  async transaction<T>(fn: (enter: Enter) => Promise<T>, options: { isolationLevel?: string } = {}): Promise<T> {
    const outer = this.#current();
    if (outer) return withSavepoint(outer, () => fn(this.#enter(outer)));
    const client = await super.connect();
    const binding: Binding = { client, open: true, savepoints: 0 };
    let broken: Error | undefined;
    try {
      await client.query(options.isolationLevel ? `BEGIN ISOLATION LEVEL ${isolation(options.isolationLevel)}` : 'BEGIN');
      const result = await fn(this.#enter(binding));
      binding.open = false;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      binding.open = false;
      // A connection that cannot even roll back is not given to anyone else.
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw error;
    } finally {
      binding.open = false;
      client.release(broken);
    }
  }

  #enter(binding: Binding): Enter {
    const enter = <R>(fn: () => R): R => this.#bound.run(binding, fn);
    return Object.assign(enter, {
      connection(): pg.PoolClient {
        if (!binding.open) throw new Error('driverConnection: the transaction has ended');
        return binding.client;
      },
    });
  }
}

/** Runs fn with the queries it starts (synchronously or in what it awaits) sent to the transaction. */
export interface Enter {
  <R>(fn: () => R): R;
  /** The transaction's connection, while the transaction is open. */
  connection(): pg.PoolClient;
}

const connectionOf = Symbol('soshogle.driverConnection');

/**
 * The pg connection a `$transaction` callback's client runs on (also inside a nested
 * `tx.$transaction`, a savepoint on the same connection): for statements Prisma cannot
 * send, such as COPY FROM STDIN (pg-copy-streams). Queries on it are in the transaction;
 * it throws once the transaction has ended, and for a client that is not a transaction's.
 * Do not release it: the transaction does.
 */
export function driverConnection(tx: object): pg.PoolClient {
  const connection = (tx as { [connectionOf]?: () => pg.PoolClient })[connectionOf];
  if (typeof connection !== 'function') throw new TypeError('driverConnection: not the client of a $transaction callback');
  return connection();
}

/**
 * `client` as the transaction sees it: each call through it (its methods, its model
 * delegates' methods) is made inside `enter`. Prisma's promises are lazy, so each is
 * started right there, in the transaction's context, not where it is later awaited.
 */
export function boundClient<T extends object>(client: T, enter: Enter): T {
  const members = new Map<PropertyKey, unknown>();
  return new Proxy(client, {
    get(target, property) {
      if (property === connectionOf) return enter.connection;
      let member = members.get(property);
      if (member) return member;
      // Prisma gathers the findUniques of one tick from anywhere into one query, run where the
      // first was made: a transaction's would run outside it, or another's inside it. findFirst
      // on the same unique where is the same read, and is never gathered.
      const unbatched = typeof property === 'string' ? unbatchedReads[property] : undefined;
      const value = Reflect.get(target, unbatched && unbatched in target ? unbatched : property) as unknown;
      if (typeof value === 'function' && unbatched && unbatched in target) {
        member = (args: { where?: object }) => enter(() => started(value.call(target, { ...args, where: plainWhere(args.where) })));
      } else if (typeof value === 'function') {
        member = (...args: unknown[]) => enter(() => started(value.apply(target, args)));
      } else if (value && typeof value === 'object' && typeof property === 'string' && !property.startsWith('$') && !property.startsWith('_')) {
        member = boundClient(value, enter); // a model delegate: tx.contact.create(...)
      } else {
        return value;
      }
      members.set(property, member);
      return member;
    },
  });
}

const unbatchedReads: Record<string, string> = { findUnique: 'findFirst', findUniqueOrThrow: 'findFirstOrThrow' };

/** A unique where as findFirst takes it: a compound key (`userId_key: { userId, key }`) spread into its fields. */
function plainWhere(where: object | undefined): object | undefined {
  if (!where) return where;
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(where)) {
    const parts = key.split('_');
    const compound =
      parts.length > 1 && value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) &&
      Object.keys(value).length === parts.length && parts.every((part) => part in value);
    if (compound) Object.assign(plain, value);
    else plain[key] = value;
  }
  return plain;
}

function started<R>(result: R): R {
  const lazy = result as { then?: unknown; [Symbol.toStringTag]?: unknown } | null;
  // Its rejection still reaches whoever awaits it: the promise is created once and cached.
  if (lazy && typeof lazy.then === 'function' && lazy[Symbol.toStringTag] === 'PrismaPromise') (lazy as Promise<unknown>).then(undefined, () => {});
  return result;
}

const levels: Record<string, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

function isolation(level: string): string {
  const sql = levels[level];
  if (!sql) throw new TypeError(`Unknown transaction isolation level: ${level}`);
  return sql;
}

async function withSavepoint<T>(binding: Binding, fn: () => Promise<T>): Promise<T> {
  const name = `soshogle_${++binding.savepoints}`;
  await binding.client.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    await binding.client.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await binding.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}

/** What Prisma's adapter gets from `connect()` inside a driver transaction: its BEGIN/COMMIT/ROLLBACK become a savepoint's. */
function savepointClient(binding: Binding) {
  const name = `soshogle_${++binding.savepoints}`;
  const translate: Record<string, string> = {
    BEGIN: `SAVEPOINT ${name}`,
    COMMIT: `RELEASE SAVEPOINT ${name}`,
    ROLLBACK: `ROLLBACK TO SAVEPOINT ${name}`,
  };
  return {
    query(config: string | { text: string }, ...rest: unknown[]) {
      const text = typeof config === 'string' ? config : config.text;
      const replaced = translate[text.trim().toUpperCase()];
      return (binding.client.query as (...a: unknown[]) => unknown)(replaced ?? config, ...rest);
    },
    release() {},
    on() {},
    removeListener() {},
  };
}
