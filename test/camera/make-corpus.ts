import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, ImageData, loadImage } from '@napi-rs/canvas';
import QRCode from 'qrcode';
import {
  type Glare,
  glareLeft,
  makePhoneFrame,
  PHONE_FRAMES_PER_KIND,
  PHONE_KINDS,
  type PhoneKind,
} from './phone-corpus.ts';
import { whyUnreadable } from './readability.ts';
import {
  addGlare,
  addNoise,
  blur,
  FRAME_HEIGHT,
  FRAME_WIDTH,
  fakePrintCode,
  type GrayFrame,
  type Point,
  PRINTED_QUIET_ZONE,
  placeSquare,
  quadPoint,
  renderFrame,
  seededRandom,
  toRgba,
} from './render-frame.ts';

/** Frames per kind of the printed-code scenes; 8 kinds with a code and the empty frames make 216. */
export const FRAMES_PER_KIND = 24;
export const CORPUS_SEED = 20261122;
/** Bump when the generator changes, so an old corpus on disk is rebuilt. */
const CORPUS_VERSION = 4;

export const CORPUS_DIR = fileURLToPath(new URL('../output/camera-corpus/', import.meta.url));

export type FrameKind =
  | 'clean'
  | 'rotated'
  | 'blurred'
  | 'noisy'
  | 'low-contrast'
  | 'small'
  | 'perspective'
  | 'glare'
  | 'empty';

export const FRAME_KINDS: FrameKind[] = [
  'clean',
  'rotated',
  'blurred',
  'noisy',
  'low-contrast',
  'small',
  'perspective',
  'glare',
  'empty',
];

export interface CorpusEntry {
  file: string;
  kind: FrameKind | PhoneKind;
  /** The code's text, or null for a frame without a code. */
  text: string | null;
  /**
   * Why no decoder can be expected to read this frame (the code is damaged beyond its error
   * correction, or blurred past its module size), decided from how the frame was made; absent when
   * the frame is readable. The read rate counts readable frames only.
   */
  unreadable?: string;
}

export interface CorpusFrame extends CorpusEntry {
  width: number;
  height: number;
  /** RGBA, as a canvas or video frame gives it. */
  data: Uint8ClampedArray;
}

/** Renders one frame of the given kind. */
export function makeFrame(
  kind: FrameKind,
  rand: () => number,
): { frame: GrayFrame; text: string | null; unreadable?: string } {
  const w = FRAME_WIDTH;
  const h = FRAME_HEIGHT;
  const r = (a: number, b: number) => a + rand() * (b - a);
  const text = kind === 'empty' ? null : fakePrintCode(rand);
  const size = kind === 'small' ? r(190, 230) : r(300, 440);
  const cx = r(size / 2 + 40, w - size / 2 - 40);
  const cy = r(size / 2 + 30, h - size / 2 - 30);
  const smallTilt = () => r(-0.15, 0.15);
  let angle = smallTilt();
  let tilt: [number, number][] = [];
  if (kind === 'rotated') angle = r(0.3, 2 * Math.PI - 0.3);
  if (kind === 'perspective') {
    const k = size * 0.14;
    tilt = [
      [r(-k, k), r(-k, k)],
      [r(-k, k), r(-k, k)],
      [r(-k, k), r(-k, k)],
      [r(-k, k), r(-k, k)],
    ];
    // One side nearer the lens than the other, as a phone held at an angle.
    const side = Math.floor(rand() * 4);
    tilt[side] = [tilt[side]![0] + (side % 3 === 0 ? -k : k), tilt[side]![1]];
  }
  const lowContrast = kind === 'low-contrast';
  const corners = placeSquare(cx, cy, size, angle, tilt);
  const dark = text ? (lowContrast ? r(95, 115) : r(10, 40)) : 0;
  const light = text ? (lowContrast ? r(150, 170) : r(210, 245)) : 0;
  const frame = renderFrame(w, h, rand, text ? { text, corners, dark, light } : undefined);
  // Every frame goes through a lens and a sensor a little; the kinds push one of them further.
  const lensRadius = kind === 'blurred' ? Math.round(r(2, 3)) : 1;
  blur(frame, lensRadius);
  const noise = kind === 'noisy' ? r(18, 28) : r(2, 5);
  const clean = text ? { ...frame, gray: frame.gray.slice() } : undefined;
  addNoise(frame, noise, rand);
  let glare: Glare | undefined;
  if (kind === 'glare') {
    glare = {
      cx: cx + r(-size / 4, size / 4),
      cy: cy + r(-size / 4, size / 4),
      radius: size * r(0.25, 0.4),
      strength: r(0.6, 0.85),
    };
    addGlare(frame, glare.cx, glare.cy, glare.radius, glare.strength);
    if (clean) addGlare(clean, glare.cx, glare.cy, glare.radius, glare.strength);
  }
  if (!text || !clean) return { frame, text };
  // The glare comes after the noise here (a reflection on the print, not on the sensor): it blends
  // the noise towards white as much as the code, so it leaves the margins over the noise as they were.
  const left = (x: number, y: number) => (glare ? glareLeft(glare, x, y) : 1);
  const unreadable = whyUnreadable({
    text,
    moduleCentres: printedModules(text, corners),
    clean,
    blur: { lensRadius },
    noise: (x, y) => noise * left(x, y),
    levels: (x, y) => ({ dark: 255 - (255 - dark) * left(x, y), light: 255 - (255 - light) * left(x, y) }),
  });
  return unreadable ? { frame, text, unreadable } : { frame, text };
}

