/**
 * The parts of a QR code (ISO/IEC 18004) a reader needs once it has each module's value: which modules
 * are function patterns, the order the data modules carry the codewords in, the masks, the format
 * information, the blocks of every version and level, and the data segments the codewords spell.
 */

export type EcLevel = 'L' | 'M' | 'Q' | 'H';

/** The order of the levels in the tables below, and their two format bits (L 01, M 00, Q 11, H 10). */
const LEVELS: EcLevel[] = ['L', 'M', 'Q', 'H'];
const LEVEL_BITS: Record<EcLevel, number> = { L: 1, M: 0, Q: 3, H: 2 };

/** Error-correction blocks per version (rows, 1 to 40) and level (L, M, Q, H): ISO/IEC 18004 table 9. */
// biome-ignore format: a row per version, as the standard's table has it
const BLOCKS = [
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 2, 2, 4, 1, 2, 4, 4, 2, 4, 4, 4, 2, 4, 6, 5, 2, 4, 6, 6,
  2, 5, 8, 8, 4, 5, 8, 8, 4, 5, 8, 11, 4, 8, 10, 11, 4, 9, 12, 16, 4, 9, 16, 16, 6, 10, 12, 18,
  6, 10, 17, 16, 6, 11, 16, 19, 6, 13, 18, 21, 7, 14, 21, 25, 8, 16, 20, 25, 8, 17, 23, 25,
  9, 17, 23, 34, 9, 18, 25, 30, 10, 20, 27, 32, 12, 21, 29, 35, 12, 23, 34, 37, 12, 25, 34, 40,
  13, 26, 35, 42, 14, 28, 38, 45, 15, 29, 40, 48, 16, 31, 43, 51, 17, 33, 45, 54, 18, 35, 48, 57,
  19, 37, 51, 60, 19, 38, 53, 63, 20, 40, 56, 66, 21, 43, 59, 70, 22, 45, 62, 74, 24, 47, 65, 77,
  25, 49, 68, 81,
];

/** Error-correction codewords of the whole symbol per version and level (the same table). */
// biome-ignore format: as above
const CHECKS = [
  7, 10, 13, 17, 10, 16, 22, 28, 15, 26, 36, 44, 20, 36, 52, 64, 26, 48, 72, 88, 36, 64, 96, 112,
  40, 72, 108, 130, 48, 88, 132, 156, 60, 110, 160, 192, 72, 130, 192, 224, 80, 150, 224, 264,
  96, 176, 260, 308, 104, 198, 288, 352, 120, 216, 320, 384, 132, 240, 360, 432, 144, 280, 408, 480,
  168, 308, 448, 532, 180, 338, 504, 588, 196, 364, 546, 650, 224, 416, 600, 700, 224, 442, 644, 750,
  252, 476, 690, 816, 270, 504, 750, 900, 300, 560, 810, 960, 312, 588, 870, 1050, 336, 644, 952, 1110,
  360, 700, 1020, 1200, 390, 728, 1050, 1260, 420, 784, 1140, 1350, 450, 812, 1200, 1440,
  480, 868, 1290, 1530, 510, 924, 1350, 1620, 540, 980, 1440, 1710, 570, 1036, 1530, 1800,
  570, 1064, 1590, 1890, 600, 1120, 1680, 1980, 630, 1204, 1770, 2100, 660, 1260, 1860, 2220,
  720, 1316, 1950, 2310, 750, 1372, 2040, 2430,
];

/** One version's layout: its fixed modules, and where its data modules are, in codeword order. */
export interface SymbolLayout {
  version: number;
  /** Modules a side. */
  size: number;
  /**
   * The modules every code of the version has whatever it says (row * size + col): 1 dark, 0 light,
   * -1 not fixed (data, and the format information, which depends on the mask).
   */
  fixed: Int8Array;
  /** The data modules (row * size + col), in the order their bits are read, 8 to a codeword. */
  order: Int32Array;
  /** Codewords in the symbol. */
  codewords: number;
}

const layouts = new Map<number, SymbolLayout>();

/** The layout of a version (1 to 40), made once. */
export function symbolLayout(version: number): SymbolLayout {
  const cached = layouts.get(version);
  if (cached) return cached;
  const n = 17 + 4 * version;
  const fixed = fixedPatterns(version);
  const reserved = Uint8Array.from(fixed, (v) => (v >= 0 ? 1 : 0));
  for (const copy of formatPositions(n)) for (const [r, c] of copy) reserved[r * n + c] = 1;
  const order: number[] = [];
  let up = true;
  for (let col = n - 1; col > 0; col -= 2) {
    if (col === 6) col -= 1;
    for (let k = 0; k < n; k++) {
      const row = up ? n - 1 - k : k;
      for (let dc = 0; dc < 2; dc++) {
        const i = row * n + col - dc;
        if (!reserved[i]) order.push(i);
      }
    }
    up = !up;
  }
  const codewords = Math.floor(order.length / 8);
  const layout = {
    version,
    size: n,
    fixed,
    order: Int32Array.from(order.slice(0, codewords * 8)),
    codewords,
  };
  layouts.set(version, layout);
  return layout;
}

