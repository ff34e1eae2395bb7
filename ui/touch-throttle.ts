/** The core resets its idle timer on a touch; once a second is plenty and keeps the bridge quiet. */
export const TOUCH_INTERVAL_MS = 1000;

/**
 * Returns a function to call on every pointerdown; it calls `sendTouch` at most once per `intervalMs`.
 * `now` is injected so tests move time instead of waiting.
 */
export function createTouchThrottle(
  sendTouch: () => void,
  now: () => number,
  intervalMs: number = TOUCH_INTERVAL_MS,
): () => void {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const at = now();
    if (at - last < intervalMs) return;
    last = at;
    sendTouch();
  };
}
