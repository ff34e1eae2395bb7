import type { Db } from './db.ts';
import { isStorageFailure } from './db.ts';

/** One SQL statement with its parameters: data, so a write the disk refused can be made again later. */
export interface WriteOp {
  sql: string;
  params: unknown[];
}

/** What one unit carries besides its statements. */
export interface WriteUnitOptions {
  /** Called once the unit is on disk (at once, or when a held unit is finally written). */
  onWritten?: () => void;
  /** Called when the unit will never be written: the `unit` it belonged to threw (a bug, not the disk). */
  onDropped?: () => void;
  /**
   * A unit only worth its newest version (a heartbeat): a held unit with the same key is replaced by a
   * newer one instead of queueing behind it.
   */
  replaceKey?: string;
  /**
   * Committed without waiting for the disk (SQLite `synchronous=NORMAL` for this one commit): it survives
   * the process ending at any moment (the WAL is written before this returns), and a power cut can only
   * take it together with every commit after it, up to the next commit that waits for the disk (the WAL is
   * one file, fsynced whole, and read back only up to its first torn frame). So only for a write that nothing
   * outside the kiosk acts on before a later write waits: a power cut then loses no more than a cut a
   * moment earlier would have, and the recovered store is one the world could have seen.
   */
  syncLater?: boolean;
}

interface Unit extends WriteUnitOptions {
  ops: WriteOp[];
}

/** The state of the store's writes, for the heartbeat, the maintenance screen and `storageHealth`. */
export type WriteState = { writable: true } | { writable: false; held: number; since: number; error: string };

/**
 * Writes that must not be lost when the disk refuses them (SQLite SQLITE_FULL, an I/O error). Each unit is
 * written in one transaction; a unit the disk refuses is kept in memory, in order, and every later unit
 * queues behind it so the journal never records a step before the one it follows. `retry()` (the outbox
 * calls it on every round) writes what is held as soon as the disk takes it. Nothing here throws for a full
 * disk: the process goes on, and the kiosk refuses new applicants while `state()` is not writable.
 *
 * Inside `unit(fn)` the writes of the journal and the outbox made by `fn` become one unit: the completion
 * and its journal step are written together, or held together.
 */
export class WriteBehind {
  private held: Unit[] = [];
  private heldSince = 0;
  private lastError = '';
  private collecting: Unit[] | undefined;

  constructor(
    private readonly db: Db,
    private readonly monotonic: () => number,
  ) {}

  /** Writes one unit now, or holds it (returns false) when the disk refuses it or units are held already. */
  write(ops: WriteOp[], opts: WriteUnitOptions = {}): boolean {
    const unit: Unit = { ops, ...opts };
    if (this.collecting) {
      this.collecting.push(unit);
      return true;
    }
    this.retry();
    if (this.held.length === 0 && this.commit([unit])) return true;
    this.hold(unit);
    return false;
  }

  /**
   * Runs `fn` in one SQL transaction; the units written through this store during `fn` are written at its
   * end in that same transaction. If the disk refuses, everything `fn` wrote is rolled back and its units
   * are held together. Returns what `fn` returns. Errors that are not the disk's are thrown.
   */
  unit<T>(fn: () => T): T {
    if (this.collecting) return fn();
    const units: Unit[] = [];
    this.collecting = units;
    // What `fn` returned, kept even when the commit after it is refused (the caller still needs its ids).
    let produced: { value: T } | undefined;
    let failed = false;
    try {
      this.retry();
      const run = this.db.transaction(() => {
        produced = { value: fn() };
        if (this.held.length === 0) for (const u of units) runOps(this.db, u.ops);
        else failed = true;
      });
      try {
        run();
      } catch (e) {
        if (!isStorageFailure(e)) {
          for (const u of units) u.onDropped?.();
          throw e;
        }
        this.noteError(e);
        failed = true;
      }
    } finally {
      this.collecting = undefined;
    }
    if (failed) {
      const merged: Unit = {
        ops: units.flatMap((u) => u.ops),
        onWritten: () => {
          for (const u of units) u.onWritten?.();
        },
        onDropped: () => {
          for (const u of units) u.onDropped?.();
        },
      };
      this.hold(merged);
    } else for (const u of units) u.onWritten?.();
    return produced?.value as T;
  }

