import path from 'node:path';
import { z } from 'zod';

const csv = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean));

/** Every setting the core reads from the environment, with its default. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** HTTP port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** URL users and providers reach this server at (for links and webhook signatures). */
  PUBLIC_URL: z.url().optional(),
  /** PostgreSQL to use. Unset: an embedded PostgreSQL with data under DATA_DIR. */
  DATABASE_URL: z.url().optional(),
  /** Project-local folder for the embedded database and other local state. */
  DATA_DIR: z.string().min(1).default('.data'),
  /** Port of the embedded PostgreSQL (only used without DATABASE_URL). */
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54320),
  /** Plugins to enable: package names, comma-separated. Unset: the list in the root package.json. */
  PLUGINS: csv.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The admin UI's static build, served at / (`npx pnpm@10 ui:build` makes it). */
  UI_DIR: z.string().min(1).default('ui/build'),
  /** Largest JSON or form request body accepted. */
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'a size such as 1mb or 512kb').default('1mb'),
  /** Jobs one worker process runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  /** Accounts with these emails become installation admins once the address is proven (verification or reset link), comma-separated. */
  ADMIN_EMAILS: csv.transform((list) => list.map((e) => e.toLowerCase())).optional(),
  /** Trust X-Forwarded-For/-Proto from a reverse proxy in front (else anyone could fake their IP past rate limits). */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Set to false to run an API-only process (jobs then run in other processes). */
  WORKER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * Set to false to keep this process's worker from scheduling the lifecycle jobs (the
   * prunes of expired and old rows; docs/lifecycle.md). Any one worker scheduling them is
   * enough; the test suite turns them off so nothing is deleted under a test.
   */
  LIFECYCLE_JOBS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * OAuth client id of a Google Cloud "Web application" client, for "Sign in with
   * Google". Sign-in with Google is off (its routes answer 404) unless both this and
   * GOOGLE_CLIENT_SECRET are set. Register `<PUBLIC_URL>/api/auth/google/callback` as
   * an authorised redirect URI of the client.
   */
  GOOGLE_CLIENT_ID: z.string().trim().min(1).optional(),
  /** OAuth client secret of that client; see GOOGLE_CLIENT_ID. */
  GOOGLE_CLIENT_SECRET: z.string().trim().min(1).optional(),
  /**
   * Where Google's OAuth endpoints live, for tests and local fakes. Unset (the normal
   * case): Google's own, i.e. consent at https://accounts.google.com/o/oauth2/v2/auth,
   * token at https://oauth2.googleapis.com/token, user info at
   * https://openidconnect.googleapis.com/v1/userinfo. Set to a base URL such as
   * http://127.0.0.1:4010: every endpoint is served under it at Google's paths, i.e.
   * `<base>/o/oauth2/v2/auth`, `<base>/token` and `<base>/v1/userinfo`.
   */
  GOOGLE_OAUTH_URL: z.url().optional(),
  /**
   * Loop guard: how many workflow runs may lead to one another (a run's action raises
   * an event that starts the next) before the next run is stopped and recorded as failed.
   */
  WORKFLOW_MAX_CHAIN_DEPTH: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * Hosts, IPs or CIDR ranges the "send webhook" workflow action may reach even though
   * they are private, loopback or link-local (refused otherwise), comma-separated.
   */
  WEBHOOK_ALLOWED_HOSTS: csv.default([]),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration; the error names every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = configSchema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(known[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, DATA_DIR: path.resolve(parsed.data.DATA_DIR) };
}
