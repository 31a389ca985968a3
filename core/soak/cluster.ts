// The soak's Soshogle processes: API processes (WORKER_ENABLED=false) on fixed ports the
// balancer knows, and worker processes (the same entry, main.ts, with the worker on and a
// port nobody is sent to). Each can be killed and started again; a process that exits by
// itself is counted and started again, as a process manager would.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';

export type Role = 'api' | 'worker';

export interface SoakProcess {
  name: string;
  role: Role;
  /** The API port (0 for workers). */
  port: number;
  child?: ChildProcess;
  /** Resolves when the process says it listens. */
  ready?: Promise<void>;
  /** Said it listens, and not stopped since. */
  up: boolean;
  /** Set while the harness itself stops it, so its exit is not counted as a crash. */
  stopping: boolean;
  starts: number;
  /** Exits the harness did not cause. */
  crashes: number;
}

export interface Cluster {
  processes: SoakProcess[];
  /** Ports of API processes the harness believes up (the balancer still skips refused ones). */
  apiPorts(): number[];
  start(p: SoakProcess): Promise<void>;
  /** Sends `signal`, waits for the exit (a SIGTERM is given `graceMs`, then SIGKILL). */
  stop(p: SoakProcess, signal: 'SIGKILL' | 'SIGTERM', graceMs?: number): Promise<void>;
  add(role: Role, port: number): SoakProcess;
  stopAll(): Promise<void>;
}

export function cluster(options: { root: string; logDir: string; env: Record<string, string> }): Cluster {
  const processes: SoakProcess[] = [];
  // The harness failing or interrupted takes its processes with it (they would keep the database's keeper alive too).
  const killAll = () => processes.forEach((p) => p.child?.kill('SIGKILL'));
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  const logs = new Map<string, WriteStream>();
  const logOf = (name: string) => {
    let log = logs.get(name);
    if (!log) logs.set(name, (log = createWriteStream(path.join(options.logDir, `${name}.log`), { flags: 'a' })));
    return log;
  };

  const start = (p: SoakProcess): Promise<void> => {
    p.stopping = false;
    p.starts++;
    const env = {
      ...process.env,
      ...options.env,
      PORT: String(p.port),
      HOST: '127.0.0.1',
      WORKER_ENABLED: p.role === 'worker' ? 'true' : 'false',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'core/src/main.ts'], { cwd: options.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    p.child = child;
    const log = logOf(p.name);
    log.write(`--- start ${p.starts} pid ${child.pid} at ${new Date().toISOString()}\n`);
    child.stderr!.pipe(log, { end: false });
    p.ready = new Promise<void>((resolve, reject) => {
      let seen = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        log.write(chunk);
        if (seen !== 'ready') {
          seen += chunk.toString('utf8');
          if (seen.includes('Soshogle is listening on')) {
            seen = 'ready';
            p.up = true;
            resolve();
          }
        }
      });
      child.once('exit', (code, signal) => {
        if (p.child === child) p.up = false;
        log.write(`--- exit ${code ?? signal} at ${new Date().toISOString()}\n`);
        reject(new Error(`${p.name} exited (${code ?? signal}) before it was ready`));
        if (p.child !== child) return;
        p.child = undefined;
        if (!p.stopping) {
          // Not ours: a crash (an unhandled error when PostgreSQL went away, say). Start it again.
          p.crashes++;
          log.write(`--- CRASH: not stopped by the harness\n`);
          setTimeout(() => void start(p).catch(() => {}), 500);
        }
      });
    });
    p.ready.catch(() => {});
    return p.ready;
  };

  const stop = async (p: SoakProcess, signal: 'SIGKILL' | 'SIGTERM', graceMs = 20_000): Promise<void> => {
    const child = p.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    p.stopping = true;
    p.up = false;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = signal === 'SIGTERM' ? setTimeout(() => child.kill('SIGKILL'), graceMs) : undefined;
    await exited;
    clearTimeout(timer);
  };

  return {
    processes,
    apiPorts: () => processes.filter((p) => p.role === 'api').map((p) => p.port),
    start,
    stop,
    add(role, port) {
      const p: SoakProcess = { name: `${role}-${processes.filter((q) => q.role === role).length + 1}`, role, port, up: false, stopping: false, starts: 0, crashes: 0 };
      processes.push(p);
      return p;
    },
    async stopAll() {
      await Promise.all(processes.map((p) => stop(p, 'SIGTERM')));
      for (const log of logs.values()) log.end();
    },
  };
}
