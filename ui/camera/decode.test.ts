import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeFrame } from '../../test/camera/make-corpus.ts';
import { makePhoneFrame } from '../../test/camera/phone-corpus.ts';
import { type GrayFrame, seededRandom, toRgba } from '../../test/camera/render-frame.ts';
import { createKioskDecoder, type DecodePass, KIOSK_PASSES, prepareDecoderWasm } from './decode.ts';
import { findCodeRegion, greenRegion, halveGreen, smooth3, unsharpMask } from './pixels.ts';

/** The kiosk's passes without the frame budget: a busy test machine must not cut passes short. */
const unhurried = (passes: DecodePass[] = KIOSK_PASSES, regrid?: number[]) =>
  createKioskDecoder(passes, Number.POSITIVE_INFINITY, regrid);

const rgba = (f: GrayFrame) => ({ data: toRgba(f), width: f.width, height: f.height });

describe('the kiosk camera decoder', () => {
  beforeAll(async () => {
    const require = createRequire(import.meta.url);
    const wasm = await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    await prepareDecoderWasm({
      wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
    });
  });

  it('reads a print code from a camera frame, and nothing from an empty one', async () => {
    const decode = unhurried();
    const rand = seededRandom(7);
    const withCode = makeFrame('clean', rand);
    const empty = makeFrame('empty', rand);
    const frame = (f: typeof withCode) => ({
      data: toRgba(f.frame),
      width: f.frame.width,
      height: f.frame.height,
    });
    expect(await decode(frame(withCode))).toBe(withCode.text);
    expect(await decode(frame(empty))).toBeUndefined();
  });

  it('reads a small code through the sharpened pass', async () => {
    const decode = unhurried();
    const withoutSharpening = unhurried(KIOSK_PASSES.filter((p) => !p.sharpen));
    const rand = seededRandom(11);
    let read = 0;
    let plain = 0;
    for (let i = 0; i < 4; i++) {
      const f = makeFrame('small', rand);
      const frame = rgba(f.frame);
      if ((await withoutSharpening(frame)) === f.text) plain += 1;
      if ((await decode(frame)) === f.text) read += 1;
    }
    expect(read).toBeGreaterThanOrEqual(3);
    expect(read).toBeGreaterThan(plain);
  });

  it('reads a phone in dark mode (light modules on a dark screen) and a dimmed screen', async () => {
    const decode = unhurried();
    const rand = seededRandom(21);
    const dark = makePhoneFrame('phone-dark-mode', rand);
    const dim = makePhoneFrame('phone-dim', rand);
    expect(await decode(rgba(dark.frame))).toBe(dark.text);
    expect(await decode(rgba(dim.frame))).toBe(dim.text);
    // Nothing from a phone that shows an app without a code.
    const app = makePhoneFrame('phone-empty', rand);
    expect(await decode(rgba(app.frame))).toBeUndefined();
  });

  it('reads a dimmed screen through the smoothed pass that the plain sharpening misses', async () => {
    const f = makePhoneFrame('phone-dim', seededRandom(6));
    // Without the module-by-module re-read too, which reads this one from the sharpened pass.
    const unsmoothed = unhurried(
      KIOSK_PASSES.map((p) => ({ ...p, smooth: false })),
      [],
    );
    expect(await unsmoothed(rgba(f.frame))).toBeUndefined();
    expect(await unhurried()(rgba(f.frame))).toBe(f.text);
  });

  it('reads a code a pass located but could not correct, module by module', async () => {
    // A tiny code (2.5 pixels per module): zxing finds it in the sharpened region and fails its
    // correction; sampled again from the same picture, with the neighbours' leak taken off, it reads.
    const f = makePhoneFrame('phone-tiny', seededRandom(41));
    const frame = rgba(f.frame);
    expect(await unhurried(KIOSK_PASSES, [])(frame)).toBeUndefined();
    expect(await unhurried()(frame)).toBe(f.text);
  });

  it('starts no pass once the frame budget is spent: a frame only the later passes read is dropped', async () => {
    const rand = seededRandom(11);
    const f = makeFrame('small', rand);
    // This small code is too fine for the half-size pass; the region passes read it.
    expect(await unhurried()(rgba(f.frame))).toBe(f.text);
    expect(await createKioskDecoder(KIOSK_PASSES, 0)(rgba(f.frame))).toBeUndefined();
  });

  it('halves the green channel of RGBA by 2x2 means, and copies a region of it', () => {
    const green = [10, 20, 200, 202, 30, 40, 204, 206];
    const words = new Uint32Array(new Uint8ClampedArray(green.flatMap((g) => [255, g, 0, 255])).buffer);
    const out = new Uint8Array(2);
    halveGreen(words, 4, 2, out);
    expect([...out]).toEqual([25, 203]);
    const region = new Uint8Array(4);
    greenRegion(words, 4, { x: 1, y: 0, width: 2, height: 2 }, region);
    expect([...region]).toEqual([20, 200, 40, 204]);
  });

  it('finds the region of a code on a phone, at full size, and it holds the code', async () => {
    const rand = seededRandom(5);
    for (let i = 0; i < 3; i++) {
      const f = makePhoneFrame('phone-tiny', rand);
      const { width: w, height: h } = f.frame;
      const half = new Uint8Array((w >> 1) * (h >> 1));
      halveGreen(new Uint32Array(toRgba(f.frame).buffer), w, h, half);
      const r = findCodeRegion(half, w >> 1, h >> 1);
      // A tiny code is 15 % of the frame's width; the region is far smaller than the frame.
      expect(r.width * r.height).toBeLessThan((w * h) / 4);
      // Only the region, sharpened, searched as the kiosk does: the code is read from it.
      const onlyRegion = unhurried(KIOSK_PASSES.filter((p) => p.image === 'region'));
      expect(await onlyRegion(rgba(f.frame))).toBe(f.text);
    }
  });

  it('unsharp mask keeps flat areas and steepens edges', () => {
    const w = 16;
    const h = 4;
    const data = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) data.fill(x < 8 ? 60 : 200, (y * w + x) * 4, (y * w + x) * 4 + 4);
    }
    const gray = new Uint8Array(w * h);
    greenRegion(new Uint32Array(data.buffer), w, { x: 0, y: 0, width: w, height: h }, gray);
    expect(gray[0]).toBe(60);
    const out = new Uint8ClampedArray(w * h);
    unsharpMask(gray, w, h, out, new Uint16Array(w * h), 2, 1.5);
    const at = (x: number) => out[1 * w + x]!;
    expect(at(0)).toBe(60);
    expect(at(15)).toBe(200);
    expect(at(7)).toBeLessThan(60);
    expect(at(8)).toBeGreaterThan(200);
  });

  it('unsharp mask clips to 0 and 255 at its strongest', () => {
    const w = 16;
    const h = 4;
    const gray = new Uint8Array(w * h).map((_, i) => (i % w < 8 ? 20 : 240));
    const out = new Uint8ClampedArray(w * h);
    unsharpMask(gray, w, h, out, new Uint16Array(w * h), 3, 7);
    const at = (x: number) => out[2 * w + x]!;
    expect([at(0), at(6), at(7), at(8), at(9), at(15)]).toEqual([20, 0, 0, 255, 255, 240]);
  });

  it('smooths by 3x3 means: a flat area stays, a lone bright pixel spreads to a ninth', () => {
    const w = 5;
    const h = 5;
    const gray = new Uint8Array(w * h).fill(90);
    gray[2 * w + 2] = 180;
    const out = new Uint8Array(w * h);
    smooth3(gray, w, h, out, new Uint16Array(w * h));
    expect(out[0]).toBe(90);
    expect(out[2 * w + 2]).toBe(100);
    expect(out[1 * w + 1]).toBe(100);
    expect(out[4 * w + 4]).toBe(90);
  });
});
