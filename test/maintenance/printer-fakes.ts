import type {
  CardCounters,
  CardPrinter,
  CardPrinterFault,
  CardPrinterStatus,
  CardPrintOutcome,
} from '../../drivers/card-printer/types.ts';
import type { PaperPrinter } from '../../drivers/paper-printer/types.ts';
import { err, ok } from '../../drivers/shared/result.ts';

/**
 * A card printer for the maintenance tests: counts what it prints, faults when told (`jam`), tells its
 * listeners, and keeps a fault until `faultCleared` says its cause is gone.
 */
export class FakeCardPrinter implements CardPrinter {
  counters: CardCounters;
  fault: CardPrinterFault | undefined;
  faultCleared = false;
  private readonly ribbon: number;
  private listeners = new Set<(s: CardPrinterStatus) => void>();

  constructor(opts: { counters?: CardCounters; ribbonPanelsLeft?: number } = {}) {
    this.counters = opts.counters ?? { total: 120, spoiled: 3 };
    this.ribbon = opts.ribbonPanelsLeft ?? 200;
  }
  async getStatus(): Promise<CardPrinterStatus> {
    return this.fault ? { state: this.fault } : { state: 'READY', ribbonPanelsLeft: this.ribbon };
  }
  async readCounters() {
    return ok({ ...this.counters });
  }
  async readInfo() {
    return ok({ model: 'Primacy', serial: 'E12345678', firmware: '1.6.2' });
  }
  async printCard(): Promise<CardPrintOutcome> {
    const before = { ...this.counters };
    if (this.fault) return { kind: 'not-fed', before, after: before, fault: this.fault };
    this.counters.total++;
    return { kind: 'printed', before, after: { ...this.counters } };
  }
  async clearFault() {
    if (this.fault && !this.faultCleared) return err(this.fault);
    this.fault = undefined;
    return ok(undefined);
  }
  async reset() {
    return ok(undefined);
  }
  onStatus(l: (s: CardPrinterStatus) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  /** The printer reports `state` (a fault, or READY again when undefined). */
  jam(state: CardPrinterFault | undefined): void {
    this.fault = state;
    this.emit(state ? { state } : { state: 'READY', ribbonPanelsLeft: this.ribbon });
  }
  emit(s: CardPrinterStatus): void {
    for (const l of this.listeners) l(s);
  }
  async close() {}
}

/** An A4 printer that prints whatever it is given, one job a call. */
export class FakePaperPrinter implements PaperPrinter {
  jobs: number[] = [];
  async getStatus() {
    return { state: 'READY' as const };
  }
  async submit() {
    return ok({ jobId: '1', pages: 1 });
  }
  async findJob() {
    return 'unknown' as const;
  }
  async cancel() {}
  async jobState() {
    return 'completed' as const;
  }
  async print(req: { pdf: Uint8Array; expectedPages: number }) {
    this.jobs.push(req.pdf.length);
    return ok({ jobId: String(this.jobs.length), pages: req.expectedPages });
  }
  async close() {}
}
