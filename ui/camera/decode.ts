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
import { type Located, redrawCode, redrawnSide } from './regrid.ts';

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
 * the code is read again module by module from the same picture (`REGRID_LEAKS`, `regrid.ts`) before
 * the next pass. A frame that is still not read is dropped (see `FRAME_BUDGET_MS`).
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

/** A rectangle of the frame, in pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
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
      if (!located) continue;
      // zxing found the code and could not correct what it sampled: sample it again (regrid.ts).
      const side = redrawnSide(located.version);
      if (redrawn.length < side * side) redrawn = new Uint8Array(side * side);
      for (const leak of regrid) {
        redrawCode(handed, box.width, box.height, located, leak, redrawn);
        module.HEAPU8.set(redrawn.subarray(0, side * side), ptr);
        const again = readResults(module.readBarcodesFromPixmap(ptr, side, side, pure)).text;
        if (again) return again;
      }
    }
    return undefined;
  };
}

/** Side of the square blocks of the half-size grey that `findCodeRegion` scores, in half-size pixels. */
const REGION_BLOCK = 8;
/** Blocks scoring at least this share of the best block's score belong to the textured area. */
const REGION_THRESHOLD = 0.3;
/** Blocks added around the region on every side, so that the quiet zone and a finder cut by it are in. */
const REGION_MARGIN = 2;

/**
 * Where the code most likely is, from the half-size grey: a QR code is the one thing in a frame that
 * is dense with edges both across and down over a large square (a box or a table edge has them one
 * way only, and over a line, not an area). Each 8x8 block scores the smaller of its sums of
 * horizontal and vertical steps; the blocks scoring at least 30 % of the best one make up areas
 * (8-connected), and the area with the largest total score, widened by two blocks, is the region, in
 * full-size pixels. Fine codes whose modules halving blurs together still leave the most texture.
 */
export function findCodeRegion(half: Uint8Array, hw: number, hh: number): Region {
  const bw = Math.floor((hw - 1) / REGION_BLOCK);
  const bh = Math.floor((hh - 1) / REGION_BLOCK);
  const score = new Float64Array(bw * bh);
  let best = 0;
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let across = 0;
      let down = 0;
      // Every other row: the texture of a block shows as well, for half the time.
      for (let y = by * REGION_BLOCK; y < (by + 1) * REGION_BLOCK; y += 2) {
        const row = y * hw;
        for (let x = bx * REGION_BLOCK; x < (bx + 1) * REGION_BLOCK; x++) {
          const v = half[row + x]!;
          across += Math.abs(half[row + x + 1]! - v);
          down += Math.abs(half[row + hw + x]! - v);
        }
      }
      const s = Math.min(across, down);
      score[by * bw + bx] = s;
      if (s > best) best = s;
    }
  }
  const seen = new Uint8Array(bw * bh);
  const stack: number[] = [];
  let bestSum = -1;
  let found = [0, 0, bw - 1, bh - 1];
  for (let start = 0; start < score.length; start++) {
    if (seen[start] || score[start]! < REGION_THRESHOLD * best || best === 0) continue;
    seen[start] = 1;
    stack.push(start);
    let sum = 0;
    let [x0, y0, x1, y1] = [bw, bh, -1, -1];
    while (stack.length > 0) {
      const j = stack.pop()!;
      sum += score[j]!;
      const x = j % bw;
      const y = (j - x) / bw;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= bw || ny >= bh) continue;
          const k = ny * bw + nx;
          if (!seen[k] && score[k]! >= REGION_THRESHOLD * best) {
            seen[k] = 1;
            stack.push(k);
          }
        }
      }
    }
    if (sum > bestSum) {
      bestSum = sum;
      found = [x0, y0, x1, y1];
    }
  }
  const full = 2 * REGION_BLOCK;
  const x = Math.max(0, (found[0]! - REGION_MARGIN) * full);
  const y = Math.max(0, (found[1]! - REGION_MARGIN) * full);
  const right = Math.min(2 * hw, (found[2]! + 1 + REGION_MARGIN) * full);
  const bottom = Math.min(2 * hh, (found[3]! + 1 + REGION_MARGIN) * full);
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * The grey (green channel) at half size straight from the frame's RGBA words, each pixel the mean of
 * a 2x2 block.
 */
