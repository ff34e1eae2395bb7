import type { Clock } from '../../drivers/shared/clock.ts';
import { systemClock } from '../../drivers/shared/clock.ts';
import type { Result } from '../../drivers/shared/result.ts';
import { err, ok } from '../../drivers/shared/result.ts';
import { redact } from '../audit/mask.ts';
import { type Db, migrate } from '../store/db.ts';

/**
 * Kinds of incident the kiosk keeps for a technician. Others may add their own strings; these are the
 * ones the kiosk itself records.
 */
export type IncidentKind =
  /** The central API answered 409 CLAIM_LOST to a `complete`: the card is out but the claim was gone. */
  | 'claim-lost'
  /** A device failed after some documents came out: complete was sent with what was printed. */
  | 'partial-print'
  /** The blank-card ledger and the printer's counters disagree. */
  | 'ledger-mismatch'
  | 'device-fault'
  | (string & {});

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
  resolved?: { at: number; technicianId: string; note: string };
}

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
}

function fromRow(r: Row): Incident {
  const i: Incident = {
    id: r.id,
    at: r.at,
    kind: r.kind,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  };
  if (r.application_no !== null) i.applicationNo = r.application_no;
  if (r.claim_id !== null) i.claimId = r.claim_id;
  if (r.resolved_at !== null)
    i.resolved = { at: r.resolved_at, technicianId: r.resolved_by ?? '', note: r.resolution_note ?? '' };
  return i;
}

/** Why `resolve` did nothing. */
export type ResolveRefusal = 'not-found' | 'already-resolved';

/**
 * Incidents the kiosk keeps for a technician: a claim lost after printing, a partial print, a ledger
 * mismatch. Each stays open until a technician resolves it with a note; nothing resolves itself.
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
        'UPDATE incidents SET resolved_at = ?, resolved_by = ?, resolution_note = ? WHERE id = ? AND resolved_at IS NULL',
      )
      .run(this.clock.now(), technicianId, note, id);
    return ok(this.get(id)!);
  }
}
