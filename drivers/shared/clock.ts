/**
 * Time is injected: every timeout, poll and lease goes through a Clock so that tests move a
 * simulated clock instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch: for timestamps only, never for measuring a wait (it can jump). */
  now(): number;
  /**
   * Milliseconds on a clock that never goes back or jumps (the wall clock may be set back by an hour):
   * what every wait, lockout and retry is measured on. Its zero is arbitrary.
   */
  monotonicNow(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicNow: () => performance.now(),
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
  /** Moves with `advance` only, never with `setWall`. */
  private mono = 0;
  private seq = 0;
  private timers = new Map<number, { due: number; fn: () => void }>();

  constructor(start = Date.parse('2026-11-22T00:00:00Z')) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  monotonicNow(): number {
    return this.mono;
  }

  /** Sets the wall clock (a jump back or forward) without moving the monotonic clock or any timer. */
  setWall(ms: number): void {
    const shift = ms - this.t;
    this.t = ms;
    for (const timer of this.timers.values()) timer.due += shift;
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
      this.mono += next[1].due - this.t;
      this.t = next[1].due;
      next[1].fn();
    }
    this.mono += end - this.t;
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
      this.mono += next[1].due - this.t;
      this.t = next[1].due;
      next[1].fn();
    }
    this.mono += end - this.t;
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
