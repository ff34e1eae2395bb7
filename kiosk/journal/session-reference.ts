import { createHmac } from 'node:crypto';
import { type Db, isStorageFailure, migrate } from '../store/db.ts';

/** Crockford base32: no I, L, O, U, so a reference read aloud or typed at the counter cannot be misread. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** `SessionReference` of central-api.yaml. */
export const SESSION_REFERENCE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const HALF_BITS = 20;
const HALF_MASK = (1 << HALF_BITS) - 1;
const ROUNDS = 4;

/**
 * Session references (`K7Q2-9XMD`): unique per kiosk and never reused, because each is the kiosk's own
 * session counter (kept in the data folder, incremented in a transaction) passed through a permutation
 * of the 40-bit numbers keyed by the kiosk id. A permutation never maps two counters to one reference,
 * and the key keeps consecutive sessions from reading as consecutive numbers. Nothing is left to chance.
 */
export class SessionReferences {
  private readonly next;
  /** The next session's reference, taken (and on disk) already: see `takeAhead`. */
  private ahead: string | undefined;

  constructor(
    db: Db,
    private readonly kioskId: string,
  ) {
    migrate(db, 'session-reference', [
      `CREATE TABLE session_reference_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
       INSERT INTO session_reference_counter (id, value) VALUES (1, 0);`,
    ]);
    const bump = db.prepare(
      'UPDATE session_reference_counter SET value = value + 1 WHERE id = 1 RETURNING value',
    );
    this.next = () => (bump.get() as { value: number }).value;
  }

  /** The next reference; durable when this returns (the one taken ahead, if there is one). */
  take(): string {
    const reference = this.ahead ?? referenceOf(this.kioskId, this.next());
    this.ahead = undefined;
    return reference;
  }

  /**
   * Takes the next session's reference now, while nobody waits (a session has just ended), so that its
   * write to disk (an fsync) is not on the way from the applicant's scan to the confirm screen. One taken
   * ahead and never used (the kiosk stopped first) is a number skipped, never one given twice. False when
   * the disk refused it: the next session then takes its own.
   */
  takeAhead(): boolean {
    if (this.ahead) return true;
    try {
      this.ahead = referenceOf(this.kioskId, this.next());
      return true;
    } catch (e) {
      if (!isStorageFailure(e)) throw e;
      return false;
    }
  }
}

/** The reference of the `n`th session of a kiosk (n from 1 to 2^40 - 1). */
export function referenceOf(kioskId: string, n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 40)
    throw new RangeError(`session counter out of range: ${n}`);
  let left = Math.floor(n / 2 ** HALF_BITS) & HALF_MASK;
  let right = n & HALF_MASK;
  // A balanced Feistel network: a bijection on 40 bits whatever the round function.
  for (let round = 0; round < ROUNDS; round++) {
    const f = roundFunction(kioskId, round, right);
    [left, right] = [right, (left ^ f) & HALF_MASK];
  }
  const value = left * 2 ** HALF_BITS + right;
  let text = '';
  for (let i = 7; i >= 0; i--) text += CROCKFORD[Math.floor(value / 32 ** i) % 32];
  return `${text.slice(0, 4)}-${text.slice(4)}`;
}

function roundFunction(kioskId: string, round: number, half: number): number {
  const mac = createHmac('sha256', kioskId).update(`${round}:${half}`).digest();
  return mac.readUInt32BE(0) & HALF_MASK;
}
