import { describe, expect, it } from 'vitest';
import { createTouchThrottle, TOUCH_INTERVAL_MS } from './touch-throttle.ts';

describe('touch throttle', () => {
  it('sends at most one touch per interval', () => {
    let now = 10_000;
    let sent = 0;
    const touch = createTouchThrottle(
      () => sent++,
      () => now,
    );
    touch();
    touch();
    now += TOUCH_INTERVAL_MS - 1;
    touch();
    expect(sent).toBe(1);
    now += 1;
    touch();
    touch();
    expect(sent).toBe(2);
  });
});
