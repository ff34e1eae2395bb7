import type { Clock } from '../../shared/clock.ts';

/** The window in which `coolingAfterCards` cards make the head overheat (not scaled by the time factor). */
export const COOLING_WINDOW_MS = 10 * 60_000;

/**
 * The print head's heat (card-printer.md 1.1, COOLING): `afterCards` cards printed within
 * COOLING_WINDOW_MS make it cool down for `seconds` x the time factor; the count starts again after each
 * cooling. None: it never overheats.
 */
export class HeadHeat {
  /** When each card of the current count was printed (clock ms). */
  private recent: number[] = [];
  private timer: unknown;
  /** The head is cooling: the printer shows COOLING whenever nothing else is going on. */
  hot = false;
  /** Cooling events so far. */
  coolings = 0;

  constructor(
    private readonly clock: Clock,
    private readonly opts: {
      afterCards?: number;
      seconds: number;
      timeFactor: () => number;
      /** The head started cooling / has cooled: the printer's state follows. */
      hot: () => void;
      cooled: () => void;
    },
  ) {}

  /** A card came out: the head heats. */
  cardPrinted(): void {
    if (!this.opts.afterCards) return;
    const now = this.clock.now();
    this.recent = this.recent.filter((t) => now - t < COOLING_WINDOW_MS);
    this.recent.push(now);
    if (this.recent.length >= this.opts.afterCards) this.start();
  }

  /** Cools now for `seconds` (default the configured length); READY again by itself after. */
  start(seconds = this.opts.seconds): void {
    this.clock.clearTimeout(this.timer);
    this.coolings++;
    this.recent = [];
    this.hot = true;
    this.opts.hot();
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.hot = false;
        this.opts.cooled();
      },
      seconds * 1000 * this.opts.timeFactor(),
    );
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
  }
}
