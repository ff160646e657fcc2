import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/** Browser flows of the admin portal against a real server (`npm run test:e2e`). */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});
