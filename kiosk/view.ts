/**
 * What the core sends the UI (a View, the whole screen's state) and what the UI sends back (an Intent).
 * The Node side owns the truth: the UI only renders the latest View and reports the applicant's intents.
 * Both hosts carry these unchanged: the browser host as server-sent events and POSTs, the Electron host
 * over one IPC channel each way.
 */

import type { MaintenanceIntent } from './maintenance/intents.ts';
import type { MaintenanceScreenName, MaintenanceView } from './maintenance/view-model.ts';

/** The `data-screen` names of kiosk-runtime.md (maintenance screens are `maintenance-...`). */
export type Screen =
  | 'home'
  | 'manual-entry'
  | 'nik-entry'
  | 'choose'
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
  | MaintenanceScreenName;

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
  'not-registered',
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export type Locale = 'id' | 'en';

/** A Service of central-api.yaml: the list grows, so any well-formed name (see the service catalogue). */
export type Service = string;

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

/** `printing`: which document, how far, and about how long it still takes. */
export interface PrintingProgress {
  medium: 'CARD' | 'A4';
  index: number;
  of: number;
  progress: number;
  etaSeconds: number;
  /** The card printer's head is cooling down (not a fault): the card goes once it has, in about this long. */
  cooling?: { secondsLeft: number };
  /** The printer stopped answering mid-print: the kiosk is checking what became of the card. */
  checking?: boolean;
}

/** One of a signed-in resident's applications on `choose`. */
export interface ChoiceItem {
  applicationNo: string;
  service: Service;
  /** The service's name in the View's language, from the service catalogue ("Dokumen kependudukan" if unknown). */
  serviceName: string;
  /** The API's status (`data-status`). */
  status: string;
  /** IN_PROCESS: the office's stage. */
  stage?: string;
  /** Whether it can be printed here and now (a `choose` button). */
  printable: boolean;
  /** Why not, as the error screen would name it (`already-printed`, `wrong-region`, `not-ready`...). */
  why?: ErrorReason;
}

/** What every View carries, whatever the screen. */
export interface ViewBase {
  locale: Locale;
  kioskId: string;
  /** What this kiosk can print right now (partial service): home shows it. */
  available: { card: boolean; a4: boolean };
  helpdesk: Helpdesk;
  /** The scanner is the kiosk camera, so the UI shows the camera and decodes codes itself. */
  camera?: boolean;
  /** Set while the idle warning counts down; the session ends at 0. */
  idleWarning?: { secondsLeft: number };
  /** A keyboard-mode scanner is configured: the UI tells its runs of keys from a person's typing. */
  keyboardScanner?: { maxInterKeyMs: number };
  /** Spoken guidance is on (for this session): the UI speaks each screen's instruction and touched buttons. */
  audio?: boolean;
  /** With spoken guidance on: its volume in percent, for this session (the applicant's on-screen buttons). */
  volume?: number;
  /** Large text is on (for this session). */
  largeText?: boolean;
  /** An applicant's call for staff is open (kiosk-wide, until a technician clears it or 5 minutes pass). */
  assistance?: 'requested';
  /**
   * Where the kiosk sends the applicant to the counter (`error` other than `invalid-qr`/`expired-qr`, an
   * incomplete `collect`): the session reference to show as text and as a QR code (`data-reference`).
   */
  reference?: string;
}

/** The screens that carry nothing of their own. */
export type PlainScreen = 'home' | 'checking' | 'done' | 'out-of-service' | 'info';

/**
 * The whole state of the screen, one variant per screen: what the core sends and the UI renders.
 * Narrow on `screen` to reach a screen's own data.
 */
