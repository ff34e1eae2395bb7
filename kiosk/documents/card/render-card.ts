import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { CARD_HEIGHT_DOTS, CARD_WIDTH_DOTS } from '../../../drivers/card-printer/protocol.ts';
import { canvasModule } from '../../../drivers/card-printer/render/canvas.ts';
import { composePngNow } from '../../../drivers/card-printer/render/compose.ts';
import { cardFont, registerCardFonts } from '../../../drivers/card-printer/render/fonts.ts';
import { dyePanels, fullOverlay, monoPanel } from '../../../drivers/card-printer/render/panels.ts';
import type {
  CardDocument,
  CardPanels,
  CardRenderer,
  RenderedCard,
} from '../../../drivers/card-printer/types.ts';
import { layoutCardText, type PlacedText } from './card-text.ts';
import { type CardTemplate, loadCardTemplate } from './template.ts';

/**
 * Renders a KTP-el or KIA front from its template: colour art, photo and signature into the dye
 * panels, every text into the resin `k` panel (1-bit, so it stays sharp), the overlay over all.
 * Texts are cleaned and laid out by `card-text.ts` (wrapped, then smaller, never squeezed); run
 * `checkCardText` before printing. The preview PNG is composed from those very panels, so the confirm
 * screen shows what prints.
 */
export const renderCard: CardRenderer = async (doc) => {
  const template = loadCardTemplate(doc.template);
  return withPreview(await renderPanels(doc, template));
};

/**
 * The rendered card, its preview PNG composed when it is first read: the kiosk renders every card twice
 * (to print it, and with the identity numbers masked for the screen) and only shows the masked one, so
 * the other's PNG (composing and deflating a megapixel, a third of a render) is never made.
 */
function withPreview(panels: CardPanels): RenderedCard {
  let png: Uint8Array | undefined;
  return {
    panels,
    get previewPng() {
      png ??= composePngNow(panels);
      return png;
    },
  };
}

/**
 * The colour art of a template is the same on every card: drawn once, kept with its dye panels,
 * and each card only copies them and redraws the photo and signature boxes.
 */
interface ArtLayer {
  canvas: Canvas;
  dye: Pick<CardPanels, 'y' | 'm' | 'c'>;
}
const artCache = new WeakMap<CardTemplate, ArtLayer>();

function artLayer(template: CardTemplate): ArtLayer {
  let art = artCache.get(template);
  if (!art) {
    const canvas = canvasModule().createCanvas(CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS);
    const g = canvas.getContext('2d');
    drawArt(g, template);
    art = { canvas, dye: dyePanels(g.getImageData(0, 0, CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS).data) };
    artCache.set(template, art);
  }
  return art;
}

type DyePanels = Pick<CardPanels, 'y' | 'm' | 'c'>;

/**
 * A card's dye panels by its photo (or signature) object: the kiosk renders a card to print and again
 * with its numbers masked for the screen, from the same document with other fields, so the photo is
 * decoded and drawn once for both. Panels are never written after rendering, so the two share them.
 */
const dyeMemo = new WeakMap<
  object,
  { template: CardTemplate; signature: unknown; dye: Promise<DyePanels> }
>();

function dyeOf(doc: CardDocument, template: CardTemplate, art: ArtLayer): Promise<DyePanels> {
  const key = doc.photo ?? doc.signature;
  if (!key) return drawDye(doc, template, art);
  const hit = dyeMemo.get(key);
  if (hit && hit.template === template && hit.signature === doc.signature) return hit.dye;
  const dye = drawDye(doc, template, art);
  dyeMemo.set(key, { template, signature: doc.signature, dye });
  return dye;
}

