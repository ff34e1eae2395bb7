import type { RenderedCard } from '../../drivers/card-printer/types.ts';
import type { Application, ApplicationDocument, Claim } from '../central-api/schemas.ts';

/** One document of the session, downloaded and checked. */
export interface FetchedDocument {
  doc: ApplicationDocument;
  bytes: Uint8Array;
  card?: RenderedCard;
  previewId: string;
  preview?: Uint8Array;
}

/** How the session began: a scanned code, the application number typed, or a resident's sign-in (1.1). */
export type SessionSource = 'code' | 'manual' | 'nik';

/** A resident signed in with NIK and login PIN: who, the proof the claim carries, and their applications. */
export interface ResidentSession {
  nik: string;
  name?: string;
  residentProof?: string;
  applications?: Application[];
}

/**
 * Everything the kiosk holds of one applicant while the session lasts. It lives only in memory and is
 * dropped whole when the session ends (kiosk-runtime.md: no applicant data kept once the session ended);
 * the journal holds only what reconciliation needs.
 */
export interface SessionData {
  sessionId: string;
  /** The reference the applicant takes to the counter (`SessionReference`), sent with complete and release. */
  reference?: string;
  source: SessionSource;
  /** A resident's sign-in (NIK, proof, applications): dropped with the rest when the session ends. */
  resident?: ResidentSession;
  codeService?: string;
  application?: Application;
  claim?: Claim;
  pinProof?: string;
  documents: FetchedDocument[];
  /** Set when the outcome was queued (complete or release), so nothing queues it twice. */
  settled: boolean;
  /** The outcome could not be decided: the journal keeps the session open for reconciliation. */
  leaveOpen?: boolean;
  printed: { cards: number; pages: number; documents: number };
  outcome?: string;
  /** Why the session was refused or failed (the error screen's reason), for the audit trail. */
  reason?: string;
  /** The reasons this session was already handed over to the counter for. */
  handedOff?: string[];
  /** The card printer fell silent with a card possibly fed and did not answer again in time. */
  cardOutcomeUnknown?: boolean;
}
