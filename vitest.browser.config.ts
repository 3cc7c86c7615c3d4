import { defineConfig } from 'vitest/config';

// Browser tests: Node drives Debian Chromium with playwright-core against the built demo
// (tests/browser/global-setup.ts builds it and serves it with `vite preview`).
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/browser/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // One Chromium per file; files run in parallel workers.
    fileParallelism: true,
  },
});
