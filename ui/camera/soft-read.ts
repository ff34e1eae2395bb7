/**
 * A QR reader of our own for a code whose place in the picture is known (its four corners and version,
 * `Located`), that keeps how sure it is of every module instead of deciding each one on its own:
 *
 * 0. the corners are first moved to where the fixed patterns fit best (`refine.ts`): a locator's
 *    bottom-right corner is often modules off;
 * 1. each module (and a ring of quiet zone around the symbol) is sampled by the mean of four bilinear
 *    samples about its centre, and put on a common scale against the modules around it (the mean and
 *    the mean deviation of a 9x9-module window: the local levels under glare, moiré bands, a dim screen);
 * 2. a linear equaliser on the module grid (`EQUALISER_REACH` modules each way) is fitted by least
 *    squares to the modules whose value the version fixes (finders, separators, timing, alignment
 *    patterns, version information, the quiet zone): it learns this frame's blur, the leak of each
 *    module into the next whatever its shape (lens, motion in any direction) and any small shift of the
 *    geometry, and undoes it; its output is a soft value per module, dark above zero;
 * 3. the format information is the valid word of the 32 nearest to both copies (by correlation with the
 *    soft values), the data modules are unmasked and read in placement order, 8 to a codeword, each
 *    codeword with the chance that one of its bits is wrong;
 * 4. every Reed-Solomon block is decoded with errors and erasures (`reed-solomon.ts`), the least reliable
 *    codewords erased, 0 to as many erasures as the block's check codewords allow;
 * 5. when some blocks decoded and some did not, the decoded ones' modules are known too: the equaliser is
 *    fitted again on all the modules known and the remaining blocks decoded again;
 * 6. the data codewords are parsed into text (`parseSegments`).
 *
 * A block is taken only when the correction leaves every syndrome zero and when the chance that a word
 * beyond repair would decode to some codeword with as many errors and erasures is at most
 * `MISCORRECTION_LIMIT` (`acceptable` in reed-solomon.ts): the check codewords not spent on the correction are what
 * keeps a false read out, and the more erasures, the fewer are left.
 */

import {
  blockIndices,
  blockShapes,
  FORMATS,
  type Format,
  formatPositions,
  maskFlips,
  parseSegments,
  type SymbolLayout,
  symbolLayout,
} from './qr-spec.ts';
import { decodeSoft } from './reed-solomon.ts';
import { bilinear, refineCorners } from './refine.ts';
import { type Located, quadMatrix } from './regrid.ts';

/** Modules of quiet zone sampled around the symbol (the phone codes have 2, printed ones 4). */
const MARGIN = 3;
/** Of which the ones taken as known light when fitting the equaliser. */
const QUIET_KNOWN = 2;
/** How far the equaliser reaches, in modules each way (5x5). */
export const EQUALISER_REACH = 2;
/** The half-width of the local window the levels are taken over, in modules (9x9). */
const LEVEL_REACH = 4;
/** Decoding rounds: the first, then again with the equaliser fitted on the decoded blocks too. */
const ROUNDS = 3;
/** The equaliser is fitted on at most about this many known modules (evenly spread). */
const FIT_MODULES = 1200;

/**
 * Reads the located code, or undefined when it cannot be read for certain. `gray` is any grey picture,
 * `w` x `h`, one value per pixel row by row (pixel i covers [i, i + 1), as zxing's positions have it);
 * `at` gives the symbol's four outer corners in that picture (the module grid's corners, quiet zone
 * apart; the top-left one at the finder's corner), its version and whether it is light on dark. The
 * corners may be a few modules off: they are refined first. Any locator can feed it (zxing's located
 * but uncorrected codes in `decode.ts`); a picture unsharpened reads best, as the equaliser sharpens.
 */
