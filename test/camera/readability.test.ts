import { describe, expect, it } from 'vitest';
import { type DrawnCode, finestModulation, whyUnreadable } from './readability.ts';
import type { Point } from './render-frame.ts';

/** A 29x29 code facing the camera at `pitch` pixels per module, its top-left module centred at (100, 100). */
function squareCode(pitch: number, rest: Partial<DrawnCode> = {}): DrawnCode {
  const n = 29;
  const moduleCentres: Point[] = [];
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) moduleCentres.push([100 + x * pitch, 100 + y * pitch]);
  return { modulesPerSide: n, moduleCentres, contrast: 200, noise: 4, blur: { lensRadius: 1 }, ...rest };
}

describe('whether a drawn code is readable', () => {
  it('keeps a sharp code readable, and marks one blurred past its modules', () => {
    expect(whyUnreadable(squareCode(5))).toBeUndefined();
    // Two box passes of 9 pixels over 4.5-pixel modules: the finest pattern (9 px period) is gone.
    expect(whyUnreadable(squareCode(4.5, { blur: { lensRadius: 4 } }))).toMatch(/blurred past the modules/);
  });

  it('counts motion blur only along the way the phone moved', () => {
    const pitch = 5;
    // No lens blur: only the pixel's 2x2 sub-samples soften the pattern across the module axis.
    // Two modules of motion along x: the pattern across x has no contrast left, the one down y keeps it.
    const motion = { lensRadius: 0, motion: { length: 2 * pitch, angle: 0 } };
    expect(finestModulation([pitch, 0], [0, pitch], { lensRadius: 0 })).toBeCloseTo(
      Math.cos(Math.PI / (4 * pitch)),
    );
    expect(finestModulation([pitch, 0], [0, pitch], motion)).toBeGreaterThan(0.9);
    expect(whyUnreadable(squareCode(pitch, { blur: motion }))).toBeUndefined();
  });

  it('marks a code whose finder pattern is under a thumb, not one with a thumb over a few modules', () => {
    const pitch = 5;
    // Over the top-left finder (modules 0..6 from x = 100): up to module 3 hides 4 of its 7 columns.
    const overFinder = (x: number, y: number) => x < 100 + 3.5 * pitch && y < 100 + 7 * pitch;
    expect(whyUnreadable(squareCode(pitch, { covered: overFinder }))).toMatch(/finder pattern 57 % lost/);
    const fewModules = (x: number, y: number) =>
      x > 100 + 12 * pitch && x < 100 + 16 * pitch && y > 100 + 20 * pitch;
    expect(whyUnreadable(squareCode(pitch, { covered: fewModules }))).toBeUndefined();
  });

  it('marks a code when glare leaves less contrast than the noise over too many modules', () => {
    const glare = (x: number) => (x < 100 + 10 * 5 ? 0.01 : 1);
    expect(whyUnreadable(squareCode(5, { glareLeft: glare }))).toMatch(/lost/);
    expect(whyUnreadable(squareCode(5, { glareLeft: () => 0.2 }))).toBeUndefined();
  });
});
