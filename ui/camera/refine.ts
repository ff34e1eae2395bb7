/**
 * Puts a located code's corners where its fixed patterns say they are. A locator's corners are seldom
 * exact: zxing places the bottom-right corner from one alignment pattern or by extrapolation, one to
 * four modules off on a tilted or blurred code, and a module read at the wrong place is a coin toss.
 * Every version fixes some modules (finders, separators, timing, alignment patterns, version
 * information, the quiet zone next to the symbol), so the geometry that fits them best is the one
 * where the light ones are lightest and the dark ones darkest: this moves each corner in turn, by a
 * module, then half, a quarter and an eighth, as long as that contrast grows.
 */
import { type Corner, type Located, quadMatrix } from './regrid.ts';

/** The corner steps tried, in modules, coarse to fine. */
const STEPS = [1, 0.5, 0.25, 0.125];
/** At most this many rounds over the eight coordinates per step. */
const SWEEPS = 4;

/** The located code with its corners moved to fit its fixed modules best (`known`: row, col, dark). */
export function refineCorners(
  gray: ArrayLike<number>,
  w: number,
  h: number,
  at: Located,
  known: Int32Array,
): Located {
  const n = 17 + 4 * at.version;
  const pitch =
    (Math.hypot(at.topRight.x - at.topLeft.x, at.topRight.y - at.topLeft.y) +
      Math.hypot(at.bottomLeft.x - at.topLeft.x, at.bottomLeft.y - at.topLeft.y)) /
    (2 * n);
  const corners = [at.topLeft, at.topRight, at.bottomRight, at.bottomLeft].flatMap((c) => [c.x, c.y]);
  const located = (p: number[]): Located => ({
    ...at,
    topLeft: corner(p, 0),
    topRight: corner(p, 1),
    bottomRight: corner(p, 2),
    bottomLeft: corner(p, 3),
  });
  let best = contrast(gray, w, h, located(corners), n, known);
  for (const step of STEPS) {
    for (let sweep = 0; sweep < SWEEPS; sweep++) {
      let moved = false;
      for (let k = 0; k < 8; k++) {
        for (const sign of [1, -1]) {
          const trial = corners.slice();
          trial[k] = trial[k]! + sign * step * pitch;
          const score = contrast(gray, w, h, located(trial), n, known);
          if (score > best) {
            best = score;
            corners[k] = trial[k]!;
            moved = true;
            break;
          }
        }
      }
      if (!moved) break;
    }
  }
  return located(corners);
}

function corner(p: number[], i: number): Corner {
  return { x: p[2 * i]!, y: p[2 * i + 1]! };
}

/**
 * The mean grey of the known light modules less that of the known dark ones, each sampled at its centre
 * (bilinear); `known` holds (row, col, dark) triples, rows and columns may reach into the quiet zone.
 */
export function contrast(
  gray: ArrayLike<number>,
  w: number,
  h: number,
  at: Located,
  n: number,
  known: Int32Array,
): number {
  const [a, b, c, d, e, f, g, k] = quadMatrix(at, n) as unknown as number[];
  let light = 0;
  let dark = 0;
  let lights = 0;
  for (let i = 0; i < known.length; i += 3) {
    const u = known[i + 1]! + 0.5;
    const v = known[i]! + 0.5;
    const q = g! * u + k! * v + 1;
    const fx = Math.min(w - 1.001, Math.max(0, (a! * u + b! * v + c!) / q - 0.5));
    const fy = Math.min(h - 1.001, Math.max(0, (d! * u + e! * v + f!) / q - 0.5));
    const value = bilinear(gray, w, fx, fy);
    if (known[i + 2]) dark += value;
    else {
      light += value;
      lights += 1;
    }
  }
  const darks = known.length / 3 - lights;
  const difference = light / Math.max(1, lights) - dark / Math.max(1, darks);
  return at.inverted ? -difference : difference;
}

/**
 * The grey at (fx, fy) of a picture `w` wide, in pixel-centre coordinates (pixel i at i), interpolated
 * between the four pixels around; fx in [0, w - 1) and fy likewise.
 */
export function bilinear(gray: ArrayLike<number>, w: number, fx: number, fy: number): number {
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const ax = fx - x0;
  const j = y0 * w + x0;
  const top = gray[j]! + ax * (gray[j + 1]! - gray[j]!);
  const bottom = gray[j + w]! + ax * (gray[j + w + 1]! - gray[j + w]!);
  return top + (fy - y0) * (bottom - top);
}
