import { CARD_HEIGHT_DOTS, CARD_WIDTH_DOTS, MONO_ROW_BYTES, PANELS } from '../protocol.ts';
import type { CardPanels } from '../types.ts';

/** Alpha at or above which a text pixel becomes a resin dot: half coverage keeps strokes their weight. */
const RESIN_ALPHA_THRESHOLD = 128;

/**
 * Splits a colour layer (RGBA) into the dye panels: each of `c`, `m`, `y` is how much of its
 * primary to take away from white (c = 255 - R, m = 255 - G, y = 255 - B).
 */
export function dyePanels(rgba: Uint8ClampedArray): Pick<CardPanels, 'y' | 'm' | 'c'> {
  const n = CARD_WIDTH_DOTS * CARD_HEIGHT_DOTS;
  const y = new Uint8Array(n);
  const m = new Uint8Array(n);
  const c = new Uint8Array(n);
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    c[i] = 255 - rgba[o]!;
    m[i] = 255 - rgba[o + 1]!;
    y[i] = 255 - rgba[o + 2]!;
  }
  return { y, m, c };
}

/** Packs a layer's alpha into a 1-bit panel, MSB first, 1 = ink. */
export function monoPanel(rgba: Uint8ClampedArray): Uint8Array {
  const out = new Uint8Array(PANELS.k.bytes);
  for (let row = 0; row < CARD_HEIGHT_DOTS; row++) {
    const src = row * CARD_WIDTH_DOTS * 4;
    const dst = row * MONO_ROW_BYTES;
    for (let b = 0; b < MONO_ROW_BYTES; b++) {
      let byte = 0;
      const px = src + b * 32;
      for (let bit = 0; bit < 8; bit++) {
        if (rgba[px + bit * 4 + 3]! >= RESIN_ALPHA_THRESHOLD) byte |= 0x80 >> bit;
      }
      out[dst + b] = byte;
    }
  }
  return out;
}

/** A 1-bit panel with every dot set: the clear overlay over the whole card. */
export function fullOverlay(): Uint8Array {
  return new Uint8Array(PANELS.o.bytes).fill(0xff);
}

/** Whether dot (x, y) is set in a 1-bit panel. */
export function monoDot(panel: Uint8Array, x: number, y: number): boolean {
  return ((panel[y * MONO_ROW_BYTES + (x >> 3)]! >> (7 - (x & 7))) & 1) === 1;
}
