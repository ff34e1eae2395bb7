import QRCode from 'qrcode';
import { clamp, type GrayFrame, type Point, paintQuad } from './render-frame.ts';

/**
 * A print code shown on a phone screen held up to the kiosk camera, the way applicants actually bring
 * it: the phone's plane is tilted in 3-D (a perspective, not a rotation in the image), the screen
 * has a bezel, a status bar and text around the code, and the glass adds its own trouble.
 *
 * Sizes are in "code units" on the phone's plane: the code with its quiet zone is 1 unit wide.
 */
const QUIET_ZONE = 2;
const SCREEN_W = 1.3;
const SCREEN_H = 2.6;
const BEZEL = 0.07;
/** Where the code's top-left corner sits on the screen. */
const CODE_X = (SCREEN_W - 1) / 2;
const CODE_Y = 0.7;
/** The webcam's focal length in pixels (about 60 degrees across 1280 pixels). */
const FOCAL_PX = 1100;

export interface PhoneScene {
  /** The code on screen, or null for a phone showing something else. */
  text: string | null;
  /** Centre of the code in the image, and its side (quiet zone included) were it facing the camera. */
  cx: number;
  cy: number;
  size: number;
  /** The screen plane's tilt away from the camera (radians, 0 = facing it), about an axis at `tiltAxis`. */
  tilt: number;
  tiltAxis: number;
  /** The phone turned in the image plane (radians). */
  roll: number;
  /** Screen greys: background and code modules; dark mode swaps them (light modules on dark). */
  screen: number;
  ink: number;
  darkMode?: boolean;
}

/** What a phone frame did to the code, for deciding whether any decoder could read it. */
export interface PhoneFrameInfo {
  /** Module pitch in pixels along the code's shortest side. */
  pitchPx: number;
  /** For every module: its centre in the image. */
  moduleCentres: Point[];
  modulesPerSide: number;
  /** Image pixels that show the phone's screen (1) or anything else (0). */
  screenMask: Uint8Array;
}

/** Where the phone body's unit square lands in the image, by a pinhole projection. */
function phoneToImage(s: PhoneScene): { toImage: (u: number, v: number) => Point; quad: Point[] } {
  const bodyW = SCREEN_W + 2 * BEZEL;
  const bodyH = SCREEN_H + 2 * BEZEL;
  // The code's centre, in body coordinates, is the pivot: it lands on (cx, cy).
  const px = BEZEL + CODE_X + 0.5;
  const py = BEZEL + CODE_Y + 0.5;
  const k = s.size; // pixels per unit at the pivot's depth
  const ax = Math.cos(s.tiltAxis);
  const ay = Math.sin(s.tiltAxis);
  const c = Math.cos(s.tilt);
  const sn = Math.sin(s.tilt);
  const cr = Math.cos(s.roll);
  const sr = Math.sin(s.roll);
  const project = (bx: number, by: number): Point => {
    // Rolled in the plane, then turned about the in-plane axis (Rodrigues), then projected.
    let x = (bx - px) * k;
    let y = (by - py) * k;
    [x, y] = [x * cr - y * sr, x * sr + y * cr];
    const dot = x * ax + y * ay;
    const rx = x * c + ax * dot * (1 - c);
    const ry = y * c + ay * dot * (1 - c);
    const rz = (ax * y - ay * x) * sn;
    const z = FOCAL_PX + rz;
    return [s.cx + (FOCAL_PX * rx) / z, s.cy + (FOCAL_PX * ry) / z];
  };
  const quad = [project(0, 0), project(bodyW, 0), project(bodyW, bodyH), project(0, bodyH)];
  return {
    quad,
    toImage: (u, v) => project(u * bodyW, v * bodyH),
  };
}

