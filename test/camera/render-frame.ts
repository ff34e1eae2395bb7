import QRCode from 'qrcode';

/** The kiosk camera's frame size. */
export const FRAME_WIDTH = 1280;
export const FRAME_HEIGHT = 720;

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A print-code-shaped text (three base64url segments, about the length of a real EdDSA JWT). */
export function fakePrintCode(rand: () => number): string {
  const seg = (n: number) => Array.from({ length: n }, () => B64URL[Math.floor(rand() * 64)]).join('');
  return `eyJhbGciOiJFZERTQSIsInR5cCI6ImFkbS1wcmludCtqd3QiLCJraWQiOiJzaW0tMjAyNiJ9.eyJ${seg(185)}.${seg(86)}`;
}

/** A grey camera frame: one byte per pixel, row by row. */
export interface GrayFrame {
  width: number;
  height: number;
  gray: Uint8Array;
}

/** A deterministic pseudo-random generator (mulberry32), so that a seed gives the same corpus everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Point = [number, number];

export interface CodePlacement {
  text: string;
  /** Where the code's outer corners (quiet zone included) land: top-left, top-right, bottom-right, bottom-left. */
  corners: [Point, Point, Point, Point];
  /** Grey of the dark modules and of the paper/screen (0..255). */
  dark?: number;
  light?: number;
}

/** The quiet zone around a printed code, in modules (the standard's minimum). */
export const PRINTED_QUIET_ZONE = 4;

/**
 * Draws a scene as the kiosk camera sees it: a cluttered background and, optionally, a print code
 * mapped through a perspective transform (any rotation, size or tilt), sampled 2x2 per pixel so
 * that edges are soft as through a lens.
 */
export function renderFrame(
  width: number,
  height: number,
  rand: () => number,
  code?: CodePlacement,
): GrayFrame {
  const gray = new Uint8Array(width * height);
  paintBackground(gray, width, height, rand);
  if (code) paintCode(gray, width, height, code);
  return { width, height, gray };
}

export function paintBackground(gray: Uint8Array, w: number, h: number, rand: () => number): void {
  const base = 70 + rand() * 80;
  const gx = (rand() - 0.5) * 60;
  const gy = (rand() - 0.5) * 60;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) gray[y * w + x] = clamp(base + (gx * x) / w + (gy * y) / h);
  }
  // Clutter: boxes and stripes like a counter, a sleeve, a phone's edge.
  const boxes = 6 + Math.floor(rand() * 10);
  for (let i = 0; i < boxes; i++) {
    const bw = 20 + rand() * 300;
    const bh = 10 + rand() * 200;
    const bx = rand() * (w - bw);
    const by = rand() * (h - bh);
    const v = rand() * 255;
    for (let y = Math.floor(by); y < by + bh; y++) {
      for (let x = Math.floor(bx); x < bx + bw; x++) gray[y * w + x] = clamp(v);
    }
  }
}

function paintCode(gray: Uint8Array, w: number, h: number, code: CodePlacement): void {
  const qr = QRCode.create(code.text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const units = n + 2 * PRINTED_QUIET_ZONE;
  const dark = code.dark ?? 20;
  const light = code.light ?? 235;
  paintQuad(gray, w, h, code.corners, (u, v) => {
    const mx = Math.floor(u * units) - PRINTED_QUIET_ZONE;
    const my = Math.floor(v * units) - PRINTED_QUIET_ZONE;
    const isDark = mx >= 0 && my >= 0 && mx < n && my < n && qr.modules.get(my, mx) === 1;
    return isDark ? dark : light;
  });
}

/**
 * Paints a flat surface seen in perspective: `sample(u, v)` gives the grey at a point of the unit
 * square, which lands on `quad` in the image; each pixel averages 2x2 samples (soft edges, as through
 * a lens), and a pixel the quad only partly covers keeps the rest of what was there. `covered` is told
 * every pixel painted, with the unit-square point under its centre.
 */
export function paintQuad(
  gray: Uint8Array,
  w: number,
  h: number,
  quad: [Point, Point, Point, Point],
  sample: (u: number, v: number) => number,
  covered?: (i: number, u: number, v: number) => void,
): void {
  // Homography from the unit square to the image, and its inverse for sampling.
  const hInv = invert3(squareToQuad(quad));
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(w - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(h - 1, Math.ceil(Math.max(...ys)));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let sum = 0;
      let inside = 0;
      for (const [dx, dy] of SUBSAMPLES) {
        const [u, v] = apply(hInv, x + dx, y + dy);
        if (u < 0 || u >= 1 || v < 0 || v >= 1) continue;
        inside += 1;
        sum += sample(u, v);
      }
      if (inside === 0) continue;
      const i = y * w + x;
      gray[i] = clamp((sum + gray[i]! * (SUBSAMPLES.length - inside)) / SUBSAMPLES.length);
      if (covered) {
        const [u, v] = apply(hInv, x + 0.5, y + 0.5);
        covered(i, u, v);
      }
    }
  }
}

