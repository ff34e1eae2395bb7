/**
 * Puts a located code's corners where its fixed patterns say they are. A locator's corners are seldom
 * exact: zxing places the bottom-right corner from one alignment pattern or by extrapolation, one to
 * four modules off on a tilted or blurred code, and a module read at the wrong place is a coin toss.
 * Every version fixes some modules (finders, separators, timing, alignment patterns, version
 * information), so the geometry that fits them best is the one
 * where the light ones are lightest and the dark ones darkest: this moves each corner in turn, by a
 * module, then half, a quarter and an eighth, as long as that contrast grows. The modules of the quiet
 * zone are left out: with a blur, the light quiet zone next to a finder would pull the corners outwards.
 */
import { type Corner, type Located, quadMatrix } from './regrid.ts';

/** The corner steps tried, in modules, coarse to fine. */
const STEPS = [1, 0.5, 0.25, 0.125];
/**
 * At the one-module step each module is the mean of its centre and four points this far (in modules)
 * up, down, left and right: the contrast then falls off slowly with the distance from the right place
 * instead of vanishing a module away, so corners four or five modules off still find their way (on the
 * corpus with the true corners, the bottom-right one moved at random up to 5 modules and the others up
 * to half a module: 497 of 510 frames read, against 479 with the centres alone).
 */
const COARSE_SPREAD = 0.75;
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
  let best = -Infinity;
  for (const step of STEPS) {
    const spread = step >= 1 ? COARSE_SPREAD : 0;
    best = contrast(gray, w, h, located(corners), n, known, spread);
    for (let sweep = 0; sweep < SWEEPS; sweep++) {
      let moved = false;
      for (let k = 0; k < 8; k++) {
        for (const sign of [1, -1]) {
          const trial = corners.slice();
          trial[k] = trial[k]! + sign * step * pitch;
          const score = contrast(gray, w, h, located(trial), n, known, spread);
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
 * The mean grey of the known light modules less that of the known dark ones (the other way round for an
 * inverted code), each sampled at its centre (bilinear), or with `spread` as the mean of its centre and
 * four points that far up, down, left and right; `known` holds (row, col, dark) triples.
 */
export function contrast(
  gray: ArrayLike<number>,
  w: number,
  h: number,
  at: Located,
  n: number,
  known: Int32Array,
  spread = 0,
): number {
  const [a, b, c, d, e, f, g, k] = quadMatrix(at, n) as unknown as number[];
  const points = spread > 0 ? WIDE : CENTRE;
  let light = 0;
  let dark = 0;
  let lights = 0;
  for (let i = 0; i < known.length; i += 3) {
    let value = 0;
    for (const [du, dv] of points) {
      const u = known[i + 1]! + 0.5 + du * spread;
      const v = known[i]! + 0.5 + dv * spread;
      const q = g! * u + k! * v + 1;
      const fx = Math.min(w - 1.001, Math.max(0, (a! * u + b! * v + c!) / q - 0.5));
      const fy = Math.min(h - 1.001, Math.max(0, (d! * u + e! * v + f!) / q - 0.5));
      value += bilinear(gray, w, fx, fy);
    }
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

const CENTRE = [[0, 0]] as const;
const WIDE = [
  [0, 0],
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
] as const;

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
