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
 * 1. the grey at half size (640x360), searched hard and inverted too: a quarter of the pixels, and
 *    halving averages away sensor noise, a dimmed screen's grain and moiré's fine grid; the inverted
 *    try reads phones in dark mode (light modules on dark) for little more than a pass of the
 *    binarizer at that size;
 * 2. the full frame as it is, for codes too fine for half size (2-3 px per module);
 * 3. the full frame unsharp-masked, for small or soft codes whose module edges the lens blurred.
 *
 * QR finder patterns are found at any angle, so rotated retries are off; zxing-wasm's own downscale
 * pyramid would repeat pass 1.
 */
export const KIOSK_PASSES: DecodePass[] = [
  { image: 'half', options: { ...QR_ONLY, tryHarder: true, tryInvert: true } },
  { image: 'gray', options: { ...QR_ONLY, tryHarder: false, tryInvert: false } },
  { image: 'sharpened', options: { ...QR_ONLY, tryHarder: false, tryInvert: false } },
];

/**
 * Unsharp mask of the third pass: small codes (2-3 px per module) and soft focus lose their module
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

/** The picture a pass reads: the frame's grey, its unsharp-masked copy, or the grey at half size. */
export type PassImage = 'gray' | 'sharpened' | 'half';

/** One attempt at a frame: which picture, with which reader options. */
export interface DecodePass {
  image: PassImage;
  options: ReaderOptions;
}

/**
 * The kiosk's decoder: the passes in turn, until one reads a code. Call `prepareDecoderWasm` first.
 * The same function runs in the UI's worker and in the benchmark.
 *
 * The frame's luminance goes to the wasm module as one grey byte per pixel (the green channel),
 * written straight into the module's heap: zxing-wasm's `readBarcodes` would convert RGBA to grey in
 * JavaScript on every call, which is a third of the time budget for a 1280x720 frame.
 */
export function createKioskDecoder(passes: DecodePass[] = KIOSK_PASSES): FrameDecoder {
  const encoded = passes.map((p) => ({ image: p.image, options: encodeOptions(p.options) }));
  let gray = new Uint8Array(0);
  let sharp = new Uint8ClampedArray(0);
  let half = new Uint8Array(0);
  let rows = new Uint16Array(0);
  let heap: { ptr: number; size: number } | undefined;
  return async (frame) => {
    const module = zxing;
    if (!module) throw new Error('prepareDecoderWasm must be called before decoding');
    const { width: w, height: h } = frame;
    const n = w * h;
    if (gray.length !== n) {
      gray = new Uint8Array(n);
      sharp = new Uint8ClampedArray(n);
      rows = new Uint16Array(n);
      half = new Uint8Array((w >> 1) * (h >> 1));
      if (heap) module._free(heap.ptr);
      heap = { ptr: module._malloc(n), size: n };
      if (!heap.ptr) throw new Error(`cannot allocate ${n} bytes in the decoder`);
    }
    const ptr = heap!.ptr;
    greenChannel(frame, gray);
    let inHeap: PassImage | undefined;
    for (const pass of encoded) {
      if (pass.image !== inHeap) {
        if (pass.image === 'gray') module.HEAPU8.set(gray, ptr);
        else if (pass.image === 'sharpened') {
          unsharpMask(gray, w, h, sharp, rows, SHARPEN_RADIUS, SHARPEN_AMOUNT);
          module.HEAPU8.set(sharp, ptr);
        } else {
          halve(gray, w, h, half);
          module.HEAPU8.set(half, ptr);
        }
        inHeap = pass.image;
      }
      const [pw, ph] = pass.image === 'half' ? [w >> 1, h >> 1] : [w, h];
      const text = firstText(module.readBarcodesFromPixmap(ptr, pw, ph, pass.options));
      if (text) return text;
    }
    return undefined;
  };
}

/** The grey image at half size, each pixel the mean of a 2x2 block. */
export function halve(gray: Uint8Array, w: number, h: number, out: Uint8Array): void {
  const hw = w >> 1;
  const hh = h >> 1;
  for (let y = 0; y < hh; y++) {
    const a = 2 * y * w;
    const b = a + w;
    const o = y * hw;
    for (let x = 0; x < hw; x++) {
      const i = 2 * x;
      out[o + x] = (gray[a + i]! + gray[a + i + 1]! + gray[b + i]! + gray[b + i + 1]! + 2) >> 2;
    }
  }
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
  // Horizontal sums of 2r+1 pixels, edges clamped (the edges apart, so the long middle has no branches).
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const last = row + w - 1;
    let acc = gray[row]! * (radius + 1);
    for (let x = 1; x <= radius; x++) acc += gray[row + x]!;
    const midEnd = last - radius - 1;
    let i = row;
    for (; i < row + radius && i <= last; i++) {
      rows[i] = acc;
      acc += gray[Math.min(i + radius + 1, last)]! - gray[row]!;
    }
    for (; i <= midEnd; i++) {
      rows[i] = acc;
      acc += gray[i + radius + 1]! - gray[i - radius]!;
    }
    for (; i <= last; i++) {
      rows[i] = acc;
      acc += gray[Math.min(i + radius + 1, last)]! - gray[Math.max(i - radius, row)]!;
    }
  }
  // Then vertically, in 16.16 fixed point: out = (1 + amount) * grey - amount * mean.
  const area = (2 * radius + 1) * (2 * radius + 1);
  const kq = Math.round((1 + amount) * 65536);
  const aq = Math.round((amount / area) * 65536);
  const oq = 32768;
  const colAcc = new Int32Array(w);
  for (let x = 0; x < w; x++) {
    let acc = rows[x]! * (radius + 1);
    for (let y = 1; y <= radius; y++) acc += rows[Math.min(y, h - 1) * w + x]!;
    colAcc[x] = acc;
  }
  for (let y = 0; y < h; y++) {
    const addRow = Math.min(y + radius + 1, h - 1) * w;
    const subRow = Math.max(y - radius, 0) * w;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const c = colAcc[x]!;
      // A clamped array: the store itself clips to 0..255.
      out[row + x] = (oq + kq * gray[row + x]! - aq * c) >> 16;
      colAcc[x] = c + rows[addRow + x]! - rows[subRow + x]!;
    }
  }
}
