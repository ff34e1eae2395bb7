import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACT_DIR } from '../paths.ts';
import { verifyCode } from './verify.ts';

interface Vector {
  name: string;
  kind?: 'technician';
  token: string;
  expect:
    | { ok: true; applicationNo?: string; service?: string; regionCode?: string; technicianId?: string }
    | { ok: false; reason: string };
}
const file = JSON.parse(readFileSync(join(CONTRACT_DIR, 'qr-test-vectors.json'), 'utf8')) as {
  now: string;
  kioskRegionCode: string;
  issuerKeys: { kid: string; publicKey: string }[];
  vectors: Vector[];
};

describe('print code verification against qr-test-vectors.json', () => {
  it('has vectors to run', () => {
    expect(file.vectors.length).toBeGreaterThan(10);
  });

  for (const v of file.vectors) {
    it(v.name, async () => {
      const kind = v.kind === 'technician' ? 'technician' : 'print';
      const r = await verifyCode(v.token, {
        kind,
        issuerKeys: file.issuerKeys,
        regionCode: file.kioskRegionCode,
        now: Date.parse(file.now),
      });
      if (v.expect.ok) {
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        if (r.value.kind === 'print') {
          expect(r.value.applicationNo).toBe(v.expect.applicationNo);
          expect(r.value.service).toBe(v.expect.service);
          expect(r.value.regionCode).toBe(v.expect.regionCode);
        } else {
          expect(r.value.technicianId).toBe(v.expect.technicianId);
        }
      } else {
        expect(r).toEqual({ ok: false, error: v.expect.reason });
      }
    });
  }

  it('refuses a print code scanned where a badge is expected', async () => {
    const print = file.vectors.find((v) => v.name === 'valid KIA print code')!;
    const r = await verifyCode(print.token, {
      kind: 'technician',
      issuerKeys: file.issuerKeys,
      regionCode: file.kioskRegionCode,
      now: Date.parse(file.now),
    });
    expect(r).toEqual({ ok: false, error: 'invalid-qr' });
  });

  it('accepts a code signed by any configured key (rotation) and refuses it without its key', async () => {
    const print = file.vectors.find((v) => v.name === 'valid KIA print code')!;
    const opts = { kind: 'print' as const, regionCode: '3574', now: Date.parse(file.now) };
    const rotated = [
      { kid: 'new-2027', publicKey: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      ...file.issuerKeys,
    ];
    expect((await verifyCode(print.token, { ...opts, issuerKeys: rotated })).ok).toBe(true);
    expect(await verifyCode(print.token, { ...opts, issuerKeys: [rotated[0]!] })).toEqual({
      ok: false,
      error: 'invalid-qr',
    });
  });
});
