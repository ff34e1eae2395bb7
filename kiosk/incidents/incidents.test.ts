import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { openMemoryDb } from '../store/db.ts';
import { Incidents } from './incidents.ts';

describe('Incidents', () => {
  it('records, lists open ones and resolves with a note', () => {
    const clock = new ManualClock();
    const inc = new Incidents(openMemoryDb(), clock);
    const a = inc.record({
      kind: 'claim-lost',
      applicationNo: '3574-KTP-2026-000001',
      claimId: 'c1',
      detail: { status: 409 },
    });
    clock.advance(1000);
    const b = inc.record({ kind: 'ledger-mismatch', detail: { expected: 3, actual: 4 } });
    expect(inc.open().map((i) => i.id)).toEqual([a, b]);
    expect(inc.open()[0]).toMatchObject({ kind: 'claim-lost', claimId: 'c1', detail: { status: 409 } });

    const r = inc.resolve(a, 'T-3574-01', 'completed by hand at the office');
    expect(r.ok).toBe(true);
    expect(inc.open().map((i) => i.id)).toEqual([b]);
    expect(inc.get(a)?.resolved).toEqual({
      at: clock.now(),
      technicianId: 'T-3574-01',
      note: 'completed by hand at the office',
    });
    expect(inc.resolve(a, 'T-3574-01', 'again')).toEqual({ ok: false, error: 'already-resolved' });
    expect(inc.resolve(999, 'T-3574-01', 'x')).toEqual({ ok: false, error: 'not-found' });
  });

  it('redacts personal data in the detail', () => {
    const inc = new Incidents(openMemoryDb());
    const id = inc.record({ kind: 'partial-print', detail: { nik: '3574010101900001', pinProof: 'p' } });
    expect(inc.get(id)?.detail).toEqual({ nik: '357401******0001', pinProof: '[redacted]' });
  });
});
