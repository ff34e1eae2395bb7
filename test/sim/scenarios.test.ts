import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { LanePool } from './pool.ts';
import type { ScenarioResult } from './runner.ts';
import { loadScenario, type Scenario } from './scenario.ts';

/**
 * Every scenario file in test/scenarios as one test. They share a few kiosk lanes (each scenario puts
 * its lane back home with no fault first), so the matrix runs in a few minutes on two cores.
 */
const DIR = join(import.meta.dirname, '..', 'scenarios');
/** Kiosks side by side: most of a scenario is waiting (collect, API timeouts), so three keep two cores busy. */
const LANES = 3;
/** A scenario may queue for a lane behind others, then take up to a minute itself. */
const SCENARIO_TIMEOUT_MS = 240_000;

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const scenarios: Array<{ file: string; scenario?: Scenario; problems?: string[] }> = files.map((file) => {
  const s = loadScenario(join(DIR, file));
  return s.ok ? { file, scenario: s.value } : { file, problems: s.error };
});

let browser: Browser;
let pool: LanePool;

beforeAll(async () => {
  browser = await launchChromium();
  pool = new LanePool(browser, LANES);
}, 60_000);
afterAll(async () => {
  await pool?.close();
  await browser?.close();
}, 60_000);

function report(r: ScenarioResult): string {
  return r.steps
    .map((s) => `${s.ok ? 'ok  ' : 'FAIL'} ${s.step}${s.error ? `\n     ${s.error}` : ''}`)
    .join('\n');
}

describe.concurrent('scenarios', () => {
  it('finds the scenario files', () => {
    expect(files.length).toBeGreaterThan(50);
  });
  for (const { file, scenario, problems } of scenarios) {
    it(
      file,
      async () => {
        expect(problems ?? []).toEqual([]);
        const r = await pool.run(scenario!);
        expect(r.ok, `${scenario!.name}\n${report(r)}`).toBe(true);
      },
      SCENARIO_TIMEOUT_MS,
    );
  }
});
