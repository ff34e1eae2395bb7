import type { CardCounters, CardPrintOutcome } from '../../drivers/card-printer/types.ts';
import type { Clock } from '../../drivers/shared/clock.ts';
import { systemClock } from '../../drivers/shared/clock.ts';
import type { Incidents } from '../incidents/incidents.ts';
import type { Db } from '../store/db.ts';
import { type WriteBehind, type WriteOp, writeBehind } from '../store/write-behind.ts';
import { insertOp, type LedgerEntry } from './ledger-table.ts';
import { assertCount, StockLedger } from './stock-ledger.ts';

/** Which application a card movement belongs to. */
export interface CardRef {
  applicationNo?: string;
  sessionId?: string;
  /** KTP_EL, KIA, or TEST for a maintenance test print. */
  service?: string;
}

/** A card movement reported with the printer's counters after it, so it is booked once only. */
export interface CardMovement extends CardRef {
  counters?: CardCounters;
}

/** What `reconcile` found. A mismatch is kept as an incident, never corrected here. */
export type ReconciliationResult =
  | { status: 'match'; printed: number; spoiled: number }
  | {
      status: 'mismatch';
      ledger: { printed: number; spoiled: number };
      printer: { printed: number; spoiled: number };
      incidentId?: number;
    }
  /** No baseline yet: `setBaseline` with the printer's counters first (a new printer). */
  | { status: 'no-baseline' }
  /** A card feed is journaled and not yet booked: call `recover` first. */
  | { status: 'feed-pending' };

/** The printer's counters as the start-up check reads them: `Rco;rt` only where the printer has a bezel. */
export interface PrinterCounts extends CardCounters {
  /** `Rco;rt`: printed cards drawn back from the exit bezel (printers with a bezel only). */
  retracted?: number;
}

/** One of the printer's counters, by its protocol name (card-printer.md). */
export type CountName = 'Rco;tc' | 'Rco;sc' | 'Rco;rt';

/** A counter whose movement since the baseline the ledger does not account for. */
export interface CountDifference {
  count: CountName;
  /** What the ledger booked since the baseline. */
  ledger: number;
  /** What the printer counted since the baseline. */
  printer: number;
  /** The counter's reading now. */
  reading: number;
}

/** What `compareWithPrinter` found. */
export type PrinterComparison =
  | { status: 'match' }
  | { status: 'differs'; differences: CountDifference[]; incidentIds: number[] }
  /** No baseline yet (a new printer): `setBaseline` first. */
  | { status: 'no-baseline' }
  /** A feed a crash left unbooked: `recover` with these counters first. */
  | { status: 'feed-pending' };

/** What `recover` booked from the counters for a feed a crash left unbooked. */
export interface RecoveryResult {
  printed: number;
  spoiled: number;
  /** There was no pending feed. */
  nothingPending: boolean;
}

export interface CardLedgerOptions {
  clock?: Clock;
  /** Where mismatches are kept; without it a mismatch is only returned. */
  incidents?: Incidents;
}

const CLEAR_PENDING: WriteOp = { sql: 'DELETE FROM ledger_pending_feed WHERE id = 1', params: [] };

/** Reason recorded for cards booked by `recover` after a restart. */
export const RECOVERED_REASON = 'recovered-from-counters';

/**
 * The blank-card ledger. The printer senses only "feeder empty", so how many blank cards are in it is
 * this ledger: every card movement is an entry, and at every moment
 * `loaded + corrected = printed + spoiled + removed + remaining`. Printed and spoiled cards are
 * reconciled against the printer's monotonic counters (`Rco;tc`, `Rco;sc`) from a baseline.
 *
 * Crash safety: call `feedStarted(before)` before sending the print sequence; `recordOutcome` (or
 * `printed` / `spoiled` with counters) after it. A crash in between leaves the feed pending, and
 * `recover(counters)` at the next start books exactly what the counters say became of that one card.
 * Entries that carry counters are idempotent, so the flow's own recovery may report the same card again.
 */
