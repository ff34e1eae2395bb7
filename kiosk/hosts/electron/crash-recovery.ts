import type { Clock } from '../../../drivers/shared/clock.ts';

/** First reload after a crash: at once, nearly; the applicant should barely notice. */
export const RELOAD_BASE_DELAY_MS = 500;
/** A renderer that keeps crashing is retried no more often than this. */
export const RELOAD_MAX_DELAY_MS = 30_000;
/** A page that stayed up this long after loading counts as healthy again: the backoff starts over. */
export const RELOAD_STABLE_MS = 60_000;
/** A renderer unresponsive this long is reloaded (a busy frame is not a hang). */
export const HANG_GRACE_MS = 10_000;

/** Reacts to renderer crashes and hangs by reloading, with exponential backoff. */
export interface ReloadPolicy {
  onGone(): void;
  onUnresponsive(): void;
  onResponsive(): void;
  onLoaded(): void;
  /** Reloads scheduled so far (for logs and tests). */
  readonly reloads: number;
  /** The delay the next failure would wait. */
  nextDelayMs(): number;
}

/**
 * `reload` reloads the page; the page then starts from the core's current View, so the session
 * resumes where the core has it. Time comes from `clock`.
 */
export function createReloadPolicy(clock: Clock, reload: () => void): ReloadPolicy {
  let failures = 0;
  let reloads = 0;
  let pending: unknown;
  let hang: unknown;
  let stable: unknown;

  const delay = () => Math.min(RELOAD_MAX_DELAY_MS, RELOAD_BASE_DELAY_MS * 2 ** failures);
  const schedule = () => {
    if (pending !== undefined) return;
    clock.clearTimeout(stable);
    stable = undefined;
    const wait = delay();
    failures++;
    pending = clock.setTimeout(() => {
      pending = undefined;
      reloads++;
      reload();
    }, wait);
  };

  return {
    onGone: schedule,
    onUnresponsive() {
      if (hang !== undefined) return;
      hang = clock.setTimeout(() => {
        hang = undefined;
        schedule();
      }, HANG_GRACE_MS);
    },
    onResponsive() {
      clock.clearTimeout(hang);
      hang = undefined;
    },
    onLoaded() {
      clock.clearTimeout(stable);
      stable = clock.setTimeout(() => {
        stable = undefined;
        failures = 0;
      }, RELOAD_STABLE_MS);
    },
    get reloads() {
      return reloads;
    },
    nextDelayMs: delay,
  };
}
