/**
 * What the core sends the UI (a View, the whole screen's state) and what the UI sends back (an Intent).
 * The Node side owns the truth: the UI only renders the latest View and reports the applicant's intents.
 * Both hosts carry these unchanged: the browser host as server-sent events and POSTs, the Electron host
 * over one IPC channel each way.
 */

/** The `data-screen` names of kiosk-runtime.md (maintenance screens are `maintenance-...`). */
export type Screen =
  | 'home'
  | 'manual-entry'
  | 'checking'
  | 'pin'
  | 'confirm'
  | 'printing'
  | 'collect'
  | 'survey'
  | 'done'
  | 'error'
  | 'out-of-service'
  | 'info'
  | `maintenance-${string}`;

/** The `data-reason` names of the `error` screen (kiosk-runtime.md). */
export const ERROR_REASONS = [
  'invalid-qr',
  'expired-qr',
  'wrong-region',
  'not-found',
  'not-ready',
  'not-self-print',
  'already-printed',
  'claimed-elsewhere',
  'rejected',
  'pin-locked',
  'unsupported-service',
  'out-of-supplies',
  'device-fault',
  'document-invalid',
  'service-unavailable',
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export type Locale = 'id' | 'en';

export type Service =
  | 'KTP_EL'
  | 'KIA'
  | 'KK'
  | 'AKTA_KELAHIRAN'
  | 'AKTA_KEMATIAN'
  | 'AKTA_PERKAWINAN'
  | 'AKTA_PERCERAIAN'
  | 'SURAT_PINDAH'
  | 'BIODATA';

export interface Helpdesk {
  phone?: string;
  whatsapp?: string;
  email?: string;
}

/** One document on the `confirm` screen. `previewUrl` is relative to the UI's origin. */
export interface PreviewDocument {
  medium: 'CARD' | 'A4';
  template?: 'KTP_EL' | 'KIA';
  pages?: number;
  previewUrl: string;
}

export interface View {
  screen: Screen;
  locale: Locale;
  kioskId: string;
  /** What this kiosk can print right now (partial service): home shows it. */
  available: { card: boolean; a4: boolean };
  helpdesk: Helpdesk;
  /** `home`: the scanner is the kiosk camera, so the UI shows the camera and decodes codes itself. */
  camera?: boolean;
  /** Set while the idle warning counts down; the session ends at 0. */
  idleWarning?: { secondsLeft: number };
  /** `error` only. */
  reason?: ErrorReason;
  /** `error` with `not-ready`: the office's stage (VERIFICATION, DATA_ENTRY, VALIDATION, SIGNING). */
  stage?: string;
  /** `error`: whether `retry` can help. */
  canRetry?: boolean;
  /** `manual-entry`: which field is asked for. */
  manualEntry?: { step: 'application-no' | 'pin' };
  /** `pin` (and the PIN step of manual entry): attempts left after a wrong PIN. */
  pin?: { attemptsLeft?: number; wrongCount: number };
  /** `confirm` */
  confirm?: { name: string; nikMasked: string; service: Service; documents: PreviewDocument[] };
  /** `printing` */
  printing?: { medium: 'CARD' | 'A4'; index: number; of: number; progress: number; etaSeconds: number };
  /** `collect`: the media to take, and whether some documents could not be printed (see the office). */
  collect?: { media: Array<'CARD' | 'A4'>; incomplete: boolean };
  /** `survey` */
  survey?: { service?: Service };
  /** `maintenance-...` screens: their own data. */
  maintenance?: unknown;
}

/** What the UI sends the core. */
export type Intent =
  | { type: 'scan'; text: string }
  | { type: 'manual-entry' }
  | { type: 'application-no'; applicationNo: string }
  | { type: 'pin'; pin: string }
  | { type: 'confirm' }
  | { type: 'cancel' }
  | { type: 'retry' }
  | { type: 'home' }
  | { type: 'info' }
  | { type: 'language'; locale: Locale }
  | { type: 'rating'; rating: 1 | 2 | 3 | 4 }
  | { type: 'skip' }
  | { type: 'touch' }
  /** The UI's camera started (or could not): the camera scanner's status. */
  | { type: 'camera'; available: boolean; detail?: string }
  | { type: 'maintenance'; action: string; args?: Record<string, unknown> };
