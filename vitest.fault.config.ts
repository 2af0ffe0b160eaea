import { defineConfig } from 'vitest/config';

/** Fault tests (test/fault): services killed, NATS restarted, PostgreSQL stopped. `npm run test:fault`. */
export default defineConfig({
  test: {
    include: ['test/fault/**/*.test.ts'],
    globalSetup: ['libs/testing/src/global-setup.ts'],
    // Every answer and frame a test sees is checked against the OpenAPI and AsyncAPI documents.
    setupFiles: ['libs/testing/src/conformance/setup.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Each file starts several processes and servers; two at a time on two cores.
    maxWorkers: 2,
  },
});
