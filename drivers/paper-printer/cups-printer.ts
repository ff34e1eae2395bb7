import { type Clock, systemClock } from '../shared/clock.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { jobStateFromIpp, printerStatusFromIpp } from './cups-state.ts';
import { isFault, submitAndFollow } from './follow-job.ts';
import { IppGroup, IppOperation, IppTag, type IppValue, ippGroup, ippGroups } from './ipp.ts';
import { type CupsServer, ippRequest, resolveCupsServer } from './ipp-client.ts';
import { checkPages } from './page-count.ts';
import type {
  PaperJob,
  PaperJobFailure,
  PaperJobLookup,
  PaperJobState,
  PaperPrinter,
  PaperPrinterFault,
  PaperPrinterStatus,
  PaperPrintRequest,
} from './types.ts';

/** The most recent jobs `findJob` looks through (a kiosk's queue holds a few a session). */
const FIND_JOB_LIMIT = 200;
/** The user name jobs are submitted as (shows in `lpstat`; never the applicant's). */
const JOB_USER = 'adm-kiosk';
/** IPP status for a queue that is rejecting jobs (`cupsreject`). */
const CLIENT_ERROR_NOT_ACCEPTING_JOBS = 0x0506;
const CLIENT_ERROR_NOT_FOUND = 0x0406;

export interface CupsPrinterOptions {
  /** The CUPS queue name (`devices.paperPrinter.queue`). */
  queue: string;
  /** Socket path or host:port of the scheduler; defaults as the `lp` tools do (CUPS_SERVER, then the local socket). */
  server?: string;
  clock?: Clock;
}

/**
 * The A4 printer behind a local CUPS queue, spoken to over IPP (the protocol `lp` and `lpstat` use
 * themselves): the job's real state (completed vs aborted vs stopped) and the printer's
 * state-reasons keywords come back as data, not as localised `lpstat` text.
 */
export class CupsPaperPrinter implements PaperPrinter {
  private readonly server: CupsServer;
  private readonly clock: Clock;
  private readonly printerUri: string;
  private readonly path: string;

  constructor(opts: CupsPrinterOptions) {
    this.server = resolveCupsServer(opts.server);
    this.clock = opts.clock ?? systemClock;
    this.printerUri = `ipp://localhost/printers/${encodeURIComponent(opts.queue)}`;
    this.path = `/printers/${encodeURIComponent(opts.queue)}`;
  }

  async getStatus(): Promise<PaperPrinterStatus> {
    const res = await ippRequest(this.server, this.path, {
      operation: IppOperation.getPrinterAttributes,
      attributes: [
        { tag: IppTag.uri, name: 'printer-uri', values: [this.printerUri] },
        {
          tag: IppTag.keyword,
          name: 'requested-attributes',
          values: [
            'printer-state',
            'printer-state-reasons',
            'printer-is-accepting-jobs',
            'printer-state-message',
          ],
        },
      ],
    });
    if (!res.ok) return { state: 'OFFLINE', detail: `spooler: ${res.error}` };
    if (res.value.status === CLIENT_ERROR_NOT_FOUND) return { state: 'OFFLINE', detail: 'no such queue' };
    if (res.value.status > 0xff)
      return { state: 'ERROR', detail: `IPP status 0x${res.value.status.toString(16)}` };
    return printerStatusFromIpp(ippGroup(res.value, IppGroup.printer));
  }

  async submit(req: PaperPrintRequest): Promise<Result<PaperJob, PaperJobFailure>> {
    const pages = await checkPages(req);
    if (!pages.ok) return pages;
    // CUPS holds a job for a stopped queue instead of refusing it; the applicant must not wait on that.
    const status = await this.getStatus();
    if (isFault(status)) return err(refused(status.state, status.detail));
    const res = await ippRequest(this.server, this.path, {
      operation: IppOperation.printJob,
      attributes: [
        { tag: IppTag.uri, name: 'printer-uri', values: [this.printerUri] },
        { tag: IppTag.nameWithoutLanguage, name: 'requesting-user-name', values: [JOB_USER] },
        { tag: IppTag.nameWithoutLanguage, name: 'job-name', values: [req.jobName] },
        { tag: IppTag.mimeMediaType, name: 'document-format', values: ['application/pdf'] },
      ],
      data: req.pdf,
    });
    if (!res.ok) return err(refused('OFFLINE', res.error));
    if (res.value.status === CLIENT_ERROR_NOT_ACCEPTING_JOBS)
      return err(refused('QUEUE_DISABLED', 'not accepting jobs'));
    if (res.value.status > 0xff)
      return err(refused('ERROR', `IPP status 0x${res.value.status.toString(16)}`));
    const jobId = ippGroup(res.value, IppGroup.job).get('job-id')?.[0];
    if (typeof jobId !== 'number') return err(refused('ERROR', 'no job-id in the answer'));
    return ok({ jobId: String(jobId), pages: pages.value });
  }