/** The art's dye panels with the photo and signature drawn into their boxes. */
async function drawDye(doc: CardDocument, template: CardTemplate, art: ArtLayer): Promise<DyePanels> {
  const dye = { y: art.dye.y.slice(), m: art.dye.m.slice(), c: art.dye.c.slice() };
  // Photo and signature are drawn over their part of the art on a small scratch canvas, then only
  // their boxes go into the dye panels.
  if (template.photo && doc.photo) {
    const box = template.photo;
    await patchBox(dye, art, box, async (g) => drawPhoto(g, box, doc.photo!.data));
  }
  if (template.signature && doc.signature) {
    const box = template.signature;
    await patchBox(dye, art, box, (g) => drawImage(g, box, doc.signature!.data, 'contain'));
  }
  return dye;
}

/** The five panels of a document laid out by a template. */
export async function renderPanels(doc: CardDocument, template: CardTemplate): Promise<CardPanels> {
  registerCardFonts();
  const dye = await dyeOf(doc, template, artLayer(template));
  // Drawn and read back in this one turn of the event loop, so the shared canvas is never drawn on twice.
  const g = resinScratch();
  drawResin(g, template, doc.fields);
  return {
    ...dye,
    k: monoPanel(g.getImageData(0, 0, CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS).data),
    o: fullOverlay(),
  };
}

let scratch: SKRSContext2D | undefined;

/**
 * The one canvas every card's resin is drawn on, cleared: a new card-sized canvas per render allocated
 * and cleared 2.6 MB of pixels each time, garbage the kiosk then had to collect during a session.
 */
function resinScratch(): SKRSContext2D {
  scratch ??= canvasModule().createCanvas(CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS).getContext('2d');
  scratch.clearRect(0, 0, CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS);
  return scratch;
}

type Box = { x: number; y: number; w: number; h: number };

/**
 * Draws into one box of the card (with a 2-dot margin for a frame's stroke) over the art, on a canvas
 * the size of the box, and copies the result into the dye panels.
 */
async function patchBox(
  dye: Pick<CardPanels, 'y' | 'm' | 'c'>,
  art: ArtLayer,
  box: Box,
  draw: (g: SKRSContext2D) => Promise<void>,
): Promise<void> {
  const x0 = Math.max(0, Math.floor(box.x) - 2);
  const y0 = Math.max(0, Math.floor(box.y) - 2);
  const x1 = Math.min(CARD_WIDTH_DOTS, Math.ceil(box.x + box.w) + 2);
  const y1 = Math.min(CARD_HEIGHT_DOTS, Math.ceil(box.y + box.h) + 2);
  const w = x1 - x0;
  const h = y1 - y0;
  const g = canvasModule().createCanvas(w, h).getContext('2d');
  g.drawImage(art.canvas, x0, y0, w, h, 0, 0, w, h);
  g.translate(-x0, -y0);
  await draw(g);
  const rgba = g.getImageData(0, 0, w, h).data;
  for (let row = y0; row < y1; row++) {
    let o = (row - y0) * w * 4;
    for (let i = row * CARD_WIDTH_DOTS + x0, end = i + w; i < end; i++, o += 4) {
      dye.c[i] = 255 - rgba[o]!;
      dye.m[i] = 255 - rgba[o + 1]!;
      dye.y[i] = 255 - rgba[o + 2]!;
    }
  }
}

/**
 * Draws a card's texts on a transparent canvas: what becomes the resin panel. `only` keeps some of
 * them (tests draw one field alone).
 */
export function renderResin(
  template: CardTemplate,
  fields: Record<string, string>,
  only?: (text: PlacedText) => boolean,
): Canvas {
  registerCardFonts();
  const canvas = canvasModule().createCanvas(CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS);
  drawResin(canvas.getContext('2d'), template, fields, only);
  return canvas;
}

function drawResin(
  g: SKRSContext2D,
  template: CardTemplate,
  fields: Record<string, string>,
  only?: (text: PlacedText) => boolean,
): void {
  g.fillStyle = '#000000';
  g.textBaseline = 'alphabetic';
  for (const text of layoutCardText(template, fields).texts) {
    if (!only || only(text)) drawText(g, text);
  }
}