/** Where each module of a printed code (quiet zone of 4 modules, as `renderFrame` draws it) lands. */
function printedModules(text: string, corners: [Point, Point, Point, Point]): Point[] {
  const n = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules.size;
  const units = n + 2 * PRINTED_QUIET_ZONE;
  const moduleCentres: Point[] = [];
  for (let my = 0; my < n; my++) {
    for (let mx = 0; mx < n; mx++) {
      moduleCentres.push(
        quadPoint(corners, (mx + PRINTED_QUIET_ZONE + 0.5) / units, (my + PRINTED_QUIET_ZONE + 0.5) / units),
      );
    }
  }
  return moduleCentres;
}

/** Writes the corpus (PNG frames and manifest.json) into `dir`, unless an up-to-date one is there. */
export async function ensureCorpus(dir = CORPUS_DIR): Promise<CorpusEntry[]> {
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const m = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      version: number;
      seed: number;
      entries: CorpusEntry[];
    };
    if (m.version === CORPUS_VERSION && m.seed === CORPUS_SEED) return m.entries;
  }
  await mkdir(dir, { recursive: true });
  const rand = seededRandom(CORPUS_SEED);
  const entries: CorpusEntry[] = [];
  for (const kind of FRAME_KINDS) {
    for (let i = 0; i < FRAMES_PER_KIND; i++) {
      const { frame, text, unreadable } = makeFrame(kind, rand);
      const file = `${kind}-${String(i).padStart(2, '0')}.png`;
      await writeFile(join(dir, file), encodePng(frame));
      entries.push({ file, kind, text, ...(unreadable ? { unreadable } : {}) });
    }
  }
  // The phone-screen frames come after, from the same generator: the first 216 frames stay as they were.
  for (const kind of PHONE_KINDS) {
    for (let i = 0; i < PHONE_FRAMES_PER_KIND; i++) {
      const { frame, text, unreadable } = makePhoneFrame(kind, rand);
      const file = `${kind}-${String(i).padStart(2, '0')}.png`;
      await writeFile(join(dir, file), encodePng(frame));
      entries.push({ file, kind, text, ...(unreadable ? { unreadable } : {}) });
    }
  }
  await writeFile(
    manifestPath,
    JSON.stringify({ version: CORPUS_VERSION, seed: CORPUS_SEED, entries }, null, 1),
  );
  return entries;
}

/** The corpus frames as RGBA, generating them first when needed. */
export async function loadCorpus(dir = CORPUS_DIR): Promise<CorpusFrame[]> {
  const entries = await ensureCorpus(dir);
  const frames: CorpusFrame[] = [];
  for (const e of entries) {
    const img = await loadImage(await readFile(join(dir, e.file)));
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    frames.push({ ...e, width: img.width, height: img.height, data: new Uint8ClampedArray(data) });
  }
  return frames;
}

function encodePng(f: GrayFrame): Buffer {
  const canvas = createCanvas(f.width, f.height);
  canvas.getContext('2d').putImageData(new ImageData(toRgba(f), f.width, f.height), 0, 0);
  return canvas.encodeSync('png');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const entries = await ensureCorpus();
  console.log(`camera corpus: ${entries.length} frames in ${CORPUS_DIR}`);
}
