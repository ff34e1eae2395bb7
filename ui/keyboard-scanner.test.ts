import { describe, expect, it } from 'vitest';
import {
  createKeyRunDetector,
  type HeldKey,
  isPrintableKey,
  RELEASE_SLACK_MS,
  SCAN_MAX_CHARS,
  SCAN_MIN_CHARS,
} from './keyboard-scanner.ts';

/** The detector with a hand-moved clock and timers. */
function rig(maxInterKeyMs = 30) {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const scans: string[] = [];
  const released: string[] = [];
  const d = createKeyRunDetector<null>({
    maxInterKeyMs,
    onScan: (t) => scans.push(t),
    onRelease: (keys: HeldKey<null>[]) => released.push(keys.map((k) => k.key).join('')),
    setTimer: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    now: () => now,
  });
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = until;
  };
  const type = (text: string, gap: number) => {
    const decisions: string[] = [];
    for (const key of [...text]) {
      decisions.push(d.key(key, now, null));
      advance(gap);
    }
    return decisions;
  };
  return { d, scans, released, advance, type, at: () => now };
}

describe('keyboard scan detection (pure)', () => {
  it('a quick run of 20+ keys ended by Enter is a scan; nothing is given back', () => {
    const r = rig();
    expect(new Set(r.type('ADM1.ABCDEFGHIJKLMNOPQRST', 10))).toEqual(new Set(['held']));
    expect(r.d.key('Enter', r.at(), null)).toBe('held');
    r.advance(1000);
    expect(r.scans).toEqual(['ADM1.ABCDEFGHIJKLMNOPQRST']);
    expect(r.released).toEqual([]);
  });

  it('slow keys are given back one by one, in order; Enter after them passes', () => {
    const r = rig();
    r.type('1234', 150);
    expect(r.d.key('Enter', r.at(), null)).toBe('pass');
    expect(r.released).toEqual(['1', '2', '3', '4']);
    expect(r.scans).toEqual([]);
  });

  it('keys are held only until the run is over: maxInterKeyMs + RELEASE_SLACK_MS after the last', () => {
    const r = rig();
    r.type('12', 10);
    r.advance(30 + RELEASE_SLACK_MS - 25);
    expect(r.released).toEqual([]);
    r.advance(20);
    expect(r.released).toEqual(['12']);
  });

  it(`a quick run shorter than ${SCAN_MIN_CHARS} with Enter is given back, and the Enter passes`, () => {
    const r = rig();
    r.type('1'.repeat(SCAN_MIN_CHARS - 1), 5);
    expect(r.d.key('Enter', r.at(), null)).toBe('pass');
    expect(r.released).toEqual(['1'.repeat(SCAN_MIN_CHARS - 1)]);
  });

  it(`a run longer than ${SCAN_MAX_CHARS} is dropped whole, its Enter too; typing works after`, () => {
    const r = rig();
    r.type('Z'.repeat(SCAN_MAX_CHARS + 500), 1);
    expect(r.d.key('Enter', r.at(), null)).toBe('held');
    r.advance(1000);
    expect(r.scans).toEqual([]);
    expect(r.released).toEqual([]);
    r.type('ok', 200);
    r.advance(1000);
    expect(r.released).toEqual(['o', 'k']);
  });

  it('a key that is not printable gives the run back first, then passes', () => {
    const r = rig();
    r.type('12', 10);
    expect(r.d.key('Backspace', r.at(), null)).toBe('pass');
    expect(r.released).toEqual(['12']);
    expect(isPrintableKey('a')).toBe(true);
    expect(isPrintableKey('Shift')).toBe(false);
    expect(isPrintableKey('\u0007')).toBe(false);
  });
});
