import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/camera/render-frame.ts';
import { acceptable, correctBlock, decodeSoft, encodeBlock, miscorrectionBound } from './reed-solomon.ts';

/** A random block of `n` codewords with `checks` check codewords. */
function codeword(rand: () => number, n: number, checks: number): Uint8Array {
  return encodeBlock(
    Array.from({ length: n - checks }, () => Math.floor(rand() * 256)),
    checks,
  );
}

/** `count` distinct positions of 0..n-1. */
function positions(rand: () => number, n: number, count: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

/** Changes the codeword at each position to another value. */
function spoil(rand: () => number, block: Uint8Array, at: number[]): void {
  for (const i of at) block[i] = block[i]! ^ (1 + Math.floor(rand() * 255));
}

describe('Reed-Solomon over GF(256), errors and erasures', () => {
  it('encodes as the QR standard: the print code block of version 14-M has zero syndromes', () => {
    // ISO/IEC 18004 annex I's example (version 1-M, "01234567"): data and its 10 check codewords.
    const data = [
      0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11,
    ];
    expect(Array.from(encodeBlock(data, 10).subarray(16))).toEqual([
      0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55,
    ]);
    const block = codeword(seededRandom(1), 65, 24);
    expect(correctBlock(block.slice(), 24)).toEqual({ errors: 0, erasures: 0 });
  });

  it('corrects every mix of errors and erasures within 2 errors + erasures <= check codewords', () => {
    const rand = seededRandom(2);
    for (const [n, checks] of [
      [65, 24],
      [26, 10],
      [46, 22],
      [153, 30],
    ] as const) {
      for (let trial = 0; trial < 60; trial++) {
        const sent = codeword(rand, n, checks);
        const erasures = Math.floor(rand() * (checks + 1));
        const errors = Math.floor(rand() * (Math.floor((checks - erasures) / 2) + 1));
        const at = positions(rand, n, erasures + errors);
        const got = sent.slice();
        spoil(rand, got, at);
        // Some erased codewords happen to be right: an erasure need not be an error.
        const erased = at.slice(0, erasures);
        if (erasures > 0) got[erased[0]!] = sent[erased[0]!]!;
        const fix = correctBlock(got, checks, erased);
        expect(fix, `n ${n} erasures ${erasures} errors ${errors}`).toBeDefined();
        expect(fix!.errors).toBe(errors);
        expect(got).toEqual(sent);
      }
    }
  });

  it('leaves a block past its corrections as it was, or in its own words never a wrong one that is taken', () => {
    const rand = seededRandom(3);
    let refused = 0;
    for (let trial = 0; trial < 400; trial++) {
      const sent = codeword(rand, 65, 24);
      // 13 to 30 wrong codewords: past what 24 check codewords correct without erasures.
      const wrong = 13 + Math.floor(rand() * 18);
      const got = sent.slice();
      spoil(rand, got, positions(rand, 65, wrong));
      const before = got.slice();
      const fix = correctBlock(got, 24);
      if (fix === undefined) {
        refused += 1;
        expect(got).toEqual(before);
      } else expect(acceptable(65, 24, fix.errors, 0) && !got.every((v, i) => v === sent[i])).toBe(true);
    }
    // Errors only at 12 corrections, a wrong codeword is within reach once in 1e16: all are refused.
    expect(refused).toBe(400);
  });

  it('bounds the chance of a false decode: tiny for errors alone, certain for all erasures', () => {
    expect(miscorrectionBound(65, 24, 12, 0)).toBeLessThan(1e-16);
    expect(miscorrectionBound(65, 24, 0, 24)).toBe(1);
    expect(miscorrectionBound(65, 24, 0, 20)).toBeCloseTo(256 ** -4, 20);
    expect(acceptable(65, 24, 12, 0)).toBe(true);
    // 19 erasures leave 5 check codewords unspent: a wrong word passes them once in 256^5.
    expect(acceptable(65, 24, 0, 19)).toBe(true);
    expect(acceptable(65, 24, 0, 20)).toBe(false);
    expect(acceptable(65, 24, 5, 10)).toBe(true);
    expect(acceptable(65, 24, 7, 10)).toBe(false);
  });

  it('decodes with the least reliable codewords erased: 14 wrong codewords, 12 of them doubted', () => {
    const rand = seededRandom(4);
    for (let trial = 0; trial < 40; trial++) {
      const sent = codeword(rand, 65, 24);
      const at = positions(rand, 65, 16);
      const got = sent.slice();
      // 12 wrong codewords among the 14 least reliable, and 2 wrong ones that look sure.
      spoil(rand, got, at.slice(0, 14));
      const doubt = Array.from({ length: 65 }, () => rand() * 0.1);
      for (const i of at.slice(0, 12)) doubt[i] = 0.5 + rand() * 0.5;
      for (const i of at.slice(14)) doubt[i] = 0.5 + rand() * 0.5;
      expect(decodeSoft(got, 24, doubt)).toEqual(sent);
      // Without the doubts, 14 wrong codewords are past errors-only decoding.
      expect(decodeSoft(got, 24, new Array<number>(65).fill(0))).toBeUndefined();
    }
  });

  it('never takes a wrong word however many codewords are wrong, whatever the doubts say', () => {
    const rand = seededRandom(5);
    let wrongTaken = 0;
    let refused = 0;
    for (let trial = 0; trial < 300; trial++) {
      const sent = codeword(rand, 65, 24);
      const got = sent.slice();
      const at = positions(rand, 65, 20 + Math.floor(rand() * 30));
      spoil(rand, got, at);
      // The doubts point at some of the wrong codewords, not enough of them.
      const doubt = Array.from({ length: 65 }, () => rand());
      const fixed = decodeSoft(got, 24, doubt);
      if (fixed === undefined) refused += 1;
      else if (!fixed.every((v, i) => v === sent[i])) wrongTaken += 1;
    }
    expect(wrongTaken).toBe(0);
    expect(refused).toBe(300);
  });
});
