import { ListeningScanner } from './scanner-listeners.ts';
import type { Scanner } from './types.ts';

/** kiosk-runtime.md: the longest gap between two keys of one keyboard-mode scan, unless configured. */
export const DEFAULT_MAX_INTER_KEY_MS = 30;

/**
 * A 2D scanner in USB keyboard mode (kiosk-runtime.md "Keyboard-mode scanner"; config driver
 * `keyboard`). The scanner types into the kiosk window, so the key runs are told apart from a person's
 * typing in the UI (`ui/keyboard-scanner.ts`, with this entry's `maxInterKeyMs`); the UI sends each
 * scan as an intent and the core hands its text to `push`. A keyboard cannot be seen from Node, so
 * it is always READY.
 */
export class KeyboardScanner extends ListeningScanner implements Scanner {
  readonly source = 'keyboard' as const;
  /** What the UI's detector uses: the longest gap between two keys of a scan. */
  readonly maxInterKeyMs: number;

  constructor(opts: { maxInterKeyMs?: number } = {}) {
    super({ state: 'READY' });
    this.maxInterKeyMs = opts.maxInterKeyMs ?? DEFAULT_MAX_INTER_KEY_MS;
  }

  /** A code the UI's detector took from the keyboard (line ends trimmed; empty text ignored). */
  push(text: string): void {
    const code = text.replace(/[\r\n]+$/, '');
    if (code.length > 0) this.listeners.emitCode(code);
  }
}
