import { randomUUID } from 'node:crypto';
import type { Clock } from '../../drivers/shared/clock.ts';
import { type Db, migrate } from '../store/db.ts';
import { type WriteBehind, type WriteOp, writeBehind } from '../store/write-behind.ts';

/**
 * The session journal: every step of a session, every claim and every device action, committed (WAL,
 * synchronous FULL) before the next step acts on it; the few steps nothing outside acts on are made
 * durable by the write after them (`SYNC_LATER`). At start, a session that is not `closed` was cut
 * off mid-way and is reconciled from its steps and the devices.
 *
 * Personal data never goes in: the application number, claim id, document ids and counters are enough
 * to reconcile, and the NIK is kept masked.
 */
export type SessionStep =
  | { step: 'started'; source: 'code' | 'manual' | 'nik'; reference?: string }
  | {
      step: 'looked-up';
      applicationNo: string;
      service: string;
      nikMasked: string;
      documents: JournalDocument[];
    }
  /**
   * Written before the claim is sent: a crash before its answer is journaled leaves a claim the kiosk
   * can learn again by repeating the request with the same key (and body), then release.
   */
  | {
      step: 'claim-intent';
      applicationNo: string;
      idempotencyKey: string;
      pinProof?: string;
      residentProof?: string;
    }
  | { step: 'claimed'; claimId: string; leaseExpiresAt: string }
  | { step: 'downloaded' }
  | { step: 'confirmed' }
  | { step: 'card-before'; documentId: string; total: number; spoiled: number }
  | { step: 'card-progress'; documentId: string; at: string }
  | {
      step: 'card-after';
      documentId: string;
      outcome: 'printed' | 'spoiled' | 'not-fed' | 'unknown';
      total?: number;
      spoiled?: number;
    }
  /** Written before a job goes to the spooler: after a crash the spooler is asked for the job by its name. */
  | { step: 'a4-intent'; documentId: string; jobName: string; pages: number }
  | { step: 'a4-submitted'; documentId: string; jobId: string; pages: number }
  | { step: 'a4-after'; documentId: string; outcome: 'printed' | 'failed'; pages: number }
  | { step: 'completion-queued'; outboxId: string; cardsPrinted: number; pagesPrinted: number }
  | { step: 'release-queued'; outboxId: string; reason: string }
  | { step: 'refused'; reason: string }
  | { step: 'closed'; outcome: string };

/**
 * Steps after which nothing leaves the kiosk (no request that changes anything at the central API, no byte
 * to a printer, no job to the spooler, no reference shown) before a later step or outbox message waits for
 * the disk: they are committed without waiting for it (`syncLater`), and that later write makes them
 * durable with it. A power cut in between loses them as a cut a moment earlier would have, and recovery
 * works from what is left: a session with only `started` or `looked-up` is closed, a `claim-intent`
 * without its `claimed` is claimed again with the same key to learn the claim and release it. The
 * reference is on disk before `started` (taken ahead when the last session ended, or in its own durable
 * write), so it is never given twice.
 *
 * On the scan-to-confirm path that leaves one wait for the disk (`claim-intent`) of six.
 */
const SYNC_LATER: ReadonlySet<SessionStep['step']> = new Set([
  'started',
  'looked-up',
  'claimed',
  'downloaded',
]);

export interface JournalDocument {
  documentId: string;
  medium: 'CARD' | 'A4';
  pages?: number;
}

export interface OpenSession {
  sessionId: string;
  startedAt: number;
  steps: SessionStep[];
}

