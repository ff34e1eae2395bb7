import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, systemClock } from '../shared/clock.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { followJob, isFault } from './follow-job.ts';
import { checkPages } from './page-count.ts';
import type {
  PaperJob,
  PaperJobFailure,
  PaperJobLookup,
  PaperJobState,
  PaperPrinter,
  PaperPrinterStatus,
  PaperPrintRequest,
} from './types.ts';

/** A page takes about this long on a small office laser printer (before the time factor). */
export const SIM_PAGE_MS = 1_000;
/** The spooler's delay between taking a job and the first page moving. */
export const SIM_START_MS = 300;
/** Sheets in the tray of a fresh simulator. */
export const SIM_DEFAULT_SHEETS = 250;

/** Faults a test or the simulator's maintenance panel can inject. */
export type SimPaperFault = 'MEDIA_EMPTY' | 'MEDIA_JAM' | 'DOOR_OPEN' | 'OFFLINE';

/** One job as the simulated spooler keeps it. */
export interface SimPaperJob {
  jobId: string;
  jobName: string;
  pages: number;
  state: PaperJobState;
  /** Sheets taken from the tray: all pages when completed; the spoiled ones when it failed part-way. */
  pagesConsumed: number;
}

export interface SimPaperOptions {
  paperSheets?: number;
  /** Scales the time a page takes: 0.01 makes a page 10 ms. */
  timeFactor?: number;
  /** When given, each completed job's PDF is written there as `<jobId>-<jobName>.pdf`. */
  outDir?: string;
  clock?: Clock;
}

/**
 * The A4 printer and its spooler in-process: jobs go pending, printing (one page per SIM_PAGE_MS x
 * timeFactor, one sheet each), then completed, unless a fault strikes. A fault injected `now` stops the
 * printer (new jobs are refused); one injected `during-job` strikes half-way through the next job,
 * which then fails with its pages so far spoiled. Running out of sheets mid-job is MEDIA_EMPTY.
 */
export class PaperPrinterSimulator implements PaperPrinter {
  private sheets: number;
  private readonly pageMs: number;
  private readonly clock: Clock;
  private readonly outDir: string | undefined;
  private fault: SimPaperFault | undefined;
  private armedFault: SimPaperFault | undefined;
  private readonly allJobs: SimPaperJob[] = [];
  private readonly pdfs = new Map<string, Uint8Array>();
  private readonly timers = new Map<string, unknown>();
  private seq = 0;
  private writes: Promise<void>[] = [];

  constructor(opts: SimPaperOptions = {}) {
    this.sheets = opts.paperSheets ?? SIM_DEFAULT_SHEETS;
    this.pageMs = SIM_PAGE_MS * (opts.timeFactor ?? 1);
    this.clock = opts.clock ?? systemClock;
    this.outDir = opts.outDir;
  }

  /** Sheets left in the tray. */
  get paperSheets(): number {
    return this.sheets;
  }

  /** Every job, oldest first. */
  get jobs(): readonly SimPaperJob[] {
    return this.allJobs;
  }

  /** The jobs that came out whole. */
  get printedJobs(): readonly SimPaperJob[] {
    return this.allJobs.filter((j) => j.state === 'completed');
  }

  /** All sheets taken from the tray so far, spoiled ones included. */
  get pagesConsumed(): number {
    return this.allJobs.reduce((n, j) => n + j.pagesConsumed, 0);
  }

  /** Makes the printer report a fault now, or arms it to strike half-way through the next job. */
  injectFault(fault: SimPaperFault, when: 'now' | 'during-job' = 'now'): void {
    if (when === 'during-job') this.armedFault = fault;
    else this.stopWith(fault);
  }

  /** Clears the current and any armed fault (the technician opened, fixed and closed the printer). */
  clearFault(): void {
    this.fault = undefined;
    this.armedFault = undefined;
    this.resume();
  }

  /** Adds sheets to the tray; a MEDIA_EMPTY fault clears once there is paper. */
  loadPaper(n: number): void {
    this.sheets += n;
    if (this.fault === 'MEDIA_EMPTY' && this.sheets > 0) this.fault = undefined;
    this.resume();
  }

  async getStatus(): Promise<PaperPrinterStatus> {
    if (this.fault) return { state: this.fault };
    if (this.sheets <= 0) return { state: 'MEDIA_EMPTY' };
    const busy = this.allJobs.some((j) => j.state === 'printing' || j.state === 'pending');
    return { state: busy ? 'PRINTING' : 'READY', paperSheets: this.sheets };
  }

