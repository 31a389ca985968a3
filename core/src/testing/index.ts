import { createTestDatabase } from '@soshogle/db/testing';
import { afterAll, expect } from 'vitest';
import { hashPassword } from '../auth/passwords.ts';
import { startSoshogle, type Soshogle } from '../boot.ts';
import { loadConfig } from '../config.ts';
import { lifecycleJobs, runLifecycleJob, type LifecycleOptions, type LifecycleRunResult } from '../lifecycle.ts';
import { createLogger } from '../logger.ts';
import { definePlugin, defineSubscriber, type DeliveredEvent, type EventType, type PluginDefinition } from '../plugin.ts';
import { webhooksApplied } from '../workflows/testing.ts';
import { afterEachDelivery } from './fake-provider-deliveries.ts';

export { createTestDatabase } from '@soshogle/db/testing';
export { hashPassword } from '../auth/passwords.ts';
export * from './fake-provider.ts';
export { FakePageTokenError, pageOf } from './fake-provider-pages.ts';
export { fakeTls } from './fake-provider-tls.ts';
export { shuffled } from './shuffle.ts';

/**
 * A real Soshogle (HTTP server on a free port, worker, fresh migrated database) with
 * the given plugins, stopped after the test file. `env.DATABASE_URL` boots it on that
 * database instead (migrated at boot, as a real start does).
 */
export async function startTestSoshogle(
  plugins: PluginDefinition[],
  env: Record<string, string> = {},
): Promise<Soshogle> {
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase());
  // No lifecycle cron: a tick would delete a test's deliberately old rows under it.
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, LIFECYCLE_JOBS: 'false', ...env });
  const soshogle = await startSoshogle(config, plugins, createLogger(config.LOG_LEVEL), { ...process.env, ...env });
  // A fake provider's delivery returns once its worker has applied it (see afterEachDelivery).
  // Stopped, it no longer waits on deliveries: hooks are shared by the test files of a
  // worker process, and a stopped app's database may be gone (a stop inside a test, where
  // afterAll does not run, left one behind that failed later files' deliveries).
  const off = config.WORKER_ENABLED ? afterEachDelivery(() => webhooksApplied(soshogle)) : () => {};
  const stop = soshogle.stop;
  soshogle.stop = async () => {
    off();
    await stop();
  };
  afterAll(() => soshogle.stop());
  return soshogle;
}

// One bcrypt hash per password for the users a test file creates: at cost 12 each hash takes
// ~0.25 s of a 2-core machine (0.7 s when it is busy), and most files sign in a user per test.
// The login route still checks the password against it, as for any other user.
const passwordHashes = new Map<string, Promise<string>>();

/**
 * Runs the lifecycle job `key` (`<plugin>.<name>` of a retention) once, now, as a cron tick
 * would: test servers schedule none (LIFECYCLE_JOBS=false).
 */
export async function runLifecycle(soshogle: Soshogle, key: string, options: LifecycleOptions = { budgetMs: 60_000, pauseMs: 0 }): Promise<LifecycleRunResult> {
  const job = lifecycleJobs(soshogle.registry).get(key);
  if (!job) throw new Error(`No lifecycle job "${key}" is enabled`);
  return runLifecycleJob(soshogle.db, job, createLogger('silent'), options);
}

/** The bcrypt hash of `password` for a user a test creates directly in the database (made once per file). */
export function testPasswordHash(password: string): Promise<string> {
  let hash = passwordHashes.get(password);
  if (!hash) passwordHashes.set(password, (hash = hashPassword(password)));
  return hash;
}

export interface TestClient {
  userId: string;
  /** fetch against the server with this user's credentials; bodies go as JSON, or as they are when a string or bytes come with their own content-type. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

/** A user (created directly in the database) signed in through the real login route, with its cookie and CSRF token. */
export async function signedInUser(
  soshogle: Soshogle,
  options: { email?: string; password?: string; role?: 'USER' | 'ADMIN' | 'AGENCY' | 'SUB_ACCOUNT'; agencyId?: string } = {},
): Promise<TestClient & { email: string; password: string }> {
  const email = options.email ?? `user-${Math.random().toString(36).slice(2)}@example.test`;
  const password = options.password ?? 'correct horse battery staple';
  const user = await soshogle.db.user.create({
    data: { email, password: await testPasswordHash(password), role: options.role ?? 'USER', agencyId: options.agencyId ?? null },
  });
  return { ...(await loginSession(soshogle, email, password)), userId: user.id, email, password };
}

/** An existing user (one restored from a backup, say) signed in through the real login route; its id read from the session it got. */
export async function logIn(soshogle: Pick<Soshogle, 'url'>, email: string, password: string): Promise<TestClient> {
  const { request } = await loginSession(soshogle, email, password);
  const res = await request('GET', '/api/auth/session');
  if (res.status !== 200) throw new Error(`session failed: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: { id: string } };
  return { userId: user.id, request };
}

/** The login route's cookie and CSRF token, on every request made with `request`. */
async function loginSession(soshogle: Pick<Soshogle, 'url'>, email: string, password: string): Promise<Pick<TestClient, 'request'>> {
  const res = await fetch(`${soshogle.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    request: (method, path, body, headers = {}) => {
      // A string or bytes with their own content-type go as they are (a CSV file); anything else as JSON.
      const raw = (typeof body === 'string' || body instanceof Uint8Array) && Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
      return fetch(`${soshogle.url}${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined || raw ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: raw ? (body as string | Uint8Array<ArrayBuffer>) : JSON.stringify(body) }),
      });
    },
  };
}
export { applied, eventually, publishWorkflow, queueSettled, webhooksApplied } from '../workflows/testing.ts';
export { generateKey, parseKeyRing, pluginSecrets } from '../secrets.ts';
/** The code an authenticator app shows for a two-factor secret, to sign in as a person would. */
export { totpCode } from '../auth/totp.ts';

/** The JSON body of `res` after checking its status (the body shows in the failure message). */
export async function expectJson<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const body = await res.text();
  expect(res.status, body).toBe(status);
  return (body ? JSON.parse(body) : undefined) as T;
}

/** A plugin that records the events it hears, as any other plugin would hear them (after commit, at least once). */
export function eventRecorder<T extends EventType>(events: T[]): { plugin: PluginDefinition; heard: DeliveredEvent<T>[] } {
  const heard: DeliveredEvent<T>[] = [];
  const plugin = definePlugin({
    name: 'recorder',
    displayName: 'Recorder',
    description: `Records ${events.join(', ')}`,
    subscribers: events.map((event) => defineSubscriber({ name: event.replace(/\W/g, '_'), event, run: async (_ctx, e) => void heard.push(e) })),
  });
  return { plugin, heard };
}
