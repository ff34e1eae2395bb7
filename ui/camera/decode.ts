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

/** One camera frame as a canvas gives it: RGBA, row by row. */
export interface DecodeFrame {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Decodes one frame to the print code's text, or undefined when no code was read. */
export type FrameDecoder = (frame: DecodeFrame) => Promise<string | undefined>;

/**
 * The kiosk's reader setup, chosen by `test/camera/decode.bench.ts` (table in drivers/scanner/README.md):
 * zxing-wasm, QR only (print codes are QR; other formats cost time and false positives), no rotated or
 * inverted retries (QR finder patterns work at any angle; print codes are dark on light), one symbol.
 * Its built-in downscale pyramid stays on: it is what reads noisy frames.
 */
export const KIOSK_READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: false,
  tryInvert: false,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
};

/**
 * The second pass is for codes too small or soft for the first: the downscale pyramid cannot help
 * those, and the harder search finds one more small code in 216 frames for 2 ms more per frame, so
 * both are off there; that keeps the two passes within one frame's time (33 ms at 30 fps).
 */
export const SHARP_PASS_OPTIONS: ReaderOptions = {
  ...KIOSK_READER_OPTIONS,
  tryHarder: false,
  tryDownscale: false,
};

/**
 * Unsharp mask of the second pass: small codes (2-3 px per module) and soft focus lose their module
 * edges in the lens blur; sharpening them back is what reads them. Radius in pixels of the box blur
 * that is subtracted, and how much of the difference is added.
 */
export const SHARPEN_RADIUS = 2;
export const SHARPEN_AMOUNT = 1.5;

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
 * The kiosk's decoder: a fast pass on the frame as it is, then, when that read nothing, a pass on an
 * unsharp-masked copy. Call `prepareDecoderWasm` first. The same function runs in the UI's worker and
 * in the benchmark.
 *
 * The frame's luminance goes to the wasm module as one grey byte per pixel (the green channel),
 * written straight into the module's heap: zxing-wasm's `readBarcodes` would convert RGBA to grey in
 * JavaScript on every call, which is a third of the time budget for a 1280x720 frame.
 */
export function createKioskDecoder(): FrameDecoder {
  const firstPass = encodeOptions(KIOSK_READER_OPTIONS);
  const sharpPass = encodeOptions(SHARP_PASS_OPTIONS);
  let gray = new Uint8Array(0);
  let sharp = new Uint8ClampedArray(0);
  let rows = new Uint16Array(0);
  let heap: { ptr: number; size: number } | undefined;
  return async (frame) => {
    const module = zxing;
    if (!module) throw new Error('prepareDecoderWasm must be called before decoding');
    const n = frame.width * frame.height;
    if (gray.length !== n) {
      gray = new Uint8Array(n);
      sharp = new Uint8ClampedArray(n);
      rows = new Uint16Array(n);
      if (heap) module._free(heap.ptr);
      heap = { ptr: module._malloc(n), size: n };
      if (!heap.ptr) throw new Error(`cannot allocate ${n} bytes in the decoder`);
    }
    const ptr = heap!.ptr;
    greenChannel(frame, gray);
    module.HEAPU8.set(gray, ptr);
    const first = firstText(module.readBarcodesFromPixmap(ptr, frame.width, frame.height, firstPass));
    if (first) return first;
    unsharpMask(gray, frame.width, frame.height, sharp, rows, SHARPEN_RADIUS, SHARPEN_AMOUNT);
    module.HEAPU8.set(sharp, ptr);
    return firstText(module.readBarcodesFromPixmap(ptr, frame.width, frame.height, sharpPass));
  };
}

function firstText(results: ReturnType<ZXingReaderModule['readBarcodesFromPixmap']>): string | undefined {
  try {
    for (let i = 0; i < results.size(); i++) {
      const r = results.get(i);
      if (r?.isValid && r.text) return r.text;
    }
    return undefined;
  } finally {
    // Embind vectors live in the wasm heap until deleted.
    (results as unknown as { delete?: () => void }).delete?.();
  }
}

/** Grey = the green channel: cameras put most of the luminance detail there, and it saves the weighted sum. */
export function greenChannel(frame: DecodeFrame, out: Uint8Array): void {
  const { data } = frame;
  const n = frame.width * frame.height;
  // Little-endian RGBA (every machine the kiosk runs on): green is the second byte of each word.
  const src = new Uint32Array(data.buffer, data.byteOffset, n);
  for (let i = 0; i < n; i++) out[i] = src[i]! >>> 8;
}

/**
 * Unsharp mask of a grey image: a box blur by running sums, then out = grey + amount * (grey - blur).
 * Two passes over the frame: this runs on every frame the first pass could not read, inside the
 * 33 ms frame budget.
 */
export function unsharpMask(
  gray: Uint8Array,
  w: number,
  h: number,
  out: Uint8ClampedArray,
  rows: Uint16Array,
  radius: number,
  amount: number,
): void {
  // Horizontal sums of 2r+1 pixels, edges clamped.
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const last = row + w - 1;
    let acc = gray[row]! * (radius + 1);
    for (let x = 1; x <= radius; x++) acc += gray[row + x]!;
    for (let i = row; i <= last; i++) {
      rows[i] = acc;
      acc += gray[Math.min(i + radius + 1, last)]! - gray[Math.max(i - radius, row)]!;
    }
  }
  const area = (2 * radius + 1) * (2 * radius + 1);
  const k = 1 + amount;
  const a = amount / area;
  const colAcc = new Int32Array(w);
  for (let x = 0; x < w; x++) {
    let acc = rows[x]! * (radius + 1);
    for (let y = 1; y <= radius; y++) acc += rows[y * w + x]!;
    colAcc[x] = acc;
  }
  for (let y = 0; y < h; y++) {
    const addRow = Math.min(y + radius + 1, h - 1) * w;
    const subRow = Math.max(y - radius, 0) * w;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      // A clamped array: the store itself clips to 0..255 and rounds.
      out[i] = k * gray[i]! - a * colAcc[x]!;
      colAcc[x] = colAcc[x]! + rows[addRow + x]! - rows[subRow + x]!;
    }
  }
}
