/**
 * The pixel work of the camera decoder (decode.ts): the green channel at half size or of a region, where
 * the code is in a frame, and the filters its passes apply (a 3x3 mean, an unsharp mask). Plain loops over
 * typed arrays into buffers the caller keeps, so a frame allocates nothing.
 */

/** A rectangle of the frame, in pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
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