  async submit(req: PaperPrintRequest): Promise<Result<PaperJob, PaperJobFailure>> {
    const pages = await checkPages(req);
    if (!pages.ok) return pages;
    const status = await this.getStatus();
    if (isFault(status)) return err({ kind: 'refused', fault: status.state });
    const job: SimPaperJob = {
      jobId: `sim-${++this.seq}`,
      jobName: req.jobName,
      pages: pages.value,
      state: 'pending',
      pagesConsumed: 0,
    };
    this.allJobs.push(job);
    this.pdfs.set(job.jobId, req.pdf);
    // Jobs print one after the other, as a spooler queues them.
    if (!this.allJobs.some((j) => j.state === 'printing')) this.startNext();
    return ok({ jobId: job.jobId, pages: job.pages });
  }

  async jobState(jobId: string): Promise<PaperJobState> {
    return this.allJobs.find((j) => j.jobId === jobId)?.state ?? 'unknown';
  }

  /** The newest job of that name; one this simulator never had is `absent` (its queue lives in memory). */
  async findJob(jobName: string): Promise<PaperJobLookup> {
    const job = this.allJobs.filter((j) => j.jobName === jobName).at(-1);
    return job ? { jobId: job.jobId, state: job.state } : 'absent';
  }

  async print(
    req: PaperPrintRequest,
    onSubmitted?: (job: PaperJob) => Promise<void> | void,
  ): Promise<Result<PaperJob, PaperJobFailure>> {
    const submitted = await this.submit(req);
    if (!submitted.ok) return submitted;
    await onSubmitted?.(submitted.value);
    const result = await followJob(this, submitted.value, this.clock);
    await Promise.all(this.writes);
    return result;
  }

  /** Cancels a pending or printing job; sheets already out stay spoiled. */
  async cancel(jobId: string): Promise<void> {
    const job = this.allJobs.find((j) => j.jobId === jobId);
    if (!job || (job.state !== 'pending' && job.state !== 'printing')) return;
    const wasPrinting = job.state === 'printing';
    this.clock.clearTimeout(this.timers.get(jobId));
    this.timers.delete(jobId);
    job.state = 'failed';
    this.pdfs.delete(jobId);
    if (wasPrinting) this.startNext();
  }

  async close(): Promise<void> {
    for (const t of this.timers.values()) this.clock.clearTimeout(t);
    this.timers.clear();
    await Promise.all(this.writes);
  }

  /** Jobs still queued go on once the printer is fixed, as a spooler resumes a queue. */
  private resume(): void {
    if (!this.allJobs.some((j) => j.state === 'printing')) this.startNext();
  }

  private startNext(): void {
    const job = this.allJobs.find((j) => j.state === 'pending');
    if (!job || this.fault) return;
    job.state = 'printing';
    const strikeAt = this.armedFault ? Math.max(1, Math.floor(job.pages / 2)) : undefined;
    const step = (printed: number) => {
      if (this.fault) return this.failJob(job);
      if (printed === job.pages) return this.completeJob(job);
      if (this.sheets <= 0) {
        this.stopWith('MEDIA_EMPTY');
        return this.failJob(job);
      }
      this.sheets -= 1;
      job.pagesConsumed += 1;
      if (strikeAt !== undefined && printed + 1 === strikeAt && this.armedFault) {
        // The sheet that jams is taken from the tray and spoiled with the rest of the job.
        this.stopWith(this.armedFault);
        this.armedFault = undefined;
        return this.failJob(job);
      }
      this.timers.set(
        job.jobId,
        this.clock.setTimeout(() => step(printed + 1), this.pageMs),
      );
    };
    this.timers.set(
      job.jobId,
      this.clock.setTimeout(() => step(0), SIM_START_MS * (this.pageMs / SIM_PAGE_MS)),
    );
  }

  private stopWith(fault: SimPaperFault): void {
    this.fault = fault;
  }

  private failJob(job: SimPaperJob): void {
    this.timers.delete(job.jobId);
    job.state = 'failed';
    this.pdfs.delete(job.jobId);
  }

  private completeJob(job: SimPaperJob): void {
    this.timers.delete(job.jobId);
    job.state = 'completed';
    const pdf = this.pdfs.get(job.jobId);
    this.pdfs.delete(job.jobId);
    if (this.outDir && pdf) this.writes.push(writePdf(this.outDir, job, pdf));
    this.startNext();
  }
}

async function writePdf(outDir: string, job: SimPaperJob, pdf: Uint8Array): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const safe = job.jobName.replace(/[^A-Za-z0-9._-]/g, '_');
  await writeFile(join(outDir, `${job.jobId}-${safe}.pdf`), pdf);
}
