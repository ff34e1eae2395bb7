import { CARD_HEIGHT_DOTS, CARD_WIDTH_DOTS } from '../protocol.ts';
import type { RenderedCard } from '../types.ts';
import { canvasModule } from './canvas.ts';
import { composePng } from './compose.ts';
import { CARD_FONT_MONO, cardFont, registerCardFonts } from './fonts.ts';
import { dyePanels, fullOverlay, monoPanel } from './panels.ts';

/** Colour bars: white, the dye primaries, their mixes and a grey ramp. */
const BARS = ['#ffffff', '#00ffff', '#ff00ff', '#ffff00', '#ff0000', '#00ff00', '#0000ff', '#404040'];

/**
 * The technician's test print: colour bars and a grey ramp in the dye panels, a border, a 1 mm grid
 * corner, small and large text in resin, overlay over all. Shows a missing colour panel, a dirty
 * head (lines) and resin alignment at a glance.
 */
export async function renderTestPattern(): Promise<RenderedCard> {
  registerCardFonts();
  const colour = canvasModule().createCanvas(CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS);
  const cg = colour.getContext('2d');
  cg.fillStyle = '#ffffff';
  cg.fillRect(0, 0, CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS);
  const barW = CARD_WIDTH_DOTS / BARS.length;
  BARS.forEach((c, i) => {
    cg.fillStyle = c;
    cg.fillRect(i * barW, 150, barW, 200);
  });
  const ramp = cg.createLinearGradient(0, 0, CARD_WIDTH_DOTS, 0);
  ramp.addColorStop(0, '#ffffff');
  ramp.addColorStop(1, '#000000');
  cg.fillStyle = ramp;
  cg.fillRect(0, 370, CARD_WIDTH_DOTS, 80);

  const resin = canvasModule().createCanvas(CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS);
  const kg = resin.getContext('2d');
  kg.strokeStyle = '#000000';
  kg.fillStyle = '#000000';
  kg.lineWidth = 4;
  kg.strokeRect(20, 20, CARD_WIDTH_DOTS - 40, CARD_HEIGHT_DOTS - 40);
  // 300 dpi: a 1 mm grid is 11.8 dots.
  kg.lineWidth = 1;
  for (let i = 0; i <= 10; i++) {
    const d = 40 + i * 11.811;
    kg.beginPath();
    kg.moveTo(d, 480);
    kg.lineTo(d, 598);
    kg.moveTo(40, 480 + i * 11.811);
    kg.lineTo(158, 480 + i * 11.811);
    kg.stroke();
  }
  kg.font = cardFont(44, true);
  kg.fillText('ADM TEST PRINT', 60, 100);
  kg.font = cardFont(16, false);
  kg.fillText('YMCKO  1016 x 648 dots  300 dpi  ISO/IEC 7810 ID-1', 200, 510);
  kg.font = `14px "${CARD_FONT_MONO}"`;
  kg.fillText('ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 /-.,:', 200, 545);
  kg.font = cardFont(12, false);
  kg.fillText('small text at 12 dots must stay readable', 200, 580);

  const panels = {
    ...dyePanels(cg.getImageData(0, 0, CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS).data),
    k: monoPanel(kg.getImageData(0, 0, CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS).data),
    o: fullOverlay(),
  };
  return { panels, previewPng: await composePng(panels) };
}
