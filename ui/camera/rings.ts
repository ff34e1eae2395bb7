/**
 * The pattern tests of the kiosk's QR locator (locate.ts), on integral images of a grey picture: the
 * correlation of a box neighbourhood with concentric squares (a finder or an alignment pattern, for
 * the search over a whole picture, where any scale costs the same), and of modules sampled along a
 * known grid with a pattern (for any turn and perspective, once the grid is roughly known); the
 * picture at half size and turned back by the grid's angle, for the search.
 */
import type { Corner } from './regrid.ts';

/** Added to the 7x7 box's standard deviation: flat grey is not a finder because its noise has a shape. */
export const SPREAD_FLOOR = 6;

/** A finder (or alignment) pattern found: its centre, module size and ring score. */
export interface RingMatch {
  x: number;
  y: number;
  module: number;
  score: number;
}

/** Integral images of a grey picture and of its square, (w + 1) x (h + 1), kept between calls. */
export interface Integral {
  /** Sums of the grey (at most 255 x 2^23 pixels: exact in 31 bits). */
  sum: Int32Array;
  /** Sums of its square modulo 2^32: a box's sum, taken modulo 2^32 again, is exact for boxes under 66,000 pixels. */
  squares: Uint32Array;
  w: number;
  h: number;
}

export function integrate(into: Integral, gray: ArrayLike<number>, w: number, h: number): void {
  const size = (w + 1) * (h + 1);
  if (into.sum.length < size) {
    into.sum = new Int32Array(size);
    into.squares = new Uint32Array(size);
  }
  into.w = w;
  into.h = h;
  const { sum, squares } = into;
  const W = w + 1;
  sum.fill(0, 0, W);
  squares.fill(0, 0, W);
  for (let y = 0; y < h; y++) {
    let row = 0;
    let row2 = 0;
    const o = (y + 1) * W;
    sum[o] = 0;
    squares[o] = 0;
    for (let x = 0; x < w; x++) {
      const v = gray[y * w + x]!;
      row += v;
      row2 += v * v;
      sum[o + x + 1] = sum[o - W + x + 1]! + row;
      // The store into a Uint32Array wraps modulo 2^32.
      squares[o + x + 1] = squares[o - W + x + 1]! + row2;
    }
  }
}

/** A picture at half size (each pixel the mean of a 2x2 block) into `out`, which it returns (grown if need be). */
export function halve(gray: ArrayLike<number>, w: number, h: number, out: Uint8Array): Uint8Array {
  const hw = w >> 1;
  const hh = h >> 1;
  const into = out.length < hw * hh ? new Uint8Array(hw * hh) : out;
  for (let y = 0; y < hh; y++) {
    const a = 2 * y * w;
    for (let x = 0; x < hw; x++) {
      const i = a + 2 * x;
      into[y * hw + x] = (gray[i]! + gray[i + 1]! + gray[i + w]! + gray[i + w + 1]! + 2) >> 2;
    }
  }
  return into;
}

/**
 * The turn of the code's module grid in a picture, between -45° and 45°: edges run along the grid's
 * two directions, so the gradient's angle taken four times over points at the same angle from all of
 * them (each gradient weighted by its strength).
 */
export function gridAngle(gray: Uint8Array, w: number, h: number): number {
  let re = 0;
  let im = 0;
  // Every other pixel each way: the angle of a whole code's edges shows as well, for a quarter of the time.
  for (let y = 1; y < h - 1; y += 2) {
    for (let x = 1; x < w - 1; x += 2) {
      const i = y * w + x;
      const gx = gray[i + 1]! - gray[i - 1]!;
      const gy = gray[i + w]! - gray[i - w]!;
      // (gx + i gy)^4: the angle four times, weighted by the strength to the fourth.
      const c2 = gx * gx - gy * gy;
      const s2 = 2 * gx * gy;
      re += c2 * c2 - s2 * s2;
      im += 2 * c2 * s2;
    }
  }
  return Math.atan2(im, re) / 4;
}

/**
 * The picture turned back by `angle` about its centre (nearest pixel) into `out` (grown if need be), on a canvas
 * large enough to hold all of it; returns its size and the map from its pixels back to the picture's.
 */
