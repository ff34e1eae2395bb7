import type { SessionOutcome } from '../audit/types.ts';
import type { SessionData, SessionSource } from '../flow/session-data.ts';
import type { SessionStep } from '../journal/journal.ts';
import type { ErrorReason } from '../view.ts';
import type { KioskCoreDeps } from './deps.ts';
import type { Settlement } from './settlement.ts';

type RecordDeps = Pick<
  KioskCoreDeps,
  'journal' | 'references' | 'audit' | 'log' | 'outbox' | 'clock' | 'config' | 'metrics'
>;

/** The reasons that are the code's own: the applicant is not sent to the counter for them. */
export const CODE_REASONS: ReadonlySet<string> = new Set(['invalid-qr', 'expired-qr']);

/**
 * A session's record from its start to its end: the journal entry that opens it (with its reference),
 * the steps, the refusal reason, and at the end the journal's close, the audit entry, and the
 * applicant's documents wiped from memory.
 */
export class SessionRecord {
  constructor(
    private readonly deps: RecordDeps,
    private readonly settlement: Settlement,
  ) {}

  /** Opens a session: journaled (with a new reference) before anything is done for the applicant. */
  open(source: SessionSource): SessionData {
    this.deps.metrics?.stepStart('scan_to_confirm');
    const references = this.deps.references;
    const { sessionId, reference } = this.deps.journal.start(
      source,
      references ? () => references.take() : undefined,
    );
    return {
      sessionId,
      ...(reference ? { reference } : {}),
      source,
      documents: [],
      settled: false,
      printed: { cards: 0, pages: 0, documents: 0 },
    };
  }

  /** Appends one step to the session's journal; durable when this returns (see the journal's `SYNC_LATER`). */
  step(s: SessionData, step: SessionStep): void {
    this.deps.journal.append(s.sessionId, step);
  }

  /** The applicant is refused or the session failed, with the error screen's reason. */
  refused(s: SessionData, reason: ErrorReason, detail?: string): void {
    this.deps.metrics?.refusal(reason);
    s.outcome ??= reason === 'device-fault' ? 'fault' : 'refused';
    this.step(s, { step: 'refused', reason });
    if (detail) this.deps.log?.(`refused: ${reason} (${detail})`, { session: s.reference ?? s.sessionId });
    s.reason = reason;
  }

  /**
   * The applicant is sent to the counter (an error other than the code's own, a partial collect, a card
   * nobody took): one hand-off per session and reason, with what was and was not printed, so the officer
   * goes on from there. It needs the session's reference, which the applicant shows at the counter.
   */
  handOff(s: SessionData, reason: string): void {
    if (!s.reference || CODE_REASONS.has(reason) || s.handedOff?.includes(reason)) return;
    s.handedOff = [...(s.handedOff ?? []), reason];
    this.deps.outbox.enqueue({
      kind: 'handoff',
      body: {
        reference: s.reference,
        at: new Date(this.deps.clock.now()).toISOString(),
        reason,
        ...(s.application ? { applicationNo: s.application.applicationNo } : {}),
        ...(s.claim ? { claimId: s.claim.claimId } : {}),
        cardsPrinted: s.printed.cards,
        pagesPrinted: s.printed.pages,
      },
    });
  }

  /** The applicant's survey answer (SKM), queued for the central API. */
  feedback(rating: number, s: SessionData | undefined): void {
    if (!Number.isInteger(rating) || rating < 1 || rating > 4) return;
    const service = s?.application?.service;
    this.deps.outbox.enqueue({
      kind: 'feedback',
      body: {
        kioskId: this.deps.config.kioskId,
        rating: rating as 1 | 2 | 3 | 4,
        ...(service ? { service } : {}),
        at: new Date(this.deps.clock.now()).toISOString(),
      },
    });
  }
  /** Ends the session: journal closed, audit entry, and the applicant's data dropped from memory. */
  close(s: SessionData): void {
    // A claim still live here (every exit path settles it; this is the safety net) is released, never left dangling.
    if (s.claim && !s.settled)
      this.settlement.releaseSession(s, 'INTERRUPTED', 'session ended without an outcome');
    const outcome = s.outcome ?? (s.application ? 'cancelled' : 'refused');
    if (!s.leaveOpen) this.deps.journal.append(s.sessionId, { step: 'closed', outcome });
    try {
      const service = s.application?.service ?? s.codeService;
      this.deps.audit?.append({
        type: 'session',
        outcome: outcome as SessionOutcome,
        ...(s.application
          ? { applicationNo: s.application.applicationNo, nik: s.application.subject.nik }
          : {}),
        detail: {
          sessionId: s.sessionId,
          ...(s.reference ? { reference: s.reference } : {}),
          ...(service ? { service } : {}),
          ...(s.reason ? { reason: s.reason } : {}),
          cards: s.printed.cards,
          sheets: s.printed.pages,
        },
      });
    } catch (e) {
      this.deps.log?.(`audit append failed: ${(e as Error).message}`);
    }
    for (const d of s.documents) {
      d.bytes.fill(0);
      d.preview = undefined;
    }
    s.documents = [];
    s.application = undefined;
    s.pinProof = undefined;
    s.resident = undefined;
    this.deps.references?.takeAhead();
  }
}