export function softRead(gray: ArrayLike<number>, w: number, h: number, at: Located): string | undefined {
  if (!Number.isInteger(at.version) || at.version < 1 || at.version > 40) return undefined;
  const corners = [at.topLeft, at.topRight, at.bottomRight, at.bottomLeft];
  if (!corners.every((c) => Number.isFinite(c.x) && Number.isFinite(c.y))) return undefined;
  const layout = symbolLayout(at.version);
  const fixed = fixedModules(layout, layout.size + 2 * MARGIN);
  const placed = refineCorners(gray, w, h, at, knownList(fixed, layout.size + 2 * MARGIN));
  const grid = new ModuleGrid(
    layout,
    sampleModules(gray, w, h, placed, MARGIN),
    placed.inverted === true,
    fixed,
  );
  const soft = grid.equalise();
  if (!soft) return undefined;
  const [best, second] = rankFormats(soft, layout.size, grid);
  const first = readWithFormat(grid, soft, best!);
  // A misread format decodes no block at all: only then is the next nearest format worth a try.
  if (first !== 'no block') return first;
  return orUndefined(readWithFormat(grid, soft, second!));
}

/** The symbol's codewords decoded with one format: the blocks in rounds, then the text. */
function readWithFormat(
  grid: ModuleGrid,
  first: Float64Array,
  format: Format,
): string | undefined | 'no block' {
  const layout = grid.layout;
  const shapes = blockShapes(layout.version, format.level);
  const indices = blockIndices(shapes);
  const decoded: (Uint8Array | undefined)[] = shapes.map(() => undefined);
  let soft: Float64Array | undefined = first;
  for (let round = 0; round < ROUNDS && soft; round++) {
    const { words, unreliable } = readCodewords(layout, soft, format.mask, grid);
    let progress = false;
    for (const [b, idx] of indices.entries()) {
      if (decoded[b]) continue;
      const block = Uint8Array.from(idx, (i) => words[i]!);
      const fixed = decodeSoft(
        block,
        shapes[b]!.checks,
        idx.map((i) => unreliable[i]!),
      );
      if (!fixed) continue;
      decoded[b] = fixed;
      progress = true;
      grid.learnCodewords(layout, idx, fixed, format.mask);
    }
    if (decoded.every(Boolean)) {
      const data = new Uint8Array(shapes.reduce((sum, s) => sum + s.data, 0));
      let at = 0;
      for (const [b, s] of shapes.entries()) {
        data.set(decoded[b]!.subarray(0, s.data), at);
        at += s.data;
      }
      return parseSegments(data, layout.version);
    }
    if (!decoded.some(Boolean)) return 'no block';
    if (!progress) return undefined;
    soft = grid.equalise();
  }
  return undefined;
}

function orUndefined(read: string | undefined | 'no block'): string | undefined {
  return read === 'no block' ? undefined : read;
}

/**
 * The data codewords in placement order, and for each the chance that at least one of its bits was
 * decided wrong (the sum of its bits' chances, each from the soft value against the equaliser's error).
 */
function readCodewords(
  layout: SymbolLayout,
  soft: Float64Array,
  mask: number,
  grid: ModuleGrid,
): { words: Uint8Array; unreliable: Float64Array } {
  const words = new Uint8Array(layout.codewords);
  const unreliable = new Float64Array(layout.codewords);
  const n = layout.size;
  const scale = 2 / Math.max(1e-6, grid.errorVariance);
  for (let c = 0; c < layout.codewords; c++) {
    let word = 0;
    let doubt = 0;
    for (let b = 0; b < 8; b++) {
      const i = layout.order[c * 8 + b]!;
      const v = soft[grid.index(Math.floor(i / n), i % n)]!;
      const dark = v > 0;
      word = (word << 1) | (dark !== maskFlips(mask, Math.floor(i / n), i % n) ? 1 : 0);
      doubt += 1 / (1 + Math.exp(Math.abs(v) * scale));
    }
    words[c] = word;
    unreliable[c] = doubt;
  }
  return { words, unreliable };
}

