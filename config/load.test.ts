import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.ts';

describe('parseConfig', () => {
  it('names the missing key, and the driver it is required for', () => {
    const r = parseConfig({
      kioskId: 'ADM-1',
      regionCode: '3574',
      centralApi: { baseUrl: 'http://127.0.0.1:1/v1', token: 't' },
      qr: { issuerKeys: [{ kid: 'k', publicKey: 'cqJ_ulR5tiZgNcp_V5ooKcYjL9aJVNkLcvCrakbzkos' }] },
      devices: { cardPrinter: { driver: 'serial' } },
      dataDir: '/tmp/adm',
    });
    expect(r).toEqual({
      ok: false,
      error: ['config: devices.cardPrinter.path: required for driver "serial"'],
    });
  });

  it('quotes a key that is empty or holds spaces, colons or line breaks (found by the fuzzer)', () => {
    const r = parseConfig({ '': false, 'a: b\nconfig: x': 1 });
    if (r.ok) throw new Error('accepted');
    expect(r.error).toContain('config: "": unknown key');
    expect(r.error).toContain('config: "a: b\\nconfig: x": unknown key');
    expect(r.error).toContain('config: kioskId: required');
  });

  it('says (root) when the config is not an object', () => {
    expect(parseConfig([])).toMatchObject({
      ok: false,
      error: [expect.stringMatching(/^config: \(root\): /)],
    });
  });
});
