import type { Clock } from '../../drivers/shared/clock.ts';
import { systemClock } from '../../drivers/shared/clock.ts';
import type { Db } from '../store/db.ts';
import type { LedgerEntry } from './ledger-table.ts';
import { assertCount, StockLedger } from './stock-ledger.ts';

/**
 * The A4 paper ledger: the same idea as the card ledger, simpler. The spooler gives no sheet counter to
 * reconcile against, so this is the technician's estimate of the tray: sheets loaded, minus sheets
 * printed and spoiled (a job that failed part-way counts all its pages as spoiled), minus removed.
 */
/** Which session and document a booking belongs to. */
type PaperRef = { applicationNo?: string; sessionId?: string; service?: string };

export class PaperLedger extends StockLedger {
  constructor(db: Db, opts: { clock?: Clock } = {}) {
    super(db, opts.clock ?? systemClock, 'paper');
  }

  /** A job completed: `sheets` came out printed. */
  printed(sheets: number, ref: PaperRef = {}): LedgerEntry {
    return this.book('printed', sheets, ref);
  }

  /** A job failed or stopped: its `sheets` count as spoiled. */
  spoiled(sheets: number, reason: string, ref: PaperRef = {}): LedgerEntry {
    return this.book('spoiled', sheets, { ...ref, reason });
  }

  private book(
    kind: 'printed' | 'spoiled',
    sheets: number,
    ref: PaperRef & { reason?: string },
  ): LedgerEntry {
    assertCount(sheets);
    return this.table.insert({ at: this.clock.now(), medium: 'paper', kind, count: sheets, ...ref })!;
  }
}