  async jobState(jobId: string): Promise<PaperJobState> {
    const res = await ippRequest(this.server, this.path, {
      operation: IppOperation.getJobAttributes,
      attributes: [
        { tag: IppTag.uri, name: 'printer-uri', values: [this.printerUri] },
        { tag: IppTag.integer, name: 'job-id', values: [Number(jobId)] },
        { tag: IppTag.keyword, name: 'requested-attributes', values: ['job-state', 'job-state-reasons'] },
      ],
    });
    if (!res.ok || res.value.status > 0xff) return 'unknown';
    const state = jobStateFromIpp(ippGroup(res.value, IppGroup.job).get('job-state')?.[0]);
    // A stopped job counts as not printed; cancel it so it cannot print once the printer is fixed.
    if (state === 'failed') await this.cancel(jobId);
    return state;
  }

  /**
   * Get-Jobs over every job the scheduler still knows (CUPS keeps the history of ended jobs), newest
   * first, matched by name. CUPS sometimes leaves the name out of a Get-Jobs answer for a finished job
   * whose attributes it has unloaded; such a job is asked for by its id (Get-Job-Attributes loads it).
   */
  async findJob(jobName: string): Promise<PaperJobLookup> {
    const res = await ippRequest(this.server, this.path, {
      operation: IppOperation.getJobs,
      attributes: [
        { tag: IppTag.uri, name: 'printer-uri', values: [this.printerUri] },
        // CUPS shows a job's name only to its owner (JobPrivateValues): ask as the kiosk's job user.
        { tag: IppTag.nameWithoutLanguage, name: 'requesting-user-name', values: [JOB_USER] },
        { tag: IppTag.keyword, name: 'which-jobs', values: ['all'] },
        { tag: IppTag.keyword, name: 'requested-attributes', values: ['job-id', 'job-name', 'job-state'] },
      ],
    });
    if (!res.ok || res.value.status > 0xff) return 'unknown';
    const jobs = ippGroups(res.value, IppGroup.job)
      .map((j) => ({
        id: j.get('job-id')?.[0],
        name: j.get('job-name')?.[0],
        state: j.get('job-state')?.[0],
      }))
      .filter((j): j is typeof j & { id: number } => typeof j.id === 'number')
      .sort((a, b) => b.id - a.id)
      .slice(0, FIND_JOB_LIMIT);
    // A job whose name cannot be read might be the one: then the answer is `unknown`, never `absent`.
    let unnamed = false;
    for (const job of jobs) {
      const known = job.name !== undefined ? job : await this.jobAttributes(job.id);
      if (known?.name === jobName) return { jobId: String(job.id), state: jobStateFromIpp(known.state) };
      if (known?.name === undefined) unnamed = true;
    }
    return unnamed ? 'unknown' : 'absent';
  }

  private async jobAttributes(jobId: number): Promise<{ name?: IppValue; state?: IppValue } | undefined> {
    const res = await ippRequest(this.server, this.path, {
      operation: IppOperation.getJobAttributes,
      attributes: [
        { tag: IppTag.uri, name: 'printer-uri', values: [this.printerUri] },
        { tag: IppTag.integer, name: 'job-id', values: [jobId] },
        { tag: IppTag.nameWithoutLanguage, name: 'requesting-user-name', values: [JOB_USER] },
        { tag: IppTag.keyword, name: 'requested-attributes', values: ['job-name', 'job-state'] },
      ],
    });
    if (!res.ok || res.value.status > 0xff) return undefined;
    const job = ippGroup(res.value, IppGroup.job);
    return { name: job.get('job-name')?.[0], state: job.get('job-state')?.[0] };
  }

  print(
    req: PaperPrintRequest,
    onSubmitted?: (job: PaperJob) => Promise<void> | void,
  ): Promise<Result<PaperJob, PaperJobFailure>> {
    return submitAndFollow(this, req, this.clock, onSubmitted);
  }

  /** Cancels a job; one that already ended stays as it is (CUPS answers not-possible, which is fine). */
  async cancel(jobId: string): Promise<void> {
    await ippRequest(this.server, this.path, {
      operation: IppOperation.cancelJob,
      attributes: [
        { tag: IppTag.uri, name: 'printer-uri', values: [this.printerUri] },
        { tag: IppTag.integer, name: 'job-id', values: [Number(jobId)] },
        { tag: IppTag.nameWithoutLanguage, name: 'requesting-user-name', values: [JOB_USER] },
      ],
    });
  }

  async close(): Promise<void> {}
}

function refused(fault: PaperPrinterFault, detail?: string): PaperJobFailure {
  return detail ? { kind: 'refused', fault, detail } : { kind: 'refused', fault };
}
