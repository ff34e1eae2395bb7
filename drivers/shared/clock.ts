/**
 * Time is injected: every timeout, poll and lease goes through a Clock so that tests move a
 * simulated clock instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Resolves after `ms` on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/**
 * A clock that only moves when told to. Timers fire in order of their due time when `advance` passes
 * it; `advanceAsync` lets promise callbacks run between timers, as they would in real time.
 */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers = new Map<number, { due: number; fn: () => void }>();

  constructor(start = Date.parse('2026-11-22T00:00:00Z')) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { due: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time forward, firing due timers (synchronously) in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.nextDue(end);
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].due;
      next[1].fn();
    }
    this.t = end;
  }

  /** Like `advance`, but yields to the event loop after each timer so awaited work can go on. */
  async advanceAsync(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.nextDue(end);
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].due;
      next[1].fn();
    }
    this.t = end;
    await flushMicrotasks();
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.timers.size;
  }

  private nextDue(end: number): [number, { due: number; fn: () => void }] | undefined {
    let best: [number, { due: number; fn: () => void }] | undefined;
    for (const entry of this.timers) {
      if (entry[1].due <= end && (!best || entry[1].due < best[1].due)) best = entry;
    }
    return best;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}
