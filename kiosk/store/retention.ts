import type { Clock } from '../../drivers/shared/clock.ts';
import type { Db } from './db.ts';

/** How long acknowledged outbox rows and ended sessions are kept (config `storage.retentionDays`). */
export const DEFAULT_RETENTION_DAYS = 90;
/** How often the core should call `pruneStore` (once a day is plenty; at start too). */
export const PRUNE_EVERY_MS = 6 * 60 * 60_000;

const DAY_MS = 24 * 60 * 60_000;

/** What the journal and the outbox each offer for pruning. */
export interface Prunable {
  prune(before: number): number;
}

export interface PruneResult {
  sessions: number;
  outboxRows: number;
}

/**
 * Deletes what is past retention: ended sessions (with their steps) and acknowledged outbox rows,
 * heartbeats included, that ended or were acknowledged more than `retentionDays` ago by the wall clock
 * (their timestamps are wall time). Open sessions, pending messages and incidents stay whatever their
 * age. The freed pages are reused by SQLite for new rows, so the file stops growing once the oldest
 * rows age out; a checkpoint afterwards lets the WAL shrink back to its size limit.
 *
 * The audit trail has its own, longer retention and is pruned by its own module.
 */
export function pruneStore(
  db: Db,
  parts: { journal: Prunable; outbox: Prunable },
  clock: Clock,
  retentionDays: number = DEFAULT_RETENTION_DAYS,
): PruneResult {
  const before = clock.now() - retentionDays * DAY_MS;
  const result = { sessions: parts.journal.prune(before), outboxRows: parts.outbox.prune(before) };
  if (result.sessions + result.outboxRows > 0 && db.open) {
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A checkpoint that cannot run now (a reader, a full disk) runs later on its own.
    }
  }
  return result;
}

/**
 * Prunes now and then every `PRUNE_EVERY_MS` of monotonic time, until the returned function is called.
 * A prune that fails (a full disk: the deletes are held like any write) never stops the schedule.
 */
export function schedulePruning(
  db: Db,
  parts: {
    journal: Prunable;
    outbox: Prunable;
    /** The audit trail, pruned on the same schedule with its own (longer) retention, behind its checkpoint. */
    audit?: { prune(retentionDays: number): number; retentionDays: number };
  },
  clock: Clock,
  retentionDays: number = DEFAULT_RETENTION_DAYS,
  log?: (line: string) => void,
): () => void {
  let timer: unknown;
  let stopped = false;
  const run = () => {
    if (stopped || !db.open) return;
    try {
      const r = pruneStore(db, parts, clock, retentionDays);
      if (r.sessions + r.outboxRows > 0)
        log?.(`retention: pruned ${r.sessions} ended sessions, ${r.outboxRows} acknowledged messages`);
      const audited = parts.audit?.prune(parts.audit.retentionDays) ?? 0;
      if (audited > 0) log?.(`retention: pruned ${audited} audit entries behind a checkpoint`);
    } catch (e) {
      log?.(`retention: prune failed: ${(e as Error).message}`);
    }
    timer = clock.setTimeout(run, PRUNE_EVERY_MS);
  };
  run();
  return () => {
    stopped = true;
    if (timer !== undefined) clock.clearTimeout(timer);
  };
}
