/**
 * Where a QR code's finder and alignment patterns are, for the kiosk's locator (locate.ts): finder
 * candidates over a whole picture (the ring test at a few module sizes on the picture at half size,
 * turned back by the grid's angle when the code is turned), or near where zxing's corners put them;
 * a finder's module size to a few per cent; alignment patterns near where a rough grid puts them.
 * The full-size picture's integral images, which every later test reads, are those of the picture
 * the last search (`findFinders` or `findersNear`) was given.
 */
import { apply, finderModules, fitHomography } from './grid.ts';
import type { Corner, Located } from './regrid.ts';
import {
  ALIGNMENT,
  bestRing,
  cellScore,
  FINDER,
  gridAngle,
  halve,
  type Integral,
  integrate,
  type RingMatch,
  radii,
  SPREAD_FLOOR,
  sampleRadius,
  turn,
} from './rings.ts';

/**
 * Module sizes (pixels) the finder search tries, 15 % apart: the correlation with a finder drawn 13 %
 * off the module size keeps half of it or less. Codes of 2.5 pixels a module and less (tiny) are too
 * fine for the search at half size, and zxing reads most of them.
 */
const FINDER_SCALES = [3, 3.45, 3.95, 4.55, 5.25];
/** Finder candidates kept per polarity, best first, and the least normalised ring score kept. */
const MAX_FINDERS = 8;
const MIN_FINDER_SCORE = 0.4;
/** The least ring score of an alignment pattern taken into the geometry. */
const MIN_ALIGNMENT_SCORE = 0.15;
/** Peaks of that search scoring below this share of the best one are not tried. */
const PEAK_SHARE = 0.75;
/** Regions of more pixels than this (the code's region was not found) are searched at a quarter size. */
const LARGE_REGION = 400_000;
/** Below this turn of the grid (radians), the finder search works on the picture as it is. */
const TURN_FROM = 0.12;

/** The integral images of the picture searched last, at full size and at the search's size. */
const full: Integral = { sum: new Int32Array(0), squares: new Uint32Array(0), w: 0, h: 0 };
const halved: Integral = { sum: new Int32Array(0), squares: new Uint32Array(0), w: 0, h: 0 };
/** The search's pictures, kept between calls. */
let halfGray: Uint8Array = new Uint8Array(0);
let quarterGray: Uint8Array = new Uint8Array(0);
let rotated: Uint8Array = new Uint8Array(0);

/**
 * A finder's module size to a few per cent, from its first estimate (the scales are 15 % apart): the
 * pitch at which the finder's modules, along the grid's directions (`angle`), fit best.
 */
export function finderModule(f: RingMatch, angle: number, inverted: boolean): number {
  const c = Math.cos(angle);
  const sn = Math.sin(angle);
  let best = { module: f.module, score: -Infinity };
  for (let k = 0.78; k <= 1.3; k *= 1.04) {
    const m = f.module * k;
    const score = cellScore(
      full,
      f.x,
      f.y,
      { x: m * c, y: m * sn },
      { x: -m * sn, y: m * c },
      sampleRadius(m),
      inverted,
      FINDER,
    );
    if (score > best.score) best = { module: m, score };
  }
  return best.module;
}

/**
 * The `count` best alignment pattern places within `reach` modules of (x, y) on the grid of steps
 * `ex`, `ey`, at least two modules apart, each to an eighth of a module.
 */
