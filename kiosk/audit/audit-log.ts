import type { Clock } from '../../drivers/shared/clock.ts';
import { systemClock } from '../../drivers/shared/clock.ts';
import { type Db, migrate } from '../store/db.ts';
import { windowQuery } from '../store/window-query.ts';
import { canonicalJson } from './canonical-json.ts';
import { type AuditRow, entryHash, fromRow, GENESIS_HASH } from './chain.ts';
import { maskNik, redact } from './mask.ts';
import type { AuditSigner, AuditVerifier } from './signing-key.ts';
import type { AuditEntry, AuditEntryInput, AuditHead, AuditVerification } from './types.ts';
import { verifyChain } from './verify-chain.ts';

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
  // Signatures by the kiosk's key; the checkpoint of the last pruned entry; the heads the central API
  // acknowledged. An entry may be updated only to sign it once; deleted only at or below the checkpoint.
  `ALTER TABLE audit_log ADD COLUMN sig TEXT;
   ALTER TABLE audit_log ADD COLUMN key_id TEXT;
   CREATE TABLE audit_checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE TABLE audit_anchors (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, at INTEGER NOT NULL);
   DROP TRIGGER audit_log_no_update;
   CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
     WHEN OLD.sig IS NOT NULL OR NEW.sig IS NULL OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at
       OR NEW.type IS NOT OLD.type OR NEW.technician_id IS NOT OLD.technician_id
       OR NEW.application_no IS NOT OLD.application_no OR NEW.nik_masked IS NOT OLD.nik_masked
       OR NEW.outcome IS NOT OLD.outcome OR NEW.detail IS NOT OLD.detail
       OR NEW.prev_hash IS NOT OLD.prev_hash OR NEW.hash IS NOT OLD.hash
     BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
   DROP TRIGGER audit_log_no_delete;
   CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
     WHEN OLD.seq > COALESCE((SELECT seq FROM audit_checkpoint WHERE id = 1), 0)
     BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;`,
];

const DAY_MS = 86_400_000;

export { GENESIS_HASH } from './chain.ts';

type Row = AuditRow;

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

/** What the audit trail is built with beyond the store and the clock. */
export interface AuditLogOptions {
  /** Signs every entry (the kiosk's key, outside the data folder); tests and readers may go without. */
  signer?: AuditSigner & { verifier?: AuditVerifier };
}

/**
 * The append-only, hash-chained audit trail: every session outcome and every maintenance action.
 * Each entry carries `prevHash` and `hash = sha256(prevHash + canonical JSON of the entry)`, and the
 * head (last seq and hash) is kept beside the chain, so changing, removing or reordering any entry,
 * or cutting the tail, shows in `verify()`. SQLite triggers refuse UPDATE and DELETE; the chain is
 * what catches edits made to the file by other means. With a signer each entry is also signed by the
 * kiosk's own key (kept outside the data folder), the head goes out with every heartbeat and the heads the
 * central API acknowledged are recorded (`anchored`), so a chain recomputed by whoever can write the file
 * shows where it diverges. Entries older than the retention are pruned behind a checkpoint (`prune`).
 */
export class AuditLog {
  private readonly insert;
  private readonly last;
  private readonly headRecord;

