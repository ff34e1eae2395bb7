import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_REASONS } from '../../kiosk/view.ts';
import { en } from './en.ts';
import { id } from './id.ts';
import { createTranslate, isMessageKey } from './translate.ts';

const uiDir = join(import.meta.dirname, '..');
/** Folders with their own strings (technician screens, camera) are checked by their owners. */
const OTHERS = ['camera', 'maintenance'];

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!OTHERS.includes(relative(uiDir, path))) out.push(...(await sources(path)));
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
      out.push(path);
    }
  }
  return out;
}

describe('i18n catalogue', () => {
  it('has the same keys in Bahasa Indonesia and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    for (const [key, text] of [...Object.entries(id), ...Object.entries(en)]) {
      expect(text.trim(), key).not.toBe('');
    }
  });

  it('uses the same parameters in both languages', () => {
    const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(id) as Array<keyof typeof id>) {
      expect(params(en[key]), key).toEqual(params(id[key]));
    }
  });

  it('has every key the source uses', async () => {
    const used = new Set<string>();
    for (const file of await sources(uiDir)) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((key) => !isMessageKey(key));
    expect(missing).toEqual([]);
  });

  it('has the keys built at run time: every error reason, stage, service and rating', () => {
    const dynamic = [
      ...ERROR_REASONS.flatMap((reason) => [`error.${reason}`, `error.${reason}.next`]),
      ...['VERIFICATION', 'DATA_ENTRY', 'VALIDATION', 'SIGNING'].map((stage) => `stage.${stage}`),
      ...['KTP_EL', 'KIA', 'KK', 'AKTA_KELAHIRAN', 'AKTA_KEMATIAN', 'AKTA_PERKAWINAN', 'AKTA_PERCERAIAN'].map(
        (service) => `service.${service}`,
      ),
      ...['SURAT_PINDAH', 'BIODATA'].map((service) => `service.${service}`),
      ...[1, 2, 3, 4].map((rating) => `survey.rating${rating}`),
    ];
    expect(dynamic.filter((key) => !isMessageKey(key))).toEqual([]);
  });

  it('speaks plainly: no jargon such as "klaim" or "TTE", no emoji', () => {
    for (const [key, text] of [...Object.entries(id), ...Object.entries(en)]) {
      expect(text, key).not.toMatch(/\bklaim|\bclaim|\bTTE\b|\p{Extended_Pictographic}/iu);
    }
  });

  it('fills parameters and falls back to the key for an unknown one', () => {
    const t = createTranslate('id');
    expect(t('printing.card', { seconds: 20 })).toBe('Kartu sedang dicetak, sekitar 20 detik');
    expect(createTranslate('en')('pin.wrong', { attempts: 2 })).toBe('Wrong PIN. Attempts left: 2');
    expect(t('no.such.key')).toBe('no.such.key');
  });
});
