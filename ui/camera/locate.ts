/**
 * A QR locator of the kiosk's own, for the codes zxing's detector misses or misplaces: heavy lens or
 * motion blur, moiré bands, glare, dimmed or cracked screens, a phone tilted 40° away, dark mode.
 *
 * zxing finds finder patterns by the 1:1:3:1:1 runs of a binarised row, which blur, bands and cracks
 * break. Here a finder is a ring pattern in the grey itself: at a module size m, the mean of the
 * centre (3x3 modules) and of the outer ring (7x7 less 5x5) are both darker than the light ring
 * between them (5x5 less 3x3), measured against the grey's spread over the 7x7 box, so slow shading
 * (glare, bands) and a dim screen's low contrast change little. Box means from an integral image make
 * every scale cost the same. Three finders that make an L (two legs of about the same length at about
 * a right angle) are the code; the bottom-right alignment pattern (the same ring test at a third of
 * the size) near where the L puts it gives the perspective, the version is the one whose timing
 * patterns and version information blocks fit what is there, and every other alignment pattern,
 * looked for where that geometry puts it, refines the geometry by a least-squares homography. The
 * result is the four outer corners and the version, as regrid.ts takes them; whatever it makes of a
 * picture, the read that follows is Reed-Solomon checked by zxing.
 */
import { alignmentCentres, type Corner, type Located, versionBits } from './regrid.ts';

/** Module sizes (pixels) the finder search tries: the codes the kiosk reads have 2.5 to 7. */
const FINDER_SCALES = [3, 3.45, 3.95, 4.55, 5.25];
/** Finder candidates kept per polarity, best first, and the least normalised ring score kept. */
const MAX_FINDERS = 8;
const MIN_FINDER_SCORE = 0.4;
/** The least share of a finder's clearest quarter's contrast its other quarters must have. */
const WHOLE_FINDER = 0.5;
/** Added to the 7x7 box's standard deviation: flat grey is not a finder because its noise has a shape. */
const SPREAD_FLOOR = 6;
/** The least ring score of an alignment pattern taken into the geometry. */
const MIN_ALIGNMENT_SCORE = 0.15;
/**
 * How far from where the finders' parallelogram puts it the bottom-right alignment pattern is looked
 * for, in modules: a phone tilted 40° moves it by 5 to 10.
 */
const ALIGNMENT_REACH = 8;
/** How far the modules across may be from the finders' estimate: the versions tried. */
const VERSION_SPREAD = 0.12;
/** The best places of that search that are tried, each by how well the geometry it makes fits. */
const ALIGNMENT_PEAKS = 4;
/** Peaks of that search scoring below this share of the best one are not tried. */
const PEAK_SHARE = 0.75;
/** The least fit of the timing and version patterns for a geometry to be returned. */
const MIN_FIT = 0.3;
/** A fit from which no other L is tried. */
const GOOD_FIT = 0.5;

/** A finder (or alignment) pattern found: its centre, module size and ring score. */
export interface RingMatch {
  x: number;
  y: number;
  module: number;
  score: number;
}

/** A 3x3 projective map, row-major, the last entry 1: module coordinates to picture pixels. */
type Homography = Float64Array;

/** Integral images of a grey picture and of its square, (w + 1) x (h + 1), kept between calls. */
interface Integral {
  /** Sums of the grey (at most 255 x 2^23 pixels: exact in 31 bits). */
  sum: Int32Array;
  /** Sums of its square modulo 2^32: a box's sum, taken modulo 2^32 again, is exact for boxes under 66,000 pixels. */
  squares: Uint32Array;
  w: number;
  h: number;
}

const full: Integral = { sum: new Int32Array(0), squares: new Uint32Array(0), w: 0, h: 0 };
const halved: Integral = { sum: new Int32Array(0), squares: new Uint32Array(0), w: 0, h: 0 };
let halfGray: Uint8Array = new Uint8Array(0);
let quarterGray: Uint8Array = new Uint8Array(0);
let rotated = new Uint8Array(0);
/** Regions of more pixels than this (the code's region was not found) are searched at a quarter size. */
const LARGE_REGION = 400_000;
/** Below this turn of the grid (radians), the finder search works on the picture as it is. */
const TURN_FROM = 0.12;

