import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'kiosk/**/*.test.ts',
      'drivers/**/*.test.ts',
      'ui/**/*.test.{ts,tsx}',
      'config/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
