// Vitest global setup of the browser tests: one Chromium for the run, which each test
// file connects to (a launch per file cost ~1.5 s of the 2-core CI machine, 15 times).
// Each file still gets its own browser contexts, so no cookie or storage crosses files.
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { chromiumLaunchOptions } from './chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    browserWsEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await chromium.launchServer(chromiumLaunchOptions());
  project.provide('browserWsEndpoint', server.wsEndpoint());
  return () => server.close();
}