export function turn(
  gray: Uint8Array,
  w: number,
  h: number,
  angle: number,
  out: Uint8Array,
): { pixels: Uint8Array; w: number; h: number; back: (x: number, y: number) => Corner } {
  const c = Math.cos(angle);
  const sn = Math.sin(angle);
  const rw = Math.ceil(w * Math.abs(c) + h * Math.abs(sn));
  const rh = Math.ceil(w * Math.abs(sn) + h * Math.abs(c));
  const rotated = out.length < rw * rh ? new Uint8Array(rw * rh) : out;
  const back = (x: number, y: number): Corner => {
    const dx = x - rw / 2;
    const dy = y - rh / 2;
    return { x: w / 2 + c * dx - sn * dy, y: h / 2 + sn * dx + c * dy };
  };
  // Outside the picture: its mean grey, which no pattern correlates with.
  let mean = 0;
  for (let i = 0; i < w * h; i++) mean += gray[i]!;
  mean = Math.round(mean / (w * h));
  for (let y = 0; y < rh; y++) {
    const p = back(0.5, y + 0.5);
    for (let x = 0; x < rw; x++) {
      const sx = Math.floor(p.x + c * x);
      const sy = Math.floor(p.y + sn * x);
      rotated[y * rw + x] = sx >= 0 && sy >= 0 && sx < w && sy < h ? gray[sy * w + sx]! : mean;
    }
  }
  return { pixels: rotated, w: rw, h: rh, back };
}

/** Sum of the integral image `t` (w + 1 wide) over the box of half-side r around pixel (x, y). */
function boxSum(t: Int32Array | Uint32Array, W: number, x: number, y: number, r: number): number {
  const top = (y - r) * W;
  const bottom = (y + r + 1) * W;
  return (t[bottom + x + r + 1]! - t[top + x + r + 1]! - t[bottom + x - r]! + t[top + x - r]!) >>> 0;
}

/**
 * The ring score at pixel (x, y): the correlation of the grey over the box of half-side r[last] with
 * concentric squares of half-sides r[0] < r[1] < ... alternately dark and light from the centre (a
 * finder: dark 3x3, light ring, dark ring, light separator; an alignment pattern: dark centre, light
 * ring, dark ring), positive for dark on light and negative for light on dark. About 0.9 on a sharp
 * pattern, still well above random modules' 0.1 to 0.4 under heavy blur.
 */
function ringScore(t: Integral, x: number, y: number, r: readonly number[]): number {
  const { sum, squares } = t;
  const W = t.w + 1;
  const k = r.length;
  let inner = 0;
  let innerArea = 0;
  // Sum of the template-weighted grey (dark rings 1, light 0) and the template's own moments.
  let darkSum = 0;
  let darkArea = 0;
  for (let i = 0; i < k; i++) {
    const s = boxSum(sum, W, x, y, r[i]!);
    const a = (2 * r[i]! + 1) ** 2;
    if (i % 2 === 0) {
      darkSum += s - inner;
      darkArea += a - innerArea;
    }
    inner = s;
    innerArea = a;
  }
  const total = inner;
  const area = innerArea;
  const p = darkArea / area;
  const mean = total / area;
  const variance = boxSum(squares, W, x, y, r[k - 1]!) / area - mean * mean;
  if (variance <= 0) return 0;
  // cov(grey, template) = mean over dark area minus overall mean, times p; darker dark rings: positive.
  const cov = p * (mean - darkSum / darkArea);
  return cov / Math.sqrt((variance + SPREAD_FLOOR * SPREAD_FLOOR) * p * (1 - p));
}

/** Half-sides of the concentric squares of a pattern of `rings` modules across (9: a finder with its separator, 5: an alignment pattern). */
export function radii(module: number, rings: number): number[] {
  const r: number[] = [];
  for (let across = rings === 9 ? 3 : 1; across <= rings; across += 2) {
    r.push(Math.max(r.length > 0 ? r[r.length - 1]! + 1 : 0, Math.round((across * module) / 2 - 0.5)));
  }
  return r;
}

/**
 * The best ring score (of the polarity) within `reach` pixels of pixel (cx, cy), its place to a
 * fraction of a pixel (a parabola through the best pixel and its neighbours each way), or undefined
 * when the pattern would leave the picture.
 */
