import type { SKRSContext2D } from '@napi-rs/canvas';
import { canvasModule } from '../../../drivers/card-printer/render/canvas.ts';
import { cardFont, cardFontCoverage, registerCardFonts } from '../../../drivers/card-printer/render/fonts.ts';
import type { CardDocument } from '../../../drivers/card-printer/types.ts';
import { err, ok, type Result } from '../../../drivers/shared/result.ts';
import { type CardTemplate, fieldsOf, fillText, loadCardTemplate } from './template.ts';

/**
 * How names and addresses go on a card, by rules a civil registry would accept:
 *
 * - the text is cleaned first: Unicode NFC; line breaks and tabs become spaces; bidirectional
 *   overrides, isolates and marks, other control and format characters are removed (a right-to-left
 *   override would print the name backwards); runs of spaces become one;
 * - a value that is too wide wraps at spaces onto the next line (as many as the template allows), then,
 *   only if it still does not fit, is set smaller, down to the template's readable minimum. Text is
 *   never squeezed narrower: its letters keep their shapes, so thin strokes survive the 1-bit resin;
 * - a single word wider than the line is broken between letters only when nothing else fits;
 * - the rows below a wrapped value move down by the lines it took;
 * - what cannot be printed well (a character the card font lacks, an emoji, a value that does not fit
 *   even at the minimum size, rows pushed off the card) is reported by `checkCardText` before printing,
 *   so the kiosk sends the applicant to the counter rather than printing a bad card.
 */

/** Line spacing of a wrapped value, as a share of its size. */
export const WRAP_LINE_SPACING = 1.12;
/** Readable minimum of a row value at 300 dpi when the template names none (16 dots: about 3.9 pt). */
export const DEFAULT_MIN_SIZE = 16;
/** The lowest baseline rows may reach when the template names none (the card is 638 dots tall). */
export const DEFAULT_ROWS_BOTTOM = 628;