/** The formats by how well both copies of the format information agree with them, best first. */
function rankFormats(soft: Float64Array, n: number, grid: ModuleGrid): Format[] {
  const copies = formatPositions(n);
  const score = (f: Format) => {
    let s = 0;
    for (const copy of copies) {
      for (const [k, [r, c]] of copy.entries())
        s += soft[grid.index(r, c)]! * ((f.bits >> (14 - k)) & 1 ? 1 : -1);
    }
    return s;
  };
  return FORMATS.map((f) => ({ f, s: score(f) }))
    .sort((a, b) => b.s - a.s)
    .map((x) => x.f);
}

/**
 * Samples every module of the located symbol and `margin` modules around it: the mean of four bilinear
 * samples a fifth of a module each way from its centre. Returns (n + 2 margin)^2 values, row by row.
 */
export function sampleModules(
  gray: ArrayLike<number>,
  w: number,
  h: number,
  at: Located,
  margin: number,
): Float64Array {
  const n = 17 + 4 * at.version;
  const side = n + 2 * margin;
  const [a, b, c, d, e, f, g, k] = quadMatrix(at, n) as unknown as number[];
  const out = new Float64Array(side * side);
  for (let row = 0; row < side; row++) {
    for (let col = 0; col < side; col++) {
      let sum = 0;
      for (let s = 0; s < 4; s++) {
        const u = col - margin + 0.5 + (s & 1 ? SPREAD : -SPREAD);
        const v = row - margin + 0.5 + (s & 2 ? SPREAD : -SPREAD);
        const q = g! * u + k! * v + 1;
        // Pixel i covers [i, i + 1): its value is at i + 0.5.
        const fx = Math.min(w - 1.001, Math.max(0, (a! * u + b! * v + c!) / q - 0.5));
        const fy = Math.min(h - 1.001, Math.max(0, (d! * u + e! * v + f!) / q - 0.5));
        sum += bilinear(gray, w, fx, fy);
      }
      out[row * side + col] = sum / 4;
    }
  }
  return out;
}

/** The four samples of a module are this far from its centre each way, in modules. */
const SPREAD = 0.2;
/**
 * The sampled modules on a common scale, what is known of them, and the equaliser fitted to that.
 * Indices are of the sampled grid (the symbol and its margin); `index(row, col)` takes the symbol's.
 */
class ModuleGrid {
  readonly side: number;
  /** Each module's sample against its neighbourhood's level and spread, dark positive. */
  readonly z: Float64Array;
  /** 1 dark, 0 light, -1 not known. */
  readonly known: Int8Array;
  /** Known by the version alone (the rest is learned from decoded blocks and can be forgotten). */
  private readonly fixed: Int8Array;
  /** The equaliser's inputs: per offset (and its opposite), the sum of the samples there, per module. */
  private readonly planes: Float64Array;
  /** The equaliser's mean squared error on the known modules (targets at +-1). */
  errorVariance = 1;

  constructor(
    readonly layout: SymbolLayout,
    samples: Float64Array,
    inverted: boolean,
    fixed: Int8Array,
  ) {
    this.side = layout.size + 2 * MARGIN;
    this.z = normalise(samples, this.side, inverted);
    this.planes = equaliserInputs(this.z, this.side);
    this.fixed = fixed;
    this.known = this.fixed.slice();
  }

  index(row: number, col: number): number {
    return (row + MARGIN) * this.side + col + MARGIN;
  }

  /** Takes a decoded block's codewords as known modules (masked back to what the symbol shows). */
  learnCodewords(layout: SymbolLayout, idx: number[], block: Uint8Array, mask: number): void {
    const n = layout.size;
    for (const [k, c] of idx.entries()) {
      for (let b = 0; b < 8; b++) {
        const i = layout.order[c * 8 + b]!;
        const row = Math.floor(i / n);
        const col = i % n;
        const bit = ((block[k]! >> (7 - b)) & 1) === 1;
        this.known[this.index(row, col)] = bit !== maskFlips(mask, row, col) ? 1 : 0;
      }
    }
  }

