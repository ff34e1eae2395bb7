import {
  addCracks,
  addMoire,
  addThumb,
  inThumb,
  motionBlur,
  motionOffsets,
  type PhoneScene,
  paintPhone,
  type Thumb,
} from './phone-frame.ts';
import { whyUnreadable } from './readability.ts';
import {
  addGlare,
  addNoise,
  blur,
  FRAME_HEIGHT,
  FRAME_WIDTH,
  fakePrintCode,
  type GrayFrame,
  paintBackground,
} from './render-frame.ts';

/** The phone-screen scenes: one trouble each (on top of a little of everything), and a phone without a code. */
export type PhoneKind =
  | 'phone-moire'
  | 'phone-glare'
  | 'phone-cracked'
  | 'phone-dim'
  | 'phone-motion'
  | 'phone-tilted'
  | 'phone-thumb'
  | 'phone-tiny'
  | 'phone-dark-mode'
  | 'phone-empty';

export const PHONE_KINDS: PhoneKind[] = [
  'phone-moire',
  'phone-glare',
  'phone-cracked',
  'phone-dim',
  'phone-motion',
  'phone-tilted',
  'phone-thumb',
  'phone-tiny',
  'phone-dark-mode',
  'phone-empty',
];

/** 9 kinds with a code make 324 phone frames with a code, and 36 phones showing something else. */
export const PHONE_FRAMES_PER_KIND = 36;

/** The largest tilt of the phone away from the camera in the corpus: 40 degrees. */
export const MAX_TILT = (40 * Math.PI) / 180;
/** "Tiny": the code's side is 15 % of the frame's width. */
export const TINY_FRACTION = 0.15;

/** A glare spot as `addGlare` draws it. */
export interface Glare {
  cx: number;
  cy: number;
  radius: number;
  strength: number;
}

/** One phone-screen frame of the given kind, and why it cannot be read if it cannot. */
export function makePhoneFrame(
  kind: PhoneKind,
  rand: () => number,
): { frame: GrayFrame; text: string | null; unreadable?: string } {
  const w = FRAME_WIDTH;
  const h = FRAME_HEIGHT;
  const r = (a: number, b: number) => a + rand() * (b - a);
  const text = kind === 'phone-empty' ? null : fakePrintCode(rand);
  const size = kind === 'phone-tiny' ? TINY_FRACTION * w * r(0.97, 1.03) : r(260, 420);
  const tilt = kind === 'phone-tilted' ? r(0.5, 1) * MAX_TILT : r(0, 0.3) * MAX_TILT;
  const dim = kind === 'phone-dim';
  const scene: PhoneScene = {
    text,
    size,
    cx: r(size * 0.75, w - size * 0.75),
    cy: r(size * 0.6, h - size * 0.6),
    tilt,
    tiltAxis: r(0, 2 * Math.PI),
    roll: r(-0.35, 0.35),
    // A phone's screen is brighter than the room; a dimmed one is barely above the ink.
    screen: dim ? r(40, 80) : r(185, 250),
    ink: dim ? r(4, 14) : r(8, 40),
    darkMode: kind === 'phone-dark-mode',
  };
  const frame: GrayFrame = { width: w, height: h, gray: new Uint8Array(w * h) };
  paintBackground(frame.gray, w, h, rand);
  const info = paintPhone(frame, scene, rand);

  const glares: Glare[] = [];
  const spots = kind === 'phone-glare' ? 1 + Math.floor(rand() * 3) : rand() < 0.3 ? 1 : 0;
  for (let i = 0; i < spots; i++) {
    glares.push({
      cx: scene.cx + r(-0.6, 0.6) * size,
      cy: scene.cy + r(-0.6, 0.6) * size,
      radius: size * (kind === 'phone-glare' ? r(0.12, 0.35) : r(0.08, 0.15)),
      strength: kind === 'phone-glare' ? r(0.5, 0.97) : r(0.3, 0.6),
    });
  }
  let thumb: Thumb | undefined;
  if (kind === 'phone-thumb') {
    // The thumb holding the phone comes in from one side of the code and reaches some way over it.
    const side = rand() * 2 * Math.PI;
    const along = r(-0.35, 0.35) * size;
    const reach = r(0.03, 0.25) * size;
    const rx = size * r(0.3, 0.45);
    const ry = size * r(0.13, 0.18);
    const d = size / 2 + rx - reach;
    thumb = {
      cx: scene.cx + Math.cos(side) * d - Math.sin(side) * along,
      cy: scene.cy + Math.sin(side) * d + Math.cos(side) * along,
      rx,
      ry,
      angle: side,
    };
  }

  const moire =
    kind === 'phone-moire' ? addMoire(frame, info.screenMask, rand, r(0.25, 0.5), r(16, 60)) : undefined;
  if (kind === 'phone-cracked') {
    addCracks(frame, info.screenMask, rand, scene.cx + r(-0.5, 0.5) * size, scene.cy + r(-0.5, 0.5) * size);
  }
  if (thumb) addThumb(frame, thumb, r(140, 200));
  for (const g of glares) addGlare(frame, g.cx, g.cy, g.radius, g.strength);
  const lensRadius = kind === 'phone-tiny' ? 1 : Math.round(r(1, 1.6));
  blur(frame, lensRadius);
  let motion: { length: number; angle: number } | undefined;
  if (kind === 'phone-motion') {
    const length = info.pitchPx * r(0.3, 2.2);
    motion = { length, angle: r(0, Math.PI) };
    motionBlur(frame, motion.length, motion.angle);
  }
  const noise = dim ? r(3, 9) : r(2, 5);
  const clean = text ? { ...frame, gray: frame.gray.slice() } : undefined;
  addNoise(frame, noise, rand);

  if (!text || !clean) return { frame, text };
  // What a dark and a light module would show at a point: the screen's greys under the moiré's bands
  // and the glare, averaged along the motion (these vary over many pixels: the lens blur apart).
  const along = motion ? motionOffsets(motion.length, motion.angle) : [[0, 0] as const];
  const levels = (x: number, y: number) => {
    let dark = 0;
    let light = 0;
    for (const [dx, dy] of along) {
      const m = moire?.(x + dx, y + dy) ?? 1;
      const left = glareLeft(glares, x + dx, y + dy);
      dark += 255 - (255 - scene.ink * m) * left;
      light += 255 - (255 - scene.screen * m) * left;
    }
    return { dark: dark / along.length, light: light / along.length };
  };
  const unreadable = whyUnreadable({
    text,
    moduleCentres: info.moduleCentres,
    clean,
    blur: motion ? { lensRadius, motion } : { lensRadius },
    noise: () => noise,
    levels,
    inverted: scene.darkMode,
    ...(thumb ? { covered: (x: number, y: number) => inThumb(thumb, x, y) < 1 } : {}),
  });
  return unreadable ? { frame, text, unreadable } : { frame, text };
}

/** What glare spots leave of the code's contrast at (x, y): `addGlare` blends towards white. */
export function glareLeft(glares: Glare | Glare[], x: number, y: number): number {
  let left = 1;
  for (const g of Array.isArray(glares) ? glares : [glares]) {
    const d = Math.hypot((x - g.cx) / 1.6, y - g.cy) / g.radius;
    if (d < 1) left *= 1 - g.strength * (1 - d * d);
  }
  return left;
}
