import { statfsSync } from 'node:fs';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ReconciliationResult } from '../ledger/ledger.ts';
import type { LedgerTotals } from '../ledger/ledger-table.ts';
import type { Db } from '../store/db.ts';
import type { Checklist, ReconciliationRow } from './view-model.ts';

/** Cards a card printer's head may print between cleanings (the vendor's figure for YMCKO ribbons). */
export const HEAD_CLEANING_EVERY = 1000;
/** Free disk space below which the checklist turns red. */
export const DISK_FLOOR_BYTES = 512 * 1024 * 1024;
/** Ribbon panels a KTP-el card takes (Y, M, C, K, O). */
const PANELS_PER_CARD = 5;
const DAY_MS = 86_400_000;

/** Test prints booked in a ledger (`service: 'TEST'`). */
export function testPrints(db: Db, medium: 'card' | 'paper'): number {
  const r = db
    .prepare(
      "SELECT COALESCE(SUM(count), 0) AS n FROM ledger_entries WHERE medium = ? AND kind = 'printed' AND service = 'TEST'",
    )
    .get(medium) as { n: number };
  return r.n;
}

/** What the last 7 days printed a day on average (test prints left out), rounded up. */
function dailyUse(db: Db, medium: 'card' | 'paper', now: number): number {
  const r = db
    .prepare(
      "SELECT COALESCE(SUM(count), 0) AS n FROM ledger_entries WHERE medium = ? AND kind = 'printed' AND COALESCE(service, '') != 'TEST' AND at >= ?",
    )
    .get(medium, now - 7 * DAY_MS) as { n: number };
  return Math.ceil(r.n / 7);
}

/** One supply's line of the reconciliation. */
function row(item: 'cards' | 'paper', t: LedgerTotals, test: number): ReconciliationRow {
  return {
    item,
    loaded: t.loaded,
    printed: t.printed - test,
    spoiled: t.spoiled,
    test,
    removed: t.removed,
    corrected: t.corrected,
    left: t.remaining,
  };
}

/**
 * The reconciliation as a table: blank cards, ribbon and paper, loaded / printed / spoiled / test / drawn
 * back / left, and for cards the printer's own count since the baseline (from the last reconcile).
 */
export function reconciliationRows(opts: {
  db: Db;
  cards: LedgerTotals;
  paper: LedgerTotals;
  ribbonPanelsLeft?: number;
  reconciliation?: ReconciliationResult;
}): ReconciliationRow[] {
  const cards = row('cards', opts.cards, testPrints(opts.db, 'card'));
  const r = opts.reconciliation;
  if (r?.status === 'match') {
    cards.printerSays = r.printed + r.spoiled;
    cards.difference = 0;
  } else if (r?.status === 'mismatch') {
    cards.printerSays = r.printer.printed + r.printer.spoiled;
    cards.difference = r.ledger.printed + r.ledger.spoiled - cards.printerSays;
  }
  const rows: ReconciliationRow[] = [cards];
  if (opts.ribbonPanelsLeft !== undefined) rows.push({ item: 'ribbon', printerSays: opts.ribbonPanelsLeft });
  rows.push(row('paper', opts.paper, testPrints(opts.db, 'paper')));
  return rows;
}

/** Free bytes on the file system of `dir`, or undefined when it cannot be read. */
export function freeBytes(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/** The morning checklist from the stores and what the devices said. */
export function buildChecklist(opts: {
  db: Db;
  audit: AuditLog;
  now: number;
  cardsLeft?: number;
  sheetsLeft?: number;
  ribbonPanelsLeft?: number;
  /** The card printer's total counter now, when it answered. */
  cardCounterTotal?: number;
  /** (1.1) `Rco;cl`, when the printer counts cards since its head was cleaned: it governs then. */
  headCardsSinceCleaning?: number;
  openIncidents: number;
  outboxPending: number;
  diskFreeBytes?: number;
}): Checklist {
  const cardsPerDay = dailyUse(opts.db, 'card', opts.now);
  const sheetsPerDay = dailyUse(opts.db, 'paper', opts.now);
  const supply = (item: 'cards' | 'paper' | 'ribbon', left: number | undefined, expectedToday: number) => ({
    item,
    ...(left !== undefined ? { left } : {}),
    expectedToday,
    enough: left === undefined ? false : left >= Math.max(1, expectedToday),
  });
  const cleaned = opts.audit
    .entries({ type: 'maintenance' })
    .filter((e) => e.outcome === 'head-cleaned')
    .at(-1);
  const cleanedAt = typeof cleaned?.detail?.counterTotal === 'number' ? cleaned.detail.counterTotal : 0;
  // The printer's own count when it keeps one (card-printer.md 1.1); an older printer's is reckoned from
  // its total counter at the last cleaning the technician recorded.
  const cardsSince =
    opts.headCardsSinceCleaning ?? Math.max(0, (opts.cardCounterTotal ?? cleanedAt) - cleanedAt);
  const last = opts.db
    .prepare(
      "SELECT at FROM audit_log WHERE type = 'session' AND outcome IN ('printed', 'partial') ORDER BY seq DESC LIMIT 1",
    )
    .get() as { at: number } | undefined;
  const out: Checklist = {
    supplies: [
      supply('cards', opts.cardsLeft, cardsPerDay),
      supply('ribbon', opts.ribbonPanelsLeft, cardsPerDay * PANELS_PER_CARD),
      supply('paper', opts.sheetsLeft, sheetsPerDay),
    ],
    headCleaning: { cardsSince, every: HEAD_CLEANING_EVERY, due: cardsSince >= HEAD_CLEANING_EVERY },
    openIncidents: opts.openIncidents,
    outboxPending: opts.outboxPending,
    clock: opts.now,
  };
  if (opts.diskFreeBytes !== undefined)
    out.disk = {
      freeBytes: opts.diskFreeBytes,
      floorBytes: DISK_FLOOR_BYTES,
      ok: opts.diskFreeBytes >= DISK_FLOOR_BYTES,
    };
  if (last) out.lastCompletedSession = last.at;
  return out;
}
