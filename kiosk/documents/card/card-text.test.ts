import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { cardFont, registerCardFonts } from '../../../drivers/card-printer/render/fonts.ts';
import type { CardDocument } from '../../../drivers/card-printer/types.ts';
import {
  checkCardText,
  cleanCardText,
  DEFAULT_MIN_SIZE,
  layoutCardText,
  unprintableChars,
} from './card-text.ts';
import { LONG_NAME_60, LONG_NAME_100, sampleKia, sampleKtpEl, sampleLongKtpEl } from './sample-documents.ts';
import { loadCardTemplate } from './template.ts';

function withFields(doc: CardDocument, fields: Record<string, string>): CardDocument {
  return { ...doc, fields: { ...doc.fields, ...fields } };
}

function placed(doc: CardDocument, field: string) {
  const t = layoutCardText(loadCardTemplate(doc.template), doc.fields).texts.find((x) => x.field === field);
  if (!t) throw new Error(`no ${field}`);
  return t;
}

function widthAt(size: number, text: string): number {
  registerCardFonts();
  const g = createCanvas(1, 1).getContext('2d');
  g.font = cardFont(size, false);
  return g.measureText(text).width;
}

describe('card text cleaning', () => {
  it('removes bidirectional overrides, isolates and marks, and control and format characters', () => {
    expect(cleanCardText('SITI\u202eHANIMA\u202c')).toBe('SITIHANIMA');
    expect(cleanCardText('\u2067BUDI\u2069 \u200fSANTOSO\u200e')).toBe('BUDI SANTOSO');
    expect(cleanCardText('AHMAD\u0000\u0007\u200b\u200d\u00ad\ufeff DAHLAN')).toBe('AHMAD DAHLAN');
  });

  it('turns line breaks and tabs into single spaces, trims, and composes accents (NFC)', () => {
    expect(cleanCardText('  JL. MERDEKA\r\nNO. 5\t\tRT 01  ')).toBe('JL. MERDEKA NO. 5 RT 01');
    expect(cleanCardText('JOSE\u0301')).toBe('JOSÉ');
  });
});

describe('checkCardText', () => {
  it('passes an ordinary card and the longest names and addresses of the samples', () => {
    expect(checkCardText(sampleKtpEl()).ok).toBe(true);
    expect(checkCardText(sampleLongKtpEl()).ok).toBe(true);
    expect(checkCardText(withFields(sampleKia(), { nama: LONG_NAME_100 })).ok).toBe(true);
  });

  it('cleans a right-to-left override out of a name and says it did', () => {
    const r = checkCardText(withFields(sampleKtpEl(), { nama: 'SITI \u202eHANIMA' }));
    expect(r).toMatchObject({ ok: true, value: { cleaned: ['nama'] } });
    if (r.ok) expect(r.value.fields.nama).toBe('SITI HANIMA');
  });

  it('reports emoji and characters the card font lacks, by field, before anything prints', () => {
    const r = checkCardText(
      withFields(sampleKtpEl(), { nama: 'BUDI 😀 SANTOSO', alamat: 'JL. 王 NO. 5 🦄' }),
    );
    expect(r).toEqual({
      ok: false,
      error: [
        { field: 'nama', kind: 'unprintable', chars: ['😀'] },
        { field: 'alamat', kind: 'unprintable', chars: ['王', '🦄'] },
      ],
    });
    expect(unprintableChars('SITI AMINAH É Ñ Ö', false)).toEqual([]);
  });

  it('reports a name too long for its lines even at the readable minimum', () => {
    const r = checkCardText(withFields(sampleKtpEl(), { nama: `${LONG_NAME_100} ${LONG_NAME_100}` }));
    expect(r).toEqual({ ok: false, error: [{ field: 'nama', kind: 'too-long' }] });
  });

  it('reports rows pushed off the card when several values wrap to their most lines', () => {
    const r = checkCardText(
      withFields(sampleKtpEl(), {
        nama: LONG_NAME_100,
        alamat: LONG_NAME_100,
        kelDesa: LONG_NAME_60,
      }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.map((p) => p.kind)).toContain('rows-overflow');
  });
});

describe('card text layout', () => {
  it('a name that fits stays on one line at full size', () => {
    const nama = placed(sampleKtpEl(), 'nama');
    expect(nama).toMatchObject({ lines: ['SITI AMINAH'], size: 22 });
  });

  it('60 characters: wraps onto a second line at full size, never squeezed', () => {
    const nama = placed(sampleLongKtpEl(), 'nama');
    expect(nama.size).toBe(22);
    expect(nama.lines).toHaveLength(2);
    expect(nama.lines.join(' ')).toBe(LONG_NAME_60);
    for (const line of nama.lines) expect(widthAt(22, line)).toBeLessThanOrEqual(nama.maxWidth!);
  });

  it('100 characters: wrapped, then smaller, but not below the readable minimum; every line within the width', () => {
    const nama = placed(withFields(sampleKia(), { nama: LONG_NAME_100 }), 'nama');
    expect(nama.size).toBeLessThan(21);
    expect(nama.size).toBeGreaterThanOrEqual(DEFAULT_MIN_SIZE);
    expect(nama.lines.join(' ')).toBe(LONG_NAME_100);
    for (const line of nama.lines) expect(widthAt(nama.size, line)).toBeLessThanOrEqual(nama.maxWidth!);
  });

  it('the rows under a wrapped value move down by the lines it took; rows above stay', () => {
    const short = layoutCardText(loadCardTemplate('KTP_EL'), sampleKtpEl().fields).texts;
    const long = layoutCardText(loadCardTemplate('KTP_EL'), sampleLongKtpEl().fields).texts;
    const y = (texts: typeof short, field: string) => texts.find((t) => t.field === field)!.y;
    expect(y(long, 'nik')).toBe(y(short, 'nik'));
    expect(y(long, 'nama')).toBe(y(short, 'nama'));
    const nama = long.find((t) => t.field === 'nama')!;
    expect(y(long, 'tempatTglLahir') - y(short, 'tempatTglLahir')).toBe(nama.lineHeight);
    expect(y(long, 'berlakuHingga')).toBeGreaterThan(y(short, 'berlakuHingga'));
  });

  it('a single word wider than the line is broken between letters only when nothing else fits', () => {
    const word = 'A'.repeat(70);
    const nama = placed(withFields(sampleKtpEl(), { nama: word }), 'nama');
    expect(nama.lines.length).toBeGreaterThan(1);
    expect(nama.lines.join('')).toBe(word);
  });
});
