import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { AuditEntry } from './types.ts';

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** A stored row of the chain. */
export interface AuditRow {
  seq: number;
  at: number;
  type: string;
  technician_id: string | null;
  application_no: string | null;
  nik_masked: string | null;
  outcome: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
  sig: string | null;
  key_id: string | null;
}

/** The part of an entry the hash covers: everything but the hash itself. */
function hashedPart(e: Omit<AuditEntry, 'hash'>): string {
  return canonicalJson({
    seq: e.seq,
    at: e.at,
    type: e.type,
    technicianId: e.technicianId,
    applicationNo: e.applicationNo,
    nikMasked: e.nikMasked,
    outcome: e.outcome,
    detail: e.detail,
  });
}

/** The hash of an entry chained to `prevHash`. */
export function entryHash(prevHash: string, e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(prevHash + hashedPart(e))
    .digest('hex');
}

/** An entry from its row. Throws when `detail` is not JSON (a tampered row). */
export function fromRow(r: AuditRow): AuditEntry {
  const e: AuditEntry = { seq: r.seq, at: r.at, type: r.type, prevHash: r.prev_hash, hash: r.hash };
  if (r.technician_id !== null) e.technicianId = r.technician_id;
  if (r.application_no !== null) e.applicationNo = r.application_no;
  if (r.nik_masked !== null) e.nikMasked = r.nik_masked;
  if (r.outcome !== null) e.outcome = r.outcome;
  if (r.detail !== null) e.detail = JSON.parse(r.detail) as Record<string, unknown>;
  if (r.sig !== null) e.sig = r.sig;
  return e;
}
