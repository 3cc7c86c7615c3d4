import { defineConfig } from 'vitest/config';

// The packaging test: npm pack → fresh projects outside the repository (tests/package).
export default defineConfig({
  test: {
    include: ['tests/package/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
