// Vitest global setup of the browser tests: one Chromium for the run, which each test
// file connects to (a launch per file cost ~1.5 s of the 2-core CI machine, 15 times).
// Each file still gets its own browser contexts, so no cookie or storage crosses files.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    browserWsEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'chromium-server.ts');
  const child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve(String(message)));
    child.once('exit', (code) => reject(new Error(`The Chromium server exited (${code}) before it listened`)));
  });
  project.provide('browserWsEndpoint', endpoint);
  return async () => {
    const exited = once(child, 'exit');
    child.disconnect();
    await exited;
  };
}
