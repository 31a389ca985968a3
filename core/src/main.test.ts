// The README's start command as a user runs it (`node --import tsx core/src/main.ts`): one process tree with the API, the
// worker and an embedded PostgreSQL; Ctrl-C (SIGINT to the foreground process group)
// stops all of it, and even kill -9 leaves no PostgreSQL behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@soshogle/db/testing';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(path.join(tmpdir(), 'soshogle-main-'));
chmodSync(dataDir, 0o755); // the embedded server may run as the postgres user
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** PostgreSQL processes serving our data folder. */
function postgresProcesses(): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return path.basename(cmd[0] ?? '') === 'postgres' && cmd.some((a) => a.startsWith(dataDir));
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function start(pgPort: number): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', EMBEDDED_POSTGRES_PORT: String(pgPort), LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.PLUGINS;
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/src/main.ts'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const match = /Soshogle is listening on (\S+)/.exec(output);
    if (match) return { child, url: match[1]!, output: () => output };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`did not start:\n${output}`);
    await sleep(50);
  }
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

// Each test starts PostgreSQL from nothing (initdb, every migration), once or twice: on a
// busy 2-core machine that alone can pass the suite's 30 s.
const startTimeout = 120_000;

describe('the start command', () => {
  it('serves the API on an embedded database, and Ctrl-C stops everything', async () => {
    const pgPort = await freePort();
    const first = await start(pgPort);
    const ready = await fetch(`${first.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
    const catalog = (await (await fetch(`${first.url}/api/catalog`)).json()) as { plugins: { name: string }[] };
    expect(catalog.plugins.map((p) => p.name)).toEqual(['core', 'example', 'crm', 'leads', 'messaging', 'campaigns', 'calendar', 'payments', 'voice', 'forms']);
    expect(first.output()).toContain('applied database migrations');
    // The same process and port serve the admin UI (built by the test command before the suite).
    const home = await fetch(`${first.url}/contacts`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<title>Soshogle</title>');
    expect(postgresProcesses().length).toBeGreaterThan(0);

    process.kill(-first.child.pid!, 'SIGINT');
    expect(await exited(first.child), first.output()).toBe(0);
    expect(postgresProcesses()).toEqual([]);

    // The data persists: the second start finds every migration applied.
    const second = await start(pgPort);
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    expect(second.output()).not.toContain('applied database migrations');
    process.kill(-second.child.pid!, 'SIGTERM');
    expect(await exited(second.child), second.output()).toBe(0);
    expect(postgresProcesses()).toEqual([]);
  }, startTimeout);

  it('leaves no PostgreSQL behind when the process is killed outright', async () => {
    const { child } = await start(await freePort());
    process.kill(-child.pid!, 'SIGKILL');
    await exited(child);
    const deadline = Date.now() + 15_000;
    while (postgresProcesses().length && Date.now() < deadline) await sleep(100);
    expect(postgresProcesses()).toEqual([]);
  }, startTimeout);

  it('refuses bad configuration with a message naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'core/src/main.ts'], {
      env: { ...process.env, PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await exited(child)).toBe(1);
    expect(stderr).toContain('Invalid configuration:\n  PORT:');
  });
});
