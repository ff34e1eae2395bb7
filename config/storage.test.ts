import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.ts';

const base = {
  kioskId: 'ADM-1',
  regionCode: '3574',
  centralApi: { baseUrl: 'http://127.0.0.1:1/v1', token: 't' },
  qr: { issuerKeys: [{ kid: 'k', publicKey: 'cqJ_ulR5tiZgNcp_V5ooKcYjL9aJVNkLcvCrakbzkos' }] },
  devices: {},
  dataDir: '/tmp/adm',
};

describe('config storage (free-space floor and retention)', () => {
  it('is optional, fills its defaults when given, and names a value out of bounds', () => {
    const none = parseConfig(base);
    expect(none.ok && none.value.storage).toBeUndefined();
    const empty = parseConfig({ ...base, storage: {} });
    expect(empty.ok && empty.value.storage).toEqual({ minFreeMB: 200, retentionDays: 90 });
    const bad = parseConfig({ ...base, storage: { minFreeMB: 1, retentionDays: 5000, keep: true } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.join('\n')).toMatch(/storage\.minFreeMB/);
      expect(bad.error.join('\n')).toMatch(/storage\.retentionDays/);
      expect(bad.error.join('\n')).toMatch(/storage\.keep/);
    }
  });
});