  /**
   * Fits the equaliser to the known modules by least squares (a weight per offset within the reach, and
   * a constant) and applies it to every module: the soft values, dark above zero. Undefined when the
   * fit is singular (a picture without a code there).
   */
  equalise(): Float64Array | undefined {
    const { side, known } = this;
    const cells = side * side;
    const taps = this.planes.length / cells + 1;
    const planes = this.planes;
    const normal = new Float64Array(taps * taps);
    const rhs = new Float64Array(taps);
    const x = new Float64Array(taps);
    x[taps - 1] = 1;
    let all = 0;
    for (let i = 0; i < cells; i++) if (known[i]! >= 0) all += 1;
    const every = Math.max(1, Math.round(all / FIT_MODULES));
    let count = 0;
    let seen = 0;
    for (let cell = 0; cell < cells; cell++) {
      const t = known[cell]!;
      if (t < 0 || seen++ % every !== 0) continue;
      for (let k = 0; k < taps - 1; k++) x[k] = planes[k * cells + cell]!;
      const target = t ? 1 : -1;
      for (let i = 0; i < taps; i++) {
        const xi = x[i]!;
        rhs[i] = rhs[i]! + xi * target;
        const row = i * taps;
        for (let j = i; j < taps; j++) normal[row + j] = normal[row + j]! + xi * x[j]!;
      }
      count += 1;
    }
    for (let i = 0; i < taps; i++) for (let j = 0; j < i; j++) normal[i * taps + j] = normal[j * taps + i]!;
    // A little ridge keeps a fit with few known modules from chasing noise.
    for (let i = 0; i < taps; i++) normal[i * taps + i] = normal[i * taps + i]! + 1e-3 * count;
    const weights = solve(normal, rhs, taps);
    if (!weights) return undefined;
    const out = new Float64Array(cells).fill(weights[taps - 1]!);
    for (let k = 0; k < taps - 1; k++) {
      const wk = weights[k]!;
      const from = k * cells;
      for (let cell = 0; cell < cells; cell++) out[cell] = out[cell]! + wk * planes[from + cell]!;
    }
    let err = 0;
    for (let cell = 0; cell < cells; cell++) {
      const t = known[cell]!;
      if (t >= 0) err += (out[cell]! - (t ? 1 : -1)) ** 2;
    }
    this.errorVariance = err / Math.max(1, all);
    return out;
  }
}

/**
 * What the equaliser weighs, for every module: its own sample, and for each offset within
 * `EQUALISER_REACH` the sum of the samples at that offset and its opposite (one weight for both: a blur,
 * lens or motion, is symmetric about the module), zero past the sampled grid. One plane per offset.
 */
function equaliserInputs(z: Float64Array, side: number): Float64Array {
  const reach = EQUALISER_REACH;
  const offsets: [number, number][] = [];
  for (let dr = 0; dr <= reach; dr++) {
    for (let dc = -reach; dc <= reach; dc++) if (dr > 0 || dc >= 0) offsets.push([dr, dc]);
  }
  const cells = side * side;
  const padded = side + 2 * reach;
  const zp = new Float64Array(padded * padded);
  for (let r = 0; r < side; r++) zp.set(z.subarray(r * side, (r + 1) * side), (r + reach) * padded + reach);
  const planes = new Float64Array(offsets.length * cells);
  for (const [k, [dr, dc]] of offsets.entries()) {
    const o = dr * padded + dc;
    for (let r = 0; r < side; r++) {
      const to = k * cells + r * side;
      const from = (r + reach) * padded + reach;
      for (let c = 0; c < side; c++)
        planes[to + c] = o === 0 ? zp[from + c]! : zp[from + c + o]! + zp[from + c - o]!;
    }
  }
  return planes;
}

/**
 * The samples against the mean of the modules around them (a 9x9 window), over the mean absolute
 * deviation there, so that glare, moiré bands and a dim screen leave every part of the code on one
 * scale; dark modules positive.
 */
