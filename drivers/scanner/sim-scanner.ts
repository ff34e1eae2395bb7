import { ScannerListeners } from './scanner-listeners.ts';
import type { Scanner, ScannerStatus } from './types.ts';

/** A scanner that tests and the simulator type codes into, as if scanned. */
export class SimScanner implements Scanner {
  readonly source = 'sim' as const;
  private readonly listeners = new ScannerListeners({ state: 'READY' });

  /** Delivers `text` as one scanned code (ignored while unplugged, as a real scanner would be). */
  scan(text: string): void {
    if (this.listeners.status.state === 'READY' && text.length > 0) this.listeners.emitCode(text);
  }

  /** Simulates unplugging (false) and plugging back (true). */
  setConnected(connected: boolean): void {
    this.listeners.setStatus(connected ? { state: 'READY' } : { state: 'OFFLINE', detail: 'unplugged' });
  }

  onCode(listener: (text: string) => void): () => void {
    return this.listeners.onCode(listener);
  }

  getStatus(): ScannerStatus {
    return this.listeners.status;
  }

  onStatus(listener: (status: ScannerStatus) => void): () => void {
    return this.listeners.onStatus(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
