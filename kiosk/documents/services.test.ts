import { describe, expect, it } from 'vitest';
import { SERVICES } from '../central-api/contract.ts';
import {
  knownServiceEntry,
  parseCatalogue,
  SERVICE_CATALOGUE,
  serviceEntry,
  UNKNOWN_SERVICE,
} from './services.ts';

describe('service catalogue', () => {
  it('lists exactly the Services central-api.yaml knows, in its order', () => {
    expect(SERVICES).toHaveLength(24);
    expect(SERVICE_CATALOGUE.map((s) => s.service)).toEqual([...SERVICES]);
  });

  it('puts KTP-el and KIA on cards and every other service on A4 with a printed title', () => {
    for (const s of SERVICE_CATALOGUE) {
      expect(s.medium, s.service).toBe(s.service === 'KTP_EL' || s.service === 'KIA' ? 'CARD' : 'A4');
      if (s.medium === 'A4') expect(s.printedTitle, s.service).toMatch(/^[A-Z ]+$/);
    }
  });

  it('names the services as the office writes them, in both languages, all free of charge', () => {
    expect(knownServiceEntry('AKTA_PENGAKUAN_ANAK')?.name.id).toBe('Akta Pengakuan Anak');
    expect(knownServiceEntry('SK_PINDAH_DATANG')?.name.id).toBe('Surat Keterangan Pindah Datang');
    for (const s of SERVICE_CATALOGUE) {
      expect(s.info.cost.id, s.service).toMatch(/gratis/i);
      expect(s.info.cost.en, s.service).toMatch(/free/i);
    }
  });

  it('names a service it does not know "Dokumen kependudukan" and leaves its medium to its documents', () => {
    const e = serviceEntry('AKTA_PERUBAHAN_NAMA');
    expect(e.name).toEqual({ id: 'Dokumen kependudukan', en: 'Civil-registry document' });
    expect('medium' in e).toBe(false);
    expect(knownServiceEntry('AKTA_PERUBAHAN_NAMA')).toBeUndefined();
    expect(serviceEntry('KIA').name.en).toBe('Child Identity Card (KIA)');
    expect(UNKNOWN_SERVICE.printedTitle).toBe('DOKUMEN KEPENDUDUKAN');
  });

  it('refuses a broken catalogue with a line per problem', () => {
    const entry = structuredClone(SERVICE_CATALOGUE[0]!);
    expect(() => parseCatalogue({ services: [entry, entry], unknown: UNKNOWN_SERVICE })).toThrow(
      /listed twice/,
    );
    const lopsided = { ...entry, info: { ...entry.info, requirements: { id: ['a', 'b'], en: ['a'] } } };
    expect(() => parseCatalogue({ services: [lopsided], unknown: UNKNOWN_SERVICE })).toThrow(
      /same number of items/,
    );
  });
});