export function bestRing(
  t: Integral,
  cx: number,
  cy: number,
  reach: number,
  module: number,
  rings: number,
  inverted: boolean,
): RingMatch | undefined {
  const { w, h } = t;
  const r = radii(module, rings);
  const out = r[r.length - 1]!;
  const sign = inverted ? -1 : 1;
  const x0 = Math.max(out, Math.round(cx - reach));
  const x1 = Math.min(w - out - 1, Math.round(cx + reach));
  const y0 = Math.max(out, Math.round(cy - reach));
  const y1 = Math.min(h - out - 1, Math.round(cy + reach));
  if (x0 > x1 || y0 > y1) return undefined;
  let best = -Infinity;
  let bx = x0;
  let by = y0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const s = sign * ringScore(t, x, y, r);
      if (s > best) [best, bx, by] = [s, x, y];
    }
  }
  const at = (x: number, y: number) => sign * ringScore(t, x, y, r);
  const vertex = (a: number, b: number, c: number) => {
    const den = a - 2 * b + c;
    return den < 0 ? Math.max(-0.5, Math.min(0.5, (a - c) / (2 * den))) : 0;
  };
  const dx = bx > out && bx < w - out - 1 ? vertex(at(bx - 1, by), best, at(bx + 1, by)) : 0;
  const dy = by > out && by < h - out - 1 ? vertex(at(bx, by - 1), best, at(bx, by + 1)) : 0;
  // Pixel x covers x..x+1: its centre is x + 0.5.
  return { x: bx + dx + 0.5, y: by + dy + 0.5, module, score: best };
}

/** A pattern's modules from its centre, dark or light, and the share of them that is dark. */
export interface Cells {
  cells: [number, number, boolean][];
  dark: number;
}

function cellsOf(half: number, dark: (ring: number) => boolean): Cells {
  const cells: [number, number, boolean][] = [];
  for (let j = -half; j <= half; j++) {
    for (let i = -half; i <= half; i++) cells.push([i, j, dark(Math.max(Math.abs(i), Math.abs(j)))]);
  }
  return { cells, dark: cells.filter((c) => c[2]).length / cells.length };
}

/** An alignment pattern's 5x5 modules: the outer ring and the centre dark, the ring between light. */
export const ALIGNMENT = cellsOf(2, (ring) => ring !== 1);

/** A finder's 7x7 modules and the light separator (or quiet zone) around them. */
export const FINDER = cellsOf(4, (ring) => ring <= 1 || ring === 3);

/**
 * How much (x, y) looks like the centre of a pattern on the module grid whose steps are `ex` and
 * `ey` (pixels per module along the code's rows and columns): the correlation of the modules' greys
 * (each the mean of a box of half-side r) with the pattern. Sampling along the grid's own directions
 * makes it hold for any turn and perspective, where a square of pixels would not.
 */
export function cellScore(
  t: Integral,
  x: number,
  y: number,
  ex: Corner,
  ey: Corner,
  r: number,
  inverted: boolean,
  pattern: Cells,
): number {
  const { sum, w, h } = t;
  const W = w + 1;
  let dark = 0;
  let light = 0;
  let all = 0;
  let squares = 0;
  const area = (2 * r + 1) ** 2;
  for (const [i, j, d] of pattern.cells) {
    const px = Math.round(x + i * ex.x + j * ey.x - 0.5);
    const py = Math.round(y + i * ex.y + j * ey.y - 0.5);
    if (px < r || py < r || px >= w - r || py >= h - r) return -1;
    const v =
      (sum[(py + r + 1) * W + px + r + 1]! -
        sum[(py - r) * W + px + r + 1]! -
        sum[(py + r + 1) * W + px - r]! +
        sum[(py - r) * W + px - r]!) /
      area;
    if (d) dark += v;
    else light += v;
    all += v;
    squares += v * v;
  }
  const n = pattern.cells.length;
  const mean = all / n;
  const variance = squares / n - mean * mean;
  const p = pattern.dark;
  const contrast = light / (n * (1 - p)) - dark / (n * p);
  return (
    ((inverted ? -contrast : contrast) * Math.sqrt(p * (1 - p))) /
    Math.sqrt(variance + SPREAD_FLOOR * SPREAD_FLOOR)
  );
}

/** The box half-side for sampling modules of a pitch: about half a module across. */
export function sampleRadius(module: number): number {
  return Math.max(0, Math.round(module / 4 - 0.5));
}
