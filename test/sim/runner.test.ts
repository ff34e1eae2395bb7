import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { closeLane, type Lane, openLane, runScenario } from './runner.ts';
import { scenarioSchema } from './scenario.ts';

/** The runner itself: a scenario that expects the wrong thing must fail, at the step that is wrong. */
let browser: Browser;
let lane: Lane;

beforeAll(async () => {
  browser = await launchChromium();
  lane = await openLane(browser);
}, 60_000);
afterAll(async () => {
  await closeLane(lane);
  await browser?.close();
}, 60_000);

const KIA = '3574-KIA-2611-000123';

describe('the scenario runner', () => {
  it('fails a scenario whose expected screen does not come, and stops there', async () => {
    const s = scenarioSchema.parse({
      name: 'wrong screen',
      apps: [KIA],
      steps: [
        { scan: { app: KIA } },
        { expect: { screen: 'error', reason: 'not-found', timeoutMs: 3000 } },
        { tap: 'cancel' },
      ],
    });
    const r = await runScenario(lane, s);
    expect(r.ok).toBe(false);
    const failed = r.steps.find((x) => !x.ok)!;
    expect(failed.step).toContain('expect');
    expect(failed.error).toContain('confirm');
    expect(r.steps.some((x) => x.step.startsWith('tap'))).toBe(false);
  }, 60_000);

  it('fails a scenario whose records do not match, and passes the same scenario told the truth', async () => {
    const steps = (releases: string[]) => [
      { scan: { app: KIA } },
      { expect: { screen: 'confirm' } },
      { tap: 'cancel' },
      { expect: { screen: 'home' } },
      { expectRecords: { claims: 1, releases, timeoutMs: 3000 } },
    ];
    const wrong = await runScenario(
      lane,
      scenarioSchema.parse({ name: 'wrong', apps: [KIA], steps: steps(['TIMEOUT']) }),
    );
    expect(wrong.ok).toBe(false);
    expect(wrong.steps.at(-1)!.error).toContain('CANCELLED_BY_APPLICANT');
    const right = await runScenario(
      lane,
      scenarioSchema.parse({ name: 'right', apps: [KIA], steps: steps(['CANCELLED_BY_APPLICANT']) }),
    );
    expect(right.ok, JSON.stringify(right.steps)).toBe(true);
  }, 60_000);

  it('rejects a step it does not know', () => {
    expect(scenarioSchema.safeParse({ name: 'x', steps: [{ dance: true }] }).success).toBe(false);
  });
});
