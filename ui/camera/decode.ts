import { prepareZXingModule, type ReaderOptions, readBarcodes } from 'zxing-wasm/reader';

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

/** Loads the zxing-wasm reader once, from local bytes or a same-origin URL. */
export async function prepareDecoderWasm(wasm: DecoderWasm): Promise<void> {
  const overrides =
    'wasmBinary' in wasm
      ? { wasmBinary: wasm.wasmBinary }
      : {
          locateFile: (path: string, prefix: string) =>
            path.endsWith('.wasm') ? wasm.wasmUrl : prefix + path,
        };
  await prepareZXingModule({ overrides, fireImmediately: true });
}

/**
 * The kiosk's decoder: a fast pass on the frame as it is, then, when that read nothing, a pass on an
 * unsharp-masked copy. Call `prepareDecoderWasm` first. The same function runs in the UI's worker and
 * in the benchmark.
 */
export function createKioskDecoder(): FrameDecoder {
  let sharp: Uint8ClampedArray | undefined;
  let rows: Uint16Array | undefined;
  return async (frame) => {
    const first = await readBarcodes(frame as ImageData, KIOSK_READER_OPTIONS);
    if (first[0]?.text) return first[0].text;
    const n = frame.width * frame.height;
    if (!sharp || sharp.length !== n * 4) sharp = new Uint8ClampedArray(n * 4);
    if (!rows || rows.length !== n) rows = new Uint16Array(n);
    unsharpMask(frame, sharp, rows, SHARPEN_RADIUS, SHARPEN_AMOUNT);
    const second = await readBarcodes(
      { data: sharp, width: frame.width, height: frame.height } as ImageData,
      SHARP_PASS_OPTIONS,
    );
    return second[0]?.text || undefined;
  };
}

/**
 * Grey = the green channel (cameras put most of the luminance detail there, and it saves the
 * weighted sum), box-blurred by running sums, then out = grey + amount * (grey - blur), written as
 * grey RGBA into `out`. Two passes over the frame and one 32-bit load and store per pixel each: this
 * runs on every frame the first pass could not read, inside a 33 ms frame budget.
 */
export function unsharpMask(
  frame: DecodeFrame,
  out: Uint8ClampedArray,
  rows: Uint16Array,
  radius: number,
  amount: number,
): void {
  const { data, width: w, height: h } = frame;
  const n = w * h;
  const src = new Uint32Array(data.buffer, data.byteOffset, n);
  // Horizontal sums of 2r+1 green values, edges clamped.
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const last = row + w - 1;
    let acc = ((src[row]! >>> 8) & 0xff) * (radius + 1);
    for (let x = 1; x <= radius; x++) acc += (src[row + x]! >>> 8) & 0xff;
    for (let i = row; i <= last; i++) {
      rows[i] = acc;
      const add = i + radius + 1;
      const sub = i - radius;
      acc += ((src[Math.min(add, last)]! >>> 8) & 0xff) - ((src[Math.max(sub, row)]! >>> 8) & 0xff);
    }
  }
  const area = (2 * radius + 1) * (2 * radius + 1);
  const k = 1 + amount;
  const a = amount / area;
  // Little-endian RGBA (every machine the kiosk runs on): alpha is the high byte.
  const dst = new Uint32Array(out.buffer, out.byteOffset, n);
  const colAcc = new Int32Array(w);
  for (let x = 0; x < w; x++) {
    let acc = rows[x]! * (radius + 1);
    for (let y = 1; y <= radius; y++) acc += rows[y * w + x]!;
    colAcc[x] = acc;
  }
  for (let y = 0; y < h; y++) {
    const addRow = (y + radius + 1 < h ? y + radius + 1 : h - 1) * w;
    const subRow = Math.max(y - radius, 0) * w;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      let v = (k * ((src[i]! >>> 8) & 0xff) - a * colAcc[x]!) | 0;
      v = v < 0 ? 0 : Math.min(v, 255);
      dst[i] = 0xff000000 | (v << 16) | (v << 8) | v;
      colAcc[x] = colAcc[x]! + rows[addRow + x]! - rows[subRow + x]!;
    }
  }
}