export class CardLedger extends StockLedger {
  private readonly incidents: Incidents | undefined;

  constructor(db: Db, opts: CardLedgerOptions = {}) {
    super(db, opts.clock ?? systemClock, 'card');
    this.incidents = opts.incidents;
  }

  private get db(): Db {
    return this.table.db;
  }

  /** Card movements the disk refuses (a full disk) are held in memory and booked once it takes them. */
  private get writes(): WriteBehind {
    return writeBehind(this.db, () => this.clock.monotonic());
  }

  /**
   * Journals that a card is about to be fed, with the counters read just before. A feed still pending
   * (an `unknown` outcome) is first settled from these counters, the first the printer gave since.
   */
  feedStarted(before: CardCounters, ref: CardRef = {}): void {
    if (this.feedPending()) this.recover(before);
    const op: WriteOp = {
      sql: `INSERT INTO ledger_pending_feed (id, at, before_total, before_spoiled, application_no, session_id, service)
         VALUES (1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET at = excluded.at, before_total = excluded.before_total,
           before_spoiled = excluded.before_spoiled, application_no = excluded.application_no,
           session_id = excluded.session_id, service = excluded.service`,
      params: [
        this.clock.now(),
        before.total,
        before.spoiled,
        ref.applicationNo ?? null,
        ref.sessionId ?? null,
        ref.service ?? null,
      ],
    };
    this.writes.attempt(
      () => this.db.prepare(op.sql).run(...op.params),
      () => [op],
    );
  }

  /** Whether a feed is journaled and not yet booked. */
  feedPending(): boolean {
    return this.db.prepare('SELECT 1 FROM ledger_pending_feed WHERE id = 1').get() !== undefined;
  }

  /**
   * A card came out printed. With `counters` (read after the print) it is booked once whatever the
   * number of calls; returns undefined for a repeat.
   */
  printed(
    applicationNo?: string,
    sessionId?: string,
    more: Omit<CardMovement, 'applicationNo' | 'sessionId'> = {},
  ) {
    return this.book({
      at: this.clock.now(),
      medium: 'card',
      kind: 'printed',
      count: 1,
      applicationNo,
      sessionId,
      service: more.service,
      counters: more.counters,
    });
  }

  /** `count` cards were fed and rejected by the printer (jam, mechanical error, reset). */
  spoiled(reason: string, movement: CardMovement & { count?: number } = {}) {
    const count = movement.count ?? 1;
    assertCount(count);
    return this.book({
      at: this.clock.now(),
      medium: 'card',
      kind: 'spoiled',
      count,
      reason,
      applicationNo: movement.applicationNo,
      sessionId: movement.sessionId,
      service: movement.service,
      counters: movement.counters,
    });
  }

  /**
   * Books a card that came out or was spoiled and ends the pending feed, in one transaction; on a full
   * disk both are held and booked once it takes them (returns undefined then, as for a repeat).
   */
  private book(e: Omit<LedgerEntry, 'seq'>): LedgerEntry | undefined {
    return this.writes.attempt(
      () =>
        this.db.transaction(() => {
          this.db.prepare(CLEAR_PENDING.sql).run();
          return this.table.insert(e);
        })(),
      () => [CLEAR_PENDING, insertOp(e)],
    );
  }

  /**
   * Books what the driver's print outcome says (printed, spoiled, or nothing fed). An `unknown` outcome
   * (the printer fell silent once the card may have been fed) books nothing and leaves the feed pending:
   * only the counters, read by `recover` once the printer answers again, can say what became of it.
   */
  recordOutcome(outcome: CardPrintOutcome, ref: CardRef = {}): void {
    if (outcome.kind === 'printed') {
      this.printed(ref.applicationNo, ref.sessionId, { service: ref.service, counters: outcome.after });
    } else if (outcome.kind === 'spoiled') {
      const n = outcome.after.spoiled - outcome.before.spoiled;
      if (n > 0) this.spoiled(outcome.fault, { ...ref, counters: outcome.after, count: n });
      else this.clearPending();
    } else if (
      outcome.kind === 'not-fed' ||
      outcome.kind === 'cooling' ||
      outcome.kind === 'card-waiting' ||
      outcome.before === undefined
    ) {
      // Nothing was sent (no counters could be read), or the printer refused before any card moved
      // (cooling, or a printed card still waiting in the bezel).
      this.clearPending();
    }
  }

