import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Where the offices' editable card templates live. */
export const TEMPLATE_DIR = fileURLToPath(new URL('../../../config/card-templates/', import.meta.url));

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour #rrggbb');
const box = z.strictObject({
  x: z.number(),
  y: z.number(),
  w: z.number().positive(),
  h: z.number().positive(),
});

/** One line of resin text. `text` may hold `{field}` placeholders, filled from CardDocument.fields. */
const textItem = z.strictObject({
  text: z.string(),
  x: z.number(),
  y: z.number(),
  size: z.number().positive(),
  bold: z.boolean().default(false),
  align: z.enum(['left', 'center', 'right']).default('left'),
  /** Wider text wraps (with `lines`), then is set smaller down to `minSize`; never squeezed narrower. */
  maxWidth: z.number().positive().optional(),
  /** Wraps at spaces onto up to this many lines. */
  lines: z.number().int().min(1).max(4).default(1),
  lineHeight: z.number().positive().optional(),
  /** The smallest size a text too long for `maxWidth` may be set in (default: `size`, no shrinking). */
  minSize: z.number().positive().optional(),
});

/** A labelled row: `Label`, `:` and the field's value, in three columns. */
const row = z.strictObject({
  label: z.string(),
  field: z.string(),
  y: z.number(),
  /** Overrides the rows' columns for this row (e.g. Gol. Darah on the same line as Jenis Kelamin). */
  labelX: z.number().optional(),
  colonX: z.number().optional(),
  valueX: z.number().optional(),
  size: z.number().positive().optional(),
  bold: z.boolean().optional(),
  maxWidth: z.number().positive().optional(),
  /** Wraps the value onto up to this many lines; the rows below move down by the lines it takes. */
  lines: z.number().int().min(1).max(4).optional(),
  /** Overrides `rows.minSize` for this row. */
  minSize: z.number().positive().optional(),
});

export const cardTemplateSchema = z.strictObject({
  name: z.string(),
  art: z.strictObject({
    /** Background gradient, top to bottom. */
    top: color,
    bottom: color,
    /** Fine wavy security lines. */
    guilloche: z.strictObject({
      color,
      lines: z.number().int().min(0),
      amplitude: z.number(),
      wavelength: z.number(),
    }),
    /** A faint round emblem behind the text. */
    emblem: z.strictObject({ color, x: z.number(), y: z.number(), r: z.number().positive() }).optional(),
    /** A coloured band behind the header. */
    band: z.strictObject({ color, y: z.number(), h: z.number().positive() }).optional(),
  }),
  rows: z.strictObject({
    labelX: z.number(),
    colonX: z.number(),
    valueX: z.number(),
    size: z.number().positive(),
    valueMaxWidth: z.number().positive(),
    /** The smallest size a long value may be set in (readable on the 1-bit resin; default 16 dots). */
    minSize: z.number().positive().optional(),
    /** The lowest baseline the rows may reach once wrapped values pushed them down (default 628). */
    bottom: z.number().positive().optional(),
    items: z.array(row),
  }),
  texts: z.array(textItem),
  photo: box.extend({ frame: color.optional() }).optional(),
  signature: box.optional(),
});

export type CardTemplate = z.infer<typeof cardTemplateSchema>;
export type TemplateText = z.infer<typeof textItem>;

const FILES = { KTP_EL: 'ktp-el.json', KIA: 'kia.json' } as const;
const cache = new Map<string, { mtimeMs: number; template: CardTemplate }>();

/**
 * Reads a card template from config/card-templates (re-read when the file changed, so an office
 * can edit it without a restart). A broken template is a bug in the deployment: it throws, naming
 * the key.
 */
export function loadCardTemplate(kind: 'KTP_EL' | 'KIA', dir: string = TEMPLATE_DIR): CardTemplate {
  const file = `${dir}/${FILES[kind]}`;
  const mtimeMs = statSync(file).mtimeMs;
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.template;
  const parsed = cardTemplateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`card template ${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  cache.set(file, { mtimeMs, template: parsed.data });
  return parsed.data;
}

/** Fills `{field}` placeholders. A field the document lacks prints as empty. */
export function fillText(text: string, fields: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => fields[name] ?? '');
}

/** The fields a text item shows. */
export function fieldsOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}
