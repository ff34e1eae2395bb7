import { CARD_HEIGHT_DOTS, CARD_WIDTH_DOTS, MONO_ROW_BYTES } from '../protocol.ts';
import type { CardPanels } from '../types.ts';
import { rgbPngFromFilteredRows } from './png.ts';

/**
 * The card as it comes out of the printer, from its panels: dye `c`, `m`, `y` subtract from white,
 * resin `k` lays opaque black over them, the clear overlay `o` does not show. RGBA, row by row.
 */
export function composeRgba(panels: CardPanels): Uint8ClampedArray {
  const { y, m, c, k } = panels;
  const out = new Uint8ClampedArray(CARD_WIDTH_DOTS * CARD_HEIGHT_DOTS * 4);
  for (let row = 0; row < CARD_HEIGHT_DOTS; row++) {
    const rowStart = row * CARD_WIDTH_DOTS;
    const kRow = row * MONO_ROW_BYTES;
    for (let x = 0; x < CARD_WIDTH_DOTS; x++) {
      const i = rowStart + x;
      const o = i * 4;
      if ((k[kRow + (x >> 3)]! >> (7 - (x & 7))) & 1) {
        out[o] = 0;
        out[o + 1] = 0;
        out[o + 2] = 0;
      } else {
        out[o] = 255 - c[i]!;
        out[o + 1] = 255 - m[i]!;
        out[o + 2] = 255 - y[i]!;
      }
      out[o + 3] = 255;
    }
  }
  return out;
}

/**
 * The composed card as a PNG (1016 x 648): the confirm screen's preview and the simulator's output.
 * The same pixels as `composeRgba`, composed straight into PNG rows with the `Sub` filter in one pass
 * (no RGBA copy in between: the preview is made while the applicant waits).
 */
export async function composePng(panels: CardPanels): Promise<Uint8Array> {
  return composePngNow(panels);
}

const STRIDE = CARD_WIDTH_DOTS * 3 + 1;
let rows: Uint8Array | undefined;

/**
 * `composePng` in the calling turn of the event loop (for a value composed when it is first read). The
 * filtered rows (2 MB) go into one buffer kept for every card, which the deflate reads before this returns:
 * a new one per card was garbage the process then had to collect.
 */
export function composePngNow(panels: CardPanels): Uint8Array {
  const { y, m, c, k } = panels;
  const stride = STRIDE;
  rows ??= new Uint8Array(STRIDE * CARD_HEIGHT_DOTS);
  const raw = rows;
  for (let row = 0; row < CARD_HEIGHT_DOTS; row++) {
    let i = row * CARD_WIDTH_DOTS;
    const kRow = row * MONO_ROW_BYTES;
    let o = row * stride;
    raw[o++] = 1;
    // Sub filter on the composed colour: (255 - c) - (255 - cPrev) = cPrev - c. A resin dot is black,
    // which is what a dye of 255 gives; Uint8Array stores wrap modulo 256 as the filter wants.
    let pc = 255;
    let pm = 255;
    let py = 255;
    for (let xb = 0; xb < MONO_ROW_BYTES; xb++) {
      const ink = k[kRow + xb]!;
      for (let bit = 0x80; bit !== 0; bit >>= 1, i++, o += 3) {
        let dc = 255;
        let dm = 255;
        let dy = 255;
        if ((ink & bit) === 0) {
          dc = c[i]!;
          dm = m[i]!;
          dy = y[i]!;
        }
        raw[o] = pc - dc;
        raw[o + 1] = pm - dm;
        raw[o + 2] = py - dy;
        pc = dc;
        pm = dm;
        py = dy;
      }
    }
  }
  return rgbPngFromFilteredRows(raw, CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS);
}
