import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CardCounters, CardPrintOutcome } from '../../drivers/card-printer/types.ts';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { Incidents } from '../incidents/incidents.ts';
import { type Db, openDb } from '../store/db.ts';
import { CardLedger } from './ledger.ts';

/**
 * The card printer as far as cards go: a feeder the kiosk cannot see into and the two monotonic
 * counters of card-printer.md. It lives outside the kiosk process, so a kiosk crash leaves it as it is.
 */
class PrinterCards {
  feeder = 0;
  total = 0;
  spoiled = 0;

  counters(): CardCounters {
    return { total: this.total, spoiled: this.spoiled };
  }

  print(fault: 'none' | 'jam'): CardPrintOutcome {
    const before = this.counters();
    if (this.feeder === 0) return { kind: 'not-fed', before, after: before, fault: 'FEEDER_EMPTY' };
    this.feeder--;
    if (fault === 'jam') {
      this.spoiled++;
      return { kind: 'spoiled', before, after: this.counters(), fault: 'CARD_JAM' };
    }
    this.total++;
    return { kind: 'printed', before, after: this.counters() };
  }
}

type Op =
  | { op: 'load'; n: number }
  | { op: 'print'; fault: 'none' | 'jam'; crash: 'none' | 'before-feed' | 'after-print' }
  | { op: 'remove'; n: number }
  | { op: 'report-again' }
  | { op: 'restart' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('load' as const), n: fc.integer({ min: 1, max: 30 }) }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('print' as const),
      fault: fc.constantFrom('none' as const, 'none' as const, 'jam' as const),
      crash: fc.constantFrom(
        'none' as const,
        'none' as const,
        'before-feed' as const,
        'after-print' as const,
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('remove' as const), n: fc.integer({ min: 1, max: 10 }) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('report-again' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const) }) },
);

describe('CardLedger property: invariant and agreement with the printer counters', () => {
  it('holds through random loads, prints, spoils, removals, crashes and restarts', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        fc.nat({ max: 1000 }),
        fc.nat({ max: 50 }),
        (ops, startTotal, startSpoiled) => {
          const dir = mkdtempSync(join(tmpdir(), 'adm-ledger-prop-'));
          const clock = new ManualClock();
          const printer = new PrinterCards();
          printer.total = startTotal;
          printer.spoiled = startSpoiled;
          let db: Db = openDb(dir);
          let ledger = new CardLedger(db, { clock, incidents: new Incidents(db, clock) });
          ledger.ensureBaseline(printer.counters());
          let lastOutcome: CardPrintOutcome | undefined;

          /** A crash is the process gone: the DB is reopened from its file; the kiosk's start recovers. */
          const restart = () => {
            db.close();
            db = openDb(dir);
            ledger = new CardLedger(db, { clock, incidents: new Incidents(db, clock) });
            ledger.recover(printer.counters());
          };

          try {
            for (const o of ops) {
              clock.advance(1000);
              switch (o.op) {
                case 'load':
                  printer.feeder += o.n;
                  ledger.load(o.n, 'T-3574-01');
                  break;
                case 'remove': {
                  const n = Math.min(o.n, printer.feeder);
                  if (n === 0) break;
                  printer.feeder -= n;
                  ledger.removed(n, 'returned to the store', 'T-3574-01');
                  break;
                }
                case 'print': {
                  ledger.feedStarted(printer.counters(), {
                    applicationNo: 'A',
                    sessionId: 's',
                    service: 'KTP_EL',
                  });
                  if (o.crash === 'before-feed') {
                    restart();
                    break;
                  }
                  const outcome = printer.print(o.fault);
                  if (o.crash === 'after-print') {
                    restart();
                    break;
                  }
                  ledger.recordOutcome(outcome, { applicationNo: 'A', sessionId: 's', service: 'KTP_EL' });
                  lastOutcome = outcome;
                  break;
                }
                case 'report-again':
                  // The flow's own recovery may report the last outcome a second time.
                  if (lastOutcome) ledger.recordOutcome(lastOutcome);
                  break;
                case 'restart':
                  restart();
                  break;
              }
              const t = ledger.totals();
              expect(t.loaded + t.corrected).toBe(t.printed + t.spoiled + t.removed + t.remaining);
              expect(t.remaining).toBe(printer.feeder);
              expect(ledger.reconcile(printer.counters())).toEqual({
                status: 'match',
                printed: printer.total - startTotal,
                spoiled: printer.spoiled - startSpoiled,
              });
            }
            expect(new Incidents(db, clock).open()).toEqual([]);
          } finally {
            db.close();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is not trivially true: a card printed behind the ledger breaks agreement and is kept as an incident', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-ledger-neg-'));
    const db = openDb(dir);
    try {
      const incidents = new Incidents(db);
      const ledger = new CardLedger(db, { incidents });
      const printer = new PrinterCards();
      ledger.ensureBaseline(printer.counters());
      printer.feeder = 5;
      ledger.load(5, 'T1');
      printer.print('none');
      expect(ledger.remaining()).not.toBe(printer.feeder);
      expect(ledger.reconcile(printer.counters()).status).toBe('mismatch');
      expect(incidents.open().map((i) => i.kind)).toEqual(['ledger-mismatch']);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
