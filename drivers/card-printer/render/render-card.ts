import { type Canvas, createCanvas, loadImage, type SKRSContext2D } from '@napi-rs/canvas';
import { CARD_HEIGHT_DOTS, CARD_WIDTH_DOTS } from '../protocol.ts';
import type { CardDocument, CardRenderer, RenderedCard } from '../types.ts';
import { composePng } from './compose.ts';
import { cardFont, registerCardFonts } from './fonts.ts';
import { dyePanels, fullOverlay, monoPanel } from './panels.ts';
import { type CardTemplate, fillText, loadCardTemplate, type TemplateText, textItems } from './template.ts';

/**
 * Renders a KTP-el or KIA front from its template: colour art, photo and signature into the dye
 * panels, every text into the resin `k` panel (1-bit, so it stays sharp), the overlay over all.
 * The preview PNG is composed from those very panels, so the confirm screen shows what prints.
 */
export const renderCard: CardRenderer = async (doc) => {
  const template = loadCardTemplate(doc.template);
  const panels = await renderPanels(doc, template);
  return { panels, previewPng: await composePng(panels) };
};

/** The five panels of a document laid out by a template. */
export async function renderPanels(
  doc: CardDocument,
  template: CardTemplate,
): Promise<RenderedCard['panels']> {
  registerCardFonts();
  const colour = createCanvas(CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS);
  const cg = colour.getContext('2d');
  drawArt(cg, template);
  if (template.photo && doc.photo) await drawPhoto(cg, template.photo, doc.photo.data);
  if (template.signature && doc.signature)
    await drawImage(cg, template.signature, doc.signature.data, 'contain');
  const resin = renderResin(template, textItems(template), doc.fields);
  return {
    ...dyePanels(cg.getImageData(0, 0, CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS).data),
    k: monoPanel(resin.getContext('2d').getImageData(0, 0, CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS).data),
    o: fullOverlay(),
  };
}

/** Draws text items on a transparent canvas: what becomes the resin panel. */
export function renderResin(
  _template: CardTemplate,
  items: TemplateText[],
  fields: Record<string, string>,
): Canvas {
  registerCardFonts();
  const canvas = createCanvas(CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS);
  const g = canvas.getContext('2d');
  g.fillStyle = '#000000';
  g.textBaseline = 'alphabetic';
  for (const item of items) drawText(g, item, fillText(item.text, fields));
  return canvas;
}

function drawText(g: SKRSContext2D, item: TemplateText, text: string): void {
  if (!text) return;
  g.font = cardFont(item.size, item.bold);
  g.textAlign = item.align;
  const lines = item.lines > 1 && item.maxWidth ? wrap(g, text, item.maxWidth, item.lines) : [text];
  const step = item.lineHeight ?? item.size * 1.2;
  lines.forEach((line, i) => {
    if (item.maxWidth) g.fillText(line, item.x, item.y + i * step, item.maxWidth);
    else g.fillText(line, item.x, item.y + i * step);
  });
}

/** Breaks at spaces onto at most `max` lines; the last line takes the rest (and is squeezed to fit). */
function wrap(g: SKRSContext2D, text: string, width: number, max: number): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const [i, word] of words.entries()) {
    const next = line ? `${line} ${word}` : word;
    if (line && g.measureText(next).width > width) {
      lines.push(line);
      if (lines.length === max - 1) {
        lines.push(words.slice(i).join(' '));
        return lines;
      }
      line = word;
    } else {
      line = next;
    }
  }
  lines.push(line);
  return lines;
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
  const img = await loadImage(Buffer.from(base64, 'base64'));
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