  /** The counters reconciliation counts from (a new printer starts a new baseline). */
  setBaseline(counters: CardCounters, technicianId?: string): LedgerEntry {
    return this.table.insert({
      at: this.clock.now(),
      medium: 'card',
      kind: 'baseline',
      count: 0,
      technicianId,
      counters: { total: counters.total, spoiled: counters.spoiled },
    })!;
  }

  /** Sets the baseline only when there is none yet (first start with this store). */
  ensureBaseline(counters: CardCounters): void {
    if (!this.baseline()) this.setBaseline(counters);
  }

  baseline(): CardCounters | undefined {
    return this.table.lastOf('card', 'baseline')?.counters;
  }

  /**
   * Books the card of a feed a crash left pending: the counters' movement since the journaled "before"
   * says whether it came out printed, was spoiled, or was never fed. Only that one card is booked;
   * any other difference is left for `reconcile` to show.
   */
  recover(counters: CardCounters): RecoveryResult {
    const p = this.db.prepare('SELECT * FROM ledger_pending_feed WHERE id = 1').get() as
      | {
          before_total: number;
          before_spoiled: number;
          application_no: string | null;
          session_id: string | null;
          service: string | null;
        }
      | undefined;
    if (!p) return { printed: 0, spoiled: 0, nothingPending: true };
    const ref: CardRef = {
      applicationNo: p.application_no ?? undefined,
      sessionId: p.session_id ?? undefined,
      service: p.service ?? undefined,
    };
    return this.db.transaction((): RecoveryResult => {
      let printed = 0;
      let spoiled = 0;
      // One sequence feeds one card: it either came out (tc + 1) or was rejected (sc + 1).
      if (counters.total === p.before_total + 1) {
        if (this.printed(ref.applicationNo, ref.sessionId, { service: ref.service, counters })) printed = 1;
      } else if (counters.total === p.before_total && counters.spoiled === p.before_spoiled + 1) {
        if (this.spoiled(RECOVERED_REASON, { ...ref, counters })) spoiled = 1;
      }
      this.clearPending();
      return { printed, spoiled, nothingPending: false };
    })();
  }

  /**
   * Compares printed and spoiled cards booked since the baseline with the printer's counter movement
   * since then. A mismatch is recorded as a `ledger-mismatch` incident (once per distinct mismatch
   * while it stays open) and returned; the ledger itself is never adjusted here.
   */
  reconcile(counters: CardCounters): ReconciliationResult {
    const base = this.table.lastOf('card', 'baseline');
    if (!base?.counters) return { status: 'no-baseline' };
    if (this.feedPending()) return { status: 'feed-pending' };
    const s = this.table.sums('card', base.seq);
    const ledger = { printed: s.printed, spoiled: s.spoiled };
    const printer = {
      printed: counters.total - base.counters.total,
      spoiled: counters.spoiled - base.counters.spoiled,
    };
    if (ledger.printed === printer.printed && ledger.spoiled === printer.spoiled) {
      return { status: 'match', printed: ledger.printed, spoiled: ledger.spoiled };
    }
    const result: ReconciliationResult = { status: 'mismatch', ledger, printer };
    if (this.incidents) {
      const detail = { ledger, printer, counters: { total: counters.total, spoiled: counters.spoiled } };
      result.incidentId = this.mismatchIncident(detail);
    }
    return result;
  }

