import type { Clock } from '../../drivers/shared/clock.ts';
import { systemClock } from '../../drivers/shared/clock.ts';
import type { Db } from '../store/db.ts';
import { type LedgerEntry, type LedgerQuery, LedgerTable, type LedgerTotals } from './ledger-table.ts';

/**
 * The A4 paper ledger: the same idea as the card ledger, simpler. The spooler gives no sheet counter to
 * reconcile against, so this is the technician's estimate of the tray: sheets loaded, minus sheets
 * printed and spoiled (a job that failed part-way counts all its pages as spoiled), minus removed.
 */
export class PaperLedger {
  private readonly table: LedgerTable;
  private readonly clock: Clock;

  constructor(db: Db, opts: { clock?: Clock } = {}) {
    this.table = new LedgerTable(db);
    this.clock = opts.clock ?? systemClock;
  }

  /** A technician put `n` sheets in the tray. */
  load(n: number, technicianId: string): LedgerEntry {
    assertCount(n);
    return this.table.insert({
      at: this.clock.now(),
      medium: 'paper',
      kind: 'loaded',
      count: n,
      technicianId,
    })!;
  }

  /** A job completed: `sheets` came out printed. */
  printed(
    sheets: number,
    ref: { applicationNo?: string; sessionId?: string; service?: string } = {},
  ): LedgerEntry {
    assertCount(sheets);
    return this.table.insert({
      at: this.clock.now(),
      medium: 'paper',
      kind: 'printed',
      count: sheets,
      ...ref,
    })!;
  }

  /** A job failed or stopped: its `sheets` count as spoiled. */
  spoiled(
    sheets: number,
    reason: string,
    ref: { applicationNo?: string; sessionId?: string; service?: string } = {},
  ): LedgerEntry {
    assertCount(sheets);
    return this.table.insert({
      at: this.clock.now(),
      medium: 'paper',
      kind: 'spoiled',
      count: sheets,
      reason,
      ...ref,
    })!;
  }

  /** A technician took `n` sheets out, with the reason. */
  removed(n: number, reason: string, technicianId: string): LedgerEntry {
    assertCount(n);
    if (!reason.trim()) throw new RangeError('a reason is required');
    return this.table.insert({
      at: this.clock.now(),
      medium: 'paper',
      kind: 'removed',
      count: n,
      reason,
      technicianId,
    })!;
  }

  /** A counted difference, with the reason. */
  correct(delta: number, reason: string, technicianId: string): LedgerEntry {
    if (!Number.isInteger(delta) || delta === 0)
      throw new RangeError(`correction must be a non-zero integer: ${delta}`);
    if (!reason.trim()) throw new RangeError('a reason is required');
    return this.table.insert({
      at: this.clock.now(),
      medium: 'paper',
      kind: 'correction',
      count: delta,
      reason,
      technicianId,
    })!;
  }

  remaining(): number {
    return this.table.totals('paper').remaining;
  }

  totals(): LedgerTotals {
    return this.table.totals('paper');
  }

  entries(q: LedgerQuery = {}): LedgerEntry[] {
    return this.table.entries('paper', q);
  }
}

function assertCount(n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`count must be a positive integer: ${n}`);
}
