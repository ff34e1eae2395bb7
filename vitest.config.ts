import { defineConfig } from 'vitest/config';
import { LongFirstSequencer } from './test/support/long-first-sequencer.ts';

export default defineConfig({
  test: {
    include: [
      'kiosk/**/*.test.ts',
      'drivers/**/*.test.ts',
      'ui/**/*.test.{ts,tsx}',
      'config/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // The Debian package test installs the package system-wide (its Chromium policy then governs every
    // Chromium on the machine): it runs alone, after the suite, as `npm run test:package`.
    exclude: [
      'node_modules/**',
      'dist/**',
      ...(process.env.ADM_PACKAGE_TEST ? [] : ['test/packaging/deb.test.ts']),
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most tests wait on simulated devices, real servers and Chromium rather than the CPU: three at a
    // time keep two cores busy (the whole suite in about five minutes).
    maxWorkers: 3,
    // The longest files start first, so that none runs on alone at the end (see the sequencer).
    sequence: { sequencer: LongFirstSequencer },
    reporters: ['default'],
  },
});
