import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { motionOffsets } from './phone-frame.ts';
import type { GrayFrame, Point } from './render-frame.ts';

/**
 * Whether a generated frame still holds a readable code, decided from how the frame was drawn and
 * never from a decoder: the corpus marks a frame `unreadable` only when the code itself is gone.
 *
 * What a decoder has to get right is the codewords, not the modules. The print code is a QR code of
 * version 14 at level M: 581 codewords of 8 modules each, in 9 Reed-Solomon blocks (4 of 64
 * codewords and 5 of 65, 24 of them for error correction in each), and each block corrects up to 12
 * wrong codewords (a decoder that is not told where the errors are, as every camera decoder is not,
 * corrects half as many errors as the block has error-correction codewords). A codeword is wrong when
 * any of its 8 modules is read wrong, so a chance p of a wrong module makes a codeword wrong with a
 * chance of 1 - (1 - p)^8: 16 % of modules wrong ruins three codewords in four, and even 2 % ruins
 * one in seven, about as many as a block corrects.
 *
 * The chance of reading a module wrong is worked out for two ideal decoders, and the better one
 * counts:
 *
 * - `sampled`: the frame as drawn before the sensor noise (`clean`, every blur, glare, moiré, crack
 *   and thumb in it) sampled at the module's centre, by one pixel or by the mean of a box of s x s
 *   pixels (a half-size image is a 2x2 box; the box divides the noise by s and loses some margin where
 *   it reaches into the neighbouring modules), against the threshold half-way between the greys a
 *   dark and a light module show there (`levels`); the noise is Gaussian and drawn pixel by pixel,
 *   so a sample with a margin d is on the wrong side with a chance of Phi(-d / sigma). The best box
 *   from 1x1 to 4x4 for the whole frame.
 * - `equalised`: the same samples with the blur undone first, as far as the noise lets it
 *   (`equalisedErrors`). Sampling alone is far too strict a bound: at 2.5 pixels per module under the
 *   lens, a lone module's centre is barely on its side of the threshold, and yet decoders that sharpen
 *   (the kiosk's passes) read such codes every day.
 *
 * The frame is unreadable when the chance that every block is within its corrections is under one
 * half, or when a finder pattern has lost more than a third of its 49 modules (under a thumb, or read
 * wrong more than one time in six: past a third the loss reaches into the 3x3 centre from one side,
 * so no scan line through the centre keeps the 1:1:3:1:1 ratio a decoder looks for).
 */
export const LIMITS = {
  /** Under this chance of every Reed-Solomon block being within its corrections, the frame is unreadable. */
  decodable: 0.5,
  /** Of the 49 modules of any one finder pattern. */
  lostFinder: 1 / 3,
  /** A finder's module counts as lost when read wrong more often than this (Phi(-1): a margin under the noise). */
  finderModuleWrong: 0.159,
  /** The largest box (s x s pixels) a decoder is granted for sampling one module. */
  largestBox: 4,
};

/** How a frame blurred the code: the lens (`blur` of render-frame: two box passes of 2r+1 pixels), and motion. */
export interface FrameBlur {
  lensRadius: number;
  motion?: { length: number; angle: number };
}

/** The code as the frame shows it. */
export interface DrawnCode {
  /** The code's text; its QR code at level M gives the modules, codewords and blocks. */
  text: string;
  /** Each module's centre in the image (pixel i spans i to i + 1), row by row. */
  moduleCentres: Point[];
  /** The frame as drawn, before the sensor noise. */
  clean: GrayFrame;
  /** The standard deviation of the sensor noise at an image point, in grey levels. */
  noise: (x: number, y: number) => number;
  /** The greys a dark and a light module would show at an image point (glare, moiré), blurs apart. */
  levels: (x: number, y: number) => { dark: number; light: number };
  /** The blurs the frame went through, for the equalising decoder. */
  blur: FrameBlur;
  /** Dark mode: the QR's dark modules are shown light. */
  inverted?: boolean;
  /** Whether something opaque (a thumb) lies over an image point. */
  covered?: (x: number, y: number) => boolean;
}