export function alignmentPeaks(
  x: number,
  y: number,
  ex: Corner,
  ey: Corner,
  reach: number,
  inverted: boolean,
  count: number,
): RingMatch[] {
  const module = Math.sqrt(Math.abs(ex.x * ey.y - ex.y * ey.x));
  const r = sampleRadius(module);
  const at = (a: number, b: number) => ({ x: x + a * ex.x + b * ey.x, y: y + a * ex.y + b * ey.y });
  const found: { a: number; b: number; score: number }[] = [];
  const step = Math.min(0.75, reach / 2);
  for (let b = -reach; b <= reach; b += step) {
    for (let a = -reach; a <= reach; a += step) {
      const p = at(a, b);
      const score = cellScore(full, p.x, p.y, ex, ey, r, inverted, ALIGNMENT);
      if (score >= MIN_ALIGNMENT_SCORE) found.push({ a, b, score });
    }
  }
  found.sort((p, q) => q.score - p.score);
  const kept: RingMatch[] = [];
  const seen: { a: number; b: number }[] = [];
  for (const f of found) {
    // Only peaks near the best: a far weaker one is the data's, not the pattern.
    if (f.score < PEAK_SHARE * found[0]!.score) break;
    if (seen.some((k) => Math.hypot(k.a - f.a, k.b - f.b) < 2)) continue;
    seen.push(f);
    let best = { a: f.a, b: f.b, score: f.score };
    for (let db = -step / 2; db <= step / 2; db += step / 4) {
      for (let da = -step / 2; da <= step / 2; da += step / 4) {
        const p = at(f.a + da, f.b + db);
        const score = cellScore(full, p.x, p.y, ex, ey, r, inverted, ALIGNMENT);
        if (score > best.score) best = { a: f.a + da, b: f.b + db, score };
      }
    }
    kept.push({ ...at(best.a, best.b), module, score: best.score });
    if (kept.length === count) break;
  }
  return kept;
}

/**
 * Finder candidates, dark on light and light on dark, best first: the local maxima of the ring score
 * over all scales in the picture at half size (a quarter of the work), each then placed again in the
 * full-size picture.
 */
export function findFinders(
  gray: ArrayLike<number>,
  w: number,
  h: number,
  until = Infinity,
): { normal: RingMatch[]; inverted: RingMatch[]; angle: number } {
  // The search runs at half size, or at a quarter on a region as large as most of the frame (the
  // code's region was not found): finders of a few pixels a module are still rings there.
  halfGray = halve(gray, w, h, halfGray);
  let scale = 2;
  let small = halfGray;
  if (w * h > LARGE_REGION) {
    quarterGray = halve(halfGray, w >> 1, h >> 1, quarterGray);
    [scale, small] = [4, quarterGray];
  }
  const sw = Math.floor(w / scale);
  const sh = Math.floor(h / scale);
  // The square rings match a finder turned by less than 10°; a turned code is searched turned back.
  const angle = gridAngle(small, sw, sh);
  let back = (x: number, y: number): Corner => ({ x, y });
  if (Math.abs(angle) > TURN_FROM) {
    const t = turn(small, sw, sh, angle, rotated);
    rotated = t.pixels;
    integrate(halved, rotated, t.w, t.h);
    back = t.back;
  } else integrate(halved, small, sw, sh);
  const found: RingMatch[] = [];
  const { sum, squares } = halved;
  const W = halved.w + 1;
  for (const module of FINDER_SCALES) {
    if (performance.now() > until) return { normal: [], inverted: [], angle };
    // The ring score inlined, as offsets from a pixel's place in the integral images: this loop is
    // most of the locator's time.
    const r = radii(module / scale, 9);
    const out = r[3]!;
    type Box = [number, number, number, number];
    const corners = r.map((q): Box => [(q + 1) * W + q + 1, -q * W + q + 1, (q + 1) * W - q, -q * W - q]);
    // Each box's four corners as offsets, in locals: the loop reads no array but the integral images.
    const [[o00, o01, o02, o03], [o10, o11, o12, o13], [o20, o21, o22, o23], [o30, o31, o32, o33]] =
      corners as [Box, Box, Box, Box];
    const areas = r.map((q) => (2 * q + 1) ** 2);
    const darkArea = areas[0]! + areas[2]! - areas[1]!;
    const area = areas[3]!;
    const p = darkArea / area;
    const norm = (p * p) / (p * (1 - p));
    const floor = SPREAD_FLOOR * SPREAD_FLOOR;
    const least = MIN_FINDER_SCORE * MIN_FINDER_SCORE;
    const step = Math.max(2, Math.round(module / scale));
    for (let y = out; y < halved.h - out - 1; y += step) {
      for (let x = out; x < halved.w - out - 1; x += step) {
        const i = y * W + x;
        const s3 = sum[i + o30]! - sum[i + o31]! - sum[i + o32]! + sum[i + o33]!;
        const dark = sum[i + o00]! - sum[i + o01]! - sum[i + o02]! + sum[i + o03]!;
        const ring = sum[i + o10]! - sum[i + o11]! - sum[i + o12]! + sum[i + o13]!;
        const s2 = sum[i + o20]! - sum[i + o21]! - sum[i + o22]! + sum[i + o23]!;
        const mean = s3 / area;
        const d = mean - (dark + s2 - ring) / darkArea;
        // Flat grey fails whatever its spread: no need to read the squares.
        if (d * d * norm < least * floor) continue;
        const q3 = (squares[i + o30]! - squares[i + o31]! - squares[i + o32]! + squares[i + o33]!) >>> 0;
        const variance = q3 / area - mean * mean;
        // score² = cov² / ((variance + floor) p (1 - p)), with cov = p d; compared without a root.
        if (d * d * norm < least * (variance + floor)) continue;
        const at = back(x + 0.5, y + 0.5);
        const score = Math.sign(d) * Math.sqrt((d * d * norm) / (variance + floor));
        found.push({ x: Math.round(scale * at.x), y: Math.round(scale * at.y), module, score });
      }
    }
  }
  found.sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
  const kept = { normal: [] as RingMatch[], inverted: [] as RingMatch[], angle };
  // The full-size picture's integral images, for placing the finders and all that follows: only
  // when three finders of one polarity could be there (most frames without a code have none).
  const dark = found.filter((f) => f.score > 0).length;
  if (dark < 3 && found.length - dark < 3) return kept;
  integrate(full, gray, w, h);
  for (const f of found) {
    const inverted = f.score < 0;
    const list = inverted ? kept.inverted : kept.normal;
    if (list.length === MAX_FINDERS) continue;
    if (list.some((k) => Math.hypot(k.x - f.x, k.y - f.y) < 3.5 * Math.max(k.module, f.module))) continue;
    const refined = bestRing(full, f.x, f.y, f.module / 2 + 2, f.module, 9, inverted);
    if (refined) list.push(refined);
    if (kept.normal.length === MAX_FINDERS && kept.inverted.length === MAX_FINDERS) break;
  }
  return kept;
}

