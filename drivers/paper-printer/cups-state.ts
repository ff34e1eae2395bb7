import { IppJobState, IppPrinterState, type IppValue } from './ipp.ts';
import type { PaperJobState, PaperPrinterFault, PaperPrinterStatus } from './types.ts';

/**
 * printer-state-reasons keywords (RFC 8011 5.4.12 and the PWG registry) that stop the kiosk from
 * printing, in order of what the technician should see first. A reason may carry a `-error`,
 * `-warning` or `-report` suffix; only errors and bare keywords stop the printer, so `media-low-warning`
 * or a `media-empty-warning` from a printer with a second tray do not.
 */
const REASON_FAULTS: [string, PaperPrinterFault][] = [
  ['media-jam', 'MEDIA_JAM'],
  ['input-tray-missing', 'MEDIA_EMPTY'],
  ['media-empty', 'MEDIA_EMPTY'],
  ['media-needed', 'MEDIA_EMPTY'],
  ['door-open', 'DOOR_OPEN'],
  ['cover-open', 'DOOR_OPEN'],
  ['interlock-open', 'DOOR_OPEN'],
  ['offline', 'OFFLINE'],
  ['shutdown', 'OFFLINE'],
  ['timed-out', 'OFFLINE'],
  ['connecting-to-device', 'OFFLINE'],
];

/** Reasons that are not faults even as bare keywords. */
const HARMLESS_REASONS = new Set([
  'none',
  'paused',
  'moving-to-paused',
  'other',
  'cups-waiting-for-job-completed',
]);

/**
 * The kiosk's view of a CUPS queue from its Get-Printer-Attributes answer. A queue that is stopped
 * (`cupsdisable`) or not accepting jobs (`cupsreject`) with no hardware reason is QUEUE_DISABLED: CUPS
 * would hold or refuse the job, and the applicant must not wait for it.
 */
export function printerStatusFromIpp(attrs: Map<string, IppValue[]>): PaperPrinterStatus {
  const state = attrs.get('printer-state')?.[0];
  const accepting = attrs.get('printer-is-accepting-jobs')?.[0];
  const reasons = (attrs.get('printer-state-reasons') ?? []).map(String);
  const message = String(attrs.get('printer-state-message')?.[0] ?? '') || undefined;
  const fault = faultFromReasons(reasons);
  if (fault) return withDetail(fault, reasons.join(','));
  if (state === IppPrinterState.stopped) return withDetail('QUEUE_DISABLED', message ?? 'stopped');
  if (accepting === false) return withDetail('QUEUE_DISABLED', 'not accepting jobs');
  const other = reasons.find((r) => r.endsWith('-error') && !HARMLESS_REASONS.has(r));
  if (other) return withDetail('ERROR', other);
  if (state === IppPrinterState.processing) return { state: 'PRINTING' };
  if (state === IppPrinterState.idle) return { state: 'READY' };
  return withDetail('ERROR', `printer-state ${String(state)}`);
}

/** The first fault named by the reasons, by the priority of REASON_FAULTS. */
export function faultFromReasons(reasons: string[]): PaperPrinterFault | undefined {
  const stopping = reasons
    .filter((r) => !r.endsWith('-warning') && !r.endsWith('-report'))
    .map((r) => r.replace(/-error$/, ''));
  for (const [keyword, fault] of REASON_FAULTS) {
    if (stopping.includes(keyword)) return fault;
  }
  return undefined;
}

/**
 * The job's state for the kiosk. `processing-stopped` counts as failed (kiosk-runtime.md: a job the
 * spooler reports stopped is not printed); the driver cancels such a job so it cannot come out later.
 */
export function jobStateFromIpp(state: IppValue | undefined): PaperJobState {
  switch (state) {
    case IppJobState.pending:
    case IppJobState.pendingHeld:
      return 'pending';
    case IppJobState.processing:
      return 'printing';
    case IppJobState.completed:
      return 'completed';
    case IppJobState.processingStopped:
    case IppJobState.canceled:
    case IppJobState.aborted:
      return 'failed';
    default:
      return 'unknown';
  }
}

function withDetail(state: PaperPrinterFault, detail: string | undefined): PaperPrinterStatus {
  return detail ? { state, detail } : { state };
}