/** How well the best decoder of each kind could do on a drawn code, and what is left of its finder patterns. */
export interface Assessment {
  /** For each way of reading the modules, its best box and the chance every block is within its corrections. */
  ways: { how: 'sampled' | 'equalised'; box: number; decodable: number; wrong: Float64Array }[];
  /** The share of each finder pattern's 49 modules lost (top left, top right, bottom left), the best way. */
  findersLost: number[];
}

/** What the best decoders could read of a drawn code (see `whyUnreadable` for the rule). */
export function assessCode(code: DrawnCode): Assessment {
  const qr = QRCode.create(code.text, { errorCorrectionLevel: 'M' });
  const layout = codewordLayout(qr);
  const n = qr.modules.size;
  const ways: Assessment['ways'] = [];
  for (const how of ['sampled', 'equalised'] as const) {
    let best: Assessment['ways'][number] | undefined;
    // The equaliser's noise model wants independent samples: its box stays within a module.
    const largest =
      how === 'sampled' ? LIMITS.largestBox : Math.min(LIMITS.largestBox, smallestPitch(code, n));
    for (let box = 1; box <= Math.max(1, Math.floor(largest)); box++) {
      const wrong = how === 'sampled' ? moduleErrors(code, qr.modules, box) : equalisedErrors(code, n, box);
      const decodable = chanceDecodable(wrong, layout);
      if (!best || decodable > best.decodable) best = { how, box, decodable, wrong };
    }
    ways.push(best!);
  }
  const best = ways.reduce((a, b) => (b.decodable > a.decodable ? b : a));
  const findersLost = [
    [0, 0],
    [n - 7, 0],
    [0, n - 7],
  ].map(([fx, fy]) => {
    let hit = 0;
    for (let y = fy!; y < fy! + 7; y++) {
      for (let x = fx!; x < fx! + 7; x++) {
        const [cx, cy] = code.moduleCentres[y * n + x]!;
        if (code.covered?.(cx, cy) || best.wrong[y * n + x]! > LIMITS.finderModuleWrong) hit += 1;
      }
    }
    return hit / 49;
  });
  return { ways, findersLost };
}

