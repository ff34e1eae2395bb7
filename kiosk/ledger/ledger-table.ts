import type { Db } from '../store/db.ts';
import { migrate } from '../store/db.ts';
import { windowQuery } from '../store/window-query.ts';
import type { WriteOp } from '../store/write-behind.ts';

/** What a ledger counts. */
export type Medium = 'card' | 'paper';

/**
 * Every movement of blank cards or paper: `loaded` by a technician, `printed` (came out), `spoiled`
 * (fed and rejected by the printer, or an A4 job that failed part-way), `removed` by a technician with
 * a reason (spoiled by hand, returned), `correction` (a counted difference, with reason and technician),
 * `baseline` (the printer counters from which reconciliation counts; moves no card).
 */
export type LedgerEntryKind = 'loaded' | 'printed' | 'spoiled' | 'removed' | 'correction' | 'baseline';

/** One stored movement. `count` is positive except for a correction, which may be negative. */
export interface LedgerEntry {
  seq: number;
  at: number;
  medium: Medium;
  kind: LedgerEntryKind;
  count: number;
  reason?: string;
  technicianId?: string;
  applicationNo?: string;
  sessionId?: string;
  service?: string;
  /** The printer's counters after the movement (card `printed` / `spoiled`) or at the `baseline`. */
  counters?: { total: number; spoiled: number };
}

/**
 * The balance of one medium. At every moment
 * `loaded + corrected = printed + spoiled + removed + remaining`; with no correction that is
 * `loaded = printed + spoiled + removed + remaining`.
 */
export interface LedgerTotals {
  loaded: number;
  printed: number;
  spoiled: number;
  removed: number;
  /** Net of count corrections (negative: fewer cards found than the ledger had). */
  corrected: number;
  remaining: number;
}

const MIGRATIONS = [
  `CREATE TABLE ledger_entries (
     seq INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     medium TEXT NOT NULL CHECK (medium IN ('card', 'paper')),
     kind TEXT NOT NULL CHECK (kind IN ('loaded', 'printed', 'spoiled', 'removed', 'correction', 'baseline')),
     count INTEGER NOT NULL,
     reason TEXT,
     technician_id TEXT,
     application_no TEXT,
     session_id TEXT,
     service TEXT,
     counter_total INTEGER,
     counter_spoiled INTEGER
   );
   CREATE INDEX ledger_entries_medium_at ON ledger_entries (medium, at);
   -- A card movement read from the printer's counters is booked once, however many times it is reported
   -- (the flow after a print, the ledger's own recovery after a restart).
   CREATE UNIQUE INDEX ledger_card_printed_once ON ledger_entries (counter_total)
     WHERE medium = 'card' AND kind = 'printed' AND counter_total IS NOT NULL;
   CREATE UNIQUE INDEX ledger_card_spoiled_once ON ledger_entries (counter_spoiled)
     WHERE medium = 'card' AND kind = 'spoiled' AND counter_spoiled IS NOT NULL;
   CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
   CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
   CREATE TABLE ledger_pending_feed (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     at INTEGER NOT NULL,
     before_total INTEGER NOT NULL,
     before_spoiled INTEGER NOT NULL,
     application_no TEXT,
     session_id TEXT,
     service TEXT
   );`,
  // (1.1) Printers with an exit bezel draw a card not taken back into the reject box and count it in
  // `Rco;rt`. Such a card was printed (it stays in `printed`); this table only follows the retract
  // counter, from its own baseline, so the start-up check can compare it too.
  `CREATE TABLE ledger_retracts (
     seq INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('baseline', 'retracted')),
     counter_retracted INTEGER NOT NULL,
     application_no TEXT,
     session_id TEXT
   );
   CREATE UNIQUE INDEX ledger_retracted_once ON ledger_retracts (counter_retracted) WHERE kind = 'retracted';`,
];

interface Row {
  seq: number;
  at: number;
  medium: Medium;
  kind: LedgerEntryKind;
  count: number;
  reason: string | null;
  technician_id: string | null;
  application_no: string | null;
  session_id: string | null;
  service: string | null;
  counter_total: number | null;
  counter_spoiled: number | null;
}

