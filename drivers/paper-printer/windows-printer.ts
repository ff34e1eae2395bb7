import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Clock, systemClock } from '../shared/clock.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { isFault, submitAndFollow } from './follow-job.ts';
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

/** How long one PowerShell query may take. */
const POWERSHELL_TIMEOUT_MS = 15_000;

/** Runs a PowerShell command and returns its stdout, or `err` with what went wrong. */
export type PowerShell = (command: string) => Promise<Result<string, string>>;
/** pdf-to-printer's `print(file, options)`. */
export type PdfToPrinterPrint = (file: string, options: Record<string, unknown>) => Promise<void>;

export interface WindowsPrinterOptions {
  /** The Windows printer name (`devices.paperPrinter.printer`). */
  printer: string;
  clock?: Clock;
  /** For tests on Linux: stand-ins for PowerShell and pdf-to-printer. */
  powerShell?: PowerShell;
  print?: PdfToPrinterPrint;
}

/**
 * The A4 printer on Windows: the PDF goes to the spooler through pdf-to-printer (SumatraPDF), and the
 * printer and its jobs are read with PowerShell's CIM classes (Win32_Printer, Win32_PrintJob).
 *
 * pdf-to-printer's quirks, wrapped here: it throws plain strings (not Errors) for "Operating System not
 * supported" and friends, and only finds SumatraPDF inside an Electron asar when the app was started
 * from CommonJS (it looks at `process.mainModule`, undefined under ESM), so the executable's path is
 * always passed, pointing into `app.asar.unpacked` when packaged (the packager must unpack it).
 */
export class WindowsPaperPrinter implements PaperPrinter {
  private readonly printer: string;
  private readonly clock: Clock;
  private readonly ps: PowerShell;
  private readonly printFn: PdfToPrinterPrint | undefined;
  /** Jobs this process handed to the spooler: a job gone from the queue without a fault completed. */
  private readonly submitted = new Set<string>();
  private seq = 0;

  constructor(opts: WindowsPrinterOptions) {
    this.printer = opts.printer;
    this.clock = opts.clock ?? systemClock;
    this.ps = opts.powerShell ?? runPowerShell;
    this.printFn = opts.print;
  }

  async getStatus(): Promise<PaperPrinterStatus> {
    const res = await this.ps(
      `Get-CimInstance Win32_Printer -Filter "Name='${psQuote(this.printer)}'" | ` +
        'Select-Object PrinterStatus,DetectedErrorState,WorkOffline | ConvertTo-Json -Compress',
    );
    if (!res.ok) return { state: 'OFFLINE', detail: res.error };
    return windowsPrinterStatus(res.value);
  }

