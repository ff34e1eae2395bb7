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
  /** Wider text is squeezed to fit (or wrapped, with `lines`). */
  maxWidth: z.number().positive().optional(),
  /** Wraps at spaces onto up to this many lines. */
  lines: z.number().int().min(1).max(4).default(1),
  lineHeight: z.number().positive().optional(),
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
  lines: z.number().int().min(1).max(4).optional(),
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

/** The resin text items of a template (rows expanded into label, colon and value). */
export function textItems(t: CardTemplate): TemplateText[] {
  const out: TemplateText[] = [...t.texts];
  const r = t.rows;
  for (const item of r.items) {
    const size = item.size ?? r.size;
    const bold = item.bold ?? false;
    const base = { size, bold, align: 'left' as const, lines: 1 };
    out.push({ ...base, text: item.label, x: item.labelX ?? r.labelX, y: item.y });
    out.push({ ...base, text: ':', x: item.colonX ?? r.colonX, y: item.y });
    out.push({
      ...base,
      text: `{${item.field}}`,
      x: item.valueX ?? r.valueX,
      y: item.y,
      maxWidth: item.maxWidth ?? r.valueMaxWidth,
      lines: item.lines ?? 1,
    });
  }
  return out;
}

/** Fills `{field}` placeholders. A field the document lacks prints as empty. */
export function fillText(text: string, fields: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => fields[name] ?? '');
}

/** The fields a text item shows. */
export function fieldsOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}
