import { defineConfig } from 'vitest/config';

export default defineConfig({
  // one copy of graphql for our code and for Apollo (Vite would otherwise pick graphql's .mjs build)
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  // `ingestion-graph/client` resolves to its source (package.json "exports", condition "source"), not dist/;
  // the rest are Vitest's own defaults for Node
  ssr: { resolve: { conditions: ['source', 'node', 'development|production'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // every emulator exchange is checked against contract/openapi/ (test/contract/)
    globalSetup: ['test/contract/contractReport.ts'],
    setupFiles: ['test/contract/contractSetup.ts'],
    // safety nets against a hang, not speed checks: generous, so a loaded machine never fails a test
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
