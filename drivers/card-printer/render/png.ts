import { crc32, deflateSync } from 'node:zlib';

/** Fast deflate: the preview is made per applicant while they wait; size matters less than time. */
const DEFLATE_LEVEL = 1;
const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes RGBA pixels as an 8-bit RGB PNG (alpha dropped: a card is opaque). Each row uses the
 * `Sub` filter, which suits the smooth gradients of card art. A few times faster than the canvas
 * encoder at its default compression.
 */
export function encodeRgbPng(rgba: Uint8ClampedArray, width: number, height: number): Uint8Array {
  const stride = width * 3 + 1;
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    raw[row] = 1;
    let src = y * width * 4;
    let pr = 0;
    let pg = 0;
    let pb = 0;
    for (let x = 0, o = row + 1; x < width; x++, o += 3, src += 4) {
      const r = rgba[src]!;
      const g = rgba[src + 1]!;
      const b = rgba[src + 2]!;
      raw[o] = (r - pr) & 0xff;
      raw[o + 1] = (g - pg) & 0xff;
      raw[o + 2] = (b - pb) & 0xff;
      pr = r;
      pg = g;
      pb = b;
    }
  }
  return rgbPngFromFilteredRows(raw, width, height);
}

/**
 * A PNG (8-bit RGB) from rows already filtered: each row its filter type byte and `width * 3` bytes.
 * For callers that produce the rows in the same pass as the pixels (`composePng`).
 */
export function rgbPngFromFilteredRows(raw: Uint8Array, width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const idat = deflateSync(raw, { level: DEFLATE_LEVEL });
  const parts = [SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
