import type { Db } from '../store/db.ts';
import { type AuditRow, entryHash, fromRow, GENESIS_HASH } from './chain.ts';
import type { AuditVerifier } from './signing-key.ts';
import type { AuditDivergence, AuditHead, AuditVerification } from './types.ts';

const short = (hash: string) => hash.slice(0, 12);

/**
 * Checks the chain stored in `db`: from the checkpoint of the last pruned entry (or the genesis) every
 * entry must follow in sequence, link to the one before, hash to its stored hash and, given the kiosk's
 * verifier, carry a valid signature; the head record must name the last entry; and every anchored head
 * must still be in the chain. A chain recomputed from some entry on passes the links but not the
 * signatures (the key is outside the data folder) nor the anchors: the answer says where it diverges.
 */
export function verifyChain(
  db: Db,
  opts: { verifier?: AuditVerifier; anchors?: AuditHead[] } = {},
): AuditVerification {
  const checkpoint = db.prepare('SELECT seq, hash FROM audit_checkpoint WHERE id = 1').get() as
    | AuditHead
    | undefined;
  let prevHash = checkpoint?.hash ?? GENESIS_HASH;
  let expectedSeq = (checkpoint?.seq ?? 0) + 1;
  const fromSeq = expectedSeq;
  let count = 0;
  let signed = 0;
  let broken: { brokenAt: number; reason: string } | undefined;
  let firstBadSignature: number | undefined;
  const hashes = new Map<number, string>();
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<AuditRow>) {
    if (!broken) {
      if (row.seq !== expectedSeq)
        broken = { brokenAt: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      else if (row.prev_hash !== prevHash)
        broken = { brokenAt: row.seq, reason: 'prevHash does not match the previous entry' };
      else {
        let content: string | undefined;
        try {
          content = entryHash(prevHash, fromRow(row));
        } catch {
          broken = { brokenAt: row.seq, reason: 'detail is not valid JSON' };
        }
        if (content !== undefined && content !== row.hash)
          broken = { brokenAt: row.seq, reason: 'hash does not match the entry content' };
      }
    }
    if (opts.verifier) {
      if (row.sig !== null && opts.verifier.verify(row.hash, row.sig)) signed++;
      else firstBadSignature ??= row.seq;
    }
    hashes.set(row.seq, row.hash);
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
    count++;
  }
  const lastSeq = expectedSeq - 1;
  if (!broken && firstBadSignature !== undefined)
    broken = {
      brokenAt: firstBadSignature,
      reason: `entry ${firstBadSignature} is not signed by this kiosk's key (rewritten from there on)`,
    };
  const head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined;
  if (!broken && head && (head.seq !== lastSeq || head.hash !== prevHash))
    broken = { brokenAt: lastSeq + 1, reason: `the chain ends at ${lastSeq} but the head says ${head.seq}` };
  if (!broken && !head && count > 0) broken = { brokenAt: fromSeq, reason: 'the head record is missing' };

  // The anchored heads, oldest first: the newest one still matched, and the first one no longer matched.
  let lastMatchingAnchor: number | undefined;
  let divergence: AuditDivergence | undefined;
  for (const a of [...(opts.anchors ?? [])].sort((x, y) => x.seq - y.seq)) {
    if (a.seq < fromSeq) continue;
    const found = hashes.get(a.seq);
    if (found === a.hash) {
      if (!divergence) lastMatchingAnchor = a.seq;
      continue;
    }
    if (!divergence) {
      divergence = { anchor: a };
      if (found !== undefined) divergence.found = found;
      if (lastMatchingAnchor !== undefined) divergence.lastMatchingAnchor = lastMatchingAnchor;
      if (firstBadSignature !== undefined) divergence.firstBadSignature = firstBadSignature;
    }
  }
  if (divergence) {
    const a = divergence.anchor;
    const where =
      firstBadSignature !== undefined
        ? `from entry ${firstBadSignature}`
        : `after entry ${lastMatchingAnchor ?? fromSeq - 1}`;
    const reason =
      `the chain diverges from the head anchored at entry ${a.seq} (${short(a.hash)}, now ` +
      `${divergence.found ? short(divergence.found) : 'missing'}): rewritten ${where}`;
    return {
      ok: false,
      brokenAt: firstBadSignature ?? broken?.brokenAt ?? (lastMatchingAnchor ?? fromSeq - 1) + 1,
      reason: broken ? `${reason}; ${broken.reason}` : reason,
      divergence,
    };
  }
  if (broken) return { ok: false, ...broken };
  const ok: AuditVerification = { ok: true, count };
  if (checkpoint) ok.fromSeq = fromSeq;
  if (opts.verifier) ok.signed = signed;
  if (lastMatchingAnchor !== undefined) ok.anchoredSeq = lastMatchingAnchor;
  return ok;
}
