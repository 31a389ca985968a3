import { configDefaults, defineConfig } from 'vitest/config';

// Tests talk to a real PostgreSQL and start real servers.
const timeouts = { testTimeout: 30_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    // One PostgreSQL and one migrated template for the whole run, whichever project runs.
    globalSetup: ['prisma/src/testing/global-setup.ts'],
    // Files run one at a time (Vitest's default on 2 cores): two at a time were no faster on
    // the shared 2-core machine (its cores are busy anyway) and pushed CPU-heavy tests
    // (calendar race, slot property test, browser UI waits) past their timeouts.
    projects: [
      {
        test: {
          name: 'server',
          include: ['{core,prisma,plugins/*}/src/**/*.test.ts'],
          // The new-plugin template's test runs as the generated plugin's, in core/src/cli/new-plugin.test.ts.
          exclude: [...configDefaults.exclude, 'core/src/cli/plugin-template/**'],
          // The server files share one worker's modules instead of loading core, Prisma and every
          // plugin afresh for each of ~110 files (~4-8 s of imports per file on 2 busy cores).
          // Each file still starts its own Soshogle on its own database; module-level state is
          // keyed by ids no two files share (version and slot caches), so nothing crosses files.
          isolate: false,
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