  /**
   * The start-up check (kiosk-runtime.md, issue 13 item 7): compares what the ledger booked since the
   * baseline with the printer's counters, `Rco;tc` (printed), `Rco;sc` (spoiled) and, where the printer
   * has an exit bezel, `Rco;rt` (drawn back). Every count that differs is an open `ledger-mismatch`
   * incident naming it (one per distinct difference while it stays open), never silence and never a
   * correction: a power cut that undid the last writes shows here. The first reading of `Rco;rt` sets
   * its baseline. Call `recover` first when a feed is pending.
   */
  compareWithPrinter(counts: PrinterCounts): PrinterComparison {
    const base = this.table.lastOf('card', 'baseline');
    if (!base?.counters) return { status: 'no-baseline' };
    if (this.feedPending()) return { status: 'feed-pending' };
    const s = this.table.sums('card', base.seq);
    const differences: CountDifference[] = [];
    const check = (count: CountName, ledger: number, printer: number, reading: number) => {
      if (ledger !== printer) differences.push({ count, ledger, printer, reading });
    };
    check('Rco;tc', s.printed, counts.total - base.counters.total, counts.total);
    check('Rco;sc', s.spoiled, counts.spoiled - base.counters.spoiled, counts.spoiled);
    if (counts.retracted !== undefined) {
      const rt = this.retractBaseline(counts.retracted);
      check('Rco;rt', this.retractedSince(rt.seq), counts.retracted - rt.reading, counts.retracted);
    }
    if (differences.length === 0) return { status: 'match' };
    const incidentIds = differences.map((d) => this.mismatchIncident({ ...d }));
    return { status: 'differs', differences, incidentIds: incidentIds.filter((i) => i >= 0) };
  }

  /** A printed card was drawn back from the bezel: `counterAfter` is `Rco;rt` read after it. Booked once. */
  retracted(counterAfter: number, ref: CardRef = {}): void {
    const op: WriteOp = {
      sql: "INSERT OR IGNORE INTO ledger_retracts (at, kind, counter_retracted, application_no, session_id) VALUES (?, 'retracted', ?, ?, ?)",
      params: [this.clock.now(), counterAfter, ref.applicationNo ?? null, ref.sessionId ?? null],
    };
    this.writes.attempt(
      () => this.db.prepare(op.sql).run(...op.params),
      () => [op],
    );
  }

  private retractBaseline(reading: number): { seq: number; reading: number } {
    const row = this.db
      .prepare(
        "SELECT seq, counter_retracted AS reading FROM ledger_retracts WHERE kind = 'baseline' ORDER BY seq DESC LIMIT 1",
      )
      .get() as { seq: number; reading: number } | undefined;
    if (row) return row;
    const seq = this.writes.attempt(
      () =>
        Number(
          this.db
            .prepare("INSERT INTO ledger_retracts (at, kind, counter_retracted) VALUES (?, 'baseline', ?)")
            .run(this.clock.now(), reading).lastInsertRowid,
        ),
      () => [],
    );
    return { seq: seq ?? 0, reading };
  }

  private retractedSince(seq: number): number {
    return (
      this.db
        .prepare("SELECT count(*) AS n FROM ledger_retracts WHERE kind = 'retracted' AND seq > ?")
        .get(seq) as { n: number }
    ).n;
  }

  /** Records a `ledger-mismatch` incident unless the same one is open; returns its id (-1: no incidents). */
  private mismatchIncident(detail: Record<string, unknown>): number {
    if (!this.incidents) return -1;
    const same = this.incidents
      .open()
      .find((i) => i.kind === 'ledger-mismatch' && JSON.stringify(i.detail) === JSON.stringify(detail));
    return same ? same.id : this.incidents.record({ kind: 'ledger-mismatch', detail });
  }

  private clearPending(): void {
    this.writes.attempt(
      () => this.db.prepare(CLEAR_PENDING.sql).run(),
      () => [CLEAR_PENDING],
    );
  }
}