/** The reason no decoder can read the drawn code, or undefined when it is readable. */
export function whyUnreadable(code: DrawnCode): string | undefined {
  const { ways, findersLost } = assessCode(code);
  const best = ways.reduce((a, b) => (b.decodable > a.decodable ? b : a));
  if (best.decodable < LIMITS.decodable) {
    const modules = best.wrong.reduce((a, b) => a + b, 0) / best.wrong.length;
    return (
      `errors past the error correction: every block within its corrections ${pct(best.decodable)} ` +
      `of the time (${pct(modules)} of the modules read wrong, at best ${best.how} over ${best.box}x${best.box} pixels)`
    );
  }
  const finder = Math.max(...findersLost);
  if (finder > LIMITS.lostFinder) return `a finder pattern ${Math.round(finder * 100)} % lost`;
  return undefined;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.01 ? 2 : 1)} %`;
}

/** The QR code as the `qrcode` package builds it (its types leave out `reservedBit`'s meaning and the tables). */
type Qr = ReturnType<typeof QRCode.create>;

/**
 * Which codeword each module carries and which block each codeword belongs to, with each block's
 * number of correctable errors. The codewords are the blocks' data codewords interleaved, then their
 * error-correction codewords interleaved (ISO/IEC 18004 8.6), and they fill the modules that are not
 * function patterns in two-column strips from the bottom right, up and down in turn (8.7.3); the
 * modules left over carry no codeword. The block sizes are the `qrcode` package's tables (ISO/IEC
 * 18004 table 9), split as it splits them: the first blocks one data codeword shorter.
 */
export function codewordLayout(qr: Qr): {
  /** The codeword index (in the interleaved order) of each module, row by row; -1 for none. */
  moduleCodeword: Int32Array;
  /** The block of each codeword. */
  codewordBlock: Int32Array;
  /** How many wrong codewords each block corrects. */
  corrections: number[];
} {
  const require = createRequire(import.meta.url);
  const ecc = require('qrcode/lib/core/error-correction-code.js') as {
    getTotalCodewordsCount(version: number, level: unknown): number;
    getBlocksCount(version: number, level: unknown): number;
  };
  const utils = require('qrcode/lib/core/utils.js') as { getSymbolTotalCodewords(version: number): number };
  const total = utils.getSymbolTotalCodewords(qr.version);
  const eccTotal = ecc.getTotalCodewordsCount(qr.version, qr.errorCorrectionLevel);
  const blocks = ecc.getBlocksCount(qr.version, qr.errorCorrectionLevel);
  const group2 = total % blocks;
  const dataShort = Math.floor((total - eccTotal) / blocks);
  const eccPerBlock = Math.floor(total / blocks) - dataShort;
  const dataOf = (b: number) => (b < blocks - group2 ? dataShort : dataShort + 1);
  const codewordBlock = new Int32Array(total);
  let k = 0;
  for (let i = 0; i <= dataShort; i++)
    for (let b = 0; b < blocks; b++) if (i < dataOf(b)) codewordBlock[k++] = b;
  for (let i = 0; i < eccPerBlock; i++) for (let b = 0; b < blocks; b++) codewordBlock[k++] = b;

  const size = qr.modules.size;
  const moduleCodeword = new Int32Array(size * size).fill(-1);
  for (const [bit, module] of placementOrder(qr).entries())
    if (bit >> 3 < total) moduleCodeword[module] = bit >> 3;
  return { moduleCodeword, codewordBlock, corrections: Array(blocks).fill(eccPerBlock >> 1) };
}

/**
 * The modules that carry the codewords' bits (row * size + column), in the order the bits fill them,
 * each codeword's most significant bit first: two-column strips from the right, the first going up,
 * the next down, and so on, past the function patterns and the vertical timing pattern's column.
 */
export function placementOrder(qr: Qr): number[] {
  const size = qr.modules.size;
  const reserved = qr.modules.reservedBit;
  const order: number[] = [];
  let up = true;
  for (let col = size - 1; col > 0; col -= 2) {
    if (col === 6) col -= 1;
    for (let step = 0; step < size; step++) {
      const row = up ? size - 1 - step : step;
      for (const c of [col, col - 1]) if (!reserved[row * size + c]) order.push(row * size + c);
    }
    up = !up;
  }
  return order;
}

/** Each module's chance of being read wrong when sampled by the mean of a box of `box` x `box` pixels. */
function moduleErrors(code: DrawnCode, modules: Qr['modules'], box: number): Float64Array {
  const { width: w, height: h, gray } = code.clean;
  const n = modules.size;
  const wrong = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    const [x, y] = code.moduleCentres[i]!;
    const x0 = Math.round(x - box / 2);
    const y0 = Math.round(y - box / 2);
    if (x0 < 0 || y0 < 0 || x0 + box > w || y0 + box > h) {
      wrong[i] = 0.5; // out of the frame
      continue;
    }
    let sum = 0;
    for (let yy = y0; yy < y0 + box; yy++) for (let xx = x0; xx < x0 + box; xx++) sum += gray[yy * w + xx]!;
    const { dark, light } = code.levels(x, y);
    const threshold = (dark + light) / 2;
    const showsDark = (modules.get(Math.floor(i / n), i % n) === 1) !== Boolean(code.inverted);
    const margin =
      (showsDark ? threshold - sum / (box * box) : sum / (box * box) - threshold) * Math.sign(light - dark);
    // Each pixel is rounded to a whole grey level: a uniform error of variance 1/12 besides the noise.
    const sigma = Math.sqrt(code.noise(x, y) ** 2 + 1 / 12) / box;
    wrong[i] = normalTail(margin / sigma);
  }
  return wrong;
}

/** The shortest step in pixels from a module's centre to its neighbour's, across or down. */
function smallestPitch(code: DrawnCode, n: number): number {
  let least = Number.POSITIVE_INFINITY;
  for (let y = 0; y + 1 < n; y++) {
    for (let x = 0; x + 1 < n; x++) {
      const [ox, oy] = code.moduleCentres[y * n + x]!;
      const [ax, ay] = code.moduleCentres[y * n + x + 1]!;
      const [bx, by] = code.moduleCentres[(y + 1) * n + x]!;
      least = Math.min(least, Math.hypot(ax - ox, ay - oy), Math.hypot(bx - ox, by - oy));
    }
  }
  return least;
}

/** Modules per side of the tiles over which `equalisedErrors` takes the code's geometry as even. */
const TILE = 8;
/** Frequencies per axis at which the equaliser's error is averaged, and the aliases summed each way. */
const FREQUENCIES = 16;
const ALIASES = 2;

/**
 * Each module's chance of being read wrong by a decoder that undoes the blur before it decides: the
 * best linear equaliser (minimum mean square error) over the module grid, told the blurs. Sampling
 * module by module turns the blurred code into a grid of samples in which each module leaks into its
 * neighbours with the blur's spectrum H(f) (f in cycles per module; the module's square footprint,
 * the lens, the sensor's pixel, the motion and the sampling box, folded onto the grid); with a signal
 * of +-A (half the contrast between the levels there) and noise sigma per sample, the equaliser
 * leaves a signal-to-noise ratio of 1 / mean_f(1 / (1 + (A / sigma)^2 |H(f)|^2)) - 1 (the
 * textbook result for a linear MMSE equaliser), and a module is wrong with the Gaussian tail at its
 * root. Where the blur keeps every frequency above the noise this is close to the unblurred code;
 * where it wipes a band of frequencies out (motion over a whole module period, a lens wider than
 * the modules), the ratio drops towards the share of the band left. Cracks and the moiré's fine grid
 * are not counted here (the sampled decoder counts them); a module under a thumb is a coin toss.
 */
function equalisedErrors(code: DrawnCode, n: number, box: number): Float64Array {
  const wrong = new Float64Array(n * n);
  const at = (x: number, y: number) => code.moduleCentres[y * n + x]!;
  const gain = new Float64Array(FREQUENCIES * FREQUENCIES);
  const motion = code.blur.motion ? motionOffsets(code.blur.motion.length, code.blur.motion.angle) : [];
  for (let ty = 0; ty < n; ty += TILE) {
    for (let tx = 0; tx < n; tx += TILE) {
      // The module grid's Jacobian at the tile's middle, from the neighbouring module centres.
      const mx = Math.min(tx + TILE / 2, n - 2);
      const my = Math.min(ty + TILE / 2, n - 2);
      const o = at(mx, my);
      const a = at(mx + 1, my);
      const b = at(mx, my + 1);
      const du: Point = [a[0] - o[0], a[1] - o[1]];
      const dv: Point = [b[0] - o[0], b[1] - o[1]];
      const det = du[0] * dv[1] - dv[0] * du[1];
      // Rows of the Jacobian's inverse: a grating of f cycles per module has the wave vector
      // fu * gu + fv * gv in cycles per pixel.
      const gu: Point = [dv[1] / det, -dv[0] / det];
      const gv: Point = [-du[1] / det, du[0] / det];
      for (let i = 0; i < FREQUENCIES; i++) {
        for (let j = 0; j < FREQUENCIES; j++) {
          const fu = (i + 0.5) / FREQUENCIES - 0.5;
          const fv = (j + 0.5) / FREQUENCIES - 0.5;
          let h = 0;
          for (let au = -ALIASES; au <= ALIASES; au++) {
            for (let av = -ALIASES; av <= ALIASES; av++) {
              const u = fu + au;
              const v = fv + av;
              const k: Point = [u * gu[0] + v * gv[0], u * gu[1] + v * gv[1]];
              h +=
                sinc(u) *
                sinc(v) *
                transfer(k, code.blur.lensRadius, motion) *
                boxMean(box, k[0]) *
                boxMean(box, k[1]);
            }
          }
          gain[i * FREQUENCIES + j] = h * h;
        }
      }
      for (let y = ty; y < Math.min(ty + TILE, n); y++) {
        for (let x = tx; x < Math.min(tx + TILE, n); x++) {
          const [cx, cy] = at(x, y);
          if (code.covered?.(cx, cy)) {
            wrong[y * n + x] = 0.5;
            continue;
          }
          const { dark, light } = code.levels(cx, cy);
          const sigma = Math.sqrt(code.noise(cx, cy) ** 2 + 1 / 12) / box;
          const snr = ((light - dark) / 2 / sigma) ** 2;
          let mse = 0;
          for (const g of gain) mse += 1 / (1 + snr * g);
          wrong[y * n + x] = normalTail(Math.sqrt(Math.max(0, gain.length / mse - 1)));
        }
      }
    }
  }
  return wrong;
}

/**
 * How much of a grating with wave vector `k` (cycles per pixel) survives the blurs (signed). The
 * motion blur is the mean over whole-pixel offsets along the way (`motionOffsets`; symmetric, so the
 * response is real).
 */
function transfer([kx, ky]: Point, lensRadius: number, motion: Point[]): number {
  const b = 2 * lensRadius + 1;
  // Lens: two box passes of b pixels each way; pixel: the 2x2 sub-samples half a pixel apart.
  let t =
    boxMean(b, kx) ** 2 * boxMean(b, ky) ** 2 * Math.cos((Math.PI * kx) / 2) * Math.cos((Math.PI * ky) / 2);
  if (motion.length > 1) {
    let m = 0;
    for (const [dx, dy] of motion) m += Math.cos(2 * Math.PI * (kx * dx + ky * dy));
    t *= m / motion.length;
  }
  return t;
}

/** The response of the mean of `n` samples one pixel apart to a grating of `k` cycles per pixel. */
function boxMean(n: number, k: number): number {
  const s = Math.sin(Math.PI * k);
  return Math.abs(s) < 1e-9 ? 1 : Math.sin(Math.PI * n * k) / (n * s);
}

/** The response of a module's square footprint (one module wide) to f cycles per module. */
function sinc(f: number): number {
  return f === 0 ? 1 : Math.sin(Math.PI * f) / (Math.PI * f);
}

/**
 * The chance that every block has at most as many wrong codewords as it corrects, the modules' errors
 * independent (the noise is drawn pixel by pixel).
 */
export function chanceDecodable(
  moduleWrong: Float64Array,
  layout: ReturnType<typeof codewordLayout>,
): number {
  const right = new Float64Array(layout.codewordBlock.length).fill(1);
  for (let i = 0; i < moduleWrong.length; i++) {
    const word = layout.moduleCodeword[i]!;
    if (word >= 0) right[word]! *= 1 - moduleWrong[i]!;
  }
  let all = 1;
  for (const [b, t] of layout.corrections.entries()) {
    // The distribution of the block's number of wrong codewords, up to t (more is a lost block).
    let dist = new Float64Array(t + 1);
    dist[0] = 1;
    for (let word = 0; word < right.length; word++) {
      if (layout.codewordBlock[word] !== b) continue;
      const ok = right[word]!;
      const next = new Float64Array(t + 1);
      for (let e = 0; e <= t; e++) {
        next[e]! += dist[e]! * ok;
        if (e < t) next[e + 1]! += dist[e]! * (1 - ok);
      }
      dist = next;
    }
    all *= dist.reduce((a, c) => a + c, 0);
  }
  return all;
}

/** The chance that a standard normal variable exceeds z: Q(z) = Phi(-z). */
export function normalTail(z: number): number {
  // erfc by Chebyshev fitting (Numerical Recipes' erfcc): fractional error under 1.2e-7.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}