/** Paints the phone (bezel, screen, code or app content) into the frame and says where things landed. */
export function paintPhone(f: GrayFrame, s: PhoneScene, rand: () => number): PhoneFrameInfo {
  const { width: w, height: h, gray } = f;
  const { quad, toImage } = phoneToImage(s);
  const qr = s.text ? QRCode.create(s.text, { errorCorrectionLevel: 'M' }).modules : undefined;
  const n = qr?.size ?? 0;
  const units = n + 2 * QUIET_ZONE;
  const bodyW = SCREEN_W + 2 * BEZEL;
  const bodyH = SCREEN_H + 2 * BEZEL;
  const bezel = 12 + rand() * 20;
  const content = appContent(rand, s.text !== null);
  const screenMask = new Uint8Array(w * h);
  const sample = (u: number, v: number): number => {
    const x = u * bodyW - BEZEL;
    const y = v * bodyH - BEZEL;
    if (x < 0 || y < 0 || x >= SCREEN_W || y >= SCREEN_H) return bezel;
    const cx = x - CODE_X;
    const cy = y - CODE_Y;
    let dark: boolean;
    if (qr && cx >= 0 && cy >= 0 && cx < 1 && cy < 1) {
      const mx = Math.floor(cx * units) - QUIET_ZONE;
      const my = Math.floor(cy * units) - QUIET_ZONE;
      dark = mx >= 0 && my >= 0 && mx < n && my < n && qr.get(my, mx) === 1;
    } else dark = content(x, y);
    return dark !== Boolean(s.darkMode) ? s.ink : s.screen;
  };
  paintQuad(gray, w, h, quad as [Point, Point, Point, Point], sample, (i, u, v) => {
    const sx = u * bodyW - BEZEL;
    const sy = v * bodyH - BEZEL;
    if (sx >= 0 && sy >= 0 && sx < SCREEN_W && sy < SCREEN_H) screenMask[i] = 1;
  });
  const moduleCentres: Point[] = [];
  for (let my = 0; my < n; my++) {
    for (let mx = 0; mx < n; mx++) {
      const u = (BEZEL + CODE_X + (mx + QUIET_ZONE + 0.5) / units) / bodyW;
      const v = (BEZEL + CODE_Y + (my + QUIET_ZONE + 0.5) / units) / bodyH;
      moduleCentres.push(toImage(u, v));
    }
  }
  // The shortest module side on the image, about: the code's side foreshortened by the tilt.
  const pitchPx = n ? (s.size / units) * Math.cos(s.tilt) : 0;
  return { pitchPx, moduleCentres, modulesPerSide: n, screenMask };
}

/**
 * What the rest of the screen shows: a status bar, a title, lines of text, a photo and a button,
 * as an app does around the code (or instead of it).
 */
function appContent(rand: () => number, hasCode: boolean): (x: number, y: number) => boolean {
  const lineH = 0.06 + rand() * 0.03;
  const lines: [number, number, number][] = [];
  const firstY = hasCode ? CODE_Y + 1.08 : 0.35;
  for (let y = firstY; y < SCREEN_H - 0.35; y += lineH * 1.8) {
    lines.push([y, 0.1, 0.1 + (0.6 + rand() * 0.5) * (SCREEN_W - 0.2)]);
  }
  const photo = hasCode ? undefined : { y: 0.5 + rand() * 0.6, h: 0.4 + rand() * 0.3 };
  const seed = Math.floor(rand() * 1e6);
  return (x, y) => {
    if (y < 0.08) return x > SCREEN_W - 0.25 && y > 0.02 && y < 0.06; // status bar: the battery
    if (y > 0.15 && y < 0.27) return x > 0.1 && x < 0.9 && glyph(x, y, 0.04, seed); // the title
    if (photo && y > photo.y && y < photo.y + photo.h && x > 0.1 && x < SCREEN_W - 0.1)
      return Math.sin(x * 9 + y * 4 + seed) + Math.sin(y * 13 - x * 3) > 0.4;
    for (const [ly, lx0, lx1] of lines) {
      if (y > ly && y < ly + lineH && x > lx0 && x < lx1) return glyph(x, y - ly, lineH / 3, seed);
    }
    const by = SCREEN_H - 0.28;
    return y > by && y < by + 0.16 && x > 0.2 && x < SCREEN_W - 0.2; // a button
  };
}

/** Text-like ink: strokes of letters in a cell grid, hashed so the same place always shows the same. */
function glyph(x: number, y: number, cell: number, seed: number): boolean {
  const cx = Math.floor(x / cell);
  const cy = Math.floor((y / cell) * 2);
  const hash = Math.imul(cx * 374761393 + cy * 668265263 + seed, 1274126177) >>> 0;
  return hash % 7 < 3 && cx % 5 !== 4;
}

/**
 * Moiré: the screen's pixel grid beats against the camera's sensor grid. The beat is what shows:
 * broad, slightly curved dark bands (period `periodPx`) over the screen, with a trace of the fine
 * grid inside them. Returns the factor the bands leave of the screen's greys at an image point, the
 * fine grid (a period of 2 to 3 pixels, which the lens blurs away) taken at its mean.
 */
