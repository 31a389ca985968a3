import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client.ts';
import { boundClient, TransactionPool } from './transaction.ts';

export { driverConnection } from './transaction.ts';

// Row types of the models plugin code passes around (Contact, Deal, ...).
export type {
  Call,
  Campaign,
  CampaignRecipient,
  ConsentChange,
  Contact,
  Invoice,
  InvoiceLine,
  ContactMerge,
  Conversation,
  CrmJob,
  CrmJobError,
  CsvUpload,
  CustomField,
  Deal,
  DealContact,
  Form,
  FormSubmission,
  FormVersion,
  Lead,
  LeadSearch,
  Message,
  MessageEvent,
  MessagingSettings,
  Note,
  Payment,
  PaymentRefund,
  SmartList,
  Tag,
  VoiceAgent,
} from '../generated/client.ts';
export type { PrismaClient } from '../generated/client.ts';
export { Prisma } from '../generated/client.ts';

/**
 * A Prisma client on the pg driver adapter (no native query engine needed), whose
 * `$transaction` runs on a driver transaction (transaction.ts): the same calls, without
 * the ~0.8 ms of CPU Prisma's own transactions cost each.
 */
export function createPrismaClient(databaseUrl: string, options: { max?: number; onConnectionError?: (error: Error) => void } = {}): PrismaClient {
  const pool = new TransactionPool({ connectionString: databaseUrl, max: options.max ?? 10 });
  // A connection the server drops (a PostgreSQL restart, pg_terminate_backend) emits 'error'
  // on its client, idle or lent out; unheard, that is an uncaught exception and the process
  // dies. Heard, the pool discards the connection, the statement or transaction on it fails
  // like any other, and the next one gets a new connection. The pool re-emits an idle
  // client's error: heard (and ignored) there too, so it is reported once.
  const dropped = options.onConnectionError ?? (() => {});
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', dropped));
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  return withDriverTransactions(client, pool);
}

type Client = { $transaction: unknown; $extends: (...args: unknown[]) => object };
type Work = (tx: unknown) => Promise<unknown>;

/** The client (and every client extended from it) with `$transaction` on `pool`'s driver transactions. */
function withDriverTransactions<T extends object>(client: T, pool: TransactionPool): T {
  const methods = new Map<PropertyKey, unknown>();
  const wrapped: T = new Proxy(client, {
    get(target, property) {
      let method = methods.get(property);
      if (method) return method;
      const value = Reflect.get(target, property) as unknown;
      if (property === '$transaction') {
        method = (work: Work | Promise<unknown>[], options?: { isolationLevel?: string }) =>
          pool.transaction(
            (enter) =>
              typeof work === 'function'
                ? work(boundClient(wrapped, enter))
                : // A batch: each statement in turn on the transaction's connection (Prisma's promises start when awaited).
                  enter(async () => {
                    const results: unknown[] = [];
                    for (const statement of work) results.push(await statement);
                    return results;
                  }),
            options,
          );
      } else if (property === '$extends') {
        method = (...args: unknown[]) => withDriverTransactions((target as unknown as Client).$extends(...args), pool);
      } else if (typeof value === 'function') {
        // Bound to the client itself: Prisma's methods expect it as `this`, not the proxy.
        method = value.bind(target);
      } else {
        return value;
      }
      methods.set(property, method);
      return method;
    },
  });
  return wrapped;
}