  /**
   * Runs a direct write whose result the caller needs (a ledger entry); when the disk refuses it, or
   * writes are held already, holds `ops` (the same write as data) instead and returns undefined.
   */
  attempt<T>(direct: () => T, ops: () => WriteOp[]): T | undefined {
    if (this.collecting || (this.retry() && this.db.open)) {
      try {
        return direct();
      } catch (e) {
        if (!isStorageFailure(e) || this.collecting) throw e;
        this.noteError(e);
      }
    }
    this.hold({ ops: ops() });
    return undefined;
  }

  /** Writes what is held, oldest first, as far as the disk takes it. True when nothing is held any more. */
  retry(): boolean {
    while (this.held.length > 0) {
      const next = this.held[0]!;
      try {
        if (!this.commit([next])) return false;
      } catch (e) {
        // Not the disk: this unit can never be written (a bug). Dropped, so it does not hold back every
        // write behind it, and said loudly; retry runs from timers, where a throw would end the process.
        this.held.shift();
        next.onDropped?.();
        this.dropped.push(`${(e as Error).message}`);
        continue;
      }
      this.held.shift();
    }
    return true;
  }

  /** Held units that could not be written for a reason other than the disk (bugs), for the log. */
  readonly dropped: string[] = [];

  /** Units waiting in memory for the disk. */
  heldCount(): number {
    return this.held.length;
  }

  state(): WriteState {
    if (this.held.length === 0) return { writable: true };
    return { writable: false, held: this.held.length, since: this.heldSince, error: this.lastError };
  }

  private hold(unit: Unit): void {
    if (this.held.length === 0) this.heldSince = this.monotonic();
    if (unit.replaceKey !== undefined) {
      const i = this.held.findIndex((u) => u.replaceKey === unit.replaceKey);
      if (i >= 0) {
        this.held[i] = unit;
        return;
      }
    }
    this.held.push(unit);
  }

  private commit(units: Unit[]): boolean {
    if (!this.db.open) return false;
    const later = units.every((u) => u.syncLater);
    try {
      const sync = later ? syncSetting(this.db) : undefined;
      sync?.set(1);
      try {
        this.db.transaction(() => {
          for (const u of units) runOps(this.db, u.ops);
        })();
      } finally {
        sync?.restore();
      }
    } catch (e) {
      if (!isStorageFailure(e)) throw e;
      this.noteError(e);
      return false;
    }
    for (const u of units) u.onWritten?.();
    return true;
  }

  private noteError(e: unknown): void {
    this.lastError = `${(e as { code?: string }).code ?? 'error'}: ${(e as Error).message}`;
  }
}

/**
 * The connection's `synchronous` setting, set for one commit and put back to what it was (FULL on the
 * kiosk's store: see `openDb`). Run afresh each time: SQLite applies this pragma when it is compiled, so a
 * prepared one would set nothing when run again. Microseconds, for the milliseconds of the fsync it saves.
 */
function syncSetting(db: Db): { set(level: number): void; restore(): void } {
  const was = db.pragma('synchronous', { simple: true }) as number;
  return {
    set: (level) => db.pragma(`synchronous = ${level}`),
    restore: () => db.pragma(`synchronous = ${was}`),
  };
}

const statements = new WeakMap<Db, Map<string, ReturnType<Db['prepare']>>>();

/** Runs the statements, each prepared once per connection (preparing costs more than a small insert). */
function runOps(db: Db, ops: WriteOp[]): void {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  for (const op of ops) {
    let st = cache.get(op.sql);
    if (!st) {
      st = db.prepare(op.sql);
      // Statements built for one prune (their IN lists vary) are not worth keeping.
      if (cache.size < 64) cache.set(op.sql, st);
    }
    (st as { run(...params: unknown[]): unknown }).run(...op.params);
  }
}

const perDb = new WeakMap<Db, WriteBehind>();

/** The one write-behind queue of a store connection (journal and outbox share it, so order is kept). */
export function writeBehind(db: Db, monotonic: () => number = () => performance.now()): WriteBehind {
  let w = perDb.get(db);
  if (!w) {
    w = new WriteBehind(db, monotonic);
    perDb.set(db, w);
  }
  return w;
}
