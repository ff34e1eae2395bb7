import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from './clock.ts';

describe('Clock', () => {
  it('ManualClock: a wall-clock jump moves timestamps only; timers and the monotonic reading keep their pace', () => {
    const clock = new ManualClock(Date.parse('2026-11-22T10:00:00Z'));
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.monotonic()), 1_000);
    const mono = clock.monotonic();
    clock.jumpWall(-60 * 60_000);
    expect(clock.now()).toBe(Date.parse('2026-11-22T09:00:00Z'));
    expect(clock.monotonic()).toBe(mono);
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([mono + 1_000]);
    expect(clock.now()).toBe(Date.parse('2026-11-22T09:00:01Z'));
    clock.jumpWall(2 * 60 * 60_000);
    expect(clock.monotonic()).toBe(mono + 1_000);
  });

  it('systemClock: the monotonic reading never goes back', () => {
    const a = systemClock.monotonic();
    const b = systemClock.monotonic();
    expect(b).toBeGreaterThanOrEqual(a);
  });
});