export function addMoire(
  f: GrayFrame,
  mask: Uint8Array,
  rand: () => number,
  amount: number,
  periodPx: number,
): (x: number, y: number) => number {
  const a = rand() * Math.PI;
  const kx = Math.cos(a) / periodPx;
  const ky = Math.sin(a) / periodPx;
  const fine = 2.2 + rand() * 0.6;
  const fx = Math.cos(a + 1.3) / fine;
  const fy = Math.sin(a + 1.3) / fine;
  const bend = (rand() - 0.5) * 2e-4;
  const band = (x: number, y: number) =>
    0.5 + 0.5 * Math.cos(2 * Math.PI * (kx * x + ky * y) + bend * (x - f.width / 2) ** 2);
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      const i = y * f.width + x;
      if (!mask[i]) continue;
      const grid = 0.5 + 0.5 * Math.cos(2 * Math.PI * (fx * x + fy * y));
      f.gray[i] = clamp(f.gray[i]! * (1 - amount * band(x, y) * (0.7 + 0.3 * grid)));
    }
  }
  // Pixel x is painted with the value at x, a pixel's centre is at x + 0.5.
  return (x, y) => 1 - amount * band(x - 0.5, y - 0.5) * 0.85;
}

/**
 * A cracked screen: crack lines running from an impact point, branching, a pixel or two wide, light
 * where they catch the light and dark where they do not; only on the glass.
 */
export function addCracks(f: GrayFrame, mask: Uint8Array, rand: () => number, ix: number, iy: number): void {
  const cracks = 6 + Math.floor(rand() * 9);
  const stack: [number, number, number, number][] = [];
  for (let i = 0; i < cracks; i++) stack.push([ix, iy, rand() * 2 * Math.PI, 60 + rand() * 60]);
  while (stack.length > 0) {
    let [x, y, dir, steps] = stack.pop()!;
    const value = rand() < 0.6 ? 235 : 20;
    const thick = rand() < 0.3 ? 2 : 1;
    for (; steps > 0; steps--) {
      dir += (rand() - 0.5) * 0.35;
      const len = 4 + rand() * 5;
      for (let t = 0; t < len; t++) {
        x += Math.cos(dir);
        y += Math.sin(dir);
        for (let d = 0; d < thick; d++) {
          const px = Math.round(x + d * Math.sin(dir));
          const py = Math.round(y - d * Math.cos(dir));
          if (px < 0 || py < 0 || px >= f.width || py >= f.height) continue;
          const i = py * f.width + px;
          if (mask[i]) f.gray[i] = clamp(0.25 * f.gray[i]! + 0.75 * value);
        }
      }
      if (rand() < 0.06) stack.push([x, y, dir + (rand() - 0.5) * 1.6, steps * 0.5]);
    }
  }
}

/** The pixel offsets (dx, dy) that `motionBlur` averages over. */
export function motionOffsets(length: number, angle: number): Point[] {
  const steps = Math.max(1, Math.round(length));
  const offsets: Point[] = [];
  for (let t = 0; t < steps; t++) {
    const s = t - (steps - 1) / 2;
    offsets.push([Math.round(s * Math.cos(angle)), Math.round(s * Math.sin(angle))]);
  }
  return offsets;
}

/** Motion blur: the phone moving while the shutter is open, `length` pixels along `angle`. */
export function motionBlur(f: GrayFrame, length: number, angle: number): void {
  const steps = Math.max(1, Math.round(length));
  const src = f.gray.slice();
  const offsets = motionOffsets(length, angle).map(([dx, dy]) => dy * f.width + dx);
  const margin = Math.ceil(steps / 2) + 1;
  for (let y = margin; y < f.height - margin; y++) {
    for (let x = margin; x < f.width - margin; x++) {
      const i = y * f.width + x;
      let acc = 0;
      for (const o of offsets) acc += src[i + o]!;
      f.gray[i] = acc / steps;
    }
  }
}

/** A thumb over the screen: a soft-edged ellipse of skin, lit from above. */
export interface Thumb {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  angle: number;
}

export function addThumb(f: GrayFrame, t: Thumb, skin: number): void {
  const r = Math.max(t.rx, t.ry);
  const c = Math.cos(t.angle);
  const s = Math.sin(t.angle);
  for (let y = Math.max(0, Math.floor(t.cy - r)); y < Math.min(f.height, t.cy + r); y++) {
    for (let x = Math.max(0, Math.floor(t.cx - r)); x < Math.min(f.width, t.cx + r); x++) {
      const d = inThumb(t, x, y, c, s);
      if (d >= 1) continue;
      const i = y * f.width + x;
      const edge = Math.min(1, (1 - d) * 12);
      const shade = skin * (0.75 + 0.25 * (1 - d));
      f.gray[i] = clamp(f.gray[i]! * (1 - edge) + shade * edge);
    }
  }
}

/** The thumb's normalised distance at (x, y): below 1 is under the thumb. */
export function inThumb(
  t: Thumb,
  x: number,
  y: number,
  c = Math.cos(t.angle),
  s = Math.sin(t.angle),
): number {
  const dx = x - t.cx;
  const dy = y - t.cy;
  const u = (dx * c + dy * s) / t.rx;
  const v = (-dx * s + dy * c) / t.ry;
  return u * u + v * v;
}
