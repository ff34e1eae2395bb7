import type { Clock } from '../../drivers/shared/clock.ts';
import type { ReleaseReason } from '../central-api/contract.ts';
import type { SessionData } from '../flow/session-data.ts';
import type { Journal } from '../journal/journal.ts';
import type { Outbox } from '../outbox/outbox.ts';

/** The claim a session holds, as the journal knows it. */
export interface SettledClaim {
  sessionId: string;
  claimId: string;
  applicationNo: string;
  reference?: string;
}

/** What came out of the printers for one claim. */
export interface Printed {
  cards: number;
  pages: number;
}

/**
 * The one place a claim is settled: `complete` with what came out, or `release` with a reason. Each is
 * queued in the outbox and journaled in one transaction, so a power cut leaves either both or neither,
 * and the outbox sends it until the API acknowledges it. The session steps, the printing step and
 * recovery after a restart all settle through here.
 */
export class Settlement {
  constructor(
    private readonly deps: {
      journal: Journal;
      outbox: Outbox;
      clock: Clock;
      /** The card printer's serial, reported with a completion that printed a card. */
      cardPrinterSerial?: () => string | undefined;
    },
  ) {}

  /** Queues `complete` for what came out (at least one card or page). */
  complete(claim: SettledClaim, printed: Printed): void {
    const { journal, outbox, clock } = this.deps;
    const serial = printed.cards > 0 ? this.deps.cardPrinterSerial?.() : undefined;
    journal.transaction(() => {
      const outboxId = outbox.enqueue({
        kind: 'complete',
        claimId: claim.claimId,
        applicationNo: claim.applicationNo,
        body: {
          printedAt: new Date(clock.now()).toISOString(),
          cardsPrinted: printed.cards,
          pagesPrinted: printed.pages,
          ...(serial ? { cardPrinterSerial: serial } : {}),
          ...(claim.reference ? { reference: claim.reference } : {}),
        },
      });
      journal.append(claim.sessionId, {
        step: 'completion-queued',
        outboxId,
        cardsPrinted: printed.cards,
        pagesPrinted: printed.pages,
      });
    });
  }

  /** Queues `release`: nothing came out, and nothing can come out any more for this claim. */
  release(claim: SettledClaim, reason: ReleaseReason, detail?: string): void {
    const { journal, outbox } = this.deps;
    journal.transaction(() => {
      const outboxId = outbox.enqueue({
        kind: 'release',
        claimId: claim.claimId,
        applicationNo: claim.applicationNo,
        reason,
        ...(detail ? { detail } : {}),
        ...(claim.reference ? { reference: claim.reference } : {}),
      });
      journal.append(claim.sessionId, { step: 'release-queued', outboxId, reason });
    });
  }

  /** Completes the session's claim with what it printed, once. */
  completeSession(s: SessionData): void {
    const claim = claimOf(s);
    if (s.settled || !claim) return;
    this.complete(claim, s.printed);
    s.settled = true;
  }

  /** Releases the session's claim, once; the reason also names how the session ended. */
  releaseSession(s: SessionData, reason: ReleaseReason, detail?: string): void {
    const claim = claimOf(s);
    if (s.settled || !claim) return;
    this.release(claim, reason, detail);
    s.settled = true;
    if (reason === 'CANCELLED_BY_APPLICANT') s.outcome = 'cancelled';
    if (reason === 'TIMEOUT') s.outcome = 'timeout';
  }
}

function claimOf(s: SessionData): SettledClaim | undefined {
  if (!s.claim) return undefined;
  return {
    sessionId: s.sessionId,
    claimId: s.claim.claimId,
    applicationNo: s.claim.applicationNo,
    ...(s.reference ? { reference: s.reference } : {}),
  };
}
