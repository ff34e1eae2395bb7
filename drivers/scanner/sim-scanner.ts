import { ListeningScanner } from './scanner-listeners.ts';
import type { Scanner } from './types.ts';

/** A scanner that tests and the simulator type codes into, as if scanned. */
export class SimScanner extends ListeningScanner implements Scanner {
  constructor() {
    super({ state: 'READY' });
  }

  readonly source = 'sim' as const;

  /** Delivers `text` as one scanned code (ignored while unplugged, as a real scanner would be). */
  scan(text: string): void {
    if (this.listeners.status.state === 'READY' && text.length > 0) this.listeners.emitCode(text);
  }

  /** Simulates unplugging (false) and plugging back (true). */
  setConnected(connected: boolean): void {
    this.listeners.setStatus(connected ? { state: 'READY' } : { state: 'OFFLINE', detail: 'unplugged' });
  }
}
