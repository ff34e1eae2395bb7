import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { Incidents } from '../incidents/incidents.ts';
import { openMemoryDb } from '../store/db.ts';
import { CardLedger, RECOVERED_REASON } from './ledger.ts';
import { PaperLedger } from './paper-ledger.ts';

function setup() {
  const db = openMemoryDb();
  const clock = new ManualClock();
  const incidents = new Incidents(db, clock);
  const ledger = new CardLedger(db, { clock, incidents });
  return { db, clock, incidents, ledger };
}

describe('CardLedger', () => {
  it('keeps loaded = printed + spoiled + removed + remaining', () => {
    const { ledger } = setup();
    ledger.load(100, 'T1');
    ledger.printed('3574-KTP-2026-000001', 's1', { service: 'KTP_EL', counters: { total: 1, spoiled: 0 } });
    ledger.spoiled('CARD_JAM', { counters: { total: 1, spoiled: 1 } });
    ledger.removed(3, 'returned to the store', 'T1');
    expect(ledger.totals()).toEqual({
      loaded: 100,
      printed: 1,
      spoiled: 1,
      removed: 3,
      corrected: 0,
      remaining: 95,
    });
    ledger.correct(-2, 'counted 93 in the feeder', 'T1');
    expect(ledger.remaining()).toBe(93);
    const t = ledger.totals();
    expect(t.loaded + t.corrected).toBe(t.printed + t.spoiled + t.removed + t.remaining);
    expect(ledger.entries().map((e) => e.kind)).toEqual([
      'loaded',
      'printed',
      'spoiled',
      'removed',
      'correction',
    ]);
  });

  it('leaves the feed pending on an unknown outcome; recover books the card the counters show', () => {
    const { ledger } = setup();
    ledger.ensureBaseline({ total: 10, spoiled: 2 });
    ledger.load(5, 'T1');
    ledger.feedStarted({ total: 10, spoiled: 2 }, { service: 'KIA' });
    ledger.recordOutcome({ kind: 'unknown', before: { total: 10, spoiled: 2 }, fault: 'OFFLINE' });
    expect(ledger.feedPending()).toBe(true);
    expect(ledger.recover({ total: 11, spoiled: 2 })).toEqual({
      printed: 1,
      spoiled: 0,
      nothingPending: false,
    });
    expect(ledger.remaining()).toBe(4);
    expect(ledger.reconcile({ total: 11, spoiled: 2 }).status).toBe('match');
    // Unknown before the counters could even be read: nothing was sent, nothing is pending.
    ledger.feedStarted({ total: 11, spoiled: 2 });
    ledger.recordOutcome({ kind: 'unknown', before: undefined, fault: 'OFFLINE' });
    expect(ledger.feedPending()).toBe(false);
  });

  it('settles a feed left pending from the counters read before the next feed', () => {
    const { ledger } = setup();
    ledger.ensureBaseline({ total: 0, spoiled: 0 });
    ledger.load(5, 'T1');
    ledger.feedStarted({ total: 0, spoiled: 0 });
    ledger.recordOutcome({ kind: 'unknown', before: { total: 0, spoiled: 0 }, fault: 'OFFLINE' });
    ledger.feedStarted({ total: 0, spoiled: 1 });
    expect(ledger.totals()).toMatchObject({ spoiled: 1, remaining: 4 });
    ledger.recordOutcome({
      kind: 'printed',
      before: { total: 0, spoiled: 1 },
      after: { total: 1, spoiled: 1 },
    });
    expect(ledger.reconcile({ total: 1, spoiled: 1 })).toEqual({ status: 'match', printed: 1, spoiled: 1 });
  });

  it('books a movement reported with counters once only', () => {
    const { ledger } = setup();
    ledger.load(5, 'T1');
    expect(ledger.printed('A', 's', { counters: { total: 7, spoiled: 0 } })).toBeDefined();
    expect(ledger.printed('A', 's', { counters: { total: 7, spoiled: 0 } })).toBeUndefined();
    expect(ledger.remaining()).toBe(4);
  });

  it('refuses bad counts and missing reasons as bugs', () => {
    const { ledger } = setup();
    expect(() => ledger.load(0, 'T1')).toThrow(RangeError);
    expect(() => ledger.load(1.5, 'T1')).toThrow(RangeError);
    expect(() => ledger.removed(1, ' ', 'T1')).toThrow(RangeError);
    expect(() => ledger.correct(0, 'x', 'T1')).toThrow(RangeError);
  });

  it('reconciles against the counters from the baseline and keeps a mismatch as one incident', () => {
    const { ledger, incidents } = setup();
    expect(ledger.reconcile({ total: 10, spoiled: 2 })).toEqual({ status: 'no-baseline' });
    ledger.setBaseline({ total: 10, spoiled: 2 });
    ledger.load(20, 'T1');
    ledger.printed('A', 's', { counters: { total: 11, spoiled: 2 } });
    expect(ledger.reconcile({ total: 11, spoiled: 2 })).toEqual({ status: 'match', printed: 1, spoiled: 0 });

    // A card printed that the ledger never heard of (printed by hand through the printer's own tool).
    const r = ledger.reconcile({ total: 12, spoiled: 2 });
    expect(r).toMatchObject({
      status: 'mismatch',
      ledger: { printed: 1, spoiled: 0 },
      printer: { printed: 2, spoiled: 0 },
    });
    expect(incidents.open()).toHaveLength(1);
    expect(ledger.reconcile({ total: 12, spoiled: 2 })).toMatchObject({ status: 'mismatch' });
    expect(incidents.open()).toHaveLength(1);
    // Never silently fixed: the ledger is unchanged.
    expect(ledger.totals().printed).toBe(1);
    expect(ledger.remaining()).toBe(19);

    // A new printer: a new baseline.
    ledger.setBaseline({ total: 0, spoiled: 0 });
    expect(ledger.reconcile({ total: 0, spoiled: 0 })).toEqual({ status: 'match', printed: 0, spoiled: 0 });
  });

  it('recovers a feed a crash left pending from the counters', () => {
    const { ledger } = setup();
    ledger.setBaseline({ total: 5, spoiled: 1 });
    ledger.load(10, 'T1');
    ledger.feedStarted({ total: 5, spoiled: 1 }, { applicationNo: 'A', sessionId: 's1', service: 'KIA' });
    expect(ledger.reconcile({ total: 6, spoiled: 1 })).toEqual({ status: 'feed-pending' });
    expect(ledger.recover({ total: 6, spoiled: 1 })).toEqual({
      printed: 1,
      spoiled: 0,
      nothingPending: false,
    });
    expect(ledger.entries({ kind: 'printed' })[0]).toMatchObject({ applicationNo: 'A', service: 'KIA' });

    ledger.feedStarted({ total: 6, spoiled: 1 });
    expect(ledger.recover({ total: 6, spoiled: 2 })).toEqual({
      printed: 0,
      spoiled: 1,
      nothingPending: false,
    });
    expect(ledger.entries({ kind: 'spoiled' })[0]!.reason).toBe(RECOVERED_REASON);

    ledger.feedStarted({ total: 6, spoiled: 2 });
    expect(ledger.recover({ total: 6, spoiled: 2 })).toEqual({
      printed: 0,
      spoiled: 0,
      nothingPending: false,
    });
    expect(ledger.recover({ total: 6, spoiled: 2 }).nothingPending).toBe(true);
    expect(ledger.reconcile({ total: 6, spoiled: 2 })).toEqual({ status: 'match', printed: 1, spoiled: 1 });
    expect(ledger.remaining()).toBe(8);
  });

  it('books the driver outcome', () => {
    const { ledger } = setup();
    ledger.load(3, 'T1');
    const before = { total: 0, spoiled: 0 };
    ledger.recordOutcome({ kind: 'printed', before, after: { total: 1, spoiled: 0 } }, { service: 'KTP_EL' });
    ledger.recordOutcome({ kind: 'spoiled', before, after: { total: 1, spoiled: 1 }, fault: 'CARD_JAM' });
    ledger.recordOutcome({ kind: 'not-fed', before, after: before, fault: 'COVER_OPEN' });
    expect(ledger.totals()).toMatchObject({ printed: 1, spoiled: 1, remaining: 1 });
  });

  it('cannot be edited in place', () => {
    const { db, ledger } = setup();
    ledger.load(3, 'T1');
    expect(() => db.prepare('UPDATE ledger_entries SET count = 30').run()).toThrow(/append-only/);
  });
});

describe('PaperLedger', () => {
  it('keeps its own balance beside the cards', () => {
    const db = openMemoryDb();
    const paper = new PaperLedger(db);
    const cards = new CardLedger(db);
    paper.load(500, 'T1');
    cards.load(10, 'T1');
    paper.printed(3, { applicationNo: 'B', service: 'KK' });
    paper.spoiled(2, 'MEDIA_JAM', { applicationNo: 'C', service: 'AKTA_KELAHIRAN' });
    paper.removed(10, 'wet', 'T1');
    expect(paper.totals()).toEqual({
      loaded: 500,
      printed: 3,
      spoiled: 2,
      removed: 10,
      corrected: 0,
      remaining: 485,
    });
    expect(cards.remaining()).toBe(10);
  });
});
