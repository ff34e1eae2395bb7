import type { ErrorReason, Service } from '../view.ts';

/**
 * How an applicant session ended, as the flow records it. `printed`: everything came out; `partial`:
 * some documents came out before a fault (complete sent with what was printed, incident kept);
 * `refused`: stopped before printing for `reason`; `fault`: a device failed and nothing came out;
 * `cancelled` / `timeout`: the applicant left at confirm.
 */
export type SessionOutcome = 'printed' | 'partial' | 'refused' | 'fault' | 'cancelled' | 'timeout';

/** The `detail` of a session entry. Never personal data beyond the masked NIK of the entry itself. */
// A type alias, not an interface, so that it is assignable to `Record<string, unknown>`.
export type SessionDetail = {
  /** The application's service, when known (a code refused before lookup has only the code's `svc`). */
  service?: Service;
  /** `refused` / `fault`: the error screen's reason. */
  reason?: ErrorReason | string;
  /** Cards that came out printed in this session. */
  cards?: number;
  /** A4 sheets that came out printed in this session. */
  sheets?: number;
  /** The session's id in the journal, to follow it there. */
  sessionId?: string;
};

/**
 * What the flow appends when a session ends: `audit.append(entry)`. `nik` is masked on write; the full
 * NIK may be passed but is never stored.
 */
export interface SessionAuditEntry {
  type: 'session';
  outcome: SessionOutcome;
  applicationNo?: string;
  nik?: string;
  detail: SessionDetail;
}

/** What the maintenance controller appends for every technician action. `outcome` names the action. */
export interface MaintenanceAuditEntry {
  type: 'maintenance';
  technicianId?: string;
  outcome: string;
  detail?: Record<string, unknown>;
}

/** Any entry the audit trail accepts. Other modules may use their own `type` (e.g. `incident`, `system`). */
export interface AuditEntryInput {
  type: string;
  technicianId?: string;
  applicationNo?: string;
  /** Masked on write (first 6 and last 4 digits). */
  nik?: string;
  outcome?: string;
  /** Passed through `redact` on write. */
  detail?: Record<string, unknown>;
}

/** One stored entry of the hash chain. */
export interface AuditEntry {
  seq: number;
  /** Milliseconds since the epoch. */
  at: number;
  type: string;
  technicianId?: string;
  applicationNo?: string;
  nikMasked?: string;
  outcome?: string;
  detail?: Record<string, unknown>;
  prevHash: string;
  hash: string;
  /** The kiosk key's Ed25519 signature of `hash` (base64url), when the kiosk has its key. */
  sig?: string;
}

/** The newest entry's seq and hash: sent with every heartbeat, anchored when the central API acknowledges. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** Where a rewritten chain parts from a head the central API acknowledged. */
export interface AuditDivergence {
  /** The anchored head the chain no longer matches. */
  anchor: AuditHead;
  /** The hash the chain has at that seq now (none: the chain no longer reaches it). */
  found?: string;
  /** The newest anchored head the chain still matches: the rewrite starts after it. */
  lastMatchingAnchor?: number;
  /** The first entry whose signature does not check (with the key): where the rewrite starts. */
  firstBadSignature?: number;
}

/** What `AuditLog.verify()` finds. */
export type AuditVerification =
  | {
      ok: true;
      count: number;
      /** The first entry kept, when older ones were pruned behind a checkpoint. */
      fromSeq?: number;
      /** Entries whose signature checked (verified with the key). */
      signed?: number;
      /** The newest anchored head the chain matches. */
      anchoredSeq?: number;
    }
  | { ok: false; brokenAt: number; reason: string; divergence?: AuditDivergence };
