/**
 * A QR code's module grid in a picture, for the kiosk's locator (locate.ts): the projective map from
 * module coordinates to pixels fitted to found patterns (least squares), a module's grey through it,
 * and how well what the map shows fits what every code of a version has (timing patterns, version
 * information, whole finders).
 */
import { type Corner, versionBits } from './regrid.ts';

/** The least share of a finder's clearest quarter's contrast its other quarters must have. */
const WHOLE_FINDER = 0.5;

/** A 3x3 projective map, row-major, the last entry 1: module coordinates to picture pixels. */
export type Homography = Float64Array;

/** Solves the 8 unknowns of a homography from module points to pixels, least squares (4 or more pairs). */
export function fitHomography(
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

export function apply(H: Homography, u: number, v: number): Corner {
  const z = H[6]! * u + H[7]! * v + 1;
  return { x: (H[0]! * u + H[1]! * v + H[2]!) / z, y: (H[3]! * u + H[4]! * v + H[5]!) / z };
}

/** The grey at a module's centre: the mean of a 3x3 box there (edges clamped). */
export function sampleModule(
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
export function versionFit(
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
export function wholeFinders(
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
export function finderModules(n: number): [number, number][] {
  return [
    [3.5, 3.5],
    [n - 3.5, 3.5],
    [3.5, n - 3.5],
  ];
}
