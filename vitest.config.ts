import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{core,prisma,plugins/*}/src/**/*.test.ts', 'ui/e2e/**/*.test.ts'],
    // The new-plugin template's test runs as the generated plugin's, in core/src/cli/new-plugin.test.ts.
    exclude: [...configDefaults.exclude, 'core/src/cli/plugin-template/**'],
    globalSetup: ['prisma/src/testing/global-setup.ts'],
    // Tests talk to a real PostgreSQL and start real servers.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
