import type { Clock } from '../../drivers/shared/clock.ts';
import { type Db, migrate } from '../store/db.ts';
import { verifyPin } from './pin-hash.ts';

/** Wrong PINs in a row before a technician is locked out. */
export const MAX_PIN_ATTEMPTS = 5;
/** How long a lockout lasts. */
export const LOCKOUT_MS = 15 * 60_000;
/** A logged-in technician (or an abandoned PIN prompt) with no maintenance intent for this long is logged out. */
export const IDLE_LOGOUT_MS = 5 * 60_000;

/** A technician of the config (`technicians[]`). */
export interface TechnicianCredential {
  id: string;
  pinHash: string;
}

/** The answer to a PIN. */
export type PinResult =
  | { ok: true }
  | { ok: false; attemptsLeft: number }
  | { ok: false; lockedUntil: number }
  /** No `begin` before the PIN (or it timed out). */
  | { ok: false; notStarted: true };

/** Where the login is. */
export type AuthState =
  | { phase: 'out' }
  | { phase: 'pin'; technicianId: string }
  | { phase: 'in'; technicianId: string; since: number };

/** Why a technician was logged out. */
export type LogoutReason = 'requested' | 'idle';

const MIGRATIONS = [
  `CREATE TABLE technician_lockouts (
     technician_id TEXT PRIMARY KEY,
     failures INTEGER NOT NULL,
     locked_until INTEGER
   );`,
];

/**
 * Technician login: the technician id of a verified badge (a signed code; nobody can type an id), then the
 * PIN checked against `technicians[].pinHash`. Five wrong PINs lock that badge's technician for 15
 * minutes, measured on the monotonic clock so that setting the wall clock back or forward neither
 * lengthens nor ends a lockout; the count and the lockout are kept in the store, so a restart does not
 * reset them (a lockout read back at start lasts at most LOCKOUT_MS from then, whatever the wall clock
 * did meanwhile). A badge whose technician is not in the config gets the same PIN prompt and the same
 * lockout. A technician idle for `IDLE_LOGOUT_MS` is logged out (`touch()` on every maintenance intent;
 * the clock's timers are monotonic).
 */
export class TechnicianAuth {
  private current: AuthState = { phase: 'out' };
  private idleTimer: unknown;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(reason: LogoutReason, technicianId: string) => void>();
  /** Lockouts by technician id: when they end on the monotonic clock. */
  private readonly lockouts = new Map<string, number>();
  /** Checked for unknown ids so that their answer takes as long as a real one. */
  private static readonly UNKNOWN_HASH =
    'scrypt$N=16384,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly technicians: readonly TechnicianCredential[],
    private readonly idleLogoutMs: number = IDLE_LOGOUT_MS,
  ) {
    migrate(db, 'maintenance-auth', MIGRATIONS);
    const wall = clock.now();
    const mono = clock.monotonic();
    const rows = db
      .prepare('SELECT technician_id, locked_until FROM technician_lockouts WHERE locked_until IS NOT NULL')
      .all() as Array<{ technician_id: string; locked_until: number }>;
    for (const r of rows) {
      const left = Math.min(LOCKOUT_MS, r.locked_until - wall);
      if (left > 0) this.lockouts.set(r.technician_id, mono + left);
    }
  }

  state(): AuthState {
    return this.current;
  }

  /** The logged-in technician, if any. */
  technicianId(): string | undefined {
    return this.current.phase === 'in' ? this.current.technicianId : undefined;
  }

  /** Called when a technician is logged out (idle or asked); returns an unsubscribe function. */
  onLogout(listener: (reason: LogoutReason, technicianId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Until when this technician is locked out (wall-clock ms, for the screen), if they are. */
  lockedUntil(technicianId: string): number | undefined {
    const left = this.lockoutLeft(technicianId);
    return left > 0 ? this.clock.now() + left : undefined;
  }

  /** Milliseconds of lockout left on the monotonic clock (0: not locked). */
  private lockoutLeft(technicianId: string): number {
    const end = this.lockouts.get(technicianId);
    if (end === undefined) return 0;
    const left = end - this.clock.monotonic();
    if (left > 0) return left;
    this.lockouts.delete(technicianId);
    return 0;
  }

  /** Starts a login for the technician of a verified badge: the PIN comes next, unless they are locked out. */
  begin(technicianId: string): { ok: true } | { ok: false; lockedUntil: number } {
    const until = this.lockedUntil(technicianId);
    if (until !== undefined) return { ok: false, lockedUntil: until };
    this.current = { phase: 'pin', technicianId };
    this.touch();
    return { ok: true };
  }

  /** Checks the PIN of the technician `begin` named. Calls are taken one at a time. */
  enterPin(pin: string): Promise<PinResult> {
    const next = this.queue.then(() => this.check(pin));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async check(pin: string): Promise<PinResult> {
    if (this.current.phase !== 'pin') return { ok: false, notStarted: true };
    const id = this.current.technicianId;
    const locked = this.lockedUntil(id);
    if (locked !== undefined) return { ok: false, lockedUntil: locked };
    const cred = this.technicians.find((t) => t.id === id);
    const match = await verifyPin(pin, cred?.pinHash ?? TechnicianAuth.UNKNOWN_HASH);
    // The prompt may have been abandoned (idle) while scrypt ran.
    if (this.current.phase !== 'pin' || this.current.technicianId !== id)
      return { ok: false, notStarted: true };
    if (match && cred) {
      this.db.prepare('DELETE FROM technician_lockouts WHERE technician_id = ?').run(id);
      this.lockouts.delete(id);
      this.current = { phase: 'in', technicianId: id, since: this.clock.now() };
      this.touch();
      return { ok: true };
    }
    return this.fail(id);
  }

  private fail(id: string): PinResult {
    const r = this.db
      .prepare('SELECT failures, locked_until FROM technician_lockouts WHERE technician_id = ?')
      .get(id) as { failures: number; locked_until: number | null } | undefined;
    // A lockout that has run out starts a fresh count.
    const expired = r?.locked_until != null && this.lockoutLeft(id) === 0;
    const failures = (expired ? 0 : (r?.failures ?? 0)) + 1;
    if (failures >= MAX_PIN_ATTEMPTS) {
      const until = this.clock.now() + LOCKOUT_MS;
      this.lockouts.set(id, this.clock.monotonic() + LOCKOUT_MS);
      this.upsert(id, 0, until);
      this.current = { phase: 'out' };
      this.stopIdle();
      return { ok: false, lockedUntil: until };
    }
    this.upsert(id, failures, null);
    this.touch();
    return { ok: false, attemptsLeft: MAX_PIN_ATTEMPTS - failures };
  }

  private upsert(id: string, failures: number, lockedUntil: number | null): void {
    this.db
      .prepare(
        `INSERT INTO technician_lockouts (technician_id, failures, locked_until) VALUES (?, ?, ?)
         ON CONFLICT(technician_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`,
      )
      .run(id, failures, lockedUntil);
  }

  /** A maintenance intent: restarts the idle countdown. */
  touch(): void {
    this.stopIdle();
    if (this.current.phase === 'out') return;
    this.idleTimer = this.clock.setTimeout(() => this.logout('idle'), this.idleLogoutMs);
  }

  /** Ends the login (or the PIN prompt). */
  logout(reason: LogoutReason = 'requested'): void {
    const prev = this.current;
    this.current = { phase: 'out' };
    this.stopIdle();
    if (prev.phase !== 'out') for (const l of this.listeners) l(reason, prev.technicianId);
  }

  private stopIdle(): void {
    if (this.idleTimer !== undefined) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
