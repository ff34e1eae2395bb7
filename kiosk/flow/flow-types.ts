import type { ErrorReason, Locale, PrintingProgress } from '../view.ts';
import type { SessionData, SessionSource } from './session-data.ts';

/** What a step's actor decides; the machine only routes on it. */
export type LookupDecision =
  | { next: 'pin'; applicationNo: string }
  | { next: 'claim'; applicationNo: string }
  | { next: 'error'; reason: ErrorReason; stage?: string; paused?: true; canRetry?: boolean };
export type PinDecision =
  | { next: 'claim'; pinProof: string }
  | { next: 'pin-wrong'; attemptsLeft: number }
  | { next: 'error'; reason: ErrorReason; canRetry?: boolean };
export type ClaimDecision =
  | { next: 'confirm' }
  | { next: 'pin' }
  /** A resident's sign-in proof expired or was refused: back home to sign in again, no error blamed on them. */
  | { next: 'sign-in-again' }
  | { next: 'error'; reason: ErrorReason; canRetry?: boolean };
export type PrintDecision = { next: 'collect'; incomplete: boolean } | { next: 'error'; reason: ErrorReason };
export type LoginDecision =
  | { next: 'choose' }
  | { next: 'pin-wrong'; attemptsLeft: number }
  | { next: 'error'; reason: ErrorReason; canRetry?: boolean };
export type CodeDecision = { next: 'lookup'; applicationNo: string } | { next: 'error'; reason: ErrorReason };

/**
 * The machine's context is the one truth of the session: the applicant's data (`session`, created when a
 * session starts and dropped when it ends), the language, the print progress and the routing facts. The
 * steps (provided by the core) work on the session record held here; nothing of the session is kept
 * anywhere else.
 */
export interface FlowContext {
  idleTimeoutSeconds: number;
  /** The kiosk's configured language, which every session ends back on. */
  defaultLocale: Locale;
  locale: Locale;
  session?: SessionData;
  /** `printing`: how far the print is, from the print step's progress reports. */
  progress?: PrintingProgress;
  /** When the idle warning began (the kiosk's clock), for its countdown. */
  warningSince?: number;
  /** `collect`: the card stayed in the exit bezel and was drawn back; the applicant asks at the counter. */
  cardNotTaken?: boolean;
  /** `nik-entry`: the NIK was typed, the login PIN is asked now. */
  nikTyped?: boolean;
  /** Spoken guidance and large text, switched on for this session. */
  audio: boolean;
  largeText: boolean;
  /** Spoken guidance's volume (percent) for this session, and where each session starts. */
  volume: number;
  defaultVolume: number;
  source?: SessionSource;
  applicationNo?: string;
  pinProof?: string;
  pinAttemptsLeft?: number;
  pinWrongCount: number;
  reason?: ErrorReason;
  stage?: string;
  /** `out-of-supplies` because a printer's queue is paused, not empty. */
  paused?: true;
  canRetry?: boolean;
  incomplete?: boolean;
  /** Whether the kiosk could print anything when the machine started. */
  startAvailable: boolean;
}

export type FlowEvent =
  | { type: 'SCAN'; text: string }
  | { type: 'MANUAL_ENTRY' }
  | { type: 'APPLICATION_NO'; applicationNo: string }
  | { type: 'NIK_LOGIN' }
  | { type: 'NIK'; nik: string }
  | { type: 'CHOOSE'; applicationNo: string }
  | { type: 'PIN'; pin: string }
  | { type: 'CONFIRM' }
  | { type: 'CANCEL' }
  | { type: 'RETRY' }
  | { type: 'HOME' }
  | { type: 'INFO' }
  | { type: 'RATING'; rating: number }
  | { type: 'SKIP' }
  | { type: 'TOUCH' }
  | { type: 'LANGUAGE'; locale: Locale }
  | { type: 'AUDIO' }
  | { type: 'VOLUME'; step: 1 | -1 }
  | { type: 'TEXT_SIZE' }
  | { type: 'PROGRESS'; progress: PrintingProgress | undefined }
  | { type: 'SERVICE_CHANGED'; available: boolean };

export interface FlowInput {
  idleTimeoutSeconds: number;
  locale: Locale;
  /** Spoken guidance's volume (percent) at the start of each session. */
  volume: number;
  /** Whether the kiosk can print anything at start. */
  available: boolean;
}
