import { CARD_HEIGHT_DOTS, CARD_WIDTH_DOTS, MONO_ROW_BYTES } from '../protocol.ts';
import type { CardPanels } from '../types.ts';
import { encodeRgbPng } from './png.ts';

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

/** The composed card as a PNG (1016 x 648): the confirm screen's preview and the simulator's output. */
export async function composePng(panels: CardPanels): Promise<Uint8Array> {
  return encodeRgbPng(composeRgba(panels), CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS);
}
