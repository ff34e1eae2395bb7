/**
 * A second reading of a QR code that zxing found but could not correct: zxing located the symbol
 * (its corners and version) and sampled each module at one pixel of its own binarised image; this
 * samples every module again from the grey picture, by the mean of a small box at its centre,
 * decides it against the mean of the modules around it (9x9 modules: the local levels under glare or
 * moiré bands), takes from each module the leak of its four neighbours (a blur spreads each module
 * into the next; subtracting `leak` times the neighbours' excess over the local mean undoes a part of
 * it on the module grid, where it is cheap), puts back the patterns the version fixes (finders,
 * timing, alignment, version information), and hands the result to zxing as a clean, pure code to
 * read and correct.
 */

import { symbolLayout } from './qr-spec.ts';

export { alignmentCentres, versionBits } from './qr-spec.ts';

/** A corner of the located symbol, in the picture's pixels. */
export interface Corner {
  x: number;
  y: number;
}

/** Where zxing located the symbol: its four outer corners, the top left one at the finder's corner. */
export interface Located {
  topLeft: Corner;
  topRight: Corner;
  bottomRight: Corner;
  bottomLeft: Corner;
  /** The QR version (1 to 40). */
  version: number;
  /** Light modules on dark (dark mode). */
  inverted?: boolean;
}

const NEIGHBOURS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

/** Pixels per module of the redrawn code, and its quiet zone in modules. */
export const REDRAWN_PITCH = 3;
const QUIET = 4;

/** The side in pixels of the redrawn code of a version. */
export function redrawnSide(version: number): number {
  return (17 + 4 * version + 2 * QUIET) * REDRAWN_PITCH;
}

/**
 * Samples the located symbol's modules from `gray` (w x h) and draws the decided code into `out`
 * (`redrawnSide(version)` squared, 0 dark, 255 light), dark modules of the picture drawn dark.
 */
export function redrawCode(
  gray: ArrayLike<number>,
  w: number,
  h: number,
  at: Located,
  leak: number,
  out: Uint8Array,
): void {
  const n = 17 + 4 * at.version;
  const map = squareToQuad(at, n);
  // The box: about half a module, at least a pixel.
  const pitch = Math.hypot(at.topRight.x - at.topLeft.x, at.topRight.y - at.topLeft.y) / n;
  const box = Math.max(1, Math.round(pitch / 2));
  const value = new Float64Array(n * n);
  for (let my = 0; my < n; my++) {
    for (let mx = 0; mx < n; mx++) {
      const [x, y] = map(mx + 0.5, my + 0.5);
      const x0 = Math.round(x - box / 2);
      const y0 = Math.round(y - box / 2);
      let sum = 0;
      for (let yy = y0; yy < y0 + box; yy++) {
        const row = Math.min(h - 1, Math.max(0, yy)) * w;
        for (let xx = x0; xx < x0 + box; xx++) sum += gray[row + Math.min(w - 1, Math.max(0, xx))]!;
      }
      value[my * n + mx] = sum / (box * box);
    }
  }
  // Module sums over 9x9 windows, from an integral image of the grid.
  const integral = new Float64Array((n + 1) * (n + 1));
  for (let y = 0; y < n; y++) {
    let row = 0;
    for (let x = 0; x < n; x++) {
      row += value[y * n + x]!;
      integral[(y + 1) * (n + 1) + x + 1] = integral[y * (n + 1) + x + 1]! + row;
    }
  }
  const dark = new Uint8Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const x0 = Math.max(0, x - 4);
      const x1 = Math.min(n, x + 5);
      const y0 = Math.max(0, y - 4);
      const y1 = Math.min(n, y + 5);
      const local =
        (integral[y1 * (n + 1) + x1]! -
          integral[y0 * (n + 1) + x1]! -
          integral[y1 * (n + 1) + x0]! +
          integral[y0 * (n + 1) + x0]!) /
        ((x1 - x0) * (y1 - y0));
      // The mean of the neighbours it has (an edge module has three, a corner two).
      let around = 0;
      let count = 0;
      for (const [dx, dy] of NEIGHBOURS) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= n || ny >= n) continue;
        around += value[ny * n + nx]!;
        count += 1;
      }
      const darker = value[y * n + x]! - leak * (around / count - local) < local;
      dark[y * n + x] = darker !== Boolean(at.inverted) ? 1 : 0;
    }
  }
  putFunctionPatterns(dark, n, at.version);
  out.fill(255, 0, redrawnSide(at.version) ** 2);
  const side = redrawnSide(at.version);
  for (let my = 0; my < n; my++) {
    for (let mx = 0; mx < n; mx++) {
      if (!dark[my * n + mx]) continue;
      for (let dy = 0; dy < REDRAWN_PITCH; dy++) {
        const row = ((my + QUIET) * REDRAWN_PITCH + dy) * side + (mx + QUIET) * REDRAWN_PITCH;
        out.fill(0, row, row + REDRAWN_PITCH);
      }
    }
  }
}

/**
 * The patterns every code of the version has whatever it says (`SymbolLayout.fixed`). The format
 * information depends on the mask and is left as read.
 */
function putFunctionPatterns(dark: Uint8Array, n: number, version: number): void {
  const { fixed } = symbolLayout(version);
  for (let i = 0; i < n * n; i++) if (fixed[i]! >= 0) dark[i] = fixed[i]!;
}

/**
 * The projective map from the module grid (0..n each way) to the located quad, as the eight numbers
 * [a, b, c, d, e, f, g, k]: (u, v) lands on ((a s + b t + c) / q, (d s + e t + f) / q), with s = u / n,
 * t = v / n and q = g s + k t + 1.
 */
export function quadMatrix(at: Located, n: number): Float64Array {
  const { topLeft: p0, topRight: p1, bottomRight: p2, bottomLeft: p3 } = at;
  const dx1 = p1.x - p2.x;
  const dx2 = p3.x - p2.x;
  const dy1 = p1.y - p2.y;
  const dy2 = p3.y - p2.y;
  const sx = p0.x - p1.x + p2.x - p3.x;
  const sy = p0.y - p1.y + p2.y - p3.y;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / den;
  const k = (dx1 * sy - sx * dy1) / den;
  return Float64Array.of(
    (p1.x - p0.x + g * p1.x) / n,
    (p3.x - p0.x + k * p3.x) / n,
    p0.x,
    (p1.y - p0.y + g * p1.y) / n,
    (p3.y - p0.y + k * p3.y) / n,
    p0.y,
    g / n,
    k / n,
  );
}

/** The projective map from the module grid (0..n each way) to the located quad. */
function squareToQuad(at: Located, n: number): (u: number, v: number) => [number, number] {
  const [a, b, c, d, e, f, g, k] = quadMatrix(at, n) as unknown as number[];
  return (u, v) => {
    const q = g! * u + k! * v + 1;
    return [(a! * u + b! * v + c!) / q, (d! * u + e! * v + f!) / q];
  };
}
