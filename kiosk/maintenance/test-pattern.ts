import type { CardPanels } from '../../drivers/card-printer/types.ts';

/** The card printer's bitmap (card-printer.md): 1016 x 648 dots, k and o panels one bit a dot. */
const CARD_W = 1016;
const CARD_H = 648;
const MONO_ROW_BYTES = CARD_W / 8;

/**
 * The card test pattern: vertical bands of yellow, magenta and cyan ramps (so a missing or weak dye
 * panel shows as a missing band), a black resin frame and grid (head lines and registration), a full
 * overlay panel.
 */
export function cardTestPattern(): CardPanels {
  const y = new Uint8Array(CARD_W * CARD_H);
  const m = new Uint8Array(CARD_W * CARD_H);
  const c = new Uint8Array(CARD_W * CARD_H);
  const band = Math.floor(CARD_W / 3);
  for (let row = 0; row < CARD_H; row++) {
    const level = Math.round((255 * row) / (CARD_H - 1));
    for (let col = 0; col < CARD_W; col++) {
      const i = row * CARD_W + col;
      if (col < band) y[i] = level;
      else if (col < 2 * band) m[i] = level;
      else c[i] = level;
    }
  }
  const k = new Uint8Array(MONO_ROW_BYTES * CARD_H);
  const setK = (x: number, yy: number) => {
    k[yy * MONO_ROW_BYTES + (x >> 3)]! |= 0x80 >> (x & 7);
  };
  for (let row = 0; row < CARD_H; row++) {
    for (let col = 0; col < CARD_W; col++) {
      const frame = row < 8 || row >= CARD_H - 8 || col < 8 || col >= CARD_W - 8;
      const grid = row % 81 === 0 || col % 127 === 0;
      if (frame || grid) setK(col, row);
    }
  }
  const o = new Uint8Array(MONO_ROW_BYTES * CARD_H).fill(0xff);
  return { y, m, c, k, o };
}

/** The A4 test page: one page with the kiosk id, the time, grey steps and a frame, no personal data. */
export async function a4TestPage(kioskId: string, now: number): Promise<Uint8Array> {
  // pdf-lib is loaded when a technician prints a test page, not at every start of the kiosk.
  const { PDFDocument, rgb, StandardFonts } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595.28, 841.89]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  page.drawRectangle({
    x: 20,
    y: 20,
    width: 555.28,
    height: 801.89,
    borderWidth: 2,
    borderColor: rgb(0, 0, 0),
  });
  page.drawText('ADM - halaman uji / test page', { x: 50, y: 770, size: 20, font });
  page.drawText(`Kiosk: ${kioskId}`, { x: 50, y: 740, size: 12, font });
  page.drawText(`Waktu / time: ${new Date(now).toISOString()}`, { x: 50, y: 722, size: 12, font });
  for (let i = 0; i < 10; i++) {
    const g = i / 9;
    page.drawRectangle({ x: 50 + i * 49, y: 600, width: 45, height: 80, color: rgb(g, g, g) });
  }
  return pdf.save();
}
