import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { symbolLocation } from '../../test/camera/drawn-code.ts';
import {
  addNoise,
  blur,
  fakePrintCode,
  type GrayFrame,
  type Point,
  PRINTED_QUIET_ZONE,
  placeSquare,
  renderFrame,
  seededRandom,
} from '../../test/camera/render-frame.ts';
import { locateCodes } from './locate.ts';
import type { Located } from './regrid.ts';

interface Drawing {
  /** The module pitch at the code's top side (pixels) and where its outer corners truly are. */
  pitch: number;
  truth: Located;
  frame: GrayFrame;
}

/** A print code drawn through a known perspective, blurred by `lensRadius`, with a little noise. */
function drawn(
  seed: number,
  opts: { lensRadius: number; angle?: number; tilt?: Point[]; inverted?: boolean },
): Drawing {
  const rand = seededRandom(seed);
  const text = fakePrintCode(rand);
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const units = n + 2 * PRINTED_QUIET_ZONE;
  const corners = placeSquare(320, 240, 4.6 * units, opts.angle ?? 0.1, opts.tilt ?? []);
  const frame = renderFrame(640, 480, rand, { text, corners, dark: 30, light: 220 });
  if (opts.inverted) for (let i = 0; i < frame.gray.length; i++) frame.gray[i] = 255 - frame.gray[i]!;
  blur(frame, opts.lensRadius);
  addNoise(frame, 4, rand);
  const truth: Located = symbolLocation(corners, n, qr.version);
  const pitch = Math.hypot(truth.topRight.x - truth.topLeft.x, truth.topRight.y - truth.topLeft.y) / n;
  return { pitch, truth, frame };
}

/** The largest distance of a located corner from the true one, in modules of the top side. */
function cornerError(d: Drawing, got: Located): number {
  const keys = ['topLeft', 'topRight', 'bottomRight', 'bottomLeft'] as const;
  return Math.max(...keys.map((k) => Math.hypot(got[k].x - d.truth[k].x, got[k].y - d.truth[k].y))) / d.pitch;
}

function locate(d: Drawing): Located {
  const found = locateCodes(d.frame.gray, d.frame.width, d.frame.height);
  expect(found.length).toBeGreaterThan(0);
  return found[0]!;
}

describe('locating a QR code by its finder and alignment patterns', () => {
  it('finds a sharp code: the version and the four corners within a fraction of a module', () => {
    const d = drawn(1, { lensRadius: 1 });
    const got = locate(d);
    expect(got.version).toBe(d.truth.version);
    expect(got.inverted).toBe(false);
    expect(cornerError(d, got)).toBeLessThan(0.3);
  });

  it('finds a code blurred over about a module (the lens far out of focus)', () => {
    const d = drawn(2, { lensRadius: 3 });
    const got = locate(d);
    expect(got.version).toBe(d.truth.version);
    expect(cornerError(d, got)).toBeLessThan(0.4);
  });

  it('finds a code in strong perspective, the far side a quarter shorter, turned by half a radian', () => {
    const d = drawn(3, {
      lensRadius: 1,
      angle: 0.5,
      tilt: [
        [40, 30],
        [-40, 30],
        [0, 0],
        [0, 0],
      ],
    });
    const got = locate(d);
    expect(got.version).toBe(d.truth.version);
    expect(cornerError(d, got)).toBeLessThan(0.4);
  });

  it('finds a light-on-dark code and says it is inverted', () => {
    const d = drawn(4, { lensRadius: 2, inverted: true });
    const got = locate(d);
    expect(got.inverted).toBe(true);
    expect(got.version).toBe(d.truth.version);
    expect(cornerError(d, got)).toBeLessThan(0.4);
  });

  it('places a code again near corners a module and a half off (zxing’s, for a code it could not correct)', () => {
    const d = drawn(6, { lensRadius: 2, angle: 0.3 });
    const off = 1.5 * d.pitch;
    const { topLeft, topRight, bottomRight, bottomLeft } = d.truth;
    const hint: Located = {
      topLeft: { x: topLeft.x + off, y: topLeft.y - off },
      topRight: { x: topRight.x + off, y: topRight.y + off },
      bottomRight: bottomRight,
      bottomLeft: { x: bottomLeft.x - off, y: bottomLeft.y },
      version: d.truth.version,
      inverted: false,
    };
    const found = locateCodes(d.frame.gray, d.frame.width, d.frame.height, Infinity, hint);
    expect(found.length).toBeGreaterThan(0);
    expect(cornerError(d, found[0]!)).toBeLessThan(0.4);
  });

  it('gives up once its deadline has passed', () => {
    const d = drawn(7, { lensRadius: 1 });
    expect(locateCodes(d.frame.gray, d.frame.width, d.frame.height, performance.now() - 1)).toEqual([]);
  });

  it('finds nothing in a frame without a code', () => {
    const frame = renderFrame(640, 480, seededRandom(5));
    blur(frame, 1);
    expect(locateCodes(frame.gray, frame.width, frame.height)).toEqual([]);
  });
});
