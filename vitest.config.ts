import { defineConfig } from 'vitest/config';

export default defineConfig({
  // one copy of graphql for our code and for Apollo (Vite would otherwise pick graphql's .mjs build)
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
