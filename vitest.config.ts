import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{core,prisma,plugins/*}/src/**/*.test.ts', 'ui/e2e/**/*.test.ts'],
    globalSetup: ['prisma/src/testing/global-setup.ts'],
    // Tests talk to a real PostgreSQL and start real servers.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
