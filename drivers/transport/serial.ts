import { write as fsWrite } from 'node:fs';
import type { SerialPort } from 'serialport';
import { err, ok, type Result } from '../shared/result.ts';
import { TransportListeners } from './listeners.ts';
import type { Transport } from './transport.ts';

/** First pause before retrying a write the OS refused for now (its buffer full); doubles up to the max. */
const WRITE_RETRY_MIN_MS = 1;
const WRITE_RETRY_MAX_MS = 16;

/** 8N1, no flow control: what card-printer.md and the scanners ask for. */
class SerialTransport implements Transport {
  private readonly listeners = new TransportListeners();
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => this.listeners.emitData(new Uint8Array(chunk)));
    // An unplugged USB serial adapter or a pty whose master went away shows up as an error (EIO)
    // and then a 'close' with `disconnected`; either ends the transport.
    port.on('error', (e: Error) => this.shutDown(e.message));
    port.on('close', (e: (Error & { disconnected?: boolean }) | null) =>
      this.listeners.emitClose(e ? e.message || 'disconnected' : 'closed'),
    );
  }

  get isOpen(): boolean {
    return !this.listeners.closed && this.port.isOpen;
  }

  write(bytes: Uint8Array): Promise<Result<void, string>> {
    const run = this.writes.then(() => this.writeAll(bytes));
    this.writes = run;
    return run;
  }

  /**
   * Writes straight to the port's non-blocking fd and retries EAGAIN on a short timer. serialport's
   * own write waits for EAGAIN to clear through its fd poller, and on Linux that wake-up is
   * sometimes lost while the same fd is also polled for reading: a large write (a card panel) then
   * hangs until the next byte arrives from the device. Seen on socat ptys; retrying on a timer
   * cannot lose a wake-up.
   */
  private async writeAll(bytes: Uint8Array): Promise<Result<void, string>> {
    const fd = (this.port.port as { fd?: number | null } | undefined)?.fd;
    if (fd === undefined || fd === null) return err('closed');
    let offset = 0;
    let backoff = WRITE_RETRY_MIN_MS;
    while (offset < bytes.length) {
      if (!this.isOpen) return err('closed');
      const n = await new Promise<number | NodeJS.ErrnoException>((resolve) =>
        fsWrite(fd, bytes, offset, bytes.length - offset, null, (e, written) => resolve(e ?? written)),
      );
      if (typeof n === 'number') {
        offset += n;
        backoff = WRITE_RETRY_MIN_MS;
      } else if (n.code === 'EAGAIN' || n.code === 'EWOULDBLOCK' || n.code === 'EINTR') {
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, WRITE_RETRY_MAX_MS);
      } else {
        this.shutDown(n.message);
        return err(n.message);
      }
    }
    return ok(undefined);
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.listeners.onData(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    return this.listeners.onClose(listener);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.port.isOpen) {
        this.listeners.emitClose('closed');
        return resolve();
      }
      this.port.close(() => {
        this.listeners.emitClose('closed');
        resolve();
      });
    });
  }

  private shutDown(reason: string): void {
    if (this.listeners.closed) return;
    this.listeners.emitClose(reason);
    if (this.port.isOpen) this.port.close(() => {});
  }
}

/**
 * Opens a serial device (a tty path such as `/dev/ttyUSB0` or a pty link) at 8N1 without flow
 * control. A missing or busy device is an expected failure: `err(message)`.
 */
export async function openSerialTransport(
  path: string,
  baudRate = 115200,
): Promise<Result<Transport, string>> {
  // Loaded with the first serial device, not at every start (a kiosk on USB or the simulator has none).
  const { SerialPort } = await import('serialport');
  return new Promise((resolve) => {
    const port = new SerialPort({
      path,
      baudRate,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      rtscts: false,
      xon: false,
      xoff: false,
      autoOpen: false,
      // Exclusive so that two programs never interleave commands on one device.
      lock: true,
    });
    port.open((e) => {
      if (e) return resolve(err(e.message));
      resolve(ok(new SerialTransport(port)));
    });
  });
}
