import { configDefaults, defineConfig } from 'vitest/config';

// Tests talk to a real PostgreSQL and start real servers.
const timeouts = { testTimeout: 30_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    // One PostgreSQL and one migrated template for the whole run, whichever project runs.
    globalSetup: ['prisma/src/testing/global-setup.ts'],
    // A test file mostly waits (on PostgreSQL, the job worker, Chromium), so two files at a
    // time keep a 2-core machine busy where Vitest's default (cores - 1) ran them one by one.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'server',
          include: ['{core,prisma,plugins/*}/src/**/*.test.ts'],
          // The new-plugin template's test runs as the generated plugin's, in core/src/cli/new-plugin.test.ts.
          exclude: [...configDefaults.exclude, 'core/src/cli/plugin-template/**'],
          ...timeouts,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['ui/e2e/**/*.test.ts'],
          // One Chromium for the browser test files, started only when one of them runs.
          globalSetup: ['ui/e2e/browser-server.ts'],
          ...timeouts,
        },
      },
    ],
  },
});