  async submit(req: PaperPrintRequest): Promise<Result<PaperJob, PaperJobFailure>> {
    const pages = await checkPages(req);
    if (!pages.ok) return pages;
    const status = await this.getStatus();
    if (isFault(status)) return err(refused(status.state, status.detail));
    // SumatraPDF names the spooler document after the file, which is how the job is found again.
    const jobId = `${req.jobName.replace(/[^A-Za-z0-9._-]/g, '_')}-${this.clock.now()}-${++this.seq}`;
    const dir = await mkdtemp(join(tmpdir(), 'adm-print-'));
    const file = join(dir, `${jobId}.pdf`);
    try {
      await writeFile(file, req.pdf);
      const print = this.printFn ?? (await loadPdfToPrinter());
      await print(file, {
        printer: this.printer,
        silent: true,
        scale: 'noscale',
        paperSize: 'A4',
        sumatraPdfPath: sumatraPath(),
      });
    } catch (e) {
      return err(refused('ERROR', typeof e === 'string' ? e : e instanceof Error ? e.message : String(e)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    this.submitted.add(jobId);
    return ok({ jobId, pages: pages.value });
  }

  async jobState(jobId: string): Promise<PaperJobState> {
    const res = await this.ps(
      `Get-CimInstance Win32_PrintJob | Where-Object { $_.Document -eq '${psQuote(jobId)}' } | ` +
        'Select-Object JobStatus,Status | ConvertTo-Json -Compress',
    );
    if (!res.ok) return 'unknown';
    const state = windowsJobState(res.value);
    if (state !== 'unknown') return state;
    // Windows drops a job from the queue once printed; gone without a printer fault means it came out.
    if (!this.submitted.has(jobId)) return 'unknown';
    return isFault(await this.getStatus()) ? 'failed' : 'completed';
  }

  /**
   * The Windows spooler names a job by its document, which is our job id (made from the job name): a
   * job still queued is found; one that left the queue cannot be told apart from one never sent.
   */
  async findJob(jobName: string): Promise<PaperJobLookup> {
    const prefix = `${jobName.replace(/[^A-Za-z0-9._-]/g, '_')}-`;
    const res = await this.ps(
      `Get-CimInstance Win32_PrintJob | Where-Object { $_.Document -like '${psQuote(prefix)}*' } | ` +
        'Select-Object Document,JobStatus,Status | ConvertTo-Json -Compress',
    );
    if (!res.ok) return 'unknown';
    const found = /"Document":"([^"]+)"/.exec(res.value)?.[1];
    if (!found) return 'unknown';
    return { jobId: found, state: windowsJobState(res.value) };
  }

  print(
    req: PaperPrintRequest,
    onSubmitted?: (job: PaperJob) => Promise<void> | void,
  ): Promise<Result<PaperJob, PaperJobFailure>> {
    return submitAndFollow(this, req, this.clock, onSubmitted);
  }

  async cancel(jobId: string): Promise<void> {
    await this.ps(
      `Get-CimInstance Win32_PrintJob | Where-Object { $_.Document -eq '${psQuote(jobId)}' } | Remove-CimInstance`,
    );
  }

  async close(): Promise<void> {}
}

/** Win32_Printer.DetectedErrorState values that stop printing (3 low paper and 5 low toner do not). */
const DETECTED_ERROR: Record<number, PaperPrinterFault> = {
  4: 'MEDIA_EMPTY',
  6: 'ERROR',
  7: 'DOOR_OPEN',
  8: 'MEDIA_JAM',
  9: 'OFFLINE',
  10: 'ERROR',
  11: 'ERROR',
};

/** Reads the JSON of one Win32_Printer (PrinterStatus, DetectedErrorState, WorkOffline) into a status. */
export function windowsPrinterStatus(json: string): PaperPrinterStatus {
  const p = parseFirst(json);
  if (!p) return { state: 'OFFLINE', detail: 'printer not found' };
  if (p.WorkOffline === true) return { state: 'OFFLINE', detail: 'work offline' };
  const fault = DETECTED_ERROR[Number(p.DetectedErrorState)];
  if (fault) return { state: fault, detail: `DetectedErrorState ${String(p.DetectedErrorState)}` };
  // PrinterStatus: 3 idle, 4 printing, 5 warming up, 7 offline (CIM_Printer).
  if (p.PrinterStatus === 7) return { state: 'OFFLINE', detail: 'PrinterStatus 7' };
  if (p.PrinterStatus === 4) return { state: 'PRINTING' };
  return { state: 'READY' };
}

/** Reads the JSON of a Win32_PrintJob (or nothing, when the job left the queue). */
export function windowsJobState(json: string): PaperJobState {
  const j = parseFirst(json);
  if (!j) return 'unknown';
  const status = `${String(j.JobStatus ?? '')} ${String(j.Status ?? '')}`.toLowerCase();
  if (/error|offline|paper ?out|user intervention|deleted|blocked/.test(status)) return 'failed';
  if (/printing|spooling/.test(status)) return 'printing';
  if (/printed|complete/.test(status)) return 'completed';
  return 'pending';
}

function parseFirst(json: string): Record<string, unknown> | undefined {
  if (!json.trim()) return undefined;
  try {
    const v = JSON.parse(json) as unknown;
    const first = Array.isArray(v) ? v[0] : v;
    return first && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function psQuote(s: string): string {
  return s.replace(/'/g, "''");
}

function refused(fault: PaperPrinterFault, detail?: string): PaperJobFailure {
  return detail ? { kind: 'refused', fault, detail } : { kind: 'refused', fault };
}

const require = createRequire(import.meta.url);

/** SumatraPDF's path, outside the asar archive when packaged: an exe cannot run from inside one. */
export function sumatraPath(): string {
  const dist = dirname(require.resolve('pdf-to-printer'));
  // The bundled version is in the file name; look it up so an update of the package keeps working.
  const exe = readdirSync(dist).find((f) => /^SumatraPDF.*\.exe$/i.test(f)) ?? 'SumatraPDF.exe';
  return join(dist, exe).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

async function loadPdfToPrinter(): Promise<PdfToPrinterPrint> {
  const mod = (await import('pdf-to-printer')) as unknown as {
    print: PdfToPrinterPrint;
    default?: { print: PdfToPrinterPrint };
  };
  return mod.print ?? mod.default!.print;
}

const runPowerShell: PowerShell = (command) =>
  new Promise((resolve) => {
    execFile(
      'powershell.exe',
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        `[Console]::OutputEncoding = [Text.UTF8Encoding]::new($false); ${command}`,
      ],
      { timeout: POWERSHELL_TIMEOUT_MS, windowsHide: true },
      (e, stdout, stderr) => resolve(e ? err(stderr.trim() || e.message) : ok(stdout)),
    );
  });
