import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos.ts';

/**
 * A short run of the chaos test in every `npm test` (`npm run chaos` runs 200 kills): each kind of kill
 * once, and not one double print, lost completion or dangling claim.
 */
describe('power cuts at random moments of real sessions', () => {
  it('never prints twice, never loses a completion, never leaves a claim live', async () => {
    const report = await runChaos({ kills: 4, seed: 7, inTurn: true });
    expect(report.failures).toEqual([]);
    expect(report.kills).toBe(4);
    expect(Object.values(report.byKind).every((n) => n > 0)).toBe(true);
    expect(report).toMatchObject({
      doublePrints: 0,
      lostCompletions: 0,
      completionsWithoutPrint: 0,
      danglingClaims: 0,
    });
  }, 240_000);
});
