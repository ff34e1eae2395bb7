import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** How `openDb` opened the store. */
export interface DbOpenInfo {
  /**
   * `shared`: WAL with its shared-memory index beside the file (the technician's tools may read while the
   * kiosk runs). `exclusive`: the disk had no room for that index (a full disk), so the index is kept in
   * this process's memory and no other process may open the store until the kiosk restarts.
   */
  locking: 'shared' | 'exclusive';
}

const openInfo = new WeakMap<Db, DbOpenInfo>();

/**
 * Opens the kiosk's durable store in `dataDir/kiosk.db`: SQLite in WAL mode with `synchronous=FULL`, so a
 * committed write survives power loss (the WAL is fsynced at every commit). Journal, outbox, ledger and
 * audit trail share this one file and this one connection, so that a step and its consequences commit
 * together.
 *
 * The order matters: `busy_timeout` first (a store still locked by a process being stopped waits rather
 * than failing), then `journal_mode`, then `synchronous` set explicitly. better-sqlite3 builds SQLite with
 * `SQLITE_DEFAULT_WAL_SYNCHRONOUS=1`, so a connection that opens a WAL store without setting it commits
 * with `NORMAL`, which a power cut can undo; both settings are read back and a store that would not
 * honour them is refused rather than trusted.
 *
 * A full disk must not keep the kiosk from starting: opening a WAL store needs a few KB for its
 * shared-memory index (`-shm`), and without room SQLite fails every read with SQLITE_IOERR_SHMSIZE. The
 * store is then opened with exclusive locking, whose index lives in memory; reads work, and writes fail
 * with SQLITE_FULL until there is room again (see `write-behind.ts`).
 */
export function openDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'kiosk.db');
  try {
    return configure(new Database(file), 'shared');
  } catch (e) {
    if (!isStorageFailure(e)) throw e;
    return configure(new Database(file), 'exclusive');
  }
}

function configure(db: Db, locking: DbOpenInfo['locking']): Db {
  try {
    db.pragma('busy_timeout = 5000');
    if (locking === 'exclusive') db.pragma('locking_mode = EXCLUSIVE');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`store: journal_mode is ${String(mode)}, not wal`);
    db.pragma('synchronous = FULL');
    const sync = db.pragma('synchronous', { simple: true });
    if (sync !== 2) throw new Error(`store: synchronous is ${String(sync)}, not FULL (2)`);
    db.pragma('foreign_keys = ON');
    // The WAL is reset after each checkpoint; this keeps the file itself from staying at its largest.
    db.pragma('journal_size_limit = 4194304');
    // A read that touches the schema, so a store that cannot be read fails here, not at the first query.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    db.close();
    throw e;
  }
  openInfo.set(db, { locking });
  return db;
}

/** How the store was opened (`exclusive` after a start on a full disk). */
export function dbOpenInfo(db: Db): DbOpenInfo {
  return openInfo.get(db) ?? { locking: 'shared' };
}

/**
 * Whether an error is the disk's rather than the program's: full, read-only, failing I/O. These are
 * expected on a kiosk in the field and are handled as values; anything else is a bug and is thrown.
 */
export function isStorageFailure(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code === 'SQLITE_FULL' ||
      code.startsWith('SQLITE_IOERR') ||
      code === 'SQLITE_READONLY' ||
      code.startsWith('SQLITE_CANTOPEN') ||
      code === 'ENOSPC')
  );
}

/** An in-memory store with the same schema, for unit tests. */
export function openMemoryDb(): Db {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  return db;
}

/**
 * Applies a module's schema once. Each module (journal, outbox, ledger, audit) names its own migrations;
 * they run in order and are recorded, so a newer kiosk opens an older store.
 */
/** Exit code of a kiosk that refuses a data folder written by a newer version (a downgrade). */
export const NEWER_DATA_EXIT_CODE = 4;

/**
 * The data folder was written by a newer version of the kiosk (its schema has steps this version does
 * not know): a downgrade must not run on it, or it would misread what the newer one wrote.
 */
export class NewerDataError extends Error {
  constructor(module: string, found: number, known: number) {
    super(
      `the data folder was written by a newer version of the kiosk (${module} schema ${found}, this version knows ${known}); install that version again or restore a backup`,
    );
    this.name = 'NewerDataError';
  }
}

/**
 * Brings one module's tables up to date, once: each step runs in order in one transaction and the
 * version is recorded, so an upgrade migrates its data the first time it starts. A version newer than
 * this code knows (a downgrade) is refused with `NewerDataError`.
 */
export function migrate(db: Db, module: string, steps: string[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (module TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version WHERE module = ?').get(module) as
    | { version: number }
    | undefined;
  const from = row?.version ?? 0;
  if (from > steps.length) throw new NewerDataError(module, from, steps.length);
  if (from === steps.length) return;
  db.transaction(() => {
    for (let i = from; i < steps.length; i++) db.exec(steps[i]!);
    db.prepare(
      'INSERT INTO schema_version (module, version) VALUES (?, ?) ON CONFLICT(module) DO UPDATE SET version = excluded.version',
    ).run(module, steps.length);
  })();
}
