import { SerialPort } from 'serialport';
import { err, ok, type Result } from '../shared/result.ts';
import { TransportListeners } from './listeners.ts';
import type { Transport } from './transport.ts';

/** 8N1, no flow control: what card-printer.md and the scanners ask for. */
class SerialTransport implements Transport {
  private readonly listeners = new TransportListeners();

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
    if (!this.isOpen) return Promise.resolve(err('closed'));
    return new Promise((resolve) => {
      this.port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (e) => {
        if (e) return resolve(err(e.message));
        this.port.drain((d) => resolve(d ? err(d.message) : ok(undefined)));
      });
    });
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
export function openSerialTransport(path: string, baudRate = 115200): Promise<Result<Transport, string>> {
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
