import { describe, expect, it } from 'vitest';
import { fixedPhrases, phrasePath, templatePieces } from './phrases.ts';
import { partsOfLines } from './speaker.ts';

describe('spoken guidance phrases', () => {
  it('cuts a template at its parameters and drops what says nothing', () => {
    expect(templatePieces('PIN salah. Sisa percobaan: {attempts}')).toEqual([
      { text: 'PIN salah. Sisa percobaan:' },
      { param: 'attempts' },
    ]);
    expect(templatePieces('{a}, {b}.')).toEqual([{ param: 'a' }, { param: 'b' }]);
  });

  it('has each phrase once, each digit and letter in both voices, the language switch in the other voice', () => {
    const phrases = fixedPhrases();
    const ids = phrases.map((p) => `${p.voice}:${p.text}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const voice of ['id', 'en']) for (const c of '09AZ') expect(ids).toContain(`${voice}:${c}`);
    expect(ids).toContain('en:Change language to English');
    expect(ids).not.toContain('id:Change language to English');
    expect(phrasePath({ voice: 'id', text: 'Batal' })).toMatch(/^speech\/id\/[0-9a-f]{8}\.wav$/);
  });

  it('spells numbers and codes, keeps known texts as clips and the rest as free text', () => {
    expect(
      partsOfLines(
        [{ key: 'reference.spoken', params: { reference: 'K7-2' } }, { free: 'SITI RAHAYU' }],
        'en',
      ),
    ).toEqual([
      { phrase: { voice: 'en', text: 'Your reference number:' } },
      { phrase: { voice: 'en', text: 'K' } },
      { phrase: { voice: 'en', text: '7' } },
      { phrase: { voice: 'en', text: '2' } },
      { free: 'SITI RAHAYU', voice: 'en' },
    ]);
    expect(
      partsOfLines([{ key: 'error.not-ready.stage', params: { stage: 'validasi data' } }], 'id'),
    ).toEqual([
      { phrase: { voice: 'id', text: 'Tahap saat ini:' } },
      { phrase: { voice: 'id', text: 'validasi data' } },
    ]);
  });
});