/**
 * The finders where a located code (zxing's corners, which for a code it could not correct may be a
 * module or two off) puts them: the best ring within two modules of each, at about its pitch. Far
 * cheaper than the search over the whole picture.
 */
export function findersNear(
  gray: ArrayLike<number>,
  w: number,
  h: number,
  hint: Located,
): { normal: RingMatch[]; inverted: RingMatch[]; angle: number } {
  integrate(full, gray, w, h);
  const n = 17 + 4 * hint.version;
  const { topLeft: tl, topRight: tr, bottomRight: br, bottomLeft: bl } = hint;
  const H = fitHomography(
    [
      [0, 0],
      [n, 0],
      [n, n],
      [0, n],
    ],
    [tl, tr, br, bl].map((c): [number, number] => [c.x, c.y]),
  );
  const inverted = Boolean(hint.inverted);
  // The grid's turn, folded into -45°..45° as `gridAngle` gives it.
  const turn = Math.atan2(tr.y - tl.y, tr.x - tl.x);
  const angle = turn - (Math.PI / 2) * Math.round(turn / (Math.PI / 2));
  const kept = { normal: [] as RingMatch[], inverted: [] as RingMatch[], angle };
  if (!H) return kept;
  const pitch = Math.hypot(tr.x - tl.x, tr.y - tl.y) / n;
  for (const [u, v] of finderModules(n)) {
    const p = apply(H, u, v);
    let best: RingMatch | undefined;
    for (const k of [0.87, 1, 1.15]) {
      const m = bestRing(full, p.x - 0.5, p.y - 0.5, 2 * pitch, pitch * k, 9, inverted);
      if (m && (!best || m.score > best.score)) best = m;
    }
    if (!best || best.score < MIN_FINDER_SCORE) return kept;
    (inverted ? kept.inverted : kept.normal).push(best);
  }
  return kept;
}
