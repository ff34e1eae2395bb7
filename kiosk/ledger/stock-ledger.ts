import type { Clock } from '../../drivers/shared/clock.ts';
import type { Db } from '../store/db.ts';
import {
  type LedgerEntry,
  type LedgerQuery,
  LedgerTable,
  type LedgerTotals,
  type Medium,
} from './ledger-table.ts';

/**
 * What the card and the paper ledger share: a technician's loads, removals and counted corrections of
 * one medium, and its totals, all as entries in the one append-only ledger table.
 */
export abstract class StockLedger {
  protected readonly table: LedgerTable;

  constructor(
    db: Db,
    protected readonly clock: Clock,
    private readonly medium: Medium,
  ) {
    this.table = new LedgerTable(db);
  }

  /** A technician loaded `n` (blank cards in the feeder, sheets in the tray). */
  load(n: number, technicianId: string): LedgerEntry {
    assertCount(n);
    return this.table.insert({
      at: this.clock.now(),
      medium: this.medium,
      kind: 'loaded',
      count: n,
      technicianId,
    })!;
  }

  /** A technician took `n` out (spoiled by hand, returned, damaged), with the reason. */
  removed(n: number, reason: string, technicianId: string): LedgerEntry {
    assertCount(n);
    assertReason(reason);
    return this.table.insert({
      at: this.clock.now(),
      medium: this.medium,
      kind: 'removed',
      count: n,
      reason,
      technicianId,
    })!;
  }

  /** A counted difference: `delta` more (or fewer, negative) than the ledger had, with the reason. */
  correct(delta: number, reason: string, technicianId: string): LedgerEntry {
    if (!Number.isInteger(delta) || delta === 0)
      throw new RangeError(`correction must be a non-zero integer: ${delta}`);
    assertReason(reason);
    return this.table.insert({
      at: this.clock.now(),
      medium: this.medium,
      kind: 'correction',
      count: delta,
      reason,
      technicianId,
    })!;
  }

  /** What the ledger says is left. */
  remaining(): number {
    return this.table.totals(this.medium).remaining;
  }

  totals(): LedgerTotals {
    return this.table.totals(this.medium);
  }

  entries(q: LedgerQuery = {}): LedgerEntry[] {
    return this.table.entries(this.medium, q);
  }
}

/** A count of cards or sheets: a positive integer. */
export function assertCount(n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`count must be a positive integer: ${n}`);
}

/** Every removal and correction carries a reason. */
export function assertReason(reason: string): void {
  if (!reason.trim()) throw new RangeError('a reason is required');
}
