import type { CardPrinterFault } from '../../drivers/card-printer/types.ts';
import type { PaperPrinterFault } from '../../drivers/paper-printer/types.ts';

/**
 * Every kind of incident the kiosk keeps for a technician, in one closed list. Adding a kind means adding
 * it here and its guide in `guides.ts` (the type checker refuses a kind without one).
 */
export const INCIDENT_KINDS = [
  /** The central API answered 409 CLAIM_LOST to a `complete`: the card is out but the claim was gone. */
  'claim-lost',
  /** The central API refused an outbox message for good (not a claim loss). */
  'outbox-refused',
  /** A device failed after some documents came out: complete was sent with what was printed. */
  'partial-print',
  /** The printer went silent after a card may have been fed: the session waits for its counters. */
  'card-outcome-unknown',
  /** After a restart the spooler could not say what became of an A4 job: counted printed, never reprinted. */
  'a4-job-unknown',
  /** A claim granted before a crash was found at recovery and released. */
  'claim-recovered',
  /** A printed card nobody took from the exit bezel was drawn back into the reject box. */
  'card-not-taken',
  /** A card's name or address cannot be printed as issued (a character the font lacks, too long). */
  'card-text',
  /** The metrics port could not be opened: the kiosk serves applicants, but Prometheus sees nothing. */
  'metrics-unavailable',
  /** The blank-card ledger and the printer's counters disagree. */
  'ledger-mismatch',
  /** No blank-card load has been recorded yet: the feeder sensor decides. */
  'ledger-not-initialised',
  'card-jam',
  'card-cover-open',
  'card-feeder-empty',
  'card-ribbon',
  'card-hopper-full',
  'card-mechanical',
  'card-printer-offline',
  'paper-jam',
  'paper-empty',
  'paper-door-open',
  'paper-printer-offline',
  'paper-queue-disabled',
  'paper-printer-error',
  /** Free disk space below the configured floor: the kiosk serves nobody. */
  'disk-low',
  /** A fault no other kind names (kept for records written before the kinds were closed). */
  'device-fault',
] as const;

/** One kind of incident. */
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** Whether a stored string names a kind of this version. */
export function isIncidentKind(s: string): s is IncidentKind {
  return (INCIDENT_KINDS as readonly string[]).includes(s);
}

/**
 * What the kiosk watches to close an incident by itself once its cause is gone: a printer back to READY,
 * cards or paper loaded, disk space above the floor. Kinds without a cause are closed by a technician.
 */
export type IncidentCause = 'card-printer' | 'paper-printer' | 'cards-loaded' | 'paper-loaded' | 'disk-space';

/** The incident kind for each card-printer fault state. */
export const CARD_FAULT_KIND: Record<CardPrinterFault, IncidentKind> = {
  CARD_JAM: 'card-jam',
  COVER_OPEN: 'card-cover-open',
  FEEDER_EMPTY: 'card-feeder-empty',
  RIBBON_ENDED: 'card-ribbon',
  NO_RIBBON: 'card-ribbon',
  HOPPER_FULL: 'card-hopper-full',
  MECHANICAL_ERROR: 'card-mechanical',
  OFFLINE: 'card-printer-offline',
};

/** The incident kind for each A4-printer fault state. */
export const PAPER_FAULT_KIND: Record<PaperPrinterFault, IncidentKind> = {
  MEDIA_JAM: 'paper-jam',
  MEDIA_EMPTY: 'paper-empty',
  DOOR_OPEN: 'paper-door-open',
  OFFLINE: 'paper-printer-offline',
  QUEUE_DISABLED: 'paper-queue-disabled',
  ERROR: 'paper-printer-error',
};
