import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { motionBlur } from './phone-frame.ts';
import {
  chanceDecodable,
  codewordLayout,
  type DrawnCode,
  type FrameBlur,
  normalTail,
  placementOrder,
  whyUnreadable,
} from './readability.ts';
import {
  blur,
  fakePrintCode,
  type GrayFrame,
  type Point,
  PRINTED_QUIET_ZONE,
  placeSquare,
  quadPoint,
  renderFrame,
  seededRandom,
} from './render-frame.ts';

const require = createRequire(import.meta.url);
const masks = require('qrcode/lib/core/mask-pattern.js') as {
  applyMask(pattern: number, matrix: QRCode.BitMatrix): void;
};
const ReedSolomon = require('qrcode/lib/core/reed-solomon-encoder.js') as new (
  degree: number,
) => { encode(data: Uint8Array): Uint8Array };

const TEXT = fakePrintCode(seededRandom(7));
const DARK = 20;
const LIGHT = 220;

/** A print code drawn facing the camera at `pitch` pixels per module, blurred as told, with no noise. */
function drawnCode(pitch: number, blurs: FrameBlur | number, rest: Partial<DrawnCode> = {}): DrawnCode {
  const frameBlur = typeof blurs === 'number' ? { lensRadius: blurs } : blurs;
  const n = QRCode.create(TEXT, { errorCorrectionLevel: 'M' }).modules.size;
  const side = pitch * (n + 2 * PRINTED_QUIET_ZONE);
  const size = Math.ceil(side + 40);
  const corners = placeSquare(size / 2, size / 2, side, 0);
  const clean: GrayFrame = renderFrame(size, size, seededRandom(1), {
    text: TEXT,
    corners,
    dark: DARK,
    light: LIGHT,
  });
  blur(clean, frameBlur.lensRadius);
  if (frameBlur.motion) motionBlur(clean, frameBlur.motion.length, frameBlur.motion.angle);
  const units = n + 2 * PRINTED_QUIET_ZONE;
  const moduleCentres: Point[] = [];
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      moduleCentres.push(
        quadPoint(corners, (x + PRINTED_QUIET_ZONE + 0.5) / units, (y + PRINTED_QUIET_ZONE + 0.5) / units),
      );
    }
  }
  return {
    text: TEXT,
    moduleCentres,
    clean,
    blur: frameBlur,
    noise: () => 3,
    levels: () => ({ dark: DARK, light: LIGHT }),
    ...rest,
  };
}

describe('the print code’s codewords', () => {
  const qr = QRCode.create(TEXT, { errorCorrectionLevel: 'M' });
  const layout = codewordLayout(qr);

  it('is version 14 at level M: 9 blocks of 64 or 65 codewords, each correcting 12', () => {
    expect(qr.version).toBe(14);
    expect(layout.codewordBlock.length).toBe(581);
    const sizes = layout.corrections.map((_, b) => layout.codewordBlock.filter((x) => x === b).length);
    expect(sizes).toEqual([64, 64, 64, 64, 65, 65, 65, 65, 65]);
    expect(layout.corrections).toEqual(Array(9).fill(12));
    // Every codeword has its 8 modules.
    const perWord = new Map<number, number>();
    for (const w of layout.moduleCodeword) if (w >= 0) perWord.set(w, (perWord.get(w) ?? 0) + 1);
    expect(perWord.size).toBe(581);
    expect([...perWord.values()].every((c) => c === 8)).toBe(true);
  });

  it('reads back from the modules as the text and each block’s Reed-Solomon codewords', () => {
    // The mask is an exclusive or: applied again, it takes itself off.
    const unmasked = { ...qr.modules, data: qr.modules.data.slice() } as QRCode.BitMatrix;
    unmasked.xor = (row, col, value) => {
      unmasked.data[row * unmasked.size + col]! ^= Number(value);
    };
    unmasked.isReserved = (row, col) => unmasked.reservedBit[row * unmasked.size + col]!;
    masks.applyMask(qr.maskPattern as number, unmasked);
    const bytes = new Uint8Array(581);
    for (const [bit, m] of placementOrder(qr).entries()) {
      if (bit >> 3 >= bytes.length) break;
      bytes[bit >> 3]! |= unmasked.data[m]! << (7 - (bit & 7));
    }
    const blocks = layout.corrections.map((_, b) =>
      [...bytes].filter((_, w) => layout.codewordBlock[w] === b),
    );
    const data = blocks.flatMap((words) => words.slice(0, words.length - 24));
    // Byte mode (0100), a 16-bit count, then the text.
    expect(data[0]! >> 4).toBe(0b0100);
    const count = ((data[0]! & 15) << 12) | (data[1]! << 4) | (data[2]! >> 4);
    expect(count).toBe(TEXT.length);
    const text = Array.from({ length: count }, (_, i) =>
      String.fromCharCode(((data[2 + i]! & 15) << 4) | (data[3 + i]! >> 4)),
    ).join('');
    expect(text).toBe(TEXT);
    const rs = new ReedSolomon(24);
    for (const words of blocks) {
      expect([...rs.encode(Uint8Array.from(words.slice(0, -24)))]).toEqual(words.slice(-24));
    }
  });

  it('counts a codeword wrong when any of its 8 modules is: 5 % of the modules wrong is past level M', () => {
    const modules = qr.modules.size ** 2;
    // One module in 20 wrong (a margin of 1.64 noise deviations; the old rule took up to one in six
    // as kept): a third of the codewords wrong, 21 or so per block against the 12 it corrects.
    expect(chanceDecodable(new Float64Array(modules).fill(0.05), layout)).toBeLessThan(1e-3);
    // One in 100: 7.7 % of the codewords, 5 per block.
    expect(chanceDecodable(new Float64Array(modules).fill(0.01), layout)).toBeGreaterThan(0.98);
    // Every module of 13 codewords of one block lost: past its 12 corrections, whatever the rest.
    const lost = new Float64Array(modules);
    const words = [...layout.codewordBlock.keys()].filter((w) => layout.codewordBlock[w] === 3).slice(0, 13);
    for (const [i, w] of layout.moduleCodeword.entries()) if (words.includes(w)) lost[i] = 1;
    expect(chanceDecodable(lost, layout)).toBe(0);
    for (const [i, w] of layout.moduleCodeword.entries()) if (w === words[12]) lost[i] = 0;
    expect(chanceDecodable(lost, layout)).toBe(1);
  });

  it('takes the noise tail from the normal distribution', () => {
    expect(normalTail(0)).toBeCloseTo(0.5, 7);
    expect(normalTail(1)).toBeCloseTo(0.158655, 6);
    expect(normalTail(-1.644854)).toBeCloseTo(0.95, 6);
    expect(normalTail(3)).toBeCloseTo(0.0013499, 6);
  });
});

