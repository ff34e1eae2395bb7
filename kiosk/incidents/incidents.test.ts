import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { openMemoryDb } from '../store/db.ts';
import { INCIDENT_GUIDES } from './guides.ts';
import { Incidents } from './incidents.ts';
import { INCIDENT_KINDS } from './kinds.ts';

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
      by: 'technician',
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

  it('a printer fault opens one incident however often it is seen, and READY closes it by itself', () => {
    const clock = new ManualClock();
    const inc = new Incidents(openMemoryDb(), clock);
    inc.deviceState('card', 'CARD_JAM');
    inc.deviceState('card', 'CARD_JAM');
    inc.deviceState('paper', 'MEDIA_EMPTY');
    const claim = inc.record({ kind: 'claim-lost', applicationNo: '3574-KTP-2026-000001' });
    expect(inc.open().map((i) => [i.kind, i.detail.state])).toEqual([
      ['card-jam', 'CARD_JAM'],
      ['paper-empty', 'MEDIA_EMPTY'],
      ['claim-lost', undefined],
    ]);
    clock.advance(60_000);
    const closed = inc.deviceState('card', 'READY');
    expect(closed.map((i) => i.kind)).toEqual(['card-jam']);
    expect(closed[0]!.resolved).toEqual({ by: 'auto', at: clock.now(), note: 'card printer READY' });
    // The paper incident waits for the A4 printer; the claim for a technician's note.
    expect(inc.open().map((i) => i.kind)).toEqual(['paper-empty', 'claim-lost']);
    expect(inc.causeGone('cards-loaded', 'cards loaded')).toEqual([]);
    expect(inc.get(claim)?.resolved).toBeUndefined();
  });

  it('a kind an older version stored and this one does not know shows as a device fault', () => {
    const db = openMemoryDb();
    const inc = new Incidents(db);
    db.prepare("INSERT INTO incidents (at, kind, detail) VALUES (1, 'printer-on-fire', '{}')").run();
    expect(inc.open()[0]).toMatchObject({
      kind: 'device-fault',
      detail: { recordedKind: 'printer-on-fire' },
    });
  });

  it('every kind has a title, what was seen and numbered steps in both languages', () => {
    for (const kind of INCIDENT_KINDS) {
      const g = INCIDENT_GUIDES[kind];
      for (const text of [g.title, g.saw, ...g.steps]) {
        expect(text.id.length, kind).toBeGreaterThan(3);
        expect(text.en.length, kind).toBeGreaterThan(3);
        expect(text.id, kind).not.toBe(text.en);
      }
      expect(g.steps.length, kind).toBeGreaterThanOrEqual(2);
    }
  });
});
