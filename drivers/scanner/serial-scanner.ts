import { type Clock, systemClock } from '../shared/clock.ts';
import type { Result } from '../shared/result.ts';
import { openSerialTransport } from '../transport/serial.ts';
import type { Transport } from '../transport/transport.ts';
import { LineReader } from './line-reader.ts';
import { ListeningScanner } from './scanner-listeners.ts';
import type { Scanner } from './types.ts';

/** While the scanner is unplugged, its port is tried again this often. */
export const SCANNER_REOPEN_MS = 1_000;
/** 2D scanners in serial (CDC) mode default to 9600 8N1. */
export const SCANNER_DEFAULT_BAUD = 9600;

export interface SerialScannerOptions {
  path: string;
  baudRate?: number;
  clock?: Clock;
  /** For tests: how the port is opened. */
  open?: (path: string, baudRate: number) => Promise<Result<Transport, string>>;
}

/**
 * The 2D scanner on a serial port (kiosk-runtime.md "Serial 2D scanner"). Each line is a code. When
 * the port closes (unplugged, the USB-serial device gone) the scanner is OFFLINE and the port is
 * reopened every SCANNER_REOPEN_MS until it is back; a partial line from before the unplug is dropped.
 */
export class SerialScanner extends ListeningScanner implements Scanner {
  readonly source = 'serial' as const;
  private readonly reader = new LineReader();
  private readonly clock: Clock;
  private readonly baudRate: number;
  private readonly openPort: NonNullable<SerialScannerOptions['open']>;
  private transport: Transport | undefined;
  private timer: unknown;
  private closed = false;

  constructor(private readonly opts: SerialScannerOptions) {
    super({ state: 'OFFLINE', detail: 'not opened yet' });
    this.clock = opts.clock ?? systemClock;
    this.baudRate = opts.baudRate ?? SCANNER_DEFAULT_BAUD;
    this.openPort = opts.open ?? openSerialTransport;
  }

  /** Opens the port once; if that fails the scanner stays OFFLINE and keeps trying. */
  async start(): Promise<void> {
    await this.tryOpen();
  }

  override async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const t = this.transport;
    this.transport = undefined;
    await t?.close();
    this.listeners.clear();
  }

  private async tryOpen(): Promise<void> {
    this.timer = undefined;
    if (this.closed) return;
    const res = await this.openPort(this.opts.path, this.baudRate);
    if (this.closed) {
      if (res.ok) await res.value.close();
      return;
    }
    if (!res.ok) {
      this.listeners.setStatus({ state: 'OFFLINE', detail: res.error });
      this.scheduleReopen();
      return;
    }
    const t = res.value;
    this.transport = t;
    this.reader.reset();
    t.onData((chunk) => {
      for (const line of this.reader.push(chunk)) this.listeners.emitCode(line);
    });
    t.onClose((reason) => {
      if (this.transport !== t) return;
      this.transport = undefined;
      if (this.closed) return;
      this.listeners.setStatus({ state: 'OFFLINE', detail: reason });
      this.scheduleReopen();
    });
    if (t.isOpen) this.listeners.setStatus({ state: 'READY' });
  }

  private scheduleReopen(): void {
    if (this.closed || this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(() => void this.tryOpen(), SCANNER_REOPEN_MS);
  }
}
