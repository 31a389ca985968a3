// Chromium's playwright server for the browser tests, in a process of its own so that
// relaying every file's page commands does not queue behind Vitest's own work. Sends its
// endpoint to the parent, and stops when the parent lets go of it (or dies).
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './chromium.ts';

const server = await chromium.launchServer(chromiumLaunchOptions());
process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
process.send!(server.wsEndpoint());