export function halveGreen(words: Uint32Array, w: number, h: number, out: Uint8Array): void {
  const hw = w >> 1;
  const hh = h >> 1;
  for (let y = 0; y < hh; y++) {
    const a = 2 * y * w;
    const b = a + w;
    const o = y * hw;
    for (let x = 0; x < hw; x++) {
      const i = 2 * x;
      // Little-endian RGBA (every machine the kiosk runs on): green is the second byte of each word.
      const sum =
        ((words[a + i]! >>> 8) & 255) +
        ((words[a + i + 1]! >>> 8) & 255) +
        ((words[b + i]! >>> 8) & 255) +
        ((words[b + i + 1]! >>> 8) & 255);
      out[o + x] = (sum + 2) >> 2;
    }
  }
}

/** The grey (green channel) of a region of the frame's RGBA words, row after row into `out`. */
export function greenRegion(words: Uint32Array, w: number, r: Region, out: Uint8Array): void {
  for (let y = 0; y < r.height; y++) {
    const from = (r.y + y) * w + r.x;
    const to = y * r.width;
    // A Uint8Array store keeps the low byte: green once shifted down.
    for (let x = 0; x < r.width; x++) out[to + x] = words[from + x]! >>> 8;
  }
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

/**
 * The 3x3 mean of a grey image (edges clamped), by row sums then column sums; `rows` is scratch space
 * of at least w * h. Grain a pixel or two across (sensor noise, a screen's dots, crack lines) drops
 * by two thirds; a module of three pixels or more keeps its level in the middle.
 */
export function smooth3(gray: Uint8Array, w: number, h: number, out: Uint8Array, rows: Uint16Array): void {
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const last = row + w - 1;
    if (w === 1) {
      rows[row] = 3 * gray[row]!;
      continue;
    }
    rows[row] = 2 * gray[row]! + gray[row + 1]!;
    for (let i = row + 1; i < last; i++) rows[i] = gray[i - 1]! + gray[i]! + gray[i + 1]!;
    rows[last] = gray[last - 1]! + 2 * gray[last]!;
  }
  // Divided by 9 in 16.16 fixed point (7282 / 65536 is 1/9 to 1 part in 30,000), rounded.
  for (let y = 0; y < h; y++) {
    const up = Math.max(y - 1, 0) * w;
    const row = y * w;
    const down = Math.min(y + 1, h - 1) * w;
    for (let x = 0; x < w; x++) {
      out[row + x] = ((rows[up + x]! + rows[row + x]! + rows[down + x]!) * 7282 + 32768) >> 16;
    }
  }
}

/** Where 0 sits in `CLAMP`: a sharpened value v is looked up at v + CLAMP_OFFSET. */
const CLAMP_OFFSET = 2048;
/**
 * The clipping of a sharpened value to 0..255, as a table: a clamped array's store (or Math.min/max)
 * branches on every pixel, and on a sharpened code, where a third of the pixels clip, the branches are
 * mispredicted so often that the mask took three times as long.
 */
const CLAMP = Uint8Array.from({ length: 2 * CLAMP_OFFSET }, (_, i) =>
  Math.min(255, Math.max(0, i - CLAMP_OFFSET)),
);

/**
 * Unsharp mask of a grey image: a box blur by running sums, then out = grey + amount * (grey - blur).
 * Two passes over the picture: this runs on the region of every frame the first pass could not read.
 * The amount is at most 7 (the values then stay within the clipping table).
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
  // Then vertically, in 16.16 fixed point: out = (1 + amount) * grey - amount * mean, offset by
  // CLAMP_OFFSET so that the clipping to 0..255 is a table look-up (`CLAMP`).
  const area = (2 * radius + 1) * (2 * radius + 1);
  const kq = Math.round((1 + amount) * 65536);
  const aq = Math.round((amount / area) * 65536);
  const oq = 32768 + CLAMP_OFFSET * 65536;
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
      out[row + x] = CLAMP[(oq + kq * gray[row + x]! - aq * c) >> 16]!;
      colAcc[x] = c + rows[addRow + x]! - rows[subRow + x]!;
    }
  }
}
