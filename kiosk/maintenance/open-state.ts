import { type Db, migrate } from '../store/db.ts';

const MIGRATIONS = [
  'CREATE TABLE maintenance_state (id INTEGER PRIMARY KEY CHECK (id = 1), open INTEGER NOT NULL, since INTEGER NOT NULL);',
];

/**
 * Whether maintenance is open, kept in the store: a kiosk that stops while a technician is at it (a crash,
 * a power cut) comes back in maintenance, not serving applicants.
 */
export class MaintenanceOpenState {
  constructor(private readonly db: Db) {
    migrate(db, 'maintenance-state', MIGRATIONS);
  }

  /** Whether maintenance was open when the kiosk stopped. */
  wasOpen(): boolean {
    const r = this.db.prepare('SELECT open FROM maintenance_state WHERE id = 1').get() as
      | { open: number }
      | undefined;
    return r?.open === 1;
  }

  opened(at: number): void {
    this.db.prepare('INSERT OR REPLACE INTO maintenance_state (id, open, since) VALUES (1, 1, ?)').run(at);
  }

  closed(): void {
    this.db.prepare('DELETE FROM maintenance_state WHERE id = 1').run();
  }
}