function normalise(samples: Float64Array, side: number, inverted: boolean): Float64Array {
  const mean = windowMean(samples, side);
  const deviation = windowMean(
    samples.map((v, i) => Math.abs(v - mean[i]!)),
    side,
  );
  const sign = inverted ? 1 : -1;
  return samples.map((v, i) => (sign * (v - mean[i]!)) / Math.max(1, deviation[i]!));
}

/** The mean over the (2 LEVEL_REACH + 1)^2 window around each cell, clipped at the edges. */
function windowMean(values: Float64Array, side: number): Float64Array {
  const s = side + 1;
  const integral = new Float64Array(s * s);
  for (let y = 0; y < side; y++) {
    let row = 0;
    for (let x = 0; x < side; x++) {
      row += values[y * side + x]!;
      integral[(y + 1) * s + x + 1] = integral[y * s + x + 1]! + row;
    }
  }
  const out = new Float64Array(side * side);
  for (let y = 0; y < side; y++) {
    const y0 = Math.max(0, y - LEVEL_REACH);
    const y1 = Math.min(side, y + LEVEL_REACH + 1);
    for (let x = 0; x < side; x++) {
      const x0 = Math.max(0, x - LEVEL_REACH);
      const x1 = Math.min(side, x + LEVEL_REACH + 1);
      const sum =
        integral[y1 * s + x1]! - integral[y0 * s + x1]! - integral[y1 * s + x0]! + integral[y0 * s + x0]!;
      out[y * side + x] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

/**
 * The modules the version fixes (1 dark, 0 light, -1 not known), on the sampled grid: the symbol's fixed
 * patterns (`SymbolLayout.fixed`) and the first `QUIET_KNOWN` rings of the quiet zone.
 */
function fixedModules(layout: SymbolLayout, side: number): Int8Array {
  const n = layout.size;
  const out = new Int8Array(side * side).fill(-1);
  for (let r = -QUIET_KNOWN; r < n + QUIET_KNOWN; r++) {
    for (let c = -QUIET_KNOWN; c < n + QUIET_KNOWN; c++) {
      const inside = r >= 0 && c >= 0 && r < n && c < n;
      out[(r + MARGIN) * side + c + MARGIN] = inside ? layout.fixed[r * n + c]! : 0;
    }
  }
  return out;
}

/**
 * The known modules of the symbol (not of the quiet zone: with a blur, the light quiet zone next to a
 * finder pulls the corners outwards) as (row, col, dark) triples.
 */
function knownList(fixed: Int8Array, side: number): Int32Array {
  const out: number[] = [];
  for (let r = MARGIN; r < side - MARGIN; r++) {
    for (let c = MARGIN; c < side - MARGIN; c++) {
      const t = fixed[r * side + c]!;
      if (t >= 0) out.push(r - MARGIN, c - MARGIN, t);
    }
  }
  return Int32Array.from(out);
}

/** Solves the symmetric system a x = b (size m) by Gaussian elimination with pivoting. */
function solve(a: Float64Array, b: Float64Array, m: number): Float64Array | undefined {
  const q = a.slice();
  const x = b.slice();
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++)
      if (Math.abs(q[r * m + col]!) > Math.abs(q[pivot * m + col]!)) pivot = r;
    if (Math.abs(q[pivot * m + col]!) < 1e-12) return undefined;
    if (pivot !== col) {
      for (let k = 0; k < m; k++) {
        const t = q[col * m + k]!;
        q[col * m + k] = q[pivot * m + k]!;
        q[pivot * m + k] = t;
      }
      const t = x[col]!;
      x[col] = x[pivot]!;
      x[pivot] = t;
    }
    for (let r = col + 1; r < m; r++) {
      const f = q[r * m + col]! / q[col * m + col]!;
      if (f === 0) continue;
      for (let k = col; k < m; k++) q[r * m + k] = q[r * m + k]! - f * q[col * m + k]!;
      x[r] = x[r]! - f * x[col]!;
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let k = r + 1; k < m; k++) s -= q[r * m + k]! * x[k]!;
    x[r] = s / q[r * m + r]!;
  }
  return x;
}