/** Bidirectional controls: embeddings, overrides, isolates and the marks (LRM, RLM, ALM). */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** Other control (Cc) and format (Cf) characters: zero-width joiners, soft hyphens, BOMs, tags... */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/** A value as it may go on a card: NFC, no controls or bidi overrides, single spaces, trimmed. */
export function cleanCardText(text: string): string {
  return text
    .normalize('NFC')
    .replace(LINE_BREAKS, ' ')
    .replace(BIDI_CONTROLS, '')
    .replace(INVISIBLE, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Characters of (clean) `text` the card font cannot print, or that no civil registry prints (emoji). */
export function unprintableChars(text: string, bold: boolean): string[] {
  const coverage = cardFontCoverage(bold);
  const out = new Set<string>();
  for (const ch of text) {
    if (ch === ' ') continue;
    if (PICTOGRAPH.test(ch) || !coverage.has(ch.codePointAt(0)!)) out.add(ch);
  }
  return [...out];
}

/** One text as laid out: its lines, at one size, from a baseline. */
export interface PlacedText {
  /** The document field it shows, when it shows exactly one (`{nama}`). */
  field: string | undefined;
  /** The whole text, cleaned and filled in. */
  text: string;
  lines: string[];
  x: number;
  y: number;
  size: number;
  bold: boolean;
  align: 'left' | 'center' | 'right';
  lineHeight: number;
  /** The width the lines must stay within (none: free). */
  maxWidth: number | undefined;
  /** The text did not fit even at the minimum size: drawn at the minimum, cut at `maxWidth`. */
  overflow: boolean;
}

/** A text item with what the fitting needs; rows and free texts alike. */
interface FitItem {
  text: string;
  x: number;
  y: number;
  size: number;
  minSize: number;
  bold: boolean;
  align: 'left' | 'center' | 'right';
  maxWidth: number | undefined;
  lines: number;
  lineHeight?: number | undefined;
}

let measurer: SKRSContext2D | undefined;
function measure(): SKRSContext2D {
  if (!measurer) {
    registerCardFonts();
    measurer = canvasModule().createCanvas(1, 1).getContext('2d');
  }
  return measurer;
}

const widthCache = new Map<string, number>();
/** Width of `text` in a font; cached, since fitting measures the same words at the same sizes often. */
function widthOf(g: SKRSContext2D, font: string, text: string): number {
  const key = `${font}|${text}`;
  let w = widthCache.get(key);
  if (w === undefined) {
    if (g.font !== font) g.font = font;
    w = g.measureText(text).width;
    if (widthCache.size > 20_000) widthCache.clear();
    widthCache.set(key, w);
  }
  return w;
}

/**
 * Breaks `text` into lines no wider than `width` at `font`: at spaces, and between letters of a word
 * wider than a line when `breakWords`. Undefined when it needs more than `maxLines`.
 */
function wrapLines(
  g: SKRSContext2D,
  font: string,
  text: string,
  width: number,
  maxLines: number,
  breakWords: boolean,
): string[] | undefined {
  const lines: string[] = [];
  let line = '';
  const push = (l: string): boolean => {
    lines.push(l);
    return lines.length <= maxLines;
  };
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (widthOf(g, font, next) <= width) {
      line = next;
      continue;
    }
    if (line && !push(line)) return undefined;
    line = '';
    if (widthOf(g, font, word) <= width) {
      line = word;
      continue;
    }
    if (!breakWords) return undefined;
    for (const ch of word) {
      if (line && widthOf(g, font, line + ch) > width) {
        if (!push(line)) return undefined;
        line = '';
      }
      line += ch;
    }
  }
  if (line && !push(line)) return undefined;
  return lines;
}

/**
 * Sizes and line counts to try, best first, as the rules order them: one line at full size; two lines
 * at full size; two lines, smaller and smaller down to the minimum; only then more lines (when the
 * template allows them), each from full size down.
 */
function attempts(item: FitItem): [size: number, lines: number][] {
  const out: [number, number][] = [[item.size, 1]];
  const sizes: number[] = [];
  for (let size = item.size; size >= item.minSize; size--) sizes.push(size);
  if (item.lines === 1) for (const size of sizes.slice(1)) out.push([size, 1]);
  for (let lines = 2; lines <= item.lines; lines++) for (const size of sizes) out.push([size, lines]);
  return out;
}

/** Where a text fits its width: whole words first, a word broken between letters only when nothing else fits. */
function fitText(item: FitItem, text: string): { size: number; lines: string[]; overflow: boolean } {
  const g = measure();
  const { maxWidth } = item;
  if (maxWidth === undefined || !text) return { size: item.size, lines: text ? [text] : [], overflow: false };
  const tries = attempts(item);
  for (const breakWords of [false, true]) {
    for (const [size, maxLines] of tries) {
      const lines = wrapLines(g, cardFont(size, item.bold), text, maxWidth, maxLines, breakWords);
      if (lines) return { size, lines, overflow: false };
    }
  }
  const lines = wrapLines(
    g,
    cardFont(item.minSize, item.bold),
    text,
    maxWidth,
    Number.MAX_SAFE_INTEGER,
    true,
  );
  return { size: item.minSize, lines: (lines ?? [text]).slice(0, item.lines), overflow: true };
}

function place(item: FitItem, text: string, dy: number): PlacedText {
  const fields = fieldsOf(item.text);
  const f = fitText(item, text);
  return {
    field: fields.length === 1 ? fields[0] : undefined,
    text,
    lines: f.lines,
    x: item.x,
    y: item.y + dy,
    size: f.size,
    bold: item.bold,
    align: item.align,
    lineHeight:
      f.size === item.size && item.lineHeight !== undefined
        ? item.lineHeight
        : Math.round(f.size * WRAP_LINE_SPACING),
    maxWidth: item.maxWidth,
    overflow: f.overflow,
  };
}

/** Every text of a template laid out with a document's (cleaned) fields, rows flowing down. */
export function layoutCardText(
  t: CardTemplate,
  fields: Record<string, string>,
): { texts: PlacedText[]; bottom: number; rowsBottom: number } {
  const clean = cleanFields(fields);
  const texts: PlacedText[] = [];
  for (const item of t.texts) {
    const fitItem: FitItem = {
      ...item,
      maxWidth: item.maxWidth,
      minSize: item.minSize ?? item.size,
      lineHeight: item.lineHeight,
    };
    texts.push(place(fitItem, fillText(item.text, clean), 0));
  }
  const r = t.rows;
  const rowsBottom = r.bottom ?? DEFAULT_ROWS_BOTTOM;
  // Rows sharing a baseline (Jenis Kelamin and Gol. Darah) move together. A row comes at least one
  // row pitch (the template's closest two rows) below the last line of the row above it: a wrapped
  // value pushes what follows down, unless the template left room under it (the KIA's address).
  const byY = [...r.items].sort((a, b) => a.y - b.y);
  const ys = [...new Set(byY.map((i) => i.y))];
  const pitch = Math.min(...ys.slice(1).map((y, i) => y - ys[i]!));
  let shift = 0;
  let bottom = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < byY.length; ) {
    const y = byY[i]!.y;
    shift = Math.max(shift, bottom + pitch - y);
    for (; i < byY.length && byY[i]!.y === y; i++) {
      const item = byY[i]!;
      const size = item.size ?? r.size;
      const bold = item.bold ?? false;
      const base = { size, minSize: size, bold, align: 'left' as const, lines: 1, maxWidth: undefined };
      texts.push(place({ ...base, text: item.label, x: item.labelX ?? r.labelX, y }, item.label, shift));
      texts.push(place({ ...base, text: ':', x: item.colonX ?? r.colonX, y }, ':', shift));
      const value = place(
        {
          ...base,
          text: `{${item.field}}`,
          x: item.valueX ?? r.valueX,
          y,
          minSize: Math.min(size, item.minSize ?? r.minSize ?? DEFAULT_MIN_SIZE),
          maxWidth: item.maxWidth ?? r.valueMaxWidth,
          lines: item.lines ?? 1,
        },
        clean[item.field] ?? '',
        shift,
      );
      texts.push(value);
      bottom = Math.max(bottom, value.y + (Math.max(1, value.lines.length) - 1) * value.lineHeight);
    }
  }
  return { texts, bottom, rowsBottom };
}