function drawText(g: SKRSContext2D, t: PlacedText): void {
  if (t.lines.length === 0) return;
  g.font = cardFont(t.size, t.bold);
  g.textAlign = t.align;
  // A text too long even at the minimum size (checkCardText refuses such a card) is cut at its box
  // in the preview, never squeezed.
  const clip = t.overflow && t.maxWidth !== undefined;
  if (clip) {
    const w = t.maxWidth!;
    const left = t.align === 'left' ? t.x : t.align === 'center' ? t.x - w / 2 : t.x - w;
    g.save();
    g.beginPath();
    g.rect(left, 0, w, CARD_HEIGHT_DOTS);
    g.clip();
  }
  t.lines.forEach((line, i) => {
    g.fillText(line, t.x, t.y + i * t.lineHeight);
  });
  if (clip) g.restore();
}

function drawArt(g: SKRSContext2D, t: CardTemplate): void {
  const { art } = t;
  const grad = g.createLinearGradient(0, 0, 0, CARD_HEIGHT_DOTS);
  grad.addColorStop(0, art.top);
  grad.addColorStop(1, art.bottom);
  g.fillStyle = grad;
  g.fillRect(0, 0, CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS);
  if (art.band) {
    g.fillStyle = art.band.color;
    g.fillRect(0, art.band.y, CARD_WIDTH_DOTS, art.band.h);
  }
  // Guilloche: thin phase-shifted sine waves, the fine pattern that makes a copy look wrong.
  const { guilloche } = art;
  g.strokeStyle = guilloche.color;
  g.lineWidth = 1.2;
  const spacing = CARD_HEIGHT_DOTS / Math.max(1, guilloche.lines);
  for (let i = 0; i < guilloche.lines; i++) {
    g.beginPath();
    const base = spacing * (i + 0.5);
    for (let x = 0; x <= CARD_WIDTH_DOTS; x += 8) {
      const yy = base + guilloche.amplitude * Math.sin((2 * Math.PI * x) / guilloche.wavelength + i * 0.7);
      if (x === 0) g.moveTo(x, yy);
      else g.lineTo(x, yy);
    }
    g.stroke();
  }
  if (art.emblem) {
    const { x, y, r, color } = art.emblem;
    g.strokeStyle = color;
    g.lineWidth = 3;
    for (const k of [1, 0.82, 0.64]) {
      g.beginPath();
      g.arc(x, y, r * k, 0, Math.PI * 2);
      g.stroke();
    }
    g.fillStyle = color;
    star(g, x, y, r * 0.5, r * 0.2, 5);
  }
}

function star(g: SKRSContext2D, cx: number, cy: number, outer: number, inner: number, points: number): void {
  g.beginPath();
  for (let i = 0; i < points * 2; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = (Math.PI * i) / points - Math.PI / 2;
    const px = cx + r * Math.cos(a);
    const py = cy + r * Math.sin(a);
    if (i === 0) g.moveTo(px, py);
    else g.lineTo(px, py);
  }
  g.closePath();
  g.fill();
}

async function drawPhoto(
  g: SKRSContext2D,
  box: NonNullable<CardTemplate['photo']>,
  base64: string,
): Promise<void> {
  await drawImage(g, box, base64, 'cover');
  if (box.frame) {
    g.strokeStyle = box.frame;
    g.lineWidth = 2;
    g.strokeRect(box.x, box.y, box.w, box.h);
  }
}

/** Fits an image into a box: `cover` fills it (cropping), `contain` shows it whole. */
async function drawImage(
  g: SKRSContext2D,
  box: { x: number; y: number; w: number; h: number },
  base64: string,
  fit: 'cover' | 'contain',
): Promise<void> {
  const img = await canvasModule().loadImage(Buffer.from(base64, 'base64'));
  const scale =
    fit === 'cover'
      ? Math.max(box.w / img.width, box.h / img.height)
      : Math.min(box.w / img.width, box.h / img.height);
  const w = img.width * scale;
  const h = img.height * scale;
  g.save();
  g.beginPath();
  g.rect(box.x, box.y, box.w, box.h);
  g.clip();
  g.drawImage(img, box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h);
  g.restore();
}
