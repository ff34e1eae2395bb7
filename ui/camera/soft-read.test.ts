import { describe, expect, it } from 'vitest';
import { type DrawnCodeOptions, drawnCode } from '../../test/camera/drawn-code.ts';
import { blockIndices, blockShapes, symbolLayout } from './qr-spec.ts';
import type { Located } from './regrid.ts';
import { softRead } from './soft-read.ts';

/** A print code drawn at an angle, blurred and noisy (`drawnCode`), and its size in modules. */
function drawn(seed: number, opts: DrawnCodeOptions) {
  const d = drawnCode(seed, opts);
  return { ...d, n: d.qr.modules.size };
}

/** The modules of `count` codewords of every block (codeword k of each block, k from `from`). */
function codewordModules(from: number, count: number): Set<number> {
  const layout = symbolLayout(14);
  const modules = new Set<number>();
  for (const idx of blockIndices(blockShapes(14, 'M'))) {
    for (const c of idx.slice(from, from + count)) {
      for (let b = 0; b < 8; b++) modules.add(layout.order[c * 8 + b]!);
    }
  }
  return modules;
}

const read = (d: ReturnType<typeof drawn>) => softRead(d.frame.gray, 640, 480, d.located);

describe('the soft-decision reader', () => {
  it('reads a blurred print code from its place in the picture', () => {
    for (const lens of [1, 2]) {
      const d = drawn(1, { lens });
      expect(read(d)).toBe(d.text);
    }
  });

  it('reads a code with 15 wrong codewords a block (errors alone correct 12): 10 of them doubtful', () => {
    // In every block, codewords 0-9 are drawn grey, a little to the wrong side (wrong, but doubtful),
    // and codewords 20-24 are inverted outright (wrong and sure).
    const grey = codewordModules(0, 10);
    const flipped = codewordModules(20, 5);
    const d = drawn(2, {
      lens: 1,
      change: (i, dark) => (flipped.has(i) ? 1 - dark : grey.has(i) ? (dark ? 0.42 : 0.58) : dark),
    });
    expect(read(d)).toBe(d.text);
    // The same 15 codewords inverted outright are past any decode.
    const sure = drawn(2, {
      lens: 1,
      change: (i, dark) => (flipped.has(i) || grey.has(i) ? 1 - dark : dark),
    });
    expect(read(sure)).toBeUndefined();
  });

  it('gives nothing for a code with more wrong codewords than any decode may take', () => {
    const flipped = codewordModules(0, 20);
    const d = drawn(3, { lens: 1, change: (i, dark) => (flipped.has(i) ? 1 - dark : dark) });
    expect(read(d)).toBeUndefined();
    // Within what errors alone correct, the same drawing reads.
    const fewer = codewordModules(0, 11);
    const e = drawn(3, { lens: 1, change: (i, dark) => (fewer.has(i) ? 1 - dark : dark) });
    expect(read(e)).toBe(e.text);
  });

  it('reads a dark-mode code (light modules on dark) told it is inverted', () => {
    const d = drawn(4, { lens: 1, inverted: true });
    expect(read(d)).toBe(d.text);
  });

  it('puts corners a locator placed off by up to two modules back on the code', () => {
    const d = drawn(5, { lens: 1 });
    const pitch =
      Math.hypot(d.located.topRight.x - d.located.topLeft.x, d.located.topRight.y - d.located.topLeft.y) /
      d.n;
    const off: Located = {
      ...d.located,
      topRight: { x: d.located.topRight.x + 0.5 * pitch, y: d.located.topRight.y - 0.4 * pitch },
      bottomRight: { x: d.located.bottomRight.x - 2 * pitch, y: d.located.bottomRight.y + 1.5 * pitch },
    };
    expect(read({ ...d, located: off })).toBe(d.text);
  });

  it('reads nothing where there is no code', () => {
    const d = drawn(6, { lens: 1 });
    const shifted: Located = {
      ...d.located,
      topLeft: { x: 5, y: 5 },
      topRight: { x: 200, y: 5 },
      bottomRight: { x: 200, y: 200 },
      bottomLeft: { x: 5, y: 200 },
    };
    expect(read({ ...d, located: shifted })).toBeUndefined();
    expect(softRead(d.frame.gray, 640, 480, { ...d.located, version: 41 })).toBeUndefined();
    expect(
      softRead(d.frame.gray, 640, 480, { ...d.located, topLeft: { x: Number.NaN, y: 0 } }),
    ).toBeUndefined();
  });
});
