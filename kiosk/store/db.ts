import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Opens the kiosk's durable store in `dataDir/kiosk.db`: SQLite in WAL mode with `synchronous=FULL`, so a
 * committed write survives power loss (the WAL is fsynced at every commit). Journal, outbox, ledger and
 * audit trail share this one file so that a step and its consequences commit together.
 */
export function openDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'kiosk.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
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
export function migrate(db: Db, module: string, steps: string[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (module TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version WHERE module = ?').get(module) as
    | { version: number }
    | undefined;
  const from = row?.version ?? 0;
  if (from >= steps.length) return;
  db.transaction(() => {
    for (let i = from; i < steps.length; i++) db.exec(steps[i]!);
    db.prepare(
      'INSERT INTO schema_version (module, version) VALUES (?, ?) ON CONFLICT(module) DO UPDATE SET version = excluded.version',
    ).run(module, steps.length);
  })();
}