/**
 * The patterns every code of the version has (ISO/IEC 18004 6.3): the three finders with their
 * separators, the timing patterns, the alignment patterns, the dark module and, from version 7, the
 * version information; 1 dark, 0 light, -1 elsewhere.
 */
function fixedPatterns(version: number): Int8Array {
  const n = 17 + 4 * version;
  const out = new Int8Array(n * n).fill(-1);
  const set = (row: number, col: number, d: boolean) => {
    if (row >= 0 && col >= 0 && row < n && col < n) out[row * n + col] = d ? 1 : 0;
  };
  for (const [fr, fc] of [
    [0, 0],
    [0, n - 7],
    [n - 7, 0],
  ] as const) {
    for (let r = -1; r <= 7; r++) {
      for (let c = -1; c <= 7; c++) {
        const ring = r >= 0 && r <= 6 && c >= 0 && c <= 6 && (r === 0 || r === 6 || c === 0 || c === 6);
        set(fr + r, fc + c, ring || (r >= 2 && r <= 4 && c >= 2 && c <= 4));
      }
    }
  }
  for (let i = 8; i < n - 8; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  const centres = alignmentCentres(version);
  for (const r of centres) {
    for (const c of centres) {
      // Not where a finder is.
      if ((r === 6 && c === 6) || (r === 6 && c === n - 7) || (r === n - 7 && c === 6)) continue;
      for (let dr = -2; dr <= 2; dr++) {
        for (let dc = -2; dc <= 2; dc++) set(r + dr, c + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
      }
    }
  }
  set(n - 8, 8, true);
  if (version >= 7) {
    const bits = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const d = ((bits >> i) & 1) === 1;
      set(Math.floor(i / 3), (i % 3) + n - 11, d);
      set((i % 3) + n - 11, Math.floor(i / 3), d);
    }
  }
  return out;
}

/** The rows (and columns) of the alignment patterns' centres (ISO/IEC 18004 annex E). */
export function alignmentCentres(version: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const size = 17 + 4 * version;
  const step = size === 145 ? 26 : Math.ceil((size - 13) / (2 * count - 2)) * 2;
  const centres = [size - 7];
  for (let i = 1; i < count - 1; i++) centres.push(centres[i - 1]! - step);
  centres.push(6);
  return centres.reverse();
}

/** The 18 bits of version information: the version and its BCH (18,6) remainder (annex D). */
export function versionBits(version: number): number {
  const generator = 0x1f25;
  let rem = version << 12;
  for (let bit = 17; bit >= 12; bit--) if ((rem >> bit) & 1) rem ^= generator << (bit - 12);
  return (version << 12) | rem;
}

/** Whether the data mask `mask` (0 to 7) flips the module at (row, col). */
export function maskFlips(mask: number, row: number, col: number): boolean {
  switch (mask) {
    case 0:
      return (row + col) % 2 === 0;
    case 1:
      return row % 2 === 0;
    case 2:
      return col % 3 === 0;
    case 3:
      return (row + col) % 3 === 0;
    case 4:
      return (Math.floor(row / 2) + Math.floor(col / 3)) % 2 === 0;
    case 5:
      return ((row * col) % 2) + ((row * col) % 3) === 0;
    case 6:
      return (((row * col) % 2) + ((row * col) % 3)) % 2 === 0;
    default:
      return (((row + col) % 2) + ((row * col) % 3)) % 2 === 0;
  }
}

/** A format the 15 format bits can say: the level and the mask, and the bits that say it (masked). */
export interface Format {
  level: EcLevel;
  mask: number;
  bits: number;
}

/** The 32 valid format words: 5 data bits, their BCH (15,5) remainder, XORed with 0x5412 (annex C). */
export const FORMATS: Format[] = LEVELS.flatMap((level) =>
  Array.from({ length: 8 }, (_, mask) => {
    const data = (LEVEL_BITS[level] << 3) | mask;
    let rem = data << 10;
    for (let bit = 14; bit >= 10; bit--) if ((rem >> bit) & 1) rem ^= 0x537 << (bit - 10);
    return { level, mask, bits: ((data << 10) | rem) ^ 0x5412 };
  }),
);

/**
 * Where the two copies of the format information are, as [row, col] of bit 14 (the first) down to
 * bit 0: around the top-left finder, and split between the bottom-left and the top-right ones.
 */
export function formatPositions(n: number): [number, number][][] {
  const first: [number, number][] = [];
  for (let c = 0; c <= 5; c++) first.push([8, c]);
  first.push([8, 7], [8, 8], [7, 8]);
  for (let r = 5; r >= 0; r--) first.push([r, 8]);
  const second: [number, number][] = [];
  for (let r = n - 1; r >= n - 7; r--) second.push([r, 8]);
  for (let c = n - 8; c < n; c++) second.push([8, c]);
  return [first, second];
}

/** One Reed-Solomon block: its data and check codeword counts. */
export interface BlockShape {
  data: number;
  checks: number;
}

/** The blocks of a version and level, shorter ones first, as their codewords are interleaved. */
export function blockShapes(version: number, level: EcLevel): BlockShape[] {
  const at = (version - 1) * 4 + LEVELS.indexOf(level);
  const count = BLOCKS[at]!;
  const checks = CHECKS[at]! / count;
  const total = symbolLayout(version).codewords;
  const longer = (total - checks * count) % count;
  const short = Math.floor((total - checks * count) / count);
  return Array.from({ length: count }, (_, i) => ({
    data: i < count - longer ? short : short + 1,
    checks,
  }));
}

/**
 * Splits the symbol's codewords (in reading order) into its blocks: the data codewords go round the
 * blocks one at a time (the longer blocks' last one after all the shorter blocks are full), then the
 * check codewords the same way. Returns, per block, the index in the symbol of each of its codewords.
 */
export function blockIndices(shapes: BlockShape[]): number[][] {
  const blocks = shapes.map(() => [] as number[]);
  let next = 0;
  const maxData = Math.max(...shapes.map((s) => s.data));
  for (let i = 0; i < maxData; i++) {
    for (const [b, s] of shapes.entries()) if (i < s.data) blocks[b]!.push(next++);
  }
  const checks = shapes[0]!.checks;
  for (let i = 0; i < checks; i++) for (const b of blocks) b.push(next++);
  return blocks;
}

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/**
 * The text the data codewords spell (numeric, alphanumeric and byte segments, with an ECI for UTF-8 or
 * ISO 8859-1), or undefined when they do not follow the standard to the letter: an unknown or
 * unsupported mode (Kanji, structured append, FNC1), a count that runs past the data, a digit group
 * out of range, or anything but zero bits and the pad codewords 0xEC 0x11 after the terminator.
 * Byte segments without an ECI are UTF-8 when they are valid UTF-8, else ISO 8859-1.
 */
export function parseSegments(data: Uint8Array, version: number): string | undefined {
  const total = data.length * 8;
  let pos = 0;
  const read = (bits: number): number => {
    let v = 0;
    for (let i = 0; i < bits; i++, pos++) v = (v << 1) | ((data[pos >> 3]! >> (7 - (pos & 7))) & 1);
    return v;
  };
  const sizeClass = version < 10 ? 0 : version < 27 ? 1 : 2;
  let text = '';
  let charset: 'utf-8' | 'latin1' | undefined;
  while (total - pos >= 4) {
    const mode = read(4);
    if (mode === 0) break;
    if (mode === 7) {
      const first = read(8);
      const eci =
        (first & 0x80) === 0
          ? first
          : (first & 0xc0) === 0x80
            ? ((first & 0x3f) << 8) | read(8)
            : (first & 0xe0) === 0xc0
              ? ((first & 0x1f) << 16) | read(16)
              : -1;
      if (eci === 26) charset = 'utf-8';
      else if (eci === 1 || eci === 3) charset = 'latin1';
      else return undefined;
      continue;
    }
    const countBits =
      mode === 1 ? [10, 12, 14][sizeClass]! : mode === 2 ? [9, 11, 13][sizeClass]! : [8, 16, 16][sizeClass]!;
    if (mode !== 1 && mode !== 2 && mode !== 4) return undefined;
    if (total - pos < countBits) return undefined;
    let count = read(countBits);
    if (mode === 1) {
      if (pos + Math.floor(count / 3) * 10 + [0, 4, 7][count % 3]! > total) return undefined;
      for (; count >= 3; count -= 3) {
        const v = read(10);
        if (v >= 1000) return undefined;
        text += String(v).padStart(3, '0');
      }
      if (count > 0) {
        const v = read(count === 2 ? 7 : 4);
        if (v >= (count === 2 ? 100 : 10)) return undefined;
        text += String(v).padStart(count, '0');
      }
    } else if (mode === 2) {
      if (pos + Math.floor(count / 2) * 11 + (count % 2) * 6 > total) return undefined;
      for (; count >= 2; count -= 2) {
        const v = read(11);
        if (v >= 45 * 45) return undefined;
        text += ALPHANUMERIC[Math.floor(v / 45)]! + ALPHANUMERIC[v % 45]!;
      }
      if (count > 0) {
        const v = read(6);
        if (v >= 45) return undefined;
        text += ALPHANUMERIC[v]!;
      }
    } else {
      if (pos + count * 8 > total) return undefined;
      const bytes = new Uint8Array(count);
      for (let i = 0; i < count; i++) bytes[i] = read(8);
      const decoded = decodeBytes(bytes, charset);
      if (decoded === undefined) return undefined;
      text += decoded;
    }
  }
  // Zero bits to the byte's end, then the pad codewords, alternately 0xEC and 0x11.
  const padFrom = (pos + 7) >> 3;
  if (pos < total && read(Math.min(total, padFrom * 8) - pos) !== 0) return undefined;
  for (let i = padFrom; i < data.length; i++)
    if (data[i] !== ((i - padFrom) % 2 ? 0x11 : 0xec)) return undefined;
  return text;
}

function decodeBytes(bytes: Uint8Array, charset: 'utf-8' | 'latin1' | undefined): string | undefined {
  if (charset !== 'latin1') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      if (charset === 'utf-8') return undefined;
    }
  }
  return String.fromCharCode(...bytes);
}
