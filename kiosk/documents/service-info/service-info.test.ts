import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServiceInfo } from './load.ts';

describe('service information files', () => {
  it('are all valid, bilingual and free of charge', async () => {
    const result = await loadServiceInfo();
    if (!result.ok) throw new Error(result.error.join('\n'));
    const ids = result.value.map((entry) => entry.id);
    expect(ids).toEqual(['ktp-el', 'kia', 'kia-whatsapp', 'kk', 'akta', 'layanan-informasi']);
    for (const entry of result.value) {
      expect(entry.cost.id.toLowerCase()).toMatch(/gratis/);
      expect(entry.cost.en.toLowerCase()).toMatch(/free/);
    }
  });

  it('covers every service the kiosk can print', async () => {
    const result = await loadServiceInfo();
    if (!result.ok) throw new Error(result.error.join('\n'));
    const covered = new Set(result.value.flatMap((entry) => entry.services));
    for (const service of [
      'KTP_EL',
      'KIA',
      'KK',
      'AKTA_KELAHIRAN',
      'AKTA_KEMATIAN',
      'SURAT_PINDAH',
      'BIODATA',
    ]) {
      expect(covered.has(service as never), service).toBe(true);
    }
  });

  it('names the file and key of each problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'service-info-'));
    await writeFile(join(dir, 'broken.json'), '{ not json');
    await writeFile(
      join(dir, 'kk.json'),
      JSON.stringify({ id: 'kk', order: 1, services: [], title: { id: 'KK' } }),
    );
    const result = await loadServiceInfo(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.some((line) => line.startsWith('service-info/broken.json: not valid JSON'))).toBe(
      true,
    );
    expect(result.error).toContain(
      'service-info/kk.json: title.en: Invalid input: expected string, received undefined',
    );
  });
});
