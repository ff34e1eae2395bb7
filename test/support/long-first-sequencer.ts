import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The test files that take longest, longest first (seconds on 2 cores with three workers, from a whole run).
 * They start first whatever vitest's cache says: on a fresh clone vitest knows no durations and starts
 * the largest files first, and the scenario matrix, a small file that runs for about three minutes,
 * then started among the last and ran on alone after everything else had finished.
 */
export const LONG_FIRST = [
  'test/sim/scenarios.test.ts', // ~180 s
  'test/reliability/retention-100k-sessions.test.ts', // ~70 s
  'config/load.fuzz.test.ts',
  'kiosk/central-api/client.fuzz.test.ts',
  'test/ui/accessibility.test.ts',
  'test/reliability/cooling-and-bezel.test.ts',
  'test/flow/crash.test.ts',
  'test/ui/screens.test.ts',
];

/** vitest's own order (the longest known first, then the largest), with `LONG_FIRST` ahead of it. */
export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONG_FIRST.findIndex((p) => f.moduleId.endsWith(`/${p}`));
      return i < 0 ? LONG_FIRST.length : i;
    };
    // A stable sort: the files not listed keep vitest's order.
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map((x) => x.f);
  }
}
