/**
 * Time is injected: every timeout, poll and lease goes through a Clock so that tests move a
 * simulated clock instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch: the wall clock, for timestamps only (it can jump, backwards too). */
  now(): number;
  /**
   * Milliseconds on a clock that only moves forward at a steady pace, from an arbitrary origin (the
   * process start): for every wait, deadline, retry time and lockout. Not comparable across restarts.
   */
  monotonic(): number;
  /** Runs `fn` after `ms` of monotonic time. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Resolves after `ms` on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/**
 * A clock that only moves when told to. Timers fire in order of their due time when `advance` passes
 * it; `advanceAsync` lets promise callbacks run between timers, as they would in real time. `advance`
 * moves the wall and the monotonic clock together; `jumpWall` moves the wall clock alone, as an NTP
 * correction or a technician setting the date does, and leaves timers and the monotonic reading alone.
 */
export class ManualClock implements Clock {
  /** Wall time minus monotonic time. */
  private offset: number;
  /** Monotonic time. */
  private t = 0;
  private seq = 0;
  private timers = new Map<number, { due: number; fn: () => void }>();

  constructor(start = Date.parse('2026-11-22T00:00:00Z')) {
    this.offset = start;
  }

  now(): number {
    return this.offset + this.t;
  }

  monotonic(): number {
    return this.t;
  }

  /** Moves the wall clock alone by `ms` (negative: backwards); timers keep their monotonic due times. */
  jumpWall(ms: number): void {
    this.offset += ms;
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
