import { type Clock, sleep } from '../shared/clock.ts';
import { err, ok, type Result } from '../shared/result.ts';
import type {
  PaperJob,
  PaperJobFailure,
  PaperJobState,
  PaperPrinterFault,
  PaperPrinterStatus,
  PaperPrintRequest,
} from './types.ts';

/** How often the spooler is asked about a job in progress. */
export const JOB_POLL_MS = 500;
/** A job may take this long before its first page, plus JOB_TIMEOUT_PER_PAGE_MS per page, then it is given up. */
export const JOB_TIMEOUT_BASE_MS = 60_000;
export const JOB_TIMEOUT_PER_PAGE_MS = 20_000;
/**
 * A printer fault must last this long before a waiting job is cancelled: network printers show
 * `connecting-to-device` for a moment at the start of every job.
 */
export const FAULT_GRACE_MS = 5_000;

/** What following a job needs from a spooler. */
export interface JobSpooler {
  jobState(jobId: string): Promise<PaperJobState>;
  getStatus(): Promise<PaperPrinterStatus>;
  /** Cancels a job; a job that already ended is left as it is. Never throws. */
  cancel(jobId: string): Promise<void>;
}

/** Whether a status is a fault (anything but READY or PRINTING). */
export function isFault(s: PaperPrinterStatus): s is { state: PaperPrinterFault; detail?: string } {
  return s.state !== 'READY' && s.state !== 'PRINTING';
}

/**
 * Polls the spooler until the job completed (ok) or failed. A job that fails, stops, vanishes, waits
 * behind a lasting printer fault or overruns its time is cancelled, so that it can never come out
 * later with nobody there to take it, and is reported failed with the printer's fault.
 */
export async function followJob(
  spooler: JobSpooler,
  job: PaperJob,
  clock: Clock,
): Promise<Result<PaperJob, PaperJobFailure>> {
  const deadline = clock.now() + JOB_TIMEOUT_BASE_MS + JOB_TIMEOUT_PER_PAGE_MS * job.pages;
  let faultSince: number | undefined;
  const giveUp = async (fault: PaperPrinterFault, detail: string | undefined) => {
    await spooler.cancel(job.jobId);
    const failure: PaperJobFailure = { kind: 'failed', jobId: job.jobId, fault };
    return err(detail ? { ...failure, detail } : failure);
  };
  for (;;) {
    const state = await spooler.jobState(job.jobId);
    if (state === 'completed') return ok(job);
    const status = await spooler.getStatus();
    if (state === 'failed' || state === 'unknown') {
      return isFault(status)
        ? giveUp(status.state, status.detail)
        : giveUp('ERROR', state === 'unknown' ? 'job unknown to the spooler' : 'job failed');
    }
    if (isFault(status)) {
      faultSince ??= clock.now();
      if (clock.now() - faultSince >= FAULT_GRACE_MS) return giveUp(status.state, status.detail);
    } else {
      faultSince = undefined;
    }
    if (clock.now() >= deadline) return giveUp('ERROR', 'job timed out');
    await sleep(clock, JOB_POLL_MS);
  }
}

/** Submits a job and, once the spooler took it (and `onSubmitted` has journaled it), follows it to its end. */
export async function submitAndFollow(
  spooler: JobSpooler & { submit(req: PaperPrintRequest): Promise<Result<PaperJob, PaperJobFailure>> },
  req: PaperPrintRequest,
  clock: Clock,
  onSubmitted?: (job: PaperJob) => Promise<void> | void,
): Promise<Result<PaperJob, PaperJobFailure>> {
  const submitted = await spooler.submit(req);
  if (!submitted.ok) return submitted;
  await onSubmitted?.(submitted.value);
  return followJob(spooler, submitted.value, clock);
}