  private readonly signer: AuditLogOptions['signer'];

  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
    opts: AuditLogOptions = {},
  ) {
    migrate(db, 'audit', MIGRATIONS);
    this.signer = opts.signer;
    this.insert = db.prepare(
      `INSERT INTO audit_log (seq, at, type, technician_id, application_no, nik_masked, outcome, detail, prev_hash, hash, sig, key_id)
       VALUES (@seq, @at, @type, @technicianId, @applicationNo, @nikMasked, @outcome, @detail, @prevHash, @hash, @sig, @keyId)`,
    );
    this.last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.headRecord = db.prepare(
      'INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
    );
    if (this.signer) this.signUnsigned();
  }

  /**
   * Signs the entries written before the kiosk had its key (an older store), after checking each one's
   * link and hash: a chain already broken is left unsigned, for `verify` to report.
   */
  private signUnsigned(): void {
    const signer = this.signer!;
    const rows = this.db.prepare('SELECT * FROM audit_log WHERE sig IS NULL ORDER BY seq').all() as Row[];
    if (rows.length === 0) return;
    const set = this.db.prepare('UPDATE audit_log SET sig = ?, key_id = ? WHERE seq = ?');
    const before = this.db.prepare('SELECT hash FROM audit_log WHERE seq = ?');
    this.db.transaction(() => {
      for (const r of rows) {
        const prev =
          r.seq === 1 ? GENESIS_HASH : (before.get(r.seq - 1) as { hash: string } | undefined)?.hash;
        let intact = false;
        try {
          intact = prev === r.prev_hash && entryHash(r.prev_hash, fromRow(r)) === r.hash;
        } catch {
          intact = false;
        }
        if (!intact) return;
        set.run(signer.sign(r.hash), signer.keyId, r.seq);
      }
    })();
  }

  /**
   * Appends one entry, committed before this returns. The NIK is masked and `detail` redacted on the
   * way in, whatever the caller passed.
   */
  append(input: AuditEntryInput): AuditEntry {
    return this.db.transaction((): AuditEntry => {
      const prev = (this.last.get() as { seq: number; hash: string } | undefined) ?? this.checkpoint();
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
      if (this.signer) entry.sig = this.signer.sign(entry.hash);
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
        sig: entry.sig ?? null,
        keyId: entry.sig ? this.signer!.keyId : null,
      });
      this.headRecord.run(entry.seq, entry.hash);
      return entry;
    })();
  }

  /** Entries oldest first, filtered. */
  entries(q: AuditQuery = {}): AuditEntry[] {
    const { sql, params } = windowQuery('audit_log', q, { type: q.type });
    return (this.db.prepare(sql).all(...params) as Row[]).map(fromRow);
  }

  /**
   * The chain's head, `{ seq, hash }` of the newest entry: what every heartbeat carries so the central API
   * keeps it (`{ seq: 0, hash: GENESIS_HASH }` for an empty trail).
   */
  head(): AuditHead {
    const last = (this.last.get() as AuditHead | undefined) ?? this.checkpoint();
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /** The central API acknowledged a heartbeat carrying this head: recorded as an anchor `verify` checks. */
  anchored(head: AuditHead): void {
    if (head.seq <= 0) return;
    this.db
      .prepare('INSERT OR REPLACE INTO audit_anchors (seq, hash, at) VALUES (?, ?, ?)')
      .run(head.seq, head.hash, this.clock.now());
  }

  /** The heads recorded as acknowledged, oldest first. */
  anchors(): AuditHead[] {
    return this.db.prepare('SELECT seq, hash FROM audit_anchors ORDER BY seq').all() as AuditHead[];
  }

  /** The last pruned entry (`seq`, `hash`), when entries were pruned. */
  checkpoint(): AuditHead | undefined {
    return this.db.prepare('SELECT seq, hash FROM audit_checkpoint WHERE id = 1').get() as
      | AuditHead
      | undefined;
  }

  /**
   * Prunes entries older than `retentionDays` (never the newest): the last pruned entry's seq and hash
   * become the checkpoint the chain is verified from, in the same transaction. Returns how many went.
   */
  prune(retentionDays: number): number {
    const cutoff = this.clock.now() - retentionDays * DAY_MS;
    return this.db.transaction((): number => {
      const newest = this.last.get() as AuditHead | undefined;
      if (!newest) return 0;
      const last = this.db
        .prepare('SELECT seq, hash FROM audit_log WHERE at < ? AND seq < ? ORDER BY seq DESC LIMIT 1')
        .get(cutoff, newest.seq) as AuditHead | undefined;
      if (!last) return 0;
      this.db
        .prepare(
          'INSERT INTO audit_checkpoint (id, seq, hash, at) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at',
        )
        .run(last.seq, last.hash, this.clock.now());
      return this.db.prepare('DELETE FROM audit_log WHERE seq <= ?').run(last.seq).changes;
    })();
  }

  /**
   * Walks the chain from the checkpoint (or the first entry) and checks every link, the sequence, the
   * head and, given the kiosk's public key, every signature; then the anchored heads (those recorded and
   * those passed, e.g. from the central API): a rewritten chain is reported with where it diverges.
   */
  verify(opts: { verifier?: AuditVerifier; anchors?: AuditHead[] } = {}): AuditVerification {
    return verifyChain(this.db, { ...opts, anchors: [...this.anchors(), ...(opts.anchors ?? [])] });
  }
}