function integrate(into: Integral, gray: ArrayLike<number>, w: number, h: number): void {
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
function halve(gray: ArrayLike<number>, w: number, h: number, out: Uint8Array): Uint8Array {
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
function gridAngle(gray: Uint8Array, w: number, h: number): number {
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
 * The picture turned back by `angle` about its centre (nearest pixel) into `rotated`, on a canvas
 * large enough to hold all of it; returns its size and the map from its pixels back to the picture's.
 */
function turn(
  gray: Uint8Array,
  w: number,
  h: number,
  angle: number,
): { w: number; h: number; back: (x: number, y: number) => Corner } {
  const c = Math.cos(angle);
  const sn = Math.sin(angle);
  const rw = Math.ceil(w * Math.abs(c) + h * Math.abs(sn));
  const rh = Math.ceil(w * Math.abs(sn) + h * Math.abs(c));
  if (rotated.length < rw * rh) rotated = new Uint8Array(rw * rh);
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
  return { w: rw, h: rh, back };
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
function radii(module: number, rings: number): number[] {
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
function bestRing(
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
interface Cells {
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
const ALIGNMENT = cellsOf(2, (ring) => ring !== 1);
/** A finder's 7x7 modules and the light separator (or quiet zone) around them. */
const FINDER = cellsOf(4, (ring) => ring <= 1 || ring === 3);

/**
 * How much (x, y) looks like the centre of a pattern on the module grid whose steps are `ex` and
 * `ey` (pixels per module along the code's rows and columns): the correlation of the modules' greys
 * (each the mean of a box of half-side r) with the pattern. Sampling along the grid's own directions
 * makes it hold for any turn and perspective, where a square of pixels would not.
 */
function cellScore(
  x: number,
  y: number,
  ex: Corner,
  ey: Corner,
  r: number,
  inverted: boolean,
  pattern: Cells,
): number {
  const { sum, w, h } = full;
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
function sampleRadius(module: number): number {
  return Math.max(0, Math.round(module / 4 - 0.5));
}

/**
 * A finder's module size to a few per cent, from its first estimate (the scales are 30 % apart): the
 * pitch at which the finder's modules, along the grid's directions (`angle`), fit best.
 */
function finderModule(f: RingMatch, angle: number, inverted: boolean): number {
  const c = Math.cos(angle);
  const sn = Math.sin(angle);
  let best = { module: f.module, score: -Infinity };
  for (let k = 0.78; k <= 1.3; k *= 1.04) {
    const m = f.module * k;
    const score = cellScore(
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
function alignmentPeaks(
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
      const score = cellScore(p.x, p.y, ex, ey, r, inverted, ALIGNMENT);
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
        const score = cellScore(p.x, p.y, ex, ey, r, inverted, ALIGNMENT);
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
    const t = turn(small, sw, sh, angle);
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
function findersNear(
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

/** Three finders as the code's top-left, top-right and bottom-left, if they make a plausible L. */
function asL(a: RingMatch, b: RingMatch, c: RingMatch): [RingMatch, RingMatch, RingMatch] | undefined {
  const d = (p: RingMatch, q: RingMatch) => Math.hypot(p.x - q.x, p.y - q.y);
  // The corner is opposite the longest side.
  const sides: [number, RingMatch, RingMatch, RingMatch][] = [
    [d(b, c), a, b, c],
    [d(a, c), b, a, c],
    [d(a, b), c, a, b],
  ];
  sides.sort((p, q) => q[0] - p[0]);
  let [, tl, tr, bl] = sides[0]!;
  const l1 = d(tl, tr);
  const l2 = d(tl, bl);
  if (Math.max(l1, l2) > 1.6 * Math.min(l1, l2)) return undefined;
  const cos = ((tr.x - tl.x) * (bl.x - tl.x) + (tr.y - tl.y) * (bl.y - tl.y)) / (l1 * l2);
  if (Math.abs(cos) > 0.6) return undefined;
  const module = (a.module + b.module + c.module) / 3;
  // At least a version 1 code (14 modules between the finders' centres) and finders of about one size.
  if (Math.min(l1, l2) < 10 * module) return undefined;
  if (Math.max(a.module, b.module, c.module) > 2.2 * Math.min(a.module, b.module, c.module)) return undefined;
  // Top-right is clockwise from top-left in the picture (y down).
  if ((tr.x - tl.x) * (bl.y - tl.y) - (tr.y - tl.y) * (bl.x - tl.x) < 0) [tr, bl] = [bl, tr];
  return [tl, tr, bl];
}

/** Solves the 8 unknowns of a homography from module points to pixels, least squares (4 or more pairs). */
function fitHomography(
  from: [number, number][],
  to: [number, number][],
  weights?: number[],
): Homography | undefined {
  // Normal equations of the linearised problem (h33 = 1), two rows per pair.
  const ata = new Float64Array(64);
  const atb = new Float64Array(8);
  const row = new Float64Array(8);
  const add = (rhs: number, wt: number) => {
    for (let i = 0; i < 8; i++) {
      const ri = wt * row[i]!;
      if (ri === 0) continue;
      atb[i]! += ri * rhs;
      for (let j = 0; j < 8; j++) ata[i * 8 + j]! += ri * row[j]!;
    }
  };
  for (let k = 0; k < from.length; k++) {
    const [u, v] = from[k]!;
    const [x, y] = to[k]!;
    const wt = weights?.[k] ?? 1;
    row.set([u, v, 1, 0, 0, 0, -u * x, -v * x]);
    add(x, wt);
    row.set([0, 0, 0, u, v, 1, -u * y, -v * y]);
    add(y, wt);
  }
  const h = solve(ata, atb, 8);
  if (!h) return undefined;
  return Float64Array.of(h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1);
}

/** Gaussian elimination with partial pivoting of an n x n system; undefined when singular. */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array | undefined {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[p * n + c]!)) p = r;
    if (Math.abs(a[p * n + c]!) < 1e-12) return undefined;
    for (let k = 0; k < n; k++) [a[c * n + k], a[p * n + k]] = [a[p * n + k]!, a[c * n + k]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c]! / a[c * n + c]!;
      for (let k = c; k < n; k++) a[r * n + k]! -= f * a[c * n + k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r * n + k]! * x[k]!;
    x[r] = s / a[r * n + r]!;
  }
  return x;
}

function apply(H: Homography, u: number, v: number): Corner {
  const z = H[6]! * u + H[7]! * v + 1;
  return { x: (H[0]! * u + H[1]! * v + H[2]!) / z, y: (H[3]! * u + H[4]! * v + H[5]!) / z };
}

/** The grey at a module's centre: the mean of a 3x3 box there (edges clamped). */
function sampleModule(
  gray: ArrayLike<number>,
  w: number,
  h: number,
  H: Homography,
  u: number,
  v: number,
): number {
  const { x, y } = apply(H, u + 0.5, v + 0.5);
  const cx = Math.round(x - 0.5);
  const cy = Math.round(y - 0.5);
  let s = 0;
  for (let dy = -1; dy <= 1; dy++) {
    const row = Math.min(h - 1, Math.max(0, cy + dy)) * w;
    for (let dx = -1; dx <= 1; dx++) s += gray[row + Math.min(w - 1, Math.max(0, cx + dx))]!;
  }
  return s / 9;
}

/** Pearson correlation of the samples with the expected modules (1 dark, 0 light): 1 is a perfect fit. */
function patternFit(samples: number[], dark: boolean[], inverted: boolean): number {
  const n = samples.length;
  let ms = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    ms += samples[i]!;
    md += dark[i] !== inverted ? 1 : 0;
  }
  ms /= n;
  md /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = ms - samples[i]!; // darker is larger
    const b = (dark[i] !== inverted ? 1 : 0) - md;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** How well a geometry fits the version's timing patterns and (from version 7) version blocks. */
function versionFit(
  gray: ArrayLike<number>,
  w: number,
  h: number,
  H: Homography,
  version: number,
  inverted: boolean,
): number {
  const n = 17 + 4 * version;
  const samples: number[] = [];
  const dark: boolean[] = [];
  for (let i = 8; i < n - 8; i++) {
    samples.push(sampleModule(gray, w, h, H, i, 6), sampleModule(gray, w, h, H, 6, i));
    dark.push(i % 2 === 0, i % 2 === 0);
  }
  const timing = patternFit(samples, dark, inverted);
  if (version < 7) return timing;
  samples.length = 0;
  dark.length = 0;
  const bits = versionBits(version);
  for (let i = 0; i < 18; i++) {
    const d = ((bits >> i) & 1) === 1;
    samples.push(sampleModule(gray, w, h, H, (i % 3) + n - 11, Math.floor(i / 3)));
    samples.push(sampleModule(gray, w, h, H, Math.floor(i / 3), (i % 3) + n - 11));
    dark.push(d, d);
  }
  return (timing + patternFit(samples, dark, inverted)) / 2;
}

/**
 * Whether the three finders are whole under the geometry: in each quarter of each finder, the light
 * modules stand out from the dark ones by at least half as much as in the finder's clearest quarter.
 * A thumb over a finder leaves part of it flat; a code a third of whose finder is lost is one the
 * kiosk must not read (its readability rule, drivers/scanner/README.md), even when the rest could be.
 */
function wholeFinders(
  gray: ArrayLike<number>,
  w: number,
  h: number,
  H: Homography,
  version: number,
  inverted: boolean,
): boolean {
  const n = 17 + 4 * version;
  for (const [fu, fv] of [
    [0, 0],
    [n - 7, 0],
    [0, n - 7],
  ] as const) {
    const contrasts: number[] = [];
    for (const [r0, c0] of [
      [0, 0],
      [0, 3],
      [3, 0],
      [3, 3],
    ] as const) {
      let dark = 0;
      let light = 0;
      let nd = 0;
      let nl = 0;
      for (let r = r0; r <= r0 + 3; r++) {
        for (let c = c0; c <= c0 + 3; c++) {
          const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
          const v = sampleModule(gray, w, h, H, fu + c, fv + r);
          if (ring === 2) {
            light += v;
            nl += 1;
          } else {
            dark += v;
            nd += 1;
          }
        }
      }
      const contrast = light / nl - dark / nd;
      contrasts.push(inverted ? -contrast : contrast);
    }
    if (Math.min(...contrasts) < WHOLE_FINDER * Math.max(...contrasts)) return false;
  }
  return true;
}

/** The module points of the three finders' centres in a code of n modules. */
function finderModules(n: number): [number, number][] {
  return [
    [3.5, 3.5],
    [n - 3.5, 3.5],
    [3.5, n - 3.5],
  ];
}

/**
 * The geometry of an L of finders for a version: the three finders' centres and the bottom-right
 * alignment pattern's (`corner`, the parallelogram's fourth point when there is none).
 */
function baseGeometry(
  l: [RingMatch, RingMatch, RingMatch],
  version: number,
  corner: Corner | undefined,
): Homography | undefined {
  const n = 17 + 4 * version;
  const [tl, tr, bl] = l;
  const centres = alignmentCentres(version);
  const to: [number, number][] = [
    [tl.x, tl.y],
    [tr.x, tr.y],
    [bl.x, bl.y],
  ];
  if (corner && centres.length > 0) {
    const last = centres[centres.length - 1]! + 0.5;
    return fitHomography([...finderModules(n), [last, last]], [...to, [corner.x, corner.y]]);
  }
  return fitHomography(
    [...finderModules(n), [n - 3.5, n - 3.5]],
    [...to, [tr.x + bl.x - tl.x, tr.y + bl.y - tl.y]],
  );
}

/** The geometry refined by every alignment pattern found near where it puts them (least squares). */
function refine(
  l: [RingMatch, RingMatch, RingMatch],
  H: Homography,
  version: number,
  inverted: boolean,
): Homography {
  const n = 17 + 4 * version;
  const centres = alignmentCentres(version);
  const from = finderModules(n);
  const to: [number, number][] = l.map((f) => [f.x, f.y]);
  const weights = [2, 2, 2];
  for (const r of centres) {
    for (const c of centres) {
      if ((r === 6 && (c === 6 || c === n - 7)) || (r === n - 7 && c === 6)) continue;
      const g = apply(H, c + 0.5, r + 0.5);
      const gx = apply(H, c + 1.5, r + 0.5);
      const gy = apply(H, c + 0.5, r + 1.5);
      const ex = { x: gx.x - g.x, y: gx.y - g.y };
      const ey = { x: gy.x - g.x, y: gy.y - g.y };
      const m = alignmentPeaks(g.x, g.y, ex, ey, 1, inverted, 1)[0];
      if (!m) continue;
      from.push([c + 0.5, r + 0.5]);
      to.push([m.x, m.y]);
      weights.push(1);
    }
  }
  return from.length > 3 ? (fitHomography(from, to, weights) ?? H) : H;
}

/**
 * Where a QR code is in a grey picture (w x h, row by row), by the kiosk's own finder search; the best
 * geometries first (at most `max`), each with the four outer corners and the version. Empty when no
 * three finders make a code. A few milliseconds on a code's region.
 */
export function locateCodes(
  gray: ArrayLike<number>,
  w: number,
  h: number,
  until = Infinity,
  hint?: Located,
  max = 2,
): Located[] {
  const all = hint ? findersNear(gray, w, h, hint) : findFinders(gray, w, h, until);
  const found: { at: Located; fit: number }[] = [];
  const ls: { l: [RingMatch, RingMatch, RingMatch]; score: number; inverted: boolean }[] = [];
  for (const inverted of [false, true]) {
    const finders = inverted ? all.inverted : all.normal;
    for (let i = 0; i < finders.length; i++) {
      for (let j = i + 1; j < finders.length; j++) {
        for (let k = j + 1; k < finders.length; k++) {
          const l = asL(finders[i]!, finders[j]!, finders[k]!);
          const score = Math.abs(finders[i]!.score + finders[j]!.score + finders[k]!.score);
          if (l) ls.push({ l, score, inverted });
        }
      }
    }
  }
  // The likeliest Ls first, and no more once one fits well: each costs about a millisecond.
  ls.sort((a, b) => b.score - a.score);
  for (const { l, inverted } of ls.slice(0, max)) {
    if (found.some((f) => f.fit >= GOOD_FIT) || performance.now() > until) break;
    {
      const [tl, tr, bl] = l;
      // The finders' module sizes, each to a few per cent, give the number of modules across (so the
      // versions to try) and, as a code tilted away shows its far side smaller, where the fourth
      // corner is: the parallelogram of the three finders would put it many modules off.
      const [mtl, mtr, mbl] = l.map((f) => finderModule(f, all.angle, inverted)) as [number, number, number];
      const across =
        (Math.hypot(tr.x - tl.x, tr.y - tl.y) / ((mtl + mtr) / 2) +
          Math.hypot(bl.x - tl.x, bl.y - tl.y) / ((mtl + mbl) / 2)) /
          2 +
        7;
      const lo = Math.max(1, Math.floor((across * (1 - VERSION_SPREAD) - 17) / 4));
      const hi = Math.min(40, Math.ceil((across * (1 + VERSION_SPREAD) - 17) / 4));
      const guess = {
        x: (bl.x + (tr.x - tl.x) * (mbl / mtl) + tr.x + (bl.x - tl.x) * (mtr / mtl)) / 2,
        y: (bl.y + (tr.y - tl.y) * (mbl / mtl) + tr.y + (bl.y - tl.y) * (mtr / mtl)) / 2,
      };
      const ex = { x: (guess.x - bl.x) / (across - 7), y: (guess.y - bl.y) / (across - 7) };
      const ey = { x: (guess.x - tr.x) / (across - 7), y: (guess.y - tr.y) / (across - 7) };
      const corners = alignmentPeaks(
        guess.x - 3 * (ex.x + ey.x),
        guess.y - 3 * (ex.y + ey.y),
        ex,
        ey,
        ALIGNMENT_REACH,
        inverted,
        ALIGNMENT_PEAKS,
      );
      let best: { H: Homography; fit: number; version: number } | undefined;
      for (let version = lo; version <= hi; version++) {
        for (const c of [...corners, undefined]) {
          const H = baseGeometry(l, version, c);
          if (!H) continue;
          const f = versionFit(gray, w, h, H, version, inverted);
          if (!best || f > best.fit) best = { H, fit: f, version };
        }
      }
      if (!best) continue;
      const H = refine(l, best.H, best.version, inverted);
      best = { H, fit: versionFit(gray, w, h, H, best.version, inverted), version: best.version };
      if (best.fit < MIN_FIT || !wholeFinders(gray, w, h, H, best.version, inverted)) continue;
      const n = 17 + 4 * best.version;
      found.push({
        at: {
          topLeft: apply(best.H, 0, 0),
          topRight: apply(best.H, n, 0),
          bottomRight: apply(best.H, n, n),
          bottomLeft: apply(best.H, 0, n),
          version: best.version,
          inverted,
        },
        fit: best.fit,
      });
    }
  }
  found.sort((a, b) => b.fit - a.fit);
  return found.slice(0, max).map((f) => f.at);
}
