// Backup and restore as docs/deploy.md tells an operator to do them: `pg_dump -Fc` taken
// while the API takes writes (contacts, the workflow runs they start, webhook
// deliveries), `pg_restore` into a new database, `jobs:release-restored` (frees the jobs
// the old install's workers held), and a new Soshogle booted on the copy. The copy must work: sign
// in, list contacts, every contact the API had acknowledged before the dump is there,
// the runs and deliveries that were queued at dump time finish, and new jobs run.
//
// The embedded PostgreSQL package ships no pg_dump, and a pg_dump refuses a server newer
// than itself, so this file runs its own server from the PostgreSQL installation whose
// pg_dump it uses (Debian's /usr/lib/postgresql/<version>/bin), as an operator with an
// external PostgreSQL would.
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmbeddedPostgres } from '@soshogle/db';
import { databaseUrl, freePort } from '@soshogle/db/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { importPlugins } from './plugin-host.ts';
import { eventually, logIn, publishWorkflow, queueSettled, signedInUser, startTestSoshogle, webhooksApplied, type TestClient } from './testing/index.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The newest PostgreSQL installation with a server and pg_dump/pg_restore (Debian and Ubuntu lay them out so). */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const tools = ['postgres', 'initdb', 'pg_ctl', 'pg_dump', 'pg_restore'];
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => path.join(root, v, 'bin')).find((dir) => tools.every((t) => existsSync(path.join(dir, t))));
  if (!found) throw new Error(`The backup test needs PostgreSQL's server and client programs under ${root}/<version>/bin (Debian: apt-get install postgresql)`);
  return found;
}