function fromRow(r: Row): LedgerEntry {
  const e: LedgerEntry = { seq: r.seq, at: r.at, medium: r.medium, kind: r.kind, count: r.count };
  if (r.reason !== null) e.reason = r.reason;
  if (r.technician_id !== null) e.technicianId = r.technician_id;
  if (r.application_no !== null) e.applicationNo = r.application_no;
  if (r.session_id !== null) e.sessionId = r.session_id;
  if (r.service !== null) e.service = r.service;
  if (r.counter_total !== null && r.counter_spoiled !== null)
    e.counters = { total: r.counter_total, spoiled: r.counter_spoiled };
  return e;
}

/** The statement that appends one entry, as data (so a write the disk refused can be held and made later). */
export function insertOp(e: Omit<LedgerEntry, 'seq'>): WriteOp {
  return {
    sql: `INSERT OR IGNORE INTO ledger_entries
           (at, medium, kind, count, reason, technician_id, application_no, session_id, service, counter_total, counter_spoiled)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    params: [
      e.at,
      e.medium,
      e.kind,
      e.count,
      e.reason ?? null,
      e.technicianId ?? null,
      e.applicationNo ?? null,
      e.sessionId ?? null,
      e.service ?? null,
      e.counters?.total ?? null,
      e.counters?.spoiled ?? null,
    ],
  };
}

/** Filters for `entries`. */
export interface LedgerQuery {
  /** Inclusive, ms since the epoch. */
  since?: number;
  /** Exclusive. */
  until?: number;
  kind?: LedgerEntryKind;
  /** The newest `limit` entries (returned oldest first). */
  limit?: number;
}

/** The shared append-only table under CardLedger and PaperLedger. */
export class LedgerTable {
  constructor(readonly db: Db) {
    migrate(db, 'ledger', MIGRATIONS);
  }

  /** Appends one entry; returns it, or undefined when the same counter movement was already booked. */
  insert(e: Omit<LedgerEntry, 'seq'>): LedgerEntry | undefined {
    const op = insertOp(e);
    const r = this.db.prepare(op.sql).run(...op.params);
    if (r.changes === 0) return undefined;
    return { ...e, seq: Number(r.lastInsertRowid) };
  }

  /** Sums by kind, optionally only entries after `afterSeq`. */
  sums(medium: Medium, afterSeq = 0): Record<LedgerEntryKind, number> {
    const rows = this.db
      .prepare('SELECT kind, SUM(count) AS n FROM ledger_entries WHERE medium = ? AND seq > ? GROUP BY kind')
      .all(medium, afterSeq) as Array<{ kind: LedgerEntryKind; n: number }>;
    const out: Record<LedgerEntryKind, number> = {
      loaded: 0,
      printed: 0,
      spoiled: 0,
      removed: 0,
      correction: 0,
      baseline: 0,
    };
    for (const r of rows) out[r.kind] = r.n;
    return out;
  }

  totals(medium: Medium): LedgerTotals {
    const s = this.sums(medium);
    return {
      loaded: s.loaded,
      printed: s.printed,
      spoiled: s.spoiled,
      removed: s.removed,
      corrected: s.correction,
      remaining: s.loaded + s.correction - s.printed - s.spoiled - s.removed,
    };
  }

  entries(medium: Medium, q: LedgerQuery = {}): LedgerEntry[] {
    const { sql, params } = windowQuery('ledger_entries', q, { medium, kind: q.kind });
    return (this.db.prepare(sql).all(...params) as Row[]).map(fromRow);
  }

  lastOf(medium: Medium, kind: LedgerEntryKind): LedgerEntry | undefined {
    const r = this.db
      .prepare('SELECT * FROM ledger_entries WHERE medium = ? AND kind = ? ORDER BY seq DESC LIMIT 1')
      .get(medium, kind) as Row | undefined;
    return r && fromRow(r);
  }
}