export type View =
  | (ViewBase & { screen: PlainScreen })
  | (ViewBase & {
      screen: 'error';
      reason: ErrorReason;
      /** `not-ready`: the office's stage (VERIFICATION, DATA_ENTRY, VALIDATION, SIGNING). */
      stage?: string;
      /** `out-of-supplies` because a printer's queue is paused (a technician has been told). */
      paused?: true;
      /** Whether `retry` can help. */
      canRetry: boolean;
    })
  | (ViewBase & {
      screen: 'manual-entry';
      manualEntry: { step: 'application-no' | 'pin' };
      /** The PIN step of manual entry: attempts left after a wrong PIN. */
      pin?: { attemptsLeft?: number; wrongCount: number };
    })
  | (ViewBase & {
      screen: 'nik-entry';
      /** The NIK is typed first (digits stay in the UI until all 16 are sent), then the login PIN. */
      nikEntry: { step: 'nik' | 'pin'; attemptsLeft?: number; wrongCount: number };
    })
  | (ViewBase & {
      screen: 'choose';
      /** The signed-in resident's applications, newest first (at most 20). */
      choose: { name?: string; applications: ChoiceItem[] };
    })
  | (ViewBase & {
      screen: 'pin';
      /** Attempts left after a wrong PIN. */
      pin: { attemptsLeft?: number; wrongCount: number };
    })
  | (ViewBase & {
      screen: 'confirm';
      confirm: {
        name: string;
        nikMasked: string;
        service: Service;
        /** The service's name in the View's language, from the service catalogue. */
        serviceName: string;
        documents: PreviewDocument[];
      };
    })
  | (ViewBase & { screen: 'printing'; printing: PrintingProgress })
  | (ViewBase & {
      screen: 'collect';
      /** The media to take, and whether some documents could not be printed (see the office). */
      collect: {
        media: Array<'CARD' | 'A4'>;
        incomplete: boolean;
        /** The card waited in the exit bezel and was drawn back: ask at the counter (with the reference). */
        notTaken?: boolean;
      };
    })
  | (ViewBase & { screen: 'survey'; survey: { service?: Service } })
  | (ViewBase & { screen: MaintenanceScreenName; maintenance: MaintenanceView });

/** The View of one screen. */
export type ViewOf<S extends Screen> = Extract<View, { screen: S }>;

/** What the UI sends the core. */
export type Intent =
  /** A code read by a scanner: the camera's (decoded in the UI), or a keyboard-mode scanner's run of keys. */
  | { type: 'scan'; text: string; source?: 'keyboard' }
  | { type: 'manual-entry' }
  /** `home`: sign in with NIK and login PIN instead of a code (1.1). */
  | { type: 'nik-login' }
  /** `nik-entry`: the 16 digits of the NIK. */
  | { type: 'nik'; nik: string }
  /** `choose`: the application to print. */
  | { type: 'choose'; applicationNo: string }
  | { type: 'application-no'; applicationNo: string }
  | { type: 'pin'; pin: string }
  | { type: 'confirm' }
  | { type: 'cancel' }
  | { type: 'retry' }
  | { type: 'home' }
  | { type: 'info' }
  | { type: 'language'; locale: Locale }
  /** Spoken guidance on or off, for the session. */
  | { type: 'audio' }
  /** Spoken guidance louder (1) or quieter (-1), one step, for this session. */
  | { type: 'volume'; step: 1 | -1 }
  /** Large text on or off, for the session. */
  | { type: 'text-size' }
  /** The applicant asks for a member of staff to come to the kiosk. */
  | { type: 'call-staff' }
  | { type: 'rating'; rating: 1 | 2 | 3 | 4 }
  | { type: 'skip' }
  | { type: 'touch' }
  /** The UI's camera started (or could not): the camera scanner's status. */
  | { type: 'camera'; available: boolean; detail?: string }
  /** The technician's menu (every action with its arguments, validated at the boundary). */
  | MaintenanceIntent;

type ScreenFields<V> = V extends unknown ? Omit<V, keyof ViewBase | 'screen'> : never;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
/**
 * A View read without narrowing it: every screen's own fields, each optional. For tests and tools that
 * look at whatever screen is shown; the UI narrows on `screen` instead.
 */
export type FlatView = ViewBase & { screen: Screen } & Partial<UnionToIntersection<ScreenFields<View>>>;