const bin = postgresBinDir();
// Under the system temp folder: the server runs as the postgres user when this runs as root.
const dir = mkdtempSync(path.join(tmpdir(), 'soshogle-backup-pg-'));
chmodSync(dir, 0o755);
// A throwaway cluster: no fsync (the restore's thousands of small commits would each wait for the disk).
const server = await startEmbeddedPostgres({
  dir,
  port: await freePort(),
  database: 'live',
  binDir: bin,
  sharedBuffers: '128MB',
  settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const plugins = await importPlugins(['@soshogle/plugin-crm', '@soshogle/plugin-example']);
const webhookSecret = 'a-webhook-secret-of-some-length';
const env = { EXAMPLE_WEBHOOK_SECRET: webhookSecret };
// Boots on the empty database and migrates it, as a first start does.
const live = await startTestSoshogle(plugins, { ...env, DATABASE_URL: server.url });
const owner = await signedInUser(live);
await publishWorkflow(owner, {
  name: 'Welcome',
  trigger: 'CONTACT_CREATED',
  actions: [{ id: 'welcome', type: 'action', action: 'crm.add_tag', props: { tag: 'welcomed' } }],
});

/** A signed delivery to the example plugin's webhook, as its provider sends one. */
function deliver(url: string, id: string): Promise<Response> {
  const body = JSON.stringify({ id, userId: owner.userId, message: `ping ${id}` });
  const signature = `sha256=${createHmac('sha256', webhookSecret).update(body).digest('hex')}`;
  return fetch(`${url}/webhooks/example/inbound`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-example-signature': signature }, body });
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function allContacts(client: TestClient): Promise<string[]> {
  const ids: string[] = [];
  for (let cursor: string | null = null; ; ) {
    const res = await client.request('GET', `/api/crm/contacts?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((c) => c.id));
    if (!(cursor = page.nextCursor)) return ids;
  }
}

describe('a pg_dump taken mid-load', () => {
  it('restores into a working install', { timeout: 60_000 }, async () => {
    // The load: four clients creating contacts, two delivering webhooks, until told to stop.
    const contactsAcked: { id: string; at: number }[] = [];
    const deliveriesAcked: { id: string; at: number }[] = [];
    let stop = false;
    let n = 0;
    const contactLoop = async () => {
      while (!stop) {
        const res = await owner.request('POST', '/api/crm/contacts', { firstName: `Load ${++n}`, email: `load${n}@example.test` });
        expect(res.status).toBe(201);
        contactsAcked.push({ id: ((await res.json()) as { id: string }).id, at: Date.now() });
      }
    };
    const deliveryLoop = async (loop: number) => {
      for (let i = 0; !stop; i++) {
        const id = `evt_${loop}_${i}`;
        const res = await deliver(live.url, id);
        expect(res.status).toBe(200);
        deliveriesAcked.push({ id, at: Date.now() });
      }
    };
    const load = Promise.all([contactLoop(), contactLoop(), contactLoop(), contactLoop(), deliveryLoop(1), deliveryLoop(2)]);

    await eventually(async () => contactsAcked.length >= 10 && deliveriesAcked.length >= 5);
    const file = path.join(dir, 'soshogle.dump');
    const dumpStarted = Date.now();
    await run(path.join(bin, 'pg_dump'), ['-Fc', '-f', file, '-d', server.url]);
    const dumpEnded = Date.now();
    // Writes go on after the dump ends; the copy must not care.
    await eventually(async () => contactsAcked.some((c) => c.at > dumpEnded));
    stop = true;
    await load;

    const restoredUrl = databaseUrl(server.url, 'restored');
    await sql(server.url, 'create database restored');
    await run(path.join(bin, 'pg_restore'), ['--exit-on-error', '--no-owner', '-d', restoredUrl, file]);
    // The restore step docs/deploy.md gives (`jobs:release-restored`, run here as the test's
    // child): the jobs the old install's workers held at dump time are freed at once.
    const released = await run(process.execPath, ['--import', 'tsx', 'core/src/cli/release-restored-jobs.ts'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: restoredUrl } });
    expect(released.stdout).toMatch(/^freed \d+ jobs/);
    await live.stop();

    const restored = await startTestSoshogle(plugins, { ...env, DATABASE_URL: restoredUrl });
    const ready = await fetch(`${restored.url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    const user = await logIn(restored, owner.email, owner.password);
    expect(user.userId).toBe(owner.userId);

    // Everything acknowledged before the dump began is in the copy; nothing from after it ended.
    const listed = new Set(await allContacts(user));
    const before = contactsAcked.filter((c) => c.at < dumpStarted);
    expect(before.length).toBeGreaterThan(0);
    for (const c of before) expect(listed.has(c.id), `contact ${c.id} acknowledged before the dump`).toBe(true);
    for (const c of contactsAcked.filter((c) => c.at > dumpEnded)) expect(listed.has(c.id)).toBe(false);
    expect(listed.size).toBe(await restored.db.contact.count());

    const inbox = await restored.db.webhookInbox.findMany({ where: { plugin: 'example' }, select: { deliveryId: true } });
    const received = new Set(inbox.map((d) => d.deliveryId));
    for (const d of deliveriesAcked.filter((d) => d.at < dumpStarted)) expect(received.has(d.id), `delivery ${d.id}`).toBe(true);

    // New work on the copy: a contact created now is welcomed by the same workflow, a new delivery applied.
    const created = await user.request('POST', '/api/crm/contacts', { firstName: 'After restore' });
    expect(created.status).toBe(201);
    expect((await deliver(restored.url, 'evt_after_restore')).status).toBe(200);

    // What was queued at dump time (and what was just added) finishes on the copy: every
    // contact welcomed exactly once, every delivery applied once, the queue empty.
    await queueSettled(restored, 20_000);
    await webhooksApplied(restored);
    const contacts = await restored.db.contact.count();
    expect(contacts).toBe(listed.size + 1);
    expect(await restored.db.contact.count({ where: { tags: { has: 'welcomed' } } })).toBe(contacts);
    expect(await restored.db.workflowExecution.count({ where: { status: 'COMPLETED' } })).toBe(contacts);
    expect(await restored.db.workflowExecution.count()).toBe(contacts);
    const pings = await restored.db.examplePing.count({ where: { source: 'webhook' } });
    expect(pings).toBe(received.size + 1);
    expect(await restored.db.webhookInbox.count({ where: { appliedAt: null } })).toBe(0);
    // Nothing left in the queue: no job locked by a process that is gone, none stuck at its last attempt.
    expect(await sql(restoredUrl, 'select id, locked_by, attempts, max_attempts, payload from graphile_worker._private_jobs')).toEqual([]);
    await restored.stop(); // started inside the test, where afterAll does not reach it
  });
});