describe('whether a drawn code is readable', () => {
  it('keeps a sharp code readable, and marks one blurred past its modules', () => {
    expect(whyUnreadable(drawnCode(5, 1))).toBeUndefined();
    // Two box passes of 9 pixels over 3-pixel modules: the modules are gone.
    expect(whyUnreadable(drawnCode(3, 4))).toMatch(/errors past the error correction/);
  });

  it('grants a decoder the mean over a box of pixels within a module', () => {
    // Margin about 100 grey levels on a sharp 5-pixel module, noise 100: 16 % of single pixels wrong,
    // far past level M; the mean of 4x4 pixels has a quarter of the noise.
    expect(whyUnreadable(drawnCode(5, 0, { noise: () => 100 }))).toBeUndefined();
    // At 2 pixels per module no box larger than the module helps: the same noise is too much.
    expect(whyUnreadable(drawnCode(2, 0, { noise: () => 100 }))).toMatch(/errors past/);
  });

  it('grants a decoder that undoes the blur as far as the noise lets it', () => {
    // 2.5 pixels per module under the lens (two 3-pixel box passes): a lone module's centre is
    // barely on its side of the threshold, sampled as it is; little noise lets an equaliser restore it.
    expect(whyUnreadable(drawnCode(2.5, 1, { noise: () => 3 }))).toBeUndefined();
    expect(whyUnreadable(drawnCode(2.5, 1, { noise: () => 50 }))).toMatch(/errors past.*equalised/);
    // Motion over two module pitches along x wipes the finest pattern across, not down.
    expect(whyUnreadable(drawnCode(5, { lensRadius: 0, motion: { length: 10, angle: 0 } }))).toBeUndefined();
    // Over four pitches, with the lens and more noise, a wide band of frequencies is gone.
    expect(
      whyUnreadable(drawnCode(4, { lensRadius: 1, motion: { length: 16, angle: 0.3 } }, { noise: () => 20 })),
    ).toMatch(/errors past/);
  });

  it('counts low contrast against the threshold between the levels there', () => {
    // Glare blending towards white at 90 %: 20 grey levels of margin left, against noise 25.
    const washed = drawnCode(2, 0, { noise: () => 25 });
    const glare = (v: number) => 255 - (255 - v) * 0.1;
    const clean = { ...washed.clean, gray: washed.clean.gray.map(glare) };
    expect(
      whyUnreadable({ ...washed, clean, levels: () => ({ dark: glare(DARK), light: glare(LIGHT) }) }),
    ).toMatch(/errors past/);
    // A reflection on the print after the noise blends the noise as much: the margin over it stays.
    expect(
      whyUnreadable({
        ...washed,
        clean,
        noise: () => 25 * 0.1,
        levels: () => ({ dark: glare(DARK), light: glare(LIGHT) }),
      }),
    ).toBeUndefined();
  });

  it('marks a code whose finder pattern is under a thumb, not one with a thumb over a few modules', () => {
    const code = drawnCode(5, 1);
    const [x0, y0] = code.moduleCentres[0]!;
    // Over the top-left finder: 4 of its 7 columns hidden.
    const overFinder = (x: number, y: number) => x < x0 + 3.5 * 5 && y < y0 + 7 * 5;
    expect(whyUnreadable({ ...code, covered: overFinder })).toMatch(/finder pattern 57 % lost/);
    const fewModules = (x: number, y: number) => x > x0 + 30 * 5 && x < x0 + 34 * 5 && y > y0 + 60 * 5;
    expect(whyUnreadable({ ...code, covered: fewModules })).toBeUndefined();
  });
});