const SUBSAMPLES: Point[] = [
  [0.25, 0.25],
  [0.75, 0.25],
  [0.25, 0.75],
  [0.75, 0.75],
];

/** Box blur (radius r, two passes, close to a Gaussian), in place. */
export function blur(f: GrayFrame, r: number): void {
  for (let pass = 0; pass < 2; pass++) {
    boxPass(f.gray, f.width, f.height, r, 1, f.width);
    boxPass(f.gray, f.height, f.width, r, f.width, 1);
  }
}

function boxPass(g: Uint8Array, len: number, lines: number, r: number, step: number, lineStep: number): void {
  const tmp = new Float32Array(len);
  for (let l = 0; l < lines; l++) {
    const base = l * lineStep;
    let acc = 0;
    for (let i = -r; i <= r; i++) acc += g[base + Math.min(len - 1, Math.max(0, i)) * step]!;
    for (let i = 0; i < len; i++) {
      tmp[i] = acc / (2 * r + 1);
      acc += g[base + Math.min(len - 1, i + r + 1) * step]! - g[base + Math.max(0, i - r) * step]!;
    }
    for (let i = 0; i < len; i++) g[base + i * step] = tmp[i]!;
  }
}

/** Gaussian sensor noise of the given standard deviation, in place. */
export function addNoise(f: GrayFrame, sigma: number, rand: () => number): void {
  for (let i = 0; i < f.gray.length; i++) {
    const n = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
    f.gray[i] = clamp(f.gray[i]! + n * sigma);
  }
}

/** A bright reflection (a phone screen under the hall lights): an elliptic highlight that washes out. */
export function addGlare(f: GrayFrame, cx: number, cy: number, radius: number, strength: number): void {
  for (let y = Math.max(0, Math.floor(cy - radius)); y < Math.min(f.height, cy + radius); y++) {
    for (let x = Math.max(0, Math.floor(cx - radius * 1.6)); x < Math.min(f.width, cx + radius * 1.6); x++) {
      const d = Math.hypot((x - cx) / 1.6, y - cy) / radius;
      if (d >= 1) continue;
      const i = y * f.width + x;
      const a = strength * (1 - d * d);
      f.gray[i] = clamp(f.gray[i]! * (1 - a) + 255 * a);
    }
  }
}

/** The square of side `size` centred on (cx, cy), turned by `angle` radians, tilted by moving corners. */
export function placeSquare(
  cx: number,
  cy: number,
  size: number,
  angle: number,
  tilt: Point[] = [],
): [Point, Point, Point, Point] {
  const half = size / 2;
  const base: Point[] = [
    [-half, -half],
    [half, -half],
    [half, half],
    [-half, half],
  ];
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return base.map(([x, y], i) => {
    const [tx, ty] = tilt[i] ?? [0, 0];
    return [cx + (x + tx) * c - (y + ty) * s, cy + (x + tx) * s + (y + ty) * c] as Point;
  }) as [Point, Point, Point, Point];
}

/** The luminance frame as RGBA, the layout a canvas or a video frame hands to the decoder. */
export function toRgba(f: GrayFrame): Uint8ClampedArray {
  const out = new Uint8ClampedArray(f.gray.length * 4);
  for (let i = 0; i < f.gray.length; i++) {
    const v = f.gray[i]!;
    out[i * 4] = v;
    out[i * 4 + 1] = v;
    out[i * 4 + 2] = v;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** A grey value rounded and clipped to 0..255. */
export function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

type M3 = [number, number, number, number, number, number, number, number, number];

/** The projective map from the unit square to a quad (Heckbert's closed form). */
function squareToQuad(q: [Point, Point, Point, Point]): M3 {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = q;
  const dx1 = x1 - x2;
  const dx2 = x3 - x2;
  const dy1 = y1 - y2;
  const dy2 = y3 - y2;
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / den;
  const hh = (dx1 * sy - sx * dy1) / den;
  return [x1 - x0 + g * x1, x3 - x0 + hh * x3, x0, y1 - y0 + g * y1, y3 - y0 + hh * y3, y0, g, hh, 1];
}

/** Where the point (u, v) of the unit square lands on `quad` (the map `paintQuad` paints with). */
export function quadPoint(quad: [Point, Point, Point, Point], u: number, v: number): Point {
  return apply(squareToQuad(quad), u, v);
}

/** The inverse of a 3x3 matrix (row-major). */
function invert3(m: M3): M3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/** A point through a homography. */
function apply(m: M3, x: number, y: number): Point {
  const w = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w];
}
