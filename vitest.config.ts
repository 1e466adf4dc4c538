import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores here: files in parallel on two forks; the crash test spawns its own children.
    pool: 'forks',
    maxWorkers: 2,
  },
});
