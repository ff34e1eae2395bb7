import { createHash } from 'node:crypto';
import type { Clock } from '../../drivers/shared/clock.ts';
import { systemClock } from '../../drivers/shared/clock.ts';
import { type Db, migrate } from '../store/db.ts';
import { canonicalJson } from './canonical-json.ts';
import { maskNik, redact } from './mask.ts';
import type { AuditEntry, AuditEntryInput, AuditVerification } from './types.ts';

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

const MIGRATIONS = [
  `CREATE TABLE audit_log (
     seq INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     type TEXT NOT NULL,
     technician_id TEXT,
     application_no TEXT,
     nik_masked TEXT,
     outcome TEXT,
     detail TEXT,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL
   );
   CREATE INDEX audit_log_at ON audit_log (at);
   CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
   CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
   CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);`,
];

interface Row {
  seq: number;
  at: number;
  type: string;
  technician_id: string | null;
  application_no: string | null;
  nik_masked: string | null;
  outcome: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

/** The part of an entry the hash covers: everything but the hash itself. */
function hashedPart(e: Omit<AuditEntry, 'hash'>): string {
  return canonicalJson({
    seq: e.seq,
    at: e.at,
    type: e.type,
    technicianId: e.technicianId,
    applicationNo: e.applicationNo,
    nikMasked: e.nikMasked,
    outcome: e.outcome,
    detail: e.detail,
  });
}

function entryHash(prevHash: string, e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(prevHash + hashedPart(e))
    .digest('hex');
}

function fromRow(r: Row): AuditEntry {
  const e: AuditEntry = { seq: r.seq, at: r.at, type: r.type, prevHash: r.prev_hash, hash: r.hash };
  if (r.technician_id !== null) e.technicianId = r.technician_id;
  if (r.application_no !== null) e.applicationNo = r.application_no;
  if (r.nik_masked !== null) e.nikMasked = r.nik_masked;
  if (r.outcome !== null) e.outcome = r.outcome;
  if (r.detail !== null) e.detail = JSON.parse(r.detail) as Record<string, unknown>;
  return e;
}

/** Filters for `AuditLog.entries`. */
export interface AuditQuery {
  /** Inclusive, ms since the epoch. */
  since?: number;
  /** Exclusive, ms since the epoch. */
  until?: number;
  type?: string;
  /** The newest `limit` entries (still returned oldest first). */
  limit?: number;
}

/**
 * The append-only, hash-chained audit trail: every session outcome and every maintenance action.
 * Each entry carries `prevHash` and `hash = sha256(prevHash + canonical JSON of the entry)`, and the
 * head (last seq and hash) is kept beside the chain, so changing, removing or reordering any entry,
 * or cutting the tail, shows in `verify()`. SQLite triggers refuse UPDATE and DELETE; the chain is
 * what catches edits made to the file by other means.
 */
export class AuditLog {
  private readonly insert;
  private readonly last;
  private readonly head;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {
    migrate(db, 'audit', MIGRATIONS);
    this.insert = db.prepare(
      `INSERT INTO audit_log (seq, at, type, technician_id, application_no, nik_masked, outcome, detail, prev_hash, hash)
       VALUES (@seq, @at, @type, @technicianId, @applicationNo, @nikMasked, @outcome, @detail, @prevHash, @hash)`,
    );
    this.last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.head = db.prepare(
      'INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
    );
  }

  /**
   * Appends one entry, committed before this returns. The NIK is masked and `detail` redacted on the
   * way in, whatever the caller passed.
   */
  append(input: AuditEntryInput): AuditEntry {
    return this.db.transaction((): AuditEntry => {
      const prev = this.last.get() as { seq: number; hash: string } | undefined;
      const base: Omit<AuditEntry, 'hash'> = {
        seq: (prev?.seq ?? 0) + 1,
        at: this.clock.now(),
        type: input.type,
        prevHash: prev?.hash ?? GENESIS_HASH,
      };
      if (input.technicianId !== undefined) base.technicianId = input.technicianId;
      if (input.applicationNo !== undefined) base.applicationNo = input.applicationNo;
      if (input.nik !== undefined) base.nikMasked = maskNik(input.nik);
      if (input.outcome !== undefined) base.outcome = input.outcome;
      if (input.detail !== undefined) base.detail = JSON.parse(canonicalJson(redact(input.detail)));
      const entry: AuditEntry = { ...base, hash: entryHash(base.prevHash, base) };
      this.insert.run({
        seq: entry.seq,
        at: entry.at,
        type: entry.type,
        technicianId: entry.technicianId ?? null,
        applicationNo: entry.applicationNo ?? null,
        nikMasked: entry.nikMasked ?? null,
        outcome: entry.outcome ?? null,
        detail: entry.detail === undefined ? null : canonicalJson(entry.detail),
        prevHash: entry.prevHash,
        hash: entry.hash,
      });
      this.head.run(entry.seq, entry.hash);
      return entry;
    })();
  }

  /** Entries oldest first, filtered. */
  entries(q: AuditQuery = {}): AuditEntry[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.since !== undefined) {
      where.push('at >= ?');
      params.push(q.since);
    }
    if (q.until !== undefined) {
      where.push('at < ?');
      params.push(q.until);
    }
    if (q.type !== undefined) {
      where.push('type = ?');
      params.push(q.type);
    }
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const sql =
      q.limit !== undefined
        ? `SELECT * FROM (SELECT * FROM audit_log ${cond} ORDER BY seq DESC LIMIT ?) ORDER BY seq`
        : `SELECT * FROM audit_log ${cond} ORDER BY seq`;
    if (q.limit !== undefined) params.push(q.limit);
    return (this.db.prepare(sql).all(...params) as Row[]).map(fromRow);
  }

  /** Walks the whole chain and checks every link, the sequence and the head. */
  verify(): AuditVerification {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<Row>) {
      if (row.seq !== expectedSeq)
        return { ok: false, brokenAt: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      if (row.prev_hash !== prevHash)
        return { ok: false, brokenAt: row.seq, reason: 'prevHash does not match the previous entry' };
      let entry: AuditEntry;
      try {
        entry = fromRow(row);
      } catch {
        return { ok: false, brokenAt: row.seq, reason: 'detail is not valid JSON' };
      }
      if (entryHash(prevHash, entry) !== row.hash)
        return { ok: false, brokenAt: row.seq, reason: 'hash does not match the entry content' };
      prevHash = row.hash;
      expectedSeq++;
      count++;
    }
    const head = this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as
      | { seq: number; hash: string }
      | undefined;
    if (head && (head.seq !== count || head.hash !== prevHash))
      return {
        ok: false,
        brokenAt: count + 1,
        reason: `the chain ends at ${count} but the head says ${head.seq}`,
      };
    if (!head && count > 0) return { ok: false, brokenAt: 1, reason: 'the head record is missing' };
    return { ok: true, count };
  }
}
