import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['libs/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'services/*/test/**/*.test.ts', 'clients/*/src/**/*.test.ts', 'clients/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts', 'bench/src/**/*.test.ts'],
    // The fault tests (kill services, restart NATS, stop PostgreSQL) run on their own: npm run test:fault;
    // the cluster topology's tests too: npm run test:cluster.
    exclude: [...configDefaults.exclude, 'test/fault/**', 'test/cluster/**'],
    globalSetup: ['libs/testing/src/global-setup.ts'],
    // Every answer and frame a test sees is checked against the OpenAPI and AsyncAPI documents.
    setupFiles: ['libs/testing/src/conformance/setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files start real services; two cores run two files at a time well.
    maxWorkers: 2,
  },
});
