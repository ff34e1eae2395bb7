import { fileURLToPath } from 'node:url';
import { canvasModule } from './canvas.ts';
import { fontCodePoints } from './font-coverage.ts';

/** The fonts that ship with the project (DejaVu, Bitstream Vera licence), so cards render alike everywhere. */
const FONT_DIR = fileURLToPath(new URL('../../../config/fonts/', import.meta.url));

/** Family names the renderer uses; aliases so that no system font of the same name can stand in. */
export const CARD_FONT = 'ADM Card Sans';
export const CARD_FONT_BOLD = 'ADM Card Sans Bold';
export const CARD_FONT_MONO = 'ADM Card Mono';

let registered = false;

/** Registers the shipped fonts once per process. */
export function registerCardFonts(): void {
  if (registered) return;
  const pairs: [string, string][] = [
    ['DejaVuSans.ttf', CARD_FONT],
    ['DejaVuSans-Bold.ttf', CARD_FONT_BOLD],
    ['DejaVuSansMono.ttf', CARD_FONT_MONO],
  ];
  for (const [file, family] of pairs) {
    if (!canvasModule().GlobalFonts.registerFromPath(`${FONT_DIR}${file}`, family)) {
      throw new Error(`font ${file} missing from ${FONT_DIR}`);
    }
  }
  registered = true;
}

const coverage = new Map<boolean, ReadonlySet<number>>();

/** The code points the card's sans serif (regular or bold) can print; read once per process. */
export function cardFontCoverage(bold: boolean): ReadonlySet<number> {
  let set = coverage.get(bold);
  if (!set) {
    set = fontCodePoints(`${FONT_DIR}${bold ? 'DejaVuSans-Bold.ttf' : 'DejaVuSans.ttf'}`);
    coverage.set(bold, set);
  }
  return set;
}

/** A CSS font string for the card's sans serif. */
export function cardFont(size: number, bold: boolean): string {
  return `${size}px "${bold ? CARD_FONT_BOLD : CARD_FONT}"`;
}
