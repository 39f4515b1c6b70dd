import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Shared 2-core machines: keep worker count modest so git/ESLint CLI tests are not starved.
    maxWorkers: 2,
  },
});