export class Journal {
  private readonly writes: WriteBehind;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    migrate(db, 'journal', [
      `CREATE TABLE sessions (
         id TEXT PRIMARY KEY, started_at INTEGER NOT NULL, closed_at INTEGER, outcome TEXT,
         application_no TEXT, claim_id TEXT);
       CREATE TABLE session_steps (
         seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL REFERENCES sessions(id),
         at INTEGER NOT NULL, step TEXT NOT NULL, data TEXT NOT NULL);
       CREATE INDEX session_steps_by_session ON session_steps(session_id, seq);
       CREATE INDEX sessions_open ON sessions(closed_at) WHERE closed_at IS NULL;`,
      // Retention prunes ended sessions by the time they ended.
      'CREATE INDEX sessions_closed ON sessions(closed_at) WHERE closed_at IS NOT NULL;',
    ]);
    this.writes = writeBehind(db, () => clock.monotonic());
  }

  /**
   * Starts a session record and returns its id, with a new reference when `reference` is given. Like
   * `append`, it never throws for a full disk: the record is then held in memory and written once the disk
   * takes it (see `WriteBehind`); a reference that cannot be taken leaves the session without one.
   */
  start(
    source: 'code' | 'manual' | 'nik',
    reference?: () => string,
  ): { sessionId: string; reference?: string } {
    const id = randomUUID();
    const now = this.clock.now();
    let ref: string | undefined;
    try {
      ref = reference?.();
    } catch {
      ref = undefined;
    }
    this.writes.write(
      [
        { sql: 'INSERT INTO sessions (id, started_at) VALUES (?, ?)', params: [id, now] },
        stepOp(id, now, { step: 'started', source, ...(ref ? { reference: ref } : {}) }),
      ],
      { syncLater: SYNC_LATER.has('started') },
    );
    return { sessionId: id, ...(ref ? { reference: ref } : {}) };
  }

  /**
   * Appends one step; durable when this returns true (a `SYNC_LATER` step: written, and durable with the next
   * step that waits for the disk). False: the disk refused it, and it is held in memory
   * (in order, behind any other held write) until the disk takes it.
   */
  append(sessionId: string, step: SessionStep): boolean {
    const now = this.clock.now();
    const ops: WriteOp[] = [stepOp(sessionId, now, step)];
    if (step.step === 'looked-up')
      ops.push({
        sql: 'UPDATE sessions SET application_no = ? WHERE id = ?',
        params: [step.applicationNo, sessionId],
      });
    if (step.step === 'claimed')
      ops.push({ sql: 'UPDATE sessions SET claim_id = ? WHERE id = ?', params: [step.claimId, sessionId] });
    if (step.step === 'closed')
      ops.push({
        sql: 'UPDATE sessions SET closed_at = ?, outcome = ? WHERE id = ? AND closed_at IS NULL',
        params: [now, step.outcome, sessionId],
      });
    return this.writes.write(ops, { syncLater: SYNC_LATER.has(step.step) });
  }

  /**
   * Runs `fn` as one unit: the journal steps and outbox messages it writes commit together (a completion
   * queued and its journal step), or are held in memory together when the disk refuses them.
   */
  transaction<T>(fn: () => T): T {
    return this.writes.unit(fn);
  }

  /**
   * Deletes sessions that ended before `before` (wall time, ms) with their steps; sessions still open are
   * never pruned. Returns how many sessions went. Part of `pruneStore` (kiosk/store/retention.ts).
   */
  prune(before: number): number {
    const ids = (
      this.db
        .prepare('SELECT id FROM sessions WHERE closed_at IS NOT NULL AND closed_at < ?')
        .all(before) as Array<{ id: string }>
    ).map((r) => r.id);
    if (ids.length === 0) return 0;
    const ops: WriteOp[] = [];
    // In slices, so one prune never builds a statement with more parameters than SQLite takes.
    for (let i = 0; i < ids.length; i += 500) {
      const slice = ids.slice(i, i + 500);
      const marks = slice.map(() => '?').join(',');
      ops.push({ sql: `DELETE FROM session_steps WHERE session_id IN (${marks})`, params: slice });
      ops.push({ sql: `DELETE FROM sessions WHERE id IN (${marks})`, params: slice });
    }
    return this.writes.write(ops) ? ids.length : 0;
  }

  /** Sessions that were never closed: cut off by a crash or power loss. */
  openSessions(): OpenSession[] {
    const rows = this.db
      .prepare('SELECT id, started_at FROM sessions WHERE closed_at IS NULL ORDER BY started_at')
      .all() as Array<{
      id: string;
      started_at: number;
    }>;
    return rows.map((r) => ({
      sessionId: r.id,
      startedAt: r.started_at,
      steps: (
        this.db
          .prepare('SELECT data FROM session_steps WHERE session_id = ? ORDER BY seq')
          .all(r.id) as Array<{ data: string }>
      ).map((s) => JSON.parse(s.data) as SessionStep),
    }));
  }

  /** Every step of one session, for tests and the technician. */
  steps(sessionId: string): SessionStep[] {
    return (
      this.db
        .prepare('SELECT data FROM session_steps WHERE session_id = ? ORDER BY seq')
        .all(sessionId) as Array<{ data: string }>
    ).map((s) => JSON.parse(s.data) as SessionStep);
  }

  /** Closed sessions with their outcome, newest first. */
  recent(
    limit = 50,
  ): Array<{ sessionId: string; startedAt: number; outcome: string | null; applicationNo: string | null }> {
    return (
      this.db
        .prepare(
          'SELECT id, started_at, outcome, application_no FROM sessions ORDER BY started_at DESC LIMIT ?',
        )
        .all(limit) as Array<{
        id: string;
        started_at: number;
        outcome: string | null;
        application_no: string | null;
      }>
    ).map((r) => ({
      sessionId: r.id,
      startedAt: r.started_at,
      outcome: r.outcome,
      applicationNo: r.application_no,
    }));
  }
}

function stepOp(sessionId: string, at: number, step: SessionStep): WriteOp {
  return {
    sql: 'INSERT INTO session_steps (session_id, at, step, data) VALUES (?, ?, ?, ?)',
    params: [sessionId, at, step.step, JSON.stringify(step)],
  };
}
