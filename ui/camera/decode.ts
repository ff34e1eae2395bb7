import {
  BINARIZERS,
  CHARACTER_SETS,
  defaultReaderOptions,
  EAN_ADD_ON_SYMBOLS,
  encodeFormats,
  prepareZXingModule,
  type ReaderOptions,
  TEXT_MODES,
  type ZXingReaderModule,
  type ZXingReaderOptions,
} from 'zxing-wasm/reader';
import { locateCodes } from './locate.ts';
import { findCodeRegion, greenRegion, halveGreen, type Region, smooth3, unsharpMask } from './pixels.ts';
import { type Located, redrawCode, redrawnSide } from './regrid.ts';
import { softRead } from './soft-read.ts';

/** One camera frame as a canvas gives it: RGBA, row by row. */
export interface DecodeFrame {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Decodes one frame to the print code's text, or undefined when no code was read. */
export type FrameDecoder = (frame: DecodeFrame) => Promise<string | undefined>;

/** What every pass looks for: QR only (print codes are QR; other formats cost time and false reads), one symbol. */
const QR_ONLY: ReaderOptions = {
  formats: ['QRCode'],
  tryRotate: false,
  tryDownscale: false,
  maxNumberOfSymbols: 1,
};

/**
 * The kiosk's passes, chosen with `test/camera/decode.bench.ts` on the generated corpus (printed codes
 * and codes on phone screens), cheapest first; a frame stops at the first pass that reads it:
 *
 * 1. the grey at half size (640x360), normal then inverted: a quarter of the pixels, and halving
 *    averages away sensor noise, a dimmed screen's grain and moire's fine grid; the inverted try
 *    reads phones in dark mode (light modules on dark). Trying harder at this size reads nothing more.
 * 2. the code's region at full resolution (`findCodeRegion`: the densest texture of the half-size
 *    grey, about a fifth of the frame), as it is, with zxing's global-histogram binarizer (one
 *    threshold for the region), normal then inverted: a crack across a screen is a thin bright line
 *    that pulls the local thresholds of the default binarizer off around it, and one threshold is
 *    not moved by it. The cheapest region pass (a fifth to a third of the next one's time).
 * 3. the region unsharp-masked (5x5 box, amount 2): for codes too fine for half size (2-3 px per
 *    module) and soft codes whose module edges the lens or the motion blurred. Working on the region
 *    instead of the whole frame is what keeps the region passes cheap. Not inverted: the last pass
 *    reads the same dark-mode codes.
 * 4. the same region smoothed (3x3 mean) and then sharpened harder over a wider radius (7x7 box,
 *    amount 3), normal then inverted: a band-pass that keeps the modules' scale and drops both the
 *    pixel-scale grain (sensor noise, a dimmed screen's noise, crack lines, moiré) that a plain
 *    unsharp mask amplifies and the slow shading of glare. It reads the softest codes (lens blur,
 *    motion) as the plain sharper mask did, and dimmed, glared and cracked screens besides.
 *
 * zxing's try-harder reads no more frames by itself in any of these passes on the corpus and costs a
 * fifth more; on the last pass it locates two more codes that the module-by-module re-read then
 * reads (see below), for no measurable time at p95.
 *
 * QR finder patterns are found at any angle, so rotated retries are off; zxing-wasm's own downscale
 * pyramid would repeat pass 1. When a pass locates a QR code but cannot correct what it sampled,
 * the code is read again from the same picture before the next pass: by our soft-decision reader
 * (`soft-read.ts`: the corners refined on the fixed patterns, an equaliser learnt from them, Reed-Solomon
 * with the doubtful codewords as erasures), then module by module and read by zxing as a pure code
 * (`REGRID_LEAKS`, `regrid.ts`). In a decoder made with a `locateMs` (not the kiosk's yet, see
 * `LOCATE_MS`), after the last pass, if that much of the budget is left, our own locator (`locate.ts`) places the code again near zxing's corners when that pass located it (zxing's corners
 * for a code it could not correct are often a module or more off), or else searches the region itself
 * (finder patterns by their correlation with the pattern, which blur, moiré, glare and a dim screen
 * leave standing; the perspective from the alignment patterns), and what it finds is read again the
 * same way. It runs once a frame, at the end: run after an earlier pass, it would put off every pass
 * after it. A frame that is still not read is dropped (see `FRAME_BUDGET_MS`).
 */
export const KIOSK_PASSES: DecodePass[] = [
  { image: 'half', options: { ...QR_ONLY, tryHarder: false, tryInvert: true } },
  {
    image: 'region',
    options: { ...QR_ONLY, tryHarder: false, tryInvert: true, binarizer: 'GlobalHistogram' },
  },
  {
    image: 'region',
    sharpen: { radius: 2, amount: 2 },
    options: { ...QR_ONLY, tryHarder: false, tryInvert: false },
  },
  {
    image: 'region',
    smooth: true,
    sharpen: { radius: 3, amount: 3 },
    options: { ...QR_ONLY, tryHarder: true, tryInvert: true },
  },
];

/**
 * When a pass locates a QR code but cannot correct it, the code is sampled again module by module
 * (`regrid.ts`) with each of these leaks taken off the neighbours, and read as a pure code.
 */
export const REGRID_LEAKS = [0.5];

/**
 * No pass starts once a frame has taken this long. The camera hands the worker a frame every 66 ms
 * at most, and only once it is done with the last (`CAMERA_FRAME_INTERVAL_MS` in start-camera.ts);
 * the applicant holds the code up for many frames, so a frame the kiosk cannot read quickly is dropped
 * and the next one tried, instead of one hard frame holding the worker on a slow or busy kiosk PC.
 */
export const FRAME_BUDGET_MS = 20;

/**
 * Our own locator (locate.ts), when a decoder is made with it, runs after the last pass only when this
 * much of the frame's budget is left, and stops between its steps once the budget is spent. It takes 2
 * to 5 ms on a code's region (more on a busy machine, and as much again to read what it found). The
 * kiosk's decoder does not run it yet: on the corpus, within the 20 ms budget, it reads no frame more
 * (the frames that need it have spent 12 ms and more in the passes) and lengthens the slowest frames
 * (p95 17.2 -> 19.8 ms); without a budget it reads 0.967 of the frames against 0.941. The benchmark
 * measures it beside the kiosk's setup (`camera.decode.kiosk-locator`).
 */
export const LOCATE_MS = 8;

/**
 * Where the zxing-wasm reader finds its .wasm: the bytes themselves (Node: read from node_modules),
 * or a URL served with the UI bundle (never the CDN zxing-wasm would use by default).
 */
export type DecoderWasm = { wasmBinary: ArrayBuffer } | { wasmUrl: string };

/**
 * The emscripten heap functions of the module (typed by @types/emscripten, which this project does
 * not install).
 */
type ZXingHeap = ZXingReaderModule & {
  _malloc(size: number): number;
  _free(ptr: number): void;
  HEAPU8: Uint8Array;
};

let zxing: ZXingHeap | undefined;

/** Loads the zxing-wasm reader once, from local bytes or a same-origin URL. */
export async function prepareDecoderWasm(wasm: DecoderWasm): Promise<void> {
  const overrides =
    'wasmBinary' in wasm
      ? { wasmBinary: wasm.wasmBinary }
      : {
          locateFile: (path: string, prefix: string) =>
            path.endsWith('.wasm') ? wasm.wasmUrl : prefix + path,
        };
  zxing = (await prepareZXingModule({ overrides, fireImmediately: true })) as ZXingHeap;
}

/** ReaderOptions in the encoded form the wasm module takes, built from zxing-wasm's exported tables. */
function encodeOptions(o: ReaderOptions): ZXingReaderOptions {
  const all = { ...defaultReaderOptions, ...o };
  return {
    ...all,
    formats: encodeFormats(all.formats),
    binarizer: BINARIZERS.indexOf(all.binarizer),
    eanAddOnSymbol: EAN_ADD_ON_SYMBOLS.indexOf(all.eanAddOnSymbol),
    textMode: TEXT_MODES.indexOf(all.textMode),
    characterSet: CHARACTER_SETS.indexOf(all.characterSet),
  } as ZXingReaderOptions;
}

/**
 * The picture a pass reads: the whole frame's grey, the grey at half size, or the code's region of the
 * full-size grey (`findCodeRegion`).
 */
export type PassImage = 'gray' | 'half' | 'region';

/** An unsharp mask: the radius in pixels of the box blur that is subtracted, and how much of the difference is added. */
export interface Sharpen {
  radius: number;
  amount: number;
}

/**
 * One attempt at a frame: which picture, smoothed (a 3x3 mean, before any sharpening) or not,
 * sharpened or not, with which reader options.
 */
export interface DecodePass {
  image: PassImage;
  smooth?: boolean;
  sharpen?: Sharpen;
  options: ReaderOptions;
}

/**
 * The kiosk's decoder: the passes in turn, until one reads a code or the frame's budget is spent.
 * Call `prepareDecoderWasm` first. The same function runs in the UI's worker and in the benchmark.
 *
 * The frame's luminance goes to the wasm module as one grey byte per pixel (the green channel),
 * written straight into the module's heap: zxing-wasm's `readBarcodes` would convert RGBA to grey in
 * JavaScript on every call, which is a third of the time budget for a 1280x720 frame.
 */
export function createKioskDecoder(
  passes: DecodePass[] = KIOSK_PASSES,
  budgetMs = FRAME_BUDGET_MS,
  regrid: number[] = REGRID_LEAKS,
  locateMs: number | null = null,
): FrameDecoder {
  const encoded = passes.map((p) => ({
    ...p,
    options: encodeOptions(
      regrid.length > 0
        ? // With errors returned, a located code that fails its correction would fill the one symbol
          // slot and end the search before a readable one: two slots lose none of the frames read.
          { ...p.options, returnErrors: true, maxNumberOfSymbols: 2 }
        : p.options,
    ),
  }));
  const pure = encodeOptions({ ...QR_ONLY, isPure: true, tryInvert: false, tryHarder: false });
  let redrawn = new Uint8Array(0);
  let gray = new Uint8Array(0);
  let half = new Uint8Array(0);
  let sharp = new Uint8ClampedArray(0);
  let smoothed = new Uint8Array(0);
  let rows = new Uint16Array(0);
  let heap: { ptr: number; size: number } | undefined;
  return async (frame) => {
    const module = zxing;
    if (!module) throw new Error('prepareDecoderWasm must be called before decoding');
    const started = performance.now();
    const { width: w, height: h } = frame;
    const n = w * h;
    if (gray.length !== n) {
      gray = new Uint8Array(n);
      half = new Uint8Array((w >> 1) * (h >> 1));
      sharp = new Uint8ClampedArray(n);
      smoothed = new Uint8Array(n);
      rows = new Uint16Array(n);
      if (heap) module._free(heap.ptr);
      heap = { ptr: module._malloc(n), size: n };
      if (!heap.ptr) throw new Error(`cannot allocate ${n} bytes in the decoder`);
    }
    const ptr = heap!.ptr;
    // The full-size grey is only ever needed for a region (or the whole frame): the half-size grey
    // comes straight from the RGBA, so a frame read at half size never pays for the full-size one.
    const words = new Uint32Array(frame.data.buffer, frame.data.byteOffset, n);
    let halved = false;
    let region: Region | undefined;
    let inGray: PassImage | undefined;
    for (const [i, pass] of encoded.entries()) {
      if (i > 0 && performance.now() - started > budgetMs) return undefined;
      if (pass.image !== 'gray' && !halved) {
        halveGreen(words, w, h, half);
        halved = true;
      }
      let picture: Uint8Array = half;
      let box: Region = { x: 0, y: 0, width: w >> 1, height: h >> 1 };
      if (pass.image === 'region') {
        region ??= findCodeRegion(half, w >> 1, h >> 1);
        box = region;
      } else if (pass.image === 'gray') box = { x: 0, y: 0, width: w, height: h };
      if (pass.image !== 'half') {
        picture = gray.subarray(0, box.width * box.height);
        if (inGray !== pass.image) greenRegion(words, w, box, picture);
        inGray = pass.image;
      }
      const pixels = box.width * box.height;
      if (pass.smooth) {
        const out = smoothed.subarray(0, pixels);
        smooth3(picture, box.width, box.height, out, rows);
        picture = out;
      }
      let handed: Uint8Array | Uint8ClampedArray = picture.subarray(0, pixels);
      if (pass.sharpen) {
        const out = sharp.subarray(0, pixels);
        unsharpMask(picture, box.width, box.height, out, rows, pass.sharpen.radius, pass.sharpen.amount);
        handed = out;
      }
      module.HEAPU8.set(handed, ptr);
      const { text, located } = readResults(
        module.readBarcodesFromPixmap(ptr, box.width, box.height, pass.options),
      );
      if (text) return text;
      // zxing found the code and could not correct what it sampled, or (after the last pass) our own
      // locator finds it (locate.ts; near zxing's corners, which may be off, or anywhere): read it
      // again (soft-read.ts, then regrid.ts), with zxing's corners first.
      const found = function* (): Generator<Located> {
        if (located) yield located;
        const last = i === encoded.length - 1;
        if (locateMs !== null && last && performance.now() - started < budgetMs - locateMs) {
          yield* locateCodes(picture, box.width, box.height, started + budgetMs, located);
        }
      };
      for (const at of found()) {
        // First our soft-decision reader (soft-read.ts), from the picture before any sharpening.
        const soft = softRead(picture, box.width, box.height, at);
        if (soft) return soft;
        const side = redrawnSide(at.version);
        if (redrawn.length < side * side) redrawn = new Uint8Array(side * side);
        for (const leak of regrid) {
          redrawCode(handed, box.width, box.height, at, leak, redrawn);
          module.HEAPU8.set(redrawn.subarray(0, side * side), ptr);
          const again = readResults(module.readBarcodesFromPixmap(ptr, side, side, pure)).text;
          if (again) return again;
        }
      }
    }
    return undefined;
  };
}

/**
 * The first valid text, or else the first QR code zxing located but could not read (a numbered
 * version: zxing also reports Micro QR candidates, "M1" to "M4", which are not print codes).
 */
function readResults(results: ReturnType<ZXingReaderModule['readBarcodesFromPixmap']>): {
  text?: string;
  located?: Located & { inverted: boolean };
} {
  try {
    let located: (Located & { inverted: boolean }) | undefined;
    for (let i = 0; i < results.size(); i++) {
      const r = results.get(i);
      if (!r) continue;
      if (r.isValid && r.text) return { text: r.text };
      if (!located && /^\d+$/.test(r.version)) {
        const { topLeft, topRight, bottomRight, bottomLeft } = r.position;
        located = {
          topLeft,
          topRight,
          bottomRight,
          bottomLeft,
          version: Number(r.version),
          inverted: r.isInverted,
        };
      }
    }
    return located ? { located } : {};
  } finally {
    // Embind vectors live in the wasm heap until deleted.
    (results as unknown as { delete?: () => void }).delete?.();
  }
}
