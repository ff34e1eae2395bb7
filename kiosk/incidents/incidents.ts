import type { Clock } from '../../drivers/shared/clock.ts';
import { systemClock } from '../../drivers/shared/clock.ts';
import type { Result } from '../../drivers/shared/result.ts';
import { err, ok } from '../../drivers/shared/result.ts';
import { redact } from '../audit/mask.ts';
import { type Db, migrate } from '../store/db.ts';
import { INCIDENT_GUIDES } from './guides.ts';
import {
  CARD_FAULT_KIND,
  type IncidentCause,
  type IncidentKind,
  isIncidentKind,
  PAPER_FAULT_KIND,
} from './kinds.ts';

export type { IncidentCause, IncidentKind } from './kinds.ts';

/** What `record` takes. `detail` is redacted on write. */
export interface IncidentInput {
  kind: IncidentKind;
  applicationNo?: string;
  claimId?: string;
  detail?: Record<string, unknown>;
}

/** One incident as stored. */
export interface Incident {
  id: number;
  at: number;
  kind: IncidentKind;
  applicationNo?: string;
  claimId?: string;
  detail: Record<string, unknown>;
  /** How it closed: by a technician's note, or by itself when the kiosk saw the cause gone. */
  resolved?: IncidentClosure;
}

/** How an incident was closed (recorded which). */
export type IncidentClosure =
  | { by: 'technician'; at: number; technicianId: string; note: string }
  /** `note` says what the kiosk saw (e.g. `card printer READY`). */
  | { by: 'auto'; at: number; note: string };

const MIGRATIONS = [
  `CREATE TABLE incidents (
     id INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     kind TEXT NOT NULL,
     application_no TEXT,
     claim_id TEXT,
     detail TEXT NOT NULL,
     resolved_at INTEGER,
     resolved_by TEXT,
     resolution_note TEXT
   );
   CREATE INDEX incidents_open ON incidents (resolved_at);`,
  // 'technician' or 'auto'; rows closed before this column existed were closed by a technician.
  `ALTER TABLE incidents ADD COLUMN closed_by TEXT;
   UPDATE incidents SET closed_by = 'technician' WHERE resolved_at IS NOT NULL;`,
];

interface Row {
  id: number;
  at: number;
  kind: string;
  application_no: string | null;
  claim_id: string | null;
  detail: string;
  resolved_at: number | null;
  resolved_by: string | null;
  resolution_note: string | null;
  closed_by: string | null;
}

function fromRow(r: Row): Incident {
  const detail = JSON.parse(r.detail) as Record<string, unknown>;
  // A kind this version does not know (written by an older one) is kept visible as a generic fault.
  const known = isIncidentKind(r.kind);
  const i: Incident = {
    id: r.id,
    at: r.at,
    kind: known ? (r.kind as IncidentKind) : 'device-fault',
    detail: known ? detail : { ...detail, recordedKind: r.kind },
  };
  if (r.application_no !== null) i.applicationNo = r.application_no;
  if (r.claim_id !== null) i.claimId = r.claim_id;
  if (r.resolved_at !== null)
    i.resolved =
      r.closed_by === 'auto'
        ? { by: 'auto', at: r.resolved_at, note: r.resolution_note ?? '' }
        : {
            by: 'technician',
            at: r.resolved_at,
            technicianId: r.resolved_by ?? '',
            note: r.resolution_note ?? '',
          };
  return i;
}

/** Why `resolve` did nothing. */
export type ResolveRefusal = 'not-found' | 'already-resolved';

/**
 * Incidents the kiosk keeps for a technician: a claim lost after printing, a partial print, a ledger
 * mismatch, a printer fault. Each stays open until a technician closes it with a note, or, for a kind
 * whose guide names a cause (`guides.ts`), until the kiosk sees that cause gone (`causeGone`).
 */
export class Incidents {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {
    migrate(db, 'incidents', MIGRATIONS);
  }

  /** Records an incident, committed before this returns, and gives its id. */
  record(input: IncidentInput): number {
    const r = this.db
      .prepare('INSERT INTO incidents (at, kind, application_no, claim_id, detail) VALUES (?, ?, ?, ?, ?)')
      .run(
        this.clock.now(),
        input.kind,
        input.applicationNo ?? null,
        input.claimId ?? null,
        JSON.stringify(redact(input.detail ?? {})),
      );
    return Number(r.lastInsertRowid);
  }

  /**
   * Records an incident unless one of the same kind (and, when given, for the same application) is
   * still open: a printer that keeps reporting CARD_JAM makes one incident, not one a poll.
   */
  recordOnce(input: IncidentInput): number {
    const same = this.open().find(
      (i) =>
        i.kind === input.kind &&
        (input.applicationNo === undefined || i.applicationNo === input.applicationNo),
    );
    return same ? same.id : this.record(input);
  }

  /**
   * A printer's state as the device monitor sees it: a fault state opens its incident (once), READY or
   * PRINTING closes that printer's open incidents by themselves. Returns the incidents it closed.
   */
  deviceState(device: 'card' | 'paper', state: string): Incident[] {
    if (state === 'READY' || state === 'PRINTING')
      return this.causeGone(
        device === 'card' ? 'card-printer' : 'paper-printer',
        `${device} printer ${state}`,
      );
    const kind =
      device === 'card'
        ? CARD_FAULT_KIND[state as keyof typeof CARD_FAULT_KIND]
        : PAPER_FAULT_KIND[state as keyof typeof PAPER_FAULT_KIND];
    this.recordOnce({ kind: kind ?? 'device-fault', detail: { device, state } });
    return [];
  }

  /**
   * The kiosk saw `cause` gone (a printer READY again, cards loaded, disk space back): every open incident
   * whose kind waits for that cause is closed by itself, with `seen` recorded as its note.
   */
  causeGone(cause: IncidentCause, seen: string): Incident[] {
    const closing = this.open().filter((i) => INCIDENT_GUIDES[i.kind].cause === cause);
    if (closing.length === 0) return [];
    const at = this.clock.now();
    const update = this.db.prepare(
      "UPDATE incidents SET resolved_at = ?, closed_by = 'auto', resolution_note = ? WHERE id = ? AND resolved_at IS NULL",
    );
    this.db.transaction(() => {
      for (const i of closing) update.run(at, seen.slice(0, 200), i.id);
    })();
    return closing.map((i) => this.get(i.id)!);
  }

  /** The incidents not yet resolved, oldest first. */
  open(): Incident[] {
    return (
      this.db.prepare('SELECT * FROM incidents WHERE resolved_at IS NULL ORDER BY id').all() as Row[]
    ).map(fromRow);
  }

  /** The newest `limit` incidents, open or not, newest first. */
  recent(limit = 50): Incident[] {
    return (this.db.prepare('SELECT * FROM incidents ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(
      fromRow,
    );
  }

  get(id: number): Incident | undefined {
    const r = this.db.prepare('SELECT * FROM incidents WHERE id = ?').get(id) as Row | undefined;
    return r && fromRow(r);
  }

  /** Closes an open incident with the technician's note. */
  resolve(id: number, technicianId: string, note: string): Result<Incident, ResolveRefusal> {
    const existing = this.get(id);
    if (!existing) return err('not-found');
    if (existing.resolved) return err('already-resolved');
    this.db
      .prepare(
        "UPDATE incidents SET resolved_at = ?, resolved_by = ?, resolution_note = ?, closed_by = 'technician' WHERE id = ? AND resolved_at IS NULL",
      )
      .run(this.clock.now(), technicianId, note, id);
    return ok(this.get(id)!);
  }
}
