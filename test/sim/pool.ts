import type { Browser } from 'playwright-core';
import { closeLane, type Lane, openLane, runScenario, type ScenarioResult } from './runner.ts';
import type { Scenario } from './scenario.ts';

/**
 * Kiosk lanes shared by many scenarios: most of a scenario is waiting (for `collect`, for an API
 * timeout), so a few kiosks side by side keep two cores busy. Each lane runs one scenario at a time.
 */
export class LanePool {
  private readonly free: Lane[] = [];
  private readonly all: Lane[] = [];
  private readonly waiting: Array<(lane: Lane) => void> = [];
  private opening = 0;

  constructor(
    private readonly browser: Browser,
    private readonly size: number,
  ) {}

  /** Runs a scenario on the next free lane (a lane is opened on first need, up to `size`). */
  async run(scenario: Scenario): Promise<ScenarioResult> {
    const lane = await this.acquire();
    try {
      return await runScenario(lane, scenario);
    } finally {
      this.releaseLane(lane);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((l) => closeLane(l)));
  }

  private async acquire(): Promise<Lane> {
    const lane = this.free.pop();
    if (lane) return lane;
    if (this.all.length + this.opening < this.size) {
      this.opening++;
      try {
        const opened = await openLane(this.browser);
        this.all.push(opened);
        return opened;
      } finally {
        this.opening--;
      }
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseLane(lane: Lane): void {
    const next = this.waiting.shift();
    if (next) next(lane);
    else this.free.push(lane);
  }
}

/** Runs scenarios over `lanes` kiosks and returns their results in the given order. */
export async function runScenarios(
  browser: Browser,
  scenarios: Scenario[],
  opts: { lanes?: number; onResult?: (r: ScenarioResult) => void } = {},
): Promise<ScenarioResult[]> {
  const pool = new LanePool(browser, opts.lanes ?? 1);
  try {
    return await Promise.all(
      scenarios.map(async (s) => {
        const r = await pool.run(s);
        opts.onResult?.(r);
        return r;
      }),
    );
  } finally {
    await pool.close();
  }
}