function cleanFields(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = cleanCardText(v);
  return out;
}

/** Why a card's text cannot be printed well. */
export type CardTextProblem =
  /** Characters the card font lacks (they would print as boxes) or that a card does not carry (emoji). */
  | { field: string; kind: 'unprintable'; chars: string[] }
  /** Too long to fit its place even wrapped and at the readable minimum size. */
  | { field: string; kind: 'too-long' }
  /** Wrapped values pushed the rows below the card's printable area. */
  | { field: string; kind: 'rows-overflow' };

/** A card whose text can be printed, with what cleaning changed. */
export interface CardTextOk {
  /** The fields as they will be printed. */
  fields: Record<string, string>;
  /** Fields whose text lost control or bidirectional characters in cleaning (for the log). */
  cleaned: string[];
}

/**
 * Checks, before printing, that every text of a card can be printed well (see the top of this file).
 * A failure names each field and why; the kiosk then sends the applicant to the counter instead of
 * printing. Fast enough for every session (measurements are cached).
 */
export function checkCardText(
  doc: CardDocument,
  template?: CardTemplate,
): Result<CardTextOk, CardTextProblem[]> {
  const t = template ?? loadCardTemplate(doc.template);
  const problems: CardTextProblem[] = [];
  const clean = cleanFields(doc.fields);
  const cleaned = Object.keys(doc.fields).filter((k) => clean[k] !== doc.fields[k]?.trim());
  const layout = layoutCardText(t, doc.fields);
  for (const text of layout.texts) {
    if (!text.field) continue;
    const chars = unprintableChars(text.text, text.bold);
    if (chars.length > 0) problems.push({ field: text.field, kind: 'unprintable', chars });
    if (text.overflow) problems.push({ field: text.field, kind: 'too-long' });
  }
  if (layout.bottom > layout.rowsBottom) {
    // Name the field whose wrapping did it: the tallest value.
    const tallest = layout.texts.reduce((a, b) => (b.field && b.lines.length > a.lines.length ? b : a));
    problems.push({ field: tallest.field ?? '', kind: 'rows-overflow' });
  }
  return problems.length > 0 ? err(problems) : ok({ fields: clean, cleaned });
}
