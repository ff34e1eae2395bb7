import type { Result } from '../shared/result.ts';

/** Printer-level conditions read from the spooler (CUPS printer-state-reasons, Windows printer status). */
export type PaperPrinterFault =
  | 'MEDIA_EMPTY'
  | 'MEDIA_JAM'
  | 'DOOR_OPEN'
  | 'OFFLINE'
  | 'QUEUE_DISABLED'
  | 'ERROR';

/** What the kiosk knows of the A4 printer. `getStatus()` never throws. */
export type PaperPrinterStatus =
  | { state: 'READY'; paperSheets?: number }
  | { state: 'PRINTING'; paperSheets?: number }
  | { state: PaperPrinterFault; detail?: string };

/** Why a job did not print. */
export type PaperJobFailure =
  | { kind: 'page-count-mismatch'; expected: number; actual: number }
  | { kind: 'not-a-pdf' }
  | { kind: 'refused'; fault: PaperPrinterFault; detail?: string }
  | { kind: 'failed'; jobId: string; fault: PaperPrinterFault; detail?: string };

export interface PaperPrintRequest {
  pdf: Uint8Array;
  /** The application's `pages`: the PDF must have exactly this many pages or nothing is printed. */
  expectedPages: number;
  /** A name for the job in the spooler (the session reference, never the application number or personal data). */
  jobName: string;
}

/** A job the spooler accepted. */
export interface PaperJob {
  jobId: string;
  pages: number;
}

/** The spooler's view of one job. */
export type PaperJobState = 'pending' | 'printing' | 'completed' | 'failed' | 'unknown';

/**
 * A job looked up by its name: found with its state, `absent` (the spooler never had a job of that
 * name), or `unknown` (the spooler cannot say).
 */
export type PaperJobLookup = { jobId: string; state: PaperJobState } | 'absent' | 'unknown';

/** The A4 printer as the kiosk uses it, behind the OS spooler. */
export interface PaperPrinter {
  getStatus(): Promise<PaperPrinterStatus>;
  /** Checks the page count, submits the job and returns once the spooler took it. */
  submit(req: PaperPrintRequest): Promise<Result<PaperJob, PaperJobFailure>>;
  /** Asks the spooler what became of a job (also after a restart, from the journaled job id). */
  jobState(jobId: string): Promise<PaperJobState>;
  /** Finds a job by the name it was submitted with (after a crash, before its id was journaled). */
  findJob(jobName: string): Promise<PaperJobLookup>;
  /** Cancels a job; a job that already ended is left as it is. Never throws. */
  cancel(jobId: string): Promise<void>;
  /**
   * Submits and follows the job until completed or failed. The kiosk tells the applicant to collect only
   * on `completed`; a job that failed or stopped counts as not printed.
   */
  print(
    req: PaperPrintRequest,
    onSubmitted?: (job: PaperJob) => Promise<void> | void,
  ): Promise<Result<PaperJob, PaperJobFailure>>;
  close(): Promise<void>;
}
